// Word count and read time, computed whenever a story's text is written and stored with it.

/** Adult silent reading of non-fiction, words a minute (Brysbaert 2019). */
export const WORDS_PER_MINUTE = 238

export interface StoryText {
  lede?: string | null
  sections: { heading?: string | null; paragraphs: string[] }[]
}

export interface ReadingStats {
  /** the body as plain text, for full-text search */
  bodyText: string
  wordCount: number
  readTimeMinutes: number
}

export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.,-]*/gu)?.length ?? 0
}

/**
 * A story whose body is not held here (a teaser of an item kept elsewhere) keeps the read time
 * its source stated, `statedReadTimeMinutes`; otherwise the read time comes from the text.
 */
export function readingStats(text: StoryText, statedReadTimeMinutes?: number | null): ReadingStats {
  const bodyText = text.sections
    .flatMap((s) => [s.heading ?? '', ...s.paragraphs])
    .filter(Boolean)
    .join('\n\n')
  const wordCount = countWords(text.lede ?? '') + countWords(bodyText)
  const readTimeMinutes =
    bodyText === '' && statedReadTimeMinutes
      ? statedReadTimeMinutes
      : Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE))
  return { bodyText, wordCount, readTimeMinutes }
}
