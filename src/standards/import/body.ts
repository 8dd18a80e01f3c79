// What an agency's HTML body marks that is not text of the story, taken out of the text as it is
// read: figures (a picture, its caption and its credit) for the photo, the byline for the
// contributors, the dateline for a place. Where each goes is photo.ts's and story.ts's business.
import { LIMITS } from '../../resolvers/validation.js'
import { htmlToSections, nodesToSections, nodesToText, type Claim, type Section } from '../text.js'
import type { HtmlElement, HtmlNode } from './html.js'

/** A figure of the body: its picture (an img's attributes as written), caption and credit. */
export interface Figure {
  caption: string | null
  credit: string | null
  altText: string | null
  src: string | null
  width: string | null
  height: string | null
}

export interface HtmlBody {
  sections: Section[]
  figures: Figure[]
  /** the text of each element marked as a byline that names someone */
  bylines: string[]
  /** the place each element marked as a dateline names ("STOCKHOLM (TT)": Stockholm) */
  datelines: string[]
}

// what marks an element, by a class (tt-byline, photo-credit…) or by its name (NITF's <byline>)
const BYLINE = /byline/
const DATELINE = /dateline/
const CREDIT = /byline|credit|photographer|copyright/

function marked(el: HtmlElement, mark: RegExp): boolean {
  const classes = (el.attrs.class ?? '').toLowerCase().split(/\s+/)
  return mark.test(el.name) || classes.some((c) => c && mark.test(c))
}

/**
 * The body's text, and what its markup marks: figures (and pictures outside one), bylines and
 * datelines. A byline that names no one or a dateline that names no place stays in the text, and
 * so does a figure whose caption or credit is too long to keep with a photo.
 */
export function readHtmlBody(html: string): HtmlBody {
  const figures: Figure[] = []
  const bylines: string[] = []
  const datelines: string[] = []
  const claim: Claim = (el) => {
    if (el.name === 'figure' || el.name === 'img') {
      const figure = figureOf(el)
      if (figure && (figure.src || figure.caption || figure.credit || figure.altText)) figures.push(figure)
      return figure !== null
    }
    const byline = marked(el, BYLINE)
    if (!byline && !marked(el, DATELINE)) return false
    const text = nodesToText([el])
    // what names no one, or no place, is text of the story after all
    const place = byline ? null : datelinePlace(text)
    if (byline && text.length <= LIMITS.byline && bylineNames(text).length) bylines.push(text)
    else if (place) datelines.push(place)
    else return text === ''
    return true
  }
  return { sections: htmlToSections(html, claim), figures, bylines, datelines }
}

// An agency's photo credit: "Karl Melander/TT", "K. Melander/AP/TT", "Frances d'Emilio/AP" (a name
// of up to six capitalised words or particles, then agencies after slashes), or anything after a
// label ("Foto: Karl Melander/TT").
const NAME_WORD = String.raw`(?:\p{Lu}\.|\p{Lu}[\p{L}\p{M}'’-]*|\p{Ll}{1,3}['’]\p{Lu}[\p{L}\p{M}'’-]*|van|von|de|der|den|af|da|di|del|la|le|du|dos|ter|ten|bin|al)`
const CREDIT_SHAPE = new RegExp(
  String.raw`^${NAME_WORD}(?:\s${NAME_WORD}){0,5}\s?(?:\/\s?[\p{Lu}\d][\p{L}\p{M}\d&'’ .-]{0,40})+$`,
  'u',
)
const LABEL = String.raw`(?:foto|photo|bild|kuva|photograph|credit)\s*:\s*\S`
const LABELLED = new RegExp(`^${LABEL}`, 'iu')
const ENDS_LABELLED = new RegExp(`^(.*?\\S)\\s+(${LABEL}.*)$`, 'iu')
const isCredit = (text: string) => text.length <= LIMITS.creditLine && (CREDIT_SHAPE.test(text) || LABELLED.test(text))

/** A figure (or a lone img): null when its caption or credit is too long to keep with a photo. */
function figureOf(el: HtmlElement): Figure | null {
  const img = el.name === 'img' ? el : find(el.children, (e) => e.name === 'img')
  // where a credit stands: the figure's own elements and its caption's
  const caption = find(el.children, (e) => e.name === 'figcaption')
  const places = new Set([...el.children, ...(caption?.children ?? [])])
  let credit: string | null = null
  // the picture is no text; the credit is the element marked or shaped as one
  const claim: Claim = (e) => {
    if (e.name === 'img') return true
    if (credit !== null || !(marked(e, CREDIT) || places.has(e))) return false
    const text = nodesToText([e])
    if (marked(e, CREDIT) || isCredit(text)) credit = text || null
    return credit !== null
  }
  const lines = nodesToSections(el.children, claim)
    .flatMap((s) => [s.heading ?? '', ...s.paragraphs])
    .flatMap((p) => p.split('\n'))
    .filter(Boolean)
  let text = lines.join(' ')
  if (credit === null) [text, credit] = trailingCredit(lines)
  if (text.length > LIMITS.caption || (credit?.length ?? 0) > LIMITS.creditLine) return null
  const attr = (name: string) => img?.attrs[name]?.trim() || null
  return {
    caption: text || null,
    credit,
    altText: attr('alt'),
    src: attr('src'),
    width: attr('width'),
    height: attr('height'),
  }
}

/** A credit at the end of a caption: its last line, what follows "Foto:", or its last sentences. */
function trailingCredit(lines: string[]): [string, string | null] {
  const last = lines[lines.length - 1] ?? ''
  if (lines.length > 1 && isCredit(last)) return [lines.slice(0, -1).join(' '), last]
  const caption = lines.join(' ')
  const labelled = ENDS_LABELLED.exec(caption)
  if (labelled && isCredit(labelled[2]!)) return [labelled[1]!, labelled[2]!]
  for (const end of caption.matchAll(/[.!?…]\s+/gu)) {
    const rest = caption.slice(end.index + end[0].length)
    if (isCredit(rest)) return [caption.slice(0, end.index + 1), rest]
  }
  return [caption, null]
}

function find(nodes: HtmlNode[], test: (e: HtmlElement) => boolean): HtmlElement | null {
  for (const node of nodes) {
    if (node.kind !== 'element') continue
    if (test(node)) return node
    const found = find(node.children, test)
    if (found) return found
  }
  return null
}

/**
 * The names a byline credits: "Anna Lindqvist/TT" is Anna Lindqvist and TT; "By A and B", A and B.
 * A name is capitalised and of a few words; a byline with anything else in it names no one.
 */
export function bylineNames(byline: string): string[] {
  const names = byline
    .replace(/^(?:by|av|par|por|text|texte|tekst)\b\s*:?\s*/iu, '')
    .split(/\s*[/,;&]\s*|\s+(?:and|och|og|und|et|e|y|ja)\s+/iu)
    .map((name) => name.trim())
  const named = names.every((n) => /^\p{Lu}/u.test(n) && n.split(/\s+/).length <= 6 && n.length <= LIMITS.name)
  return named ? names : []
}

/**
 * The place a dateline names: "STOCKHOLM (TT)" is Stockholm, "GROSSETO, Italy (AP) --" Grosseto;
 * null when it names none (a date, say) or is too long to be a dateline. Agencies write the place
 * in capitals: a word all in capitals is written as a name is.
 */
export function datelinePlace(dateline: string): string | null {
  const head = dateline
    .replace(/\([^)]*\)/g, ' ')
    .split(/,|\s[-–—]|[-–—]{2}/)[0]!
    .replace(/\s+/g, ' ')
    .trim()
  // a dateline is short: a place of a few words, perhaps a date and the agency
  if (!head || /\d/.test(head) || head.split(' ').length > 4 || dateline.length > 100) return null
  return head.replace(/\p{L}+/gu, (word) =>
    word === word.toUpperCase() && word.length > 1 ? word[0] + word.slice(1).toLowerCase() : word,
  )
}
