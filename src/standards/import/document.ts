// Reading a ninjs document: its check against the schema of its version, the kind of item it is,
// and the report of what is not stored. Past checked(), the rest of the importer may rely on the
// document's shape (the types below), and reads nothing it has not been told about.
import { ValidationError, type Issue } from '../../resolvers/errors.js'
import { formatLimit, LIMITS } from '../../resolvers/validation.js'
import { ninjsErrors, pointerOf, type NinjsVersion } from '../validate.js'

// ---------------------------------------------------------------------------------------------
// The document as the importer reads it: what the schema allows, each part optional

/** A list of a checked document: an entry left out is blanked, not spliced out, so pointers stay right. */
export type List<T> = (T | undefined)[]

/** A headline, description or body. */
export interface NinjsText {
  role?: string
  contentType?: string
  value: string
}

/** People, organisations, places, subjects, events, genres, information sources, an organiser. */
export interface NinjsEntity {
  name?: string
  rel?: string
  uri?: string
  literal?: string
  /** an information source's */
  role?: string
  /** an event's */
  id?: string
  contactInfo?: unknown[]
  symbols?: unknown[]
  geoJSON?: { type: string; coordinates?: number[] }
  creator?: string
  relevance?: number
  confidence?: number
}

export interface NinjsRendition {
  name: string
  href?: string
  contentType?: string
  width?: number
  height?: number
}

export interface NinjsEventDetails {
  eventStatus?: string
  dates?: { startDate?: string; endDate?: string; expectedStartDate?: string }
  organiser?: NinjsEntity
}

export interface NinjsItem {
  uri: string
  standard?: { version?: string }
  type?: string
  representationType?: string
  pubStatus?: string
  embargoedUntil?: string
  urgency?: number
  language?: string
  title?: string
  slugline?: string
  by?: string
  edNote?: string
  copyrightHolder?: string
  copyrightNotice?: string
  headlines?: List<NinjsText>
  descriptions?: List<NinjsText>
  bodies?: List<NinjsText>
  renditions?: List<NinjsRendition>
  associations?: List<NinjsAssociation>
  genres?: List<NinjsEntity>
  subjects?: List<NinjsEntity>
  people?: List<NinjsEntity>
  organisations?: List<NinjsEntity>
  places?: List<NinjsEntity>
  events?: List<NinjsEntity>
  infoSources?: List<NinjsEntity>
  eventDetails?: NinjsEventDetails
  /** what the importer only reports (see OWN_METADATA) */
  [key: string]: unknown
}

/** An item in another's associations: an item, named. */
export interface NinjsAssociation extends Partial<NinjsItem> {
  name?: string
  rel?: string
}

/** A list of the document, or none when it has not got one. */
export const entries = <T>(list: List<T> | undefined): List<T> => (Array.isArray(list) ? list : [])

// ---------------------------------------------------------------------------------------------
// The check

/**
 * The document checked against the ninjs schema of its version. Properties ninjs does not know
 * are reported and left out; a value in a bad format is reported and left out where the item
 * stands without it; anything else that breaks the schema refuses the document.
 */
export function checked(document: unknown): { doc: NinjsItem; report: Report } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ValidationError([{ field: '', message: 'not a ninjs document: a JSON object with a uri is expected' }])
  }
  const report = new Report()
  const doc = structuredClone(document) as Record<string, unknown>
  const declared = (doc.standard as { version?: unknown } | undefined)?.version
  if (typeof declared === 'string' && !/^3(\.|$)/.test(declared)) {
    throw new ValidationError([
      { field: '/standard/version', message: `ninjs ${declared} is not supported; this importer reads ninjs 3.x` },
    ])
  }
  const version: NinjsVersion = typeof declared === 'string' && declared.startsWith('3.0') ? '3.0' : '3.1'
  const issues: Issue[] = []
  const drop: string[] = []
  for (const error of ninjsErrors(doc, version)) {
    const pointer = pointerOf(error)
    if (error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties') {
      report.add(pointer, `not part of ninjs ${version}; ignored`)
      drop.push(pointer)
    } else if (error.keyword === 'format' && pointer === '/uri') {
      report.add(pointer, 'not an absolute URI; kept as given to identify the item')
    } else if (error.keyword === 'format' && !/^\/(embargoedUntil|eventDetails)/.test(pointer)) {
      // an entity's uri, a rendition's href: the rest of the entry still says something
      report.add(pointer, `${error.message}; ignored`)
      drop.push(pointer)
    } else {
      issues.push({ field: pointer, message: error.message ?? 'is invalid' })
    }
  }
  if (issues.length) {
    const unique = [...new Map(issues.map((i) => [`${i.field}|${i.message}`, i])).values()].slice(0, 50)
    throw new ValidationError(
      unique.map((i) => ({ ...i, message: `not a valid ninjs ${version} document: ${i.message}` })),
    )
  }
  for (const pointer of drop) removeAt(doc, pointer)
  const uri = String(doc.uri).trim()
  if (!uri || uri.length > LIMITS.uri) {
    throw new ValidationError([
      { field: '/uri', message: `must be 1 to ${formatLimit(LIMITS.uri)} characters: the item’s identifier` },
    ])
  }
  // what the schema allows, less what was dropped: the shape NinjsItem describes
  return { doc: doc as NinjsItem, report }
}

/** Leaves out the value at `pointer`; an entry of a list is blanked (see List). */
function removeAt(doc: Record<string, unknown>, pointer: string) {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
  const last = tokens.pop()
  let at: unknown = doc
  for (const token of tokens) at = (at as Record<string, unknown> | null | undefined)?.[token]
  if (at && last !== undefined && typeof at === 'object') {
    if (Array.isArray(at)) at[Number(last)] = undefined
    else delete (at as Record<string, unknown>)[last]
  }
}

export type ItemKind = 'text' | 'media' | 'event'

export function itemKind(doc: NinjsItem, report: Report): ItemKind {
  switch (doc.type) {
    case 'event':
      return 'event'
    case 'picture':
    case 'graphic':
    case 'video':
    case 'audio':
      return 'media'
    case 'planning':
      throw new ValidationError([
        { field: '/type', message: 'planning items are not supported: import the event or the story itself' },
      ])
    case 'component':
      report.add('/type', 'a component item is imported as a story of its own')
      return 'text'
    case undefined:
      // an item that only describes an event (its dates, its place) is an event
      return doc.eventDetails && !doc.bodies ? 'event' : 'text'
    default:
      return 'text'
  }
}

// ---------------------------------------------------------------------------------------------
// The report

export interface UnsupportedPart {
  /** JSON pointer (RFC 6901) into the document */
  pointer: string
  reason: string
}

/** The parts of the document not stored, each once, in document order. */
export class Report {
  private parts = new Map<string, string>()
  add(pointer: string, reason: string) {
    if (!this.parts.has(pointer)) this.parts.set(pointer, reason)
  }
  list(): UnsupportedPart[] {
    return [...this.parts]
      .map(([pointer, reason]) => ({ pointer, reason }))
      .sort((a, b) => comparePointers(a.pointer, b.pointer))
  }
}

function comparePointers(a: string, b: string): number {
  const ta = a.split('/')
  const tb = b.split('/')
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue
    const na = Number(ta[i])
    const nb = Number(tb[i])
    if (ta[i] !== '' && tb[i] !== '' && Number.isInteger(na) && Number.isInteger(nb)) return na - nb
    return ta[i]! < tb[i]! ? -1 : 1
  }
  return ta.length - tb.length
}
