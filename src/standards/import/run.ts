// One import: the context its steps share (the transaction, the checked document, the report) and
// what every step uses: partial documents, bounded text, the sender's own metadata, slugs, and the
// one change-log row an import leaves.
import type { ChangeEntry, StoryFacts } from '../../live/changes.js'
import { ValidationError } from '../../resolvers/errors.js'
import type { Tx, Written } from '../../resolvers/mutation.js'
import { formatLimit, LIMITS, SLUG } from '../../resolvers/validation.js'
import { escapePointer } from '../validate.js'
import type { NinjsItem, Report, UnsupportedPart } from './document.js'

export interface ImportRun {
  readonly tx: Tx
  readonly doc: NinjsItem
  readonly report: Report
  /** the item's identifier, which a later import of it is found by */
  readonly uri: string
  /** false for a partial document (representationType "partial") */
  readonly full: boolean
}

export function startRun(tx: Tx, doc: NinjsItem, report: Report): ImportRun {
  return { tx, doc, report, uri: String(doc.uri), full: doc.representationType !== 'partial' }
}

export interface ImportOutcome {
  action: 'CREATED' | 'UPDATED'
  uri: string
  /** the story or the event written, by row id */
  storyId: string | null
  eventId: string | null
  unsupported: UnsupportedPart[]
}

/** undefined for a property a partial document does not carry (keep), the value otherwise. */
export function given<T>(run: ImportRun, keys: string[], value: T): T | undefined {
  return run.full || keys.some((k) => run.doc[k] !== undefined) ? value : undefined
}

/** Trimmed text, refused (with its pointer) when longer than the limit; null when empty. */
export function bounded(pointer: string, value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null
  const text = value.trim()
  if (!text) return null
  if (text.length > max) {
    throw new ValidationError([
      { field: pointer, message: `at most ${formatLimit(max)} characters (has ${formatLimit(text.length)})` },
    ])
  }
  return text
}

export const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : undefined)

// ---------------------------------------------------------------------------------------------
// What a story or an event does not read

/** Metadata of the sender that this newsroom keeps for itself. */
const OWN_METADATA: Record<string, string> = {
  version: 'not stored: the version is this newsroom’s own',
  firstCreated: 'not stored: this newsroom keeps its own creation and publication times',
  versionCreated: 'not stored: this newsroom keeps its own creation and publication times',
  contentCreated: 'not stored: this newsroom keeps its own creation and publication times',
  profile: 'not stored',
  located: 'not stored: a dateline has no field here',
  usageTerms: 'not stored: usage terms have no field here',
  rightsInfo: 'not stored: rights expressions have no field here',
  expires: 'not stored',
  objects: 'not stored: only people, organisations, places, events and subjects are linked',
  altIds: 'not stored: the item is known by its uri',
  trustIndicators: 'not stored',
  plannedCoverage: 'not stored: planned coverage has no field here',
  digitalSourceType: 'not stored',
}

/** Reports the sender's own metadata, and every other property of the item that is not `read`. */
export function reportUnread(run: ImportRun, read: Set<string>, what: 'a story' | 'an event') {
  const { doc, report } = run
  for (const [key, reason] of Object.entries(OWN_METADATA)) if (doc[key] !== undefined) report.add(`/${key}`, reason)
  for (const key of Object.keys(doc)) {
    if (!read.has(key) && !(key in OWN_METADATA) && doc[key] !== undefined) {
      report.add(`/${escapePointer(key)}`, `not stored: ${what} has no such field`)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Slugs

// what a slug made here may take of the slug limit: the rest is room for freeSlug's -2, -3 …
const SLUG_STEM = LIMITS.slug - 20

/** A slug made of text: lower-case ASCII letters and digits, single hyphens, at most SLUG_STEM. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length <= SLUG_STEM) return slug
  return slug.slice(0, SLUG_STEM).replace(/-[^-]*$/, '') || slug.slice(0, SLUG_STEM)
}

/** A slugline that already is a slug (ours are) is the slug to give; an agency's "US Pelosi (CR)" is not. */
const slugCandidate = (slugline: unknown) =>
  typeof slugline === 'string' && slugline.length <= SLUG_STEM && SLUG.test(slugline) ? slugline : null

/** The slug of a new story or event: its slugline when that is a slug, else one made of its name. */
export const itemSlug = (run: ImportRun, model: 'story' | 'event', name: string) =>
  freeSlug(run, model, slugCandidate(run.doc.slugline) ?? slugify(name))

/**
 * `base`, or `base-2`, `base-3`… : the first slug no row of the model has. A base made of nothing
 * (a name all punctuation, say) is the model's name and a hash of the item's uri.
 */
export async function freeSlug(
  run: ImportRun,
  model: 'story' | 'person' | 'organisation' | 'place' | 'tag' | 'event',
  base: string,
): Promise<string> {
  const rows = run.tx[model] as unknown as { findMany(args: object): Promise<{ slug: string }[]> }
  const stem = base || `${model}-${hash(run.uri)}`
  const taken = new Set(
    (await rows.findMany({ where: { slug: { startsWith: stem } }, select: { slug: true } })).map((r) => r.slug),
  )
  if (!taken.has(stem)) return stem
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`
}

function hash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h.toString(16).padStart(8, '0')
}

// ---------------------------------------------------------------------------------------------
// The outcome

/** What the import wrote, with what it did not store, and its one change-log row. */
export function outcome(
  run: ImportRun,
  action: ImportOutcome['action'],
  written: { storyId: string } | { eventId: string },
  changes: ChangeEntry[],
): Written<ImportOutcome> {
  return {
    result: { action, uri: run.uri, storyId: null, eventId: null, ...written, unsupported: run.report.list() },
    change: importChange(run, changes, action),
  }
}

/**
 * One change-log row for the whole import: the last write's (a publication is what subscribers
 * wait for), with the topics of every step and where it came from.
 */
function importChange(run: ImportRun, changes: ChangeEntry[], action: ImportOutcome['action']): ChangeEntry {
  // one import, one change: of the last write's kind, touching what any of them touched, with the
  // facts of all of them (the later ones winning), from the status the first started at
  const first = changes[0]!
  const last = changes[changes.length - 1]!
  const imported = { format: 'ninjs', uri: run.uri, action: action.toLowerCase() }
  const facts = Object.assign({}, ...changes.map((c) => c.facts), { imported })
  if (first.objectType === 'Story') (facts as StoryFacts).from = first.facts.from
  return { ...last, topics: [...new Set(changes.flatMap((c) => c.topics))], facts } as ChangeEntry
}
