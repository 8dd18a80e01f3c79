import { describe, expect, it } from 'vitest'
import { countWords, readingStats, WORDS_PER_MINUTE } from '../../src/resolvers/reading.js'

describe('reading stats', () => {
  it('counts words, not punctuation or spaces', () => {
    expect(countWords('')).toBe(0)
    expect(countWords('  Talks resume — next week, says Hamas’s envoy.  ')).toBe(7)
    expect(countWords('2,700 drones a month')).toBe(4)
  })

  it('counts the lede and every section, and rounds the read time with a minimum of one minute', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ')
    const stats = readingStats({
      lede: words(10),
      sections: [{ heading: 'Talks', paragraphs: [words(WORDS_PER_MINUTE * 3)] }],
    })
    expect(stats.wordCount).toBe(10 + 1 + WORDS_PER_MINUTE * 3)
    expect(stats.readTimeMinutes).toBe(3)
    expect(stats.bodyText.startsWith('Talks\n\nw0 w1')).toBe(true)
    expect(readingStats({ lede: 'Short.', sections: [] }).readTimeMinutes).toBe(1)
  })

  it('keeps a stated read time only for a story whose body is not held here', () => {
    expect(readingStats({ lede: 'A teaser.', sections: [] }, 7).readTimeMinutes).toBe(7)
    expect(readingStats({ sections: [{ paragraphs: ['One short paragraph.'] }] }, 7).readTimeMinutes).toBe(1)
  })
})
