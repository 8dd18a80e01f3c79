// Agency body markup as a tree of elements and text, read by the rules of HTML syntax that decide
// where text stands and which element holds it: attribute values (quoted ones may hold ">"),
// comments, CDATA, doctypes, raw-text elements (script, style…), void elements, self-closing tags
// (XHTML bodies use them), and the end tags HTML implies (a block closes an open p, an li the li
// before it). Not a general HTML5 parser: no foreign content, no table fostering, no encoding
// sniffing; nothing it returns is ever rendered. The project has no HTML parser among its
// dependencies, and this is all a body's text needs.

export interface HtmlElement {
  kind: 'element'
  /** lower case, without a namespace prefix (XHTML's html:p is p) */
  name: string
  /** names lower case, values with character references decoded */
  attrs: Record<string, string>
  children: HtmlNode[]
}
export interface HtmlText {
  kind: 'text'
  /** as written, character references decoded; white space not yet collapsed */
  text: string
}
export type HtmlNode = HtmlElement | HtmlText

// elements that never have content
const VOID = new Set('area base br col embed hr img input link meta source track wbr'.split(' '))
// elements whose content is text up to their end tag, not markup
const RAW = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes'])
// start tags that close an open p (HTML's list)
const CLOSES_P = new Set(
  (
    'address article aside blockquote center details dialog dir div dl dd dt fieldset figcaption figure footer ' +
    'form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre search section summary table ul'
  ).split(' '),
)
// the elements a p may not be closed across (HTML's "button scope", less what bodies do not hold)
const P_SCOPE = ['table', 'td', 'th', 'caption', 'button', 'object', 'template']
// start tags that close an open element of their kind, and the elements that bound the search
const SIBLINGS: Record<string, { closes: string[]; within: string[] }> = {
  li: { closes: ['li'], within: ['ul', 'ol', 'menu', 'table'] },
  dd: { closes: ['dd', 'dt'], within: ['dl', 'table'] },
  dt: { closes: ['dd', 'dt'], within: ['dl', 'table'] },
  tr: { closes: ['tr', 'td', 'th'], within: ['table', 'thead', 'tbody', 'tfoot'] },
  td: { closes: ['td', 'th'], within: ['tr', 'table'] },
  th: { closes: ['td', 'th'], within: ['tr', 'table'] },
}
export const HEADING = /^h[1-6]$/
// Elements whose edges end one block of text and start the next (headings too). An inline
// element's edges are no boundary: "<b>S</b>tockholm" is one word, as a browser shows it.
export const BLOCKS = new Set(
  (
    'address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption ' +
    'figure footer form header hgroup hr html legend li main menu nav ol p pre search section summary table ' +
    'tbody td tfoot th thead tr ul'
  ).split(' '),
)
export const isBlock = (name: string) => BLOCKS.has(name) || HEADING.test(name)
// Elements nest at most this deep (as in Blink's parser): deeper ones are added empty and their
// content follows them, so that the tree's readers, which recurse, have a bounded depth.
const MAX_DEPTH = 512

/** The nodes of an HTML fragment (or document: html, head and body are elements like others). */
export function parseHtml(html: string): HtmlNode[] {
  const root: HtmlElement = { kind: 'element', name: '#root', attrs: {}, children: [] }
  const open: HtmlElement[] = [root]
  const current = () => open[open.length - 1]!
  const addText = (text: string) => {
    if (text) current().children.push({ kind: 'text', text })
  }
  /** Closes the nearest open element `closes` names, unless one `within` names comes first; true if one was. */
  const closeNearest = (closes: (name: string) => boolean, within: (name: string) => boolean = () => false) => {
    for (let i = open.length - 1; i > 0; i--) {
      if (closes(open[i]!.name)) return open.splice(i).length > 0
      if (within(open[i]!.name)) return false
    }
    return false
  }
  let at = 0
  while (at < html.length) {
    const lt = html.indexOf('<', at)
    if (lt < 0) break
    addText(decodeEntities(html.slice(at, lt)))
    at = lt
    if (html.startsWith('<!--', at)) {
      at = endOf(html, '-->', at + 4)
    } else if (html.startsWith('<![CDATA[', at)) {
      const end = html.indexOf(']]>', at + 9)
      addText(html.slice(at + 9, end < 0 ? html.length : end))
      at = end < 0 ? html.length : end + 3
    } else if (html[at + 1] === '!' || html[at + 1] === '?') {
      // a doctype, an XML declaration or processing instruction: no text of the body
      at = endOf(html, '>', at + 2)
    } else {
      const tag = readTag(html, at)
      if (!tag) {
        // a "<" that starts no tag is text
        addText('<')
        at += 1
        continue
      }
      at = tag.end
      const { name } = tag
      if (tag.closing && name !== 'br') {
        // an inline element's end tag closes no block: it is ignored when one comes first, as in
        // HTML; a block's end tag with nothing to close still ends the text before it (an empty block)
        if (!isBlock(name)) closeNearest(named(name), isBlock)
        else if (!closeNearest(HEADING.test(name) ? (n) => HEADING.test(n) : named(name))) {
          current().children.push(element(name, {}))
        }
        continue
      }
      if (CLOSES_P.has(name)) closeNearest(named('p'), named(...P_SCOPE))
      const siblings = SIBLINGS[name]
      if (siblings) closeNearest(named(...siblings.closes), named(...siblings.within))
      if (HEADING.test(name) && HEADING.test(current().name)) open.pop()
      const el = element(name, tag.attrs)
      current().children.push(el)
      if (RAW.has(name) && !tag.selfClosing) {
        const endTag = new RegExp(`</${name}[\\s/>]`, 'gi')
        endTag.lastIndex = at
        const end = endTag.exec(html)?.index ?? html.length
        const content = html.slice(at, end)
        el.children.push({
          kind: 'text',
          text: name === 'textarea' || name === 'title' ? decodeEntities(content) : content,
        })
        at = endOf(html, '>', end)
      } else if (!VOID.has(name) && !tag.selfClosing && open.length < MAX_DEPTH) {
        open.push(el)
      }
    }
  }
  addText(decodeEntities(html.slice(at)))
  return root.children
}

/** A test of an element's name: one of `names`. */
function named(...names: string[]) {
  return (name: string) => names.includes(name)
}

const element = (name: string, attrs: Record<string, string>): HtmlElement => ({
  kind: 'element',
  name,
  attrs,
  children: [],
})

/** Where the first `marker` after `from` ends; the end of the text when there is none. */
function endOf(html: string, marker: string, from: number): number {
  const end = html.indexOf(marker, from)
  return end < 0 ? html.length : end + marker.length
}

const SPACE = /[\t\n\f\r ]/

/** The tag starting at `at` ("<"), as HTML tokenizes it; null when a "<" starts no tag. */
function readTag(html: string, at: number) {
  let i = at + 1
  const closing = html[i] === '/'
  if (closing) i++
  if (!/[a-zA-Z]/.test(html[i] ?? '')) return null
  const start = i
  while (i < html.length && !SPACE.test(html[i]!) && html[i] !== '/' && html[i] !== '>') i++
  // a namespace prefix goes (XHTML's html:p is p), but for Word's o:p, which is no paragraph
  const name = html
    .slice(start, i)
    .toLowerCase()
    .replace(/^(?!o:)[^:]*:/, '')
  const attrs: Record<string, string> = {}
  let selfClosing = false
  while (i < html.length) {
    const c = html[i]!
    if (c === '>') return { name, attrs, closing, selfClosing, end: i + 1 }
    selfClosing = c === '/' && html[i + 1] === '>'
    if (SPACE.test(c) || c === '/') {
      i++
      continue
    }
    // an attribute: its name (which may start with "="), then "=" and a value, quoted or not
    const nameStart = i++
    while (i < html.length && !SPACE.test(html[i]!) && !'/>='.includes(html[i]!)) i++
    const key = html.slice(nameStart, i).toLowerCase()
    while (SPACE.test(html[i] ?? '')) i++
    let value = ''
    if (html[i] === '=') {
      i++
      while (SPACE.test(html[i] ?? '')) i++
      const quote = html[i]
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, i + 1)
        value = html.slice(i + 1, end < 0 ? html.length : end)
        i = end < 0 ? html.length : end + 1
      } else {
        const valueStart = i
        while (i < html.length && !SPACE.test(html[i]!) && html[i] !== '>') i++
        value = html.slice(valueStart, i)
      }
    }
    if (!(key in attrs)) attrs[key] = decodeEntities(value)
  }
  // the text ended inside the tag: HTML drops such a tag
  return { name, attrs, closing, selfClosing, end: html.length }
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
