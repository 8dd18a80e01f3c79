// Agency body markup as a tree of elements and text, parsed by parse5 (the WHATWG HTML parsing
// algorithm, as browsers run it: implied end tags, attribute values holding ">", raw-text
// elements, comments), then reduced to what a body's text needs: element names, attributes,
// children and text. Nothing it returns is ever rendered.
import { defaultTreeAdapter, html as spec, parseFragment } from 'parse5'
import type { DefaultTreeAdapterTypes as T } from 'parse5'

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
  const root: HtmlNode[] = []
  // Walked in document order without recursion: parse5's tree is as deep as the markup.
  const stack = [{ nodes: childrenOf(parseFragment(BODY, html, {})), next: 0, into: root }]
  while (stack.length) {
    const top = stack[stack.length - 1]!
    const node = top.nodes[top.next++]
    if (!node) {
      stack.pop()
    } else if (node.nodeName === '#text') {
      top.into.push({ kind: 'text', text: (node as T.TextNode).value })
    } else if ('tagName' in node) {
      const el: HtmlElement = { kind: 'element', name: localName(node.tagName), attrs: {}, children: [] }
      for (const { name, value } of node.attrs) if (!(name in el.attrs)) el.attrs[name] = value
      top.into.push(el)
      stack.push({ nodes: childrenOf(node), next: 0, into: stack.length < MAX_DEPTH ? el.children : top.into })
    }
  }
  return root
}

/** A body's content is parsed as in a body: a stray table part is ignored, as browsers ignore it. */
const BODY = defaultTreeAdapter.createElement('body', spec.NS.HTML, [])

/** A template's content is its children, as the text of the body goes. */
const childrenOf = (node: T.ParentNode): T.ChildNode[] =>
  node.nodeName === 'template' ? (node as T.Template).content.childNodes : node.childNodes

/** Without a namespace prefix (XHTML's html:p is p), but for Word's o:p, which is no paragraph. */
const localName = (name: string) => name.replace(/^(?!o:)[^:]*:/, '')

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
