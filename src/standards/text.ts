// A story's body between our sections (a heading and paragraphs each) and the text/plain and
// text/html bodies of ninjs. The HTML read here is agency body markup, parsed by import/html.ts:
// blocks (p, h1–h6, li, blockquote…) become paragraphs and headings, inline markup is dropped, and
// the words keep the boundaries the markup gives them. Nothing it returns is ever rendered here.
import { HEADING, isBlock, parseHtml, type HtmlElement, type HtmlNode } from './import/html.js'

export { decodeEntities } from './import/html.js'

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

// Elements whose content is not text of the story.
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'template'])

/**
 * Takes an element out of the text (a figure, a byline…) when it returns true: its place is then a
 * block's edge, or a space within a line, so the words either side stay apart.
 */
export type Claim = (element: HtmlElement) => boolean

/** HTML into sections: a heading starts a section; blocks before the first heading form one without. */
export function htmlToSections(html: string, claim?: Claim): Section[] {
  return nodesToSections(parseHtml(html), claim)
}

/** Nodes of parsed HTML into sections, as htmlToSections. */
export function nodesToSections(nodes: HtmlNode[], claim: Claim = () => false): Section[] {
  const sections: Section[] = []
  let current: Section | null = null
  let buffer = ''
  let inHeading = false
  const flush = () => {
    const text = collapse(buffer)
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
  const walk = (node: HtmlNode) => {
    // in HTML a line end is a space; only <br> breaks a line
    if (node.kind === 'text') return void (buffer += node.text.replace(/\s+/g, ' '))
    const { name } = node
    if (SKIPPED.has(name)) return
    const block = isBlock(name)
    if (claim(node)) return block ? flush() : void (buffer += ' ')
    if (name === 'br') return void (buffer += '\n')
    if (block) flush()
    const wasHeading = inHeading
    if (HEADING.test(name)) inHeading = true
    node.children.forEach(walk)
    if (block) flush()
    inHeading = wasHeading
  }
  nodes.forEach(walk)
  flush()
  return sections
}

/** The text of nodes, their blocks and lines apart by a space. */
export const nodesToText = (nodes: HtmlNode[], claim?: Claim): string =>
  nodesToSections(nodes, claim)
    .flatMap((s) => [s.heading ?? '', ...s.paragraphs])
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()

/** Runs of spaces and tabs become one space; lines are trimmed; empty lines go. */
function collapse(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n')
}

/** HTML to plain text, one block a line: for descriptions given only as markup. */
export function htmlToPlain(html: string): string {
  return htmlToSections(html)
    .flatMap((s) => [s.heading ?? '', ...s.paragraphs])
    .filter(Boolean)
    .join('\n\n')
}
