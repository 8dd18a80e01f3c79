// The text of a story from a ninjs item: its headlines, its descriptions (lede, edition note,
// withdrawal, and a picture's caption and credits) and its body, with what the body's markup
// marks (figures, bylines, datelines: body.ts). Markup is read as text, and whatever has no field
// here is reported.
import type { HeadlineRole } from '../../generated/prisma/enums.js'
import { ValidationError } from '../../resolvers/errors.js'
import { LIMITS } from '../../resolvers/validation.js'
import { htmlToPlain, plainToSections, type Section } from '../text.js'
import { readHtmlBody, type HtmlBody } from './body.js'
import { entries, type ItemKind } from './document.js'
import { bounded, lower, type ImportRun } from './run.js'
import {
  ALT_ROLES,
  CAPTION_ROLES,
  CREDIT_ROLES,
  HEADLINE_ROLES,
  HTML,
  isPlain,
  LEDE_ROLES,
  MAIN_HEADLINE,
} from './vocabulary.js'

type AlternativeHeadline = { role: HeadlineRole; value: string }
type Headline = { i: number; role: string | undefined; value: string }

export function headlines(
  run: ImportRun,
  sections: Section[],
): { headline: string; alternativeHeadlines: AlternativeHeadline[] } {
  const { doc, report } = run
  const list = entries(doc.headlines)
  const texts = list.map((h, i) => {
    if (!h) return null
    const value = HTML.test(h.contentType ?? '') ? htmlToPlain(h.value) : h.value
    return { i, role: lower(h.role), value: bounded(`/headlines/${i}/value`, value, LIMITS.headline) }
  })
  const present = texts.filter((t): t is Headline => t !== null && t.value !== null)
  const main = present.find((t) => MAIN_HEADLINE.has(t.role)) ?? present[0]
  const alternativeHeadlines: AlternativeHeadline[] = []
  const roles = Object.values(HEADLINE_ROLES).filter(unique).join(', ').toLowerCase()
  for (const t of present) {
    if (t === main) continue
    const role =
      HEADLINE_ROLES[t.role ?? ''] ??
      (alternativeHeadlines.some((h) => h.role === 'ALTERNATIVE') ? undefined : 'ALTERNATIVE')
    if (!role || alternativeHeadlines.some((h) => h.role === role)) {
      report.add(`/headlines/${t.i}`, `not stored: a story keeps one headline of each role (${roles})`)
    } else alternativeHeadlines.push({ role, value: t.value })
  }
  list.forEach((h, i) => {
    if (h && !present.some((t) => t.i === i)) report.add(`/headlines/${i}`, 'empty; ignored')
  })
  if (main) {
    if (typeof doc.title === 'string' && doc.title.trim() && doc.title.trim() !== main.value) {
      report.add('/title', 'not stored: the headline is the story’s title')
    }
    return { headline: main.value, alternativeHeadlines }
  }
  const title = bounded('/title', doc.title, LIMITS.headline)
  if (title) return { headline: title, alternativeHeadlines }
  // an item with a text and nothing to call it by: the start of the text names it
  const first = sections[0]?.heading ?? sections[0]?.paragraphs[0]
  if (first) {
    report.add('/headlines', 'missing: the headline was taken from the start of the body')
    return { headline: shorten(first, LIMITS.headline), alternativeHeadlines }
  }
  throw new ValidationError([
    { field: '/headlines', message: 'a story needs a headline: give headlines, a title or a body' },
  ])
}

/** What the item's own descriptions give. */
export interface Descriptions {
  lede: string | null
  editionNote: string | null
  withdrawal: string | null
  caption: string | null
  creditLine: string | null
  altText: string | null
  /** where the picture's credit and alt text were, for a story whose picture has its own */
  pointers: string[]
}

export function descriptions(run: ImportRun, kind: ItemKind): Descriptions {
  const { report } = run
  const out: Descriptions = {
    lede: null,
    editionNote: null,
    withdrawal: null,
    caption: null,
    creditLine: null,
    altText: null,
    pointers: [],
  }
  const list = entries(run.doc.descriptions)
  list.forEach((d, i) => {
    if (!d) return
    const pointer = `/descriptions/${i}`
    const role = lower(d.role)
    const html = HTML.test(d.contentType ?? '')
    if (!html && !isPlain(d.contentType)) {
      return report.add(pointer, `not stored: descriptions are kept as text, not ${d.contentType}`)
    }
    const value = html ? htmlToPlain(d.value) : d.value
    const take = (key: Exclude<keyof Descriptions, 'pointers'>, max: number) => {
      if (out[key] !== null) {
        const why = html
          ? 'another rendering of a description already taken; ignored'
          : `not stored: a ${key} was already taken from an earlier description`
        return report.add(pointer, why)
      }
      out[key] = bounded(`${pointer}/value`, value, max)
    }
    if (role === 'editionnote') take('editionNote', LIMITS.editionNote)
    else if (role === 'withdrawal') take('withdrawal', LIMITS.withdrawalReason)
    else if (CREDIT_ROLES.has(role ?? '')) take('creditLine', LIMITS.creditLine)
    else if (ALT_ROLES.has(role ?? '')) take('altText', LIMITS.altText)
    else if (kind === 'media' && CAPTION_ROLES.has(role)) take('caption', LIMITS.caption)
    else if (kind !== 'media' && LEDE_ROLES.has(role)) take('lede', LIMITS.lede)
    else report.add(pointer, `not stored: no field for a description with the role "${d.role}"`)
  })
  if (kind === 'media') out.lede = out.caption
  const credit = (role: string) => CREDIT_ROLES.has(role) || ALT_ROLES.has(role)
  out.pointers = list
    .map((d, i) => (d && credit(lower(d.role) ?? '') ? `/descriptions/${i}` : null))
    .filter((p) => p !== null)
  return out
}

/** The body read, where it is, and what of its markup is not stored (reported once, at `pointer`). */
export interface BodyText extends HtmlBody {
  pointer: string
  notes: string[]
}

/** The body: the first HTML body (it keeps headings), else the first plain-text one. */
export function body(run: ImportRun): BodyText {
  const list = entries(run.doc.bodies)
  const html = list.findIndex((b) => b && HTML.test(b.contentType ?? ''))
  const plain = list.findIndex((b) => b && isPlain(b.contentType))
  const chosen = html >= 0 ? html : plain
  list.forEach((b, i) => {
    if (!b || i === chosen) return
    const what =
      HTML.test(b.contentType ?? '') || isPlain(b.contentType)
        ? 'another rendering of the body'
        : `a ${b.contentType} body`
    run.report.add(
      `/bodies/${i}`,
      `not stored: ${what}; the ${chosen === html ? 'HTML' : 'plain-text'} body was imported`,
    )
  })
  const pointer = `/bodies/${chosen}/value`
  const none: Omit<BodyText, 'sections'> = { figures: [], bylines: [], datelines: [], pointer, notes: [] }
  if (chosen < 0) return { sections: [], ...none }
  const value = String(list[chosen]!.value)
  const read = chosen === html ? readHtmlBody(value) : { ...none, sections: plainToSections(value) }
  // a long section is continued in sections without a heading
  const sections: Section[] = read.sections.flatMap((s) =>
    chunk(s.paragraphs, LIMITS.paragraphsPerSection).map((paragraphs, n) => ({
      heading: n === 0 ? s.heading : null,
      paragraphs,
    })),
  )
  for (const s of sections) {
    bounded(pointer, s.heading ?? '', LIMITS.sectionHeading)
    for (const p of s.paragraphs) bounded(pointer, p, LIMITS.paragraph)
  }
  if (sections.length > LIMITS.sections) {
    const message = `at most ${LIMITS.sections} sections of up to ${LIMITS.paragraphsPerSection} paragraphs`
    throw new ValidationError([{ field: pointer, message }])
  }
  return { ...read, sections, pointer, notes: [] }
}

const unique = <T>(value: T, index: number, all: T[]) => all.indexOf(value) === index

function chunk<T>(items: T[], size: number): T[][] {
  if (items.length === 0) return [[]]
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max - 1)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`
}
