// A story's photo from a ninjs item: a media item's own picture renditions, or a text item's first
// associated picture, with the caption, credit line, alt text and copyright that go with it; and
// what a figure in the body adds (the photo itself, when the item has no other).
import type { Photo, Rendition } from '../../resolvers/story-writes.js'
import { LIMITS, MIME } from '../../resolvers/validation.js'
import { copyrightNotice } from '../common.js'
import { htmlToPlain } from '../text.js'
import { escapePointer } from '../validate.js'
import { entries, type List, type NinjsAssociation, type NinjsItem, type NinjsRendition } from './document.js'
import { bounded, lower, type ImportRun } from './run.js'
import type { BodyText, Descriptions } from './story-text.js'
import { ALT_ROLES, CAPTION_ROLES, CREDIT_ROLES, HTML, isPlain } from './vocabulary.js'

/** A picture, graphic, video or audio item: its own picture renditions, with its caption and credits. */
export function itemPhoto(run: ImportRun, credits: Descriptions, body: BodyText): Photo | null {
  const { doc } = run
  const renditions = pictureRenditions(run, '/renditions', doc.renditions)
  if (!renditions.length) {
    if (!body.figures.length) run.report.add('/renditions', 'no picture rendition with an href: the story has no photo')
    return withFigure(body, null)
  }
  return withFigure(body, {
    caption: credits.caption,
    altText: credits.altText,
    creditLine: credits.creditLine ?? bounded('/by', doc.by, LIMITS.creditLine),
    copyrightHolder: copyright(run, '', doc),
    renditions,
  })
}

const isPicture = (a: NinjsAssociation) => a.type === 'picture' || a.type === 'graphic'
const hasHref = (a: NinjsAssociation) =>
  Array.isArray(a.renditions) && a.renditions.some((r) => typeof r?.href === 'string' && /^https?:\/\//i.test(r.href))

/** A text item: the first associated picture (or graphic) is the story's photo. */
export function associatedPhoto(run: ImportRun, item: Descriptions, body: BodyText): Photo | null {
  const { doc, report } = run
  const list = entries(doc.associations)
  // the first picture that can be shown: one with a rendition to fetch
  const index = list.findIndex((a) => !!a && isPicture(a) && hasHref(a))
  list.forEach((a, i) => {
    if (!a || i === index) return
    const reason = !isPicture(a)
      ? `not stored: associated ${a.type ? `${a.type} items` : 'items'} are not kept with a story; import the item on its own`
      : !hasHref(a)
        ? 'not stored: the picture has no rendition with an http(s) href'
        : 'not stored: a story keeps one picture, the first'
    report.add(`/associations/${i}`, reason)
  })
  const ownCopyright = 'not stored: a story has no copyright of its own; its picture has'
  if (doc.copyrightHolder !== undefined) report.add('/copyrightHolder', ownCopyright)
  if (doc.copyrightNotice !== undefined) report.add('/copyrightNotice', ownCopyright)
  if (index < 0) {
    // an item without a type that carries picture renditions (a logo, say): those are its picture
    const renditions = doc.renditions ? pictureRenditions(run, '/renditions', doc.renditions) : []
    if (doc.renditions && !renditions.length) {
      report.add('/renditions', 'not stored: a story keeps the renditions of its picture only')
    }
    if (renditions.length || body.figures.length) {
      const own = { caption: null, altText: item.altText, creditLine: item.creditLine, copyrightHolder: null }
      return withFigure(body, { ...own, renditions })
    }
    for (const pointer of item.pointers) report.add(pointer, 'not stored: the story has no picture to credit')
    return null
  }
  // the picture's credits are its own, in the association
  for (const pointer of item.pointers) {
    report.add(pointer, 'not stored: the picture’s credits are read from its association')
  }
  return withFigure(body, picture(run, list[index]!, `/associations/${index}`))
}

/**
 * The photo with what the body's first figure gives: the caption, credit and alternative text it
 * lacks, and the figure's picture (its img, at an http(s) URL) when it has no rendition; or, when
 * there is no photo, all of that on its own. A story keeps one picture: other figures are noted.
 */
function withFigure(body: BodyText, photo: Photo | null): Photo | null {
  const [figure, ...others] = body.figures
  if (others.length) body.notes.push('not stored: the other figures (a story keeps one picture)')
  if (!figure) return photo
  const altText = figure.altText && figure.altText.length <= LIMITS.altText ? figure.altText : null
  if (figure.altText && !altText) body.notes.push('not stored: the figure’s alternative text is too long')
  const own = photo ?? { caption: null, altText: null, creditLine: null, copyrightHolder: null, renditions: [] }
  let { renditions } = own
  if (!renditions.length) {
    const { src, width, height } = figure
    const href = src && /^https?:\/\//i.test(src) && src.length <= LIMITS.href ? src : null
    if (src && !href) body.notes.push('not stored: the figure’s picture is not at an http(s) URL')
    if (href)
      renditions = [{ name: 'figure', href, mimeType: null, width: size(Number(width)), height: size(Number(height)) }]
  }
  return {
    ...own,
    caption: own.caption ?? figure.caption,
    creditLine: own.creditLine ?? figure.credit,
    altText: own.altText ?? altText,
    renditions,
  }
}

const ASSOCIATION_KEYS = new Set([
  'name',
  'rel',
  'uri',
  'type',
  'renditions',
  'descriptions',
  'headlines',
  'by',
  'copyrightHolder',
  'copyrightNotice',
])

/** The associated picture at `base`, with its own descriptions and credits. */
function picture(run: ImportRun, a: NinjsAssociation, base: string): Photo {
  const { report } = run
  const renditions = pictureRenditions(run, `${base}/renditions`, a.renditions)
  let caption: string | null = null
  let creditLine: string | null = null
  let altText: string | null = null
  entries(a.descriptions).forEach((d, i) => {
    const pointer = `${base}/descriptions/${i}`
    const role = lower(d?.role) ?? ''
    if (!d || !(isPlain(d.contentType) || HTML.test(d.contentType ?? ''))) return report.add(pointer, 'not stored')
    const value = HTML.test(d.contentType ?? '') ? htmlToPlain(d.value) : d.value
    if (CREDIT_ROLES.has(role)) creditLine ??= bounded(`${pointer}/value`, value, LIMITS.creditLine)
    else if (ALT_ROLES.has(role)) altText ??= bounded(`${pointer}/value`, value, LIMITS.altText)
    else if (CAPTION_ROLES.has(role || undefined) && caption === null) {
      caption = bounded(`${pointer}/value`, value, LIMITS.caption)
    } else {
      report.add(pointer, 'not stored: the picture keeps one caption, one credit line and one alternative text')
    }
  })
  const headline = Array.isArray(a.headlines) ? a.headlines.find((h) => h?.value) : null
  if (headline) {
    if (caption === null) caption = bounded(`${base}/headlines/0/value`, headline.value, LIMITS.caption)
    else report.add(`${base}/headlines`, 'not stored: the picture keeps its caption')
  }
  for (const key of Object.keys(a)) {
    if (ASSOCIATION_KEYS.has(key) || a[key] === undefined) continue
    report.add(`${base}/${escapePointer(key)}`, 'not stored with the picture')
  }
  return {
    caption,
    altText,
    creditLine: creditLine ?? bounded(`${base}/by`, a.by, LIMITS.creditLine),
    copyrightHolder: copyright(run, base, a),
    renditions,
  }
}

/** copyrightHolder, else a short copyrightNotice; a notice that says more than the holder is reported. */
function copyright(
  run: ImportRun,
  base: string,
  item: Pick<NinjsItem, 'copyrightHolder' | 'copyrightNotice'>,
): string | null {
  const holder = bounded(`${base}/copyrightHolder`, item.copyrightHolder, LIMITS.copyrightHolder)
  const notice = typeof item.copyrightNotice === 'string' ? item.copyrightNotice.trim() : null
  if (holder) {
    if (notice && notice !== copyrightNotice(holder)) {
      run.report.add(`${base}/copyrightNotice`, 'not stored: the picture keeps its copyright holder')
    }
    return holder
  }
  if (!notice) return null
  if (notice.length <= LIMITS.copyrightHolder) return notice
  const reason = `not stored: longer than the ${LIMITS.copyrightHolder} characters a copyright holder may have`
  run.report.add(`${base}/copyrightNotice`, reason)
  return null
}

const RENDITION_KEYS = ['name', 'href', 'contentType', 'width', 'height']

/** A width or height a rendition may have, else null. */
const size = (v: unknown) =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= LIMITS.pixels ? (v as number) : null

/** The picture renditions among `list`: with an http(s) href, at most LIMITS.renditions, each name once. */
function pictureRenditions(run: ImportRun, base: string, list: List<NinjsRendition> | undefined): Rendition[] {
  if (!Array.isArray(list)) return []
  const { report } = run
  const kept: Rendition[] = []
  list.forEach((r, i) => {
    if (!r) return
    const pointer = `${base}/${i}`
    const type = typeof r.contentType === 'string' ? r.contentType.trim() : null
    if (type && !/^image\//i.test(type)) {
      return report.add(pointer, `not stored: only picture renditions are kept (this one is ${type})`)
    }
    if (typeof r.href !== 'string' || !/^https?:\/\//i.test(r.href))
      return report.add(pointer, 'not stored: no http(s) href')
    if (r.href.length > LIMITS.href) {
      return report.add(pointer, `not stored: an href of at most ${LIMITS.href} characters is kept`)
    }
    const name = String(r.name).trim().slice(0, LIMITS.renditionName) || `rendition-${i + 1}`
    if (kept.some((k) => k.name === name)) return report.add(pointer, 'not stored: another rendition has this name')
    if (kept.length >= LIMITS.renditions) {
      return report.add(pointer, `not stored: a picture keeps at most ${LIMITS.renditions} renditions`)
    }
    if (type && !MIME.test(type)) report.add(`${pointer}/contentType`, 'not stored: not a media type')
    const mimeType = type && MIME.test(type) ? type : null
    kept.push({ name, href: r.href, mimeType, width: size(r.width), height: size(r.height) })
    for (const key of Object.keys(r)) {
      if (!RENDITION_KEYS.includes(key)) report.add(`${pointer}/${escapePointer(key)}`, 'not stored with the rendition')
    }
  })
  return kept
}
