// A story's body between our sections (a heading and paragraphs each) and the text/plain and
// text/html bodies of ninjs. The HTML read here is agency body markup: blocks (p, h1–h6, li,
// blockquote…) become paragraphs and headings; inline markup is dropped, entities decoded. It is a
// reader for that shape, not a general HTML parser, and nothing it returns is ever rendered here.

export interface Section {
  heading: string | null
  paragraphs: string[]
}

/** Sections as plain text: each heading and paragraph a block, blocks apart by a blank line. */
export function sectionsToPlain(sections: Section[]): string {
  return sections
    .flatMap((s) => [s.heading ?? '', ...s.paragraphs])
    .filter(Boolean)
    .join('\n\n')
}

/** Sections as HTML: an h2 for each heading, a p for each paragraph, text escaped. */
export function sectionsToHtml(sections: Section[]): string {
  return sections
    .flatMap((s) => [
      ...(s.heading ? [`<h2>${escapeHtml(s.heading)}</h2>`] : []),
      ...s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ])
    .join('\n')
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Plain text into one section: paragraphs are split at blank lines, or at line ends when it has none. */
export function plainToSections(text: string): Section[] {
  const normalised = text.replace(/\r\n?/g, '\n').trim()
  let blocks = normalised.split(/\n[ \t]*\n/)
  if (blocks.length === 1) blocks = normalised.split('\n')
  const paragraphs = blocks.map(collapse).filter(Boolean)
  return paragraphs.length ? [{ heading: null, paragraphs }] : []
}

// Elements that end one block of text and start the next; headings start a section.
const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'body',
  'html',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
  'hr',
  'address',
  'main',
  'nav',
])
const HEADING = /^h[1-6]$/
// Elements whose content is not text of the story.
const SKIPPED = /<(script|style|head|title|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi

/** HTML into sections: a heading starts a section; blocks before the first heading form one without. */
export function htmlToSections(html: string): Section[] {
  const sections: Section[] = []
  let current: Section | null = null
  let buffer = ''
  let inHeading = false
  const flush = () => {
    const text = collapse(decodeEntities(buffer))
    buffer = ''
    if (!text) return
    if (inHeading) {
      current = { heading: text, paragraphs: [] }
      sections.push(current)
    } else {
      if (!current) {
        current = { heading: null, paragraphs: [] }
        sections.push(current)
      }
      current.paragraphs.push(text)
    }
  }
  const source = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(SKIPPED, '')
  const tag = /<\s*(\/?)\s*([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>|<[!?][^>]*>/g
  let at = 0
  for (let match = tag.exec(source); match; match = tag.exec(source)) {
    // in HTML a line end is a space; only <br> breaks a line
    buffer += source.slice(at, match.index).replace(/\s+/g, ' ')
    at = tag.lastIndex
    const name = match[2]?.toLowerCase()
    if (!name) continue
    if (name === 'br') buffer += '\n'
    else if (HEADING.test(name)) {
      flush()
      inHeading = match[1] !== '/'
    } else if (BLOCKS.has(name)) flush()
  }
  buffer += source.slice(at).replace(/\s+/g, ' ')
  flush()
  return sections
}

/** Runs of spaces and tabs become one space; lines are trimmed; empty lines go. */
function collapse(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n')
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  euro: '€',
  pound: '£',
  middot: '·',
  bull: '•',
  shy: '\u00ad',
}

/** Numeric character references and the common named ones; an unknown name is left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[ref.toLowerCase()] ?? whole
  })
}

/** HTML to plain text, one block a line: for descriptions given only as markup. */
export function htmlToPlain(html: string): string {
  return htmlToSections(html)
    .flatMap((s) => [s.heading ?? '', ...s.paragraphs])
    .filter(Boolean)
    .join('\n\n')
}
