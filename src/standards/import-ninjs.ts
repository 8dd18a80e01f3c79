// IPTC ninjs 3.x documents into the newsroom, through the same writes as the editors' mutations
// (src/resolvers/story-writes.ts, entity-writes.ts, event-writes.ts) inside runMutation: an import
// leaves a revision, an audit entry and a change-log row like any other write, and nothing when it
// fails. A document is identified by its `uri`: importing the same uri again updates what the
// first import made (a new revision, the version bumped), never a second copy.
//
// How an item maps:
// - text and composite items (and items without a type) become stories; the first picture among
//   the associations becomes the story's photo;
// - picture, graphic, video and audio items become stories too, with the item's picture
//   renditions (for video and audio: its previews and thumbnails) as the photo and its caption as
//   the lede: the model has no picture or video story type, and says so in the report;
// - event items become events (Event.uri), with their dates, status, place and organiser.
// People, organisations, places and subjects (tags) are found by uri (Wikidata ids, sameAs
// links, Media Topic codes, our own urn:uuid), by literal (our slugs) or by name, and created when
// none is found. Whatever of a document is not stored is listed in the result with its JSON
// pointer and the reason, rather than dropped silently; a document that is not ninjs is refused
// with a ValidationError naming the pointer at fault.
import type { Context } from '../context.js'
import type { ContributorRole, EntityRelation, EventStatus, HeadlineRole, ParticipantRole, StoryType } from '../generated/prisma/enums.js'
import { upsertOrganisation, upsertPerson, upsertPlace } from '../resolvers/entity-writes.js'
import { ValidationError, type Issue } from '../resolvers/errors.js'
import { allowedTransitions, BEGUN } from '../resolvers/event-status.js'
import { changeEventStatus, createEvent, updateEvent, type ExpectedStartInput, type ParticipantInput } from '../resolvers/event-writes.js'
import type { ChangeEntry, StoryFacts } from '../live/changes.js'
import { runMutation, type Tx, type Written } from '../resolvers/mutation.js'
import * as stories from '../resolvers/story-writes.js'
import { upsertTag } from '../resolvers/tag-writes.js'
import { effectiveStatus } from '../resolvers/visibility.js'
import { copyrightNotice } from './common.js'
import { ADAPTED_BY_ROLE, GENRES, MEDIATOPIC_URI, SOURCE_ROLE } from './ninjs.js'
import { idOfUrn } from './select.js'
import { decodeEntities, htmlToPlain, htmlToSections, plainToSections, type Section } from './text.js'
import { escapePointer, ninjsErrors, pointerOf, type NinjsVersion } from './validate.js'

export interface UnsupportedPart {
  /** JSON pointer (RFC 6901) into the document */
  pointer: string
  reason: string
}

export interface ImportOutcome {
  action: 'CREATED' | 'UPDATED'
  uri: string
  /** the story or the event written, by row id */
  storyId: string | null
  eventId: string | null
  unsupported: UnsupportedPart[]
}

/** The import as an editor's write: one transaction with its revision, audit entry and change-log row. */
export function runImport(ctx: Context, document: unknown): Promise<ImportOutcome> {
  return runMutation(ctx, 'importNinjs', { document }, (tx) => importNinjs(tx, { actor: ctx.viewer!.sub, requestId: ctx.requestId }, document))
}

export async function importNinjs(tx: Tx, by: stories.Author, document: unknown): Promise<Written<ImportOutcome>> {
  const { doc, report } = checked(document)
  const kind = itemKind(doc, report)
  const run = new ImportRun(tx, doc, report)
  return kind === 'event' ? run.event() : run.story(by, kind)
}

// ---------------------------------------------------------------------------------------------
// The document against the schema

type Json = Record<string, any>

/**
 * The document checked against the ninjs schema of its version. Properties ninjs does not know
 * are reported and left out; a value in a bad format is reported and left out where the item
 * stands without it; anything else that breaks the schema refuses the document.
 */
function checked(document: unknown): { doc: Json; report: Report } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ValidationError([{ field: '', message: 'not a ninjs document: a JSON object with a uri is expected' }])
  }
  const report = new Report()
  const doc = structuredClone(document) as Json
  const declared = doc.standard?.version
  if (typeof declared === 'string' && !/^3(\.|$)/.test(declared)) {
    throw new ValidationError([{ field: '/standard/version', message: `ninjs ${declared} is not supported; this importer reads ninjs 3.x` }])
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
    throw new ValidationError(unique.map((i) => ({ ...i, message: `not a valid ninjs ${version} document: ${i.message}` })))
  }
  // an entry of a list is blanked, not spliced out, so the pointers reported stay right
  for (const pointer of drop) removeAt(doc, pointer)
  const uri = String(doc.uri).trim()
  if (!uri || uri.length > 2_000) throw new ValidationError([{ field: '/uri', message: 'must be 1 to 2,000 characters: the item’s identifier' }])
  return { doc, report }
}

function removeAt(doc: Json, pointer: string) {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
  const last = tokens.pop()
  let at: any = doc
  for (const token of tokens) at = at?.[token]
  if (at && last !== undefined && typeof at === 'object') {
    if (Array.isArray(at)) at[Number(last)] = undefined
    else delete at[last]
  }
}

type ItemKind = 'text' | 'media' | 'event'

function itemKind(doc: Json, report: Report): ItemKind {
  switch (doc.type) {
    case 'event':
      return 'event'
    case 'picture':
    case 'graphic':
    case 'video':
    case 'audio':
      return 'media'
    case 'planning':
      throw new ValidationError([{ field: '/type', message: 'planning items are not supported: import the event or the story itself' }])
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

/** The parts of the document not stored, each once, in document order. */
class Report {
  private parts = new Map<string, string>()
  add(pointer: string, reason: string) {
    if (!this.parts.has(pointer)) this.parts.set(pointer, reason)
  }
  list(): UnsupportedPart[] {
    return [...this.parts].map(([pointer, reason]) => ({ pointer, reason })).sort((a, b) => comparePointers(a.pointer, b.pointer))
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

// ---------------------------------------------------------------------------------------------
// Limits: the same as the editors' inputs (src/schema/story-mutations.ts, entity inputs)

const LIMITS = {
  headline: 300,
  lede: 2_000,
  paragraph: 20_000,
  paragraphsPerSection: 100,
  sections: 200,
  byline: 200,
  editionNote: 1_000,
  editorNote: 5_000,
  caption: 1_000,
  altText: 1_000,
  creditLine: 300,
  copyrightHolder: 300,
  renditions: 20,
  renditionName: 50,
  href: 2_000,
  contributors: 50,
  links: 100,
  tags: 50,
  name: 200,
  eventDescription: 2_000,
  participants: 50,
} as const

/** Trimmed text, refused (with its pointer) when longer than the limit; null when empty. */
function bounded(pointer: string, value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null
  const text = value.trim()
  if (!text) return null
  if (text.length > max) throw new ValidationError([{ field: pointer, message: `at most ${max.toLocaleString('en')} characters (has ${text.length.toLocaleString('en')})` }])
  return text
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/
const MIME = /^[\w.+-]+\/[\w.+-]+$/
const HTML = /html|xhtml/i
const isPlain = (contentType: unknown) => contentType === undefined || /^text\/plain\b/i.test(String(contentType))

/** A slug made of text: lower-case ASCII letters and digits, single hyphens, at most 120. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length <= 100) return slug
  return slug.slice(0, 100).replace(/-[^-]*$/, '') || slug.slice(0, 100)
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** A slugline that already is a slug (ours are) is the slug to give; an agency's "US Pelosi (CR)" is not. */
const slugCandidate = (slugline: unknown) => (typeof slugline === 'string' && slugline.length <= 100 && SLUG.test(slugline) ? slugline : null)

// ---------------------------------------------------------------------------------------------
// One import

const RELATIONS: Record<string, EntityRelation> = { about: 'ABOUT', mentions: 'MENTIONS' }
const HEADLINE_ROLES: Record<string, HeadlineRole> = {
  short: 'SHORT',
  seo: 'SEO',
  social: 'SOCIAL',
  kicker: 'KICKER',
  alternative: 'ALTERNATIVE',
  sub: 'ALTERNATIVE',
  subheadline: 'ALTERNATIVE',
  subtitle: 'ALTERNATIVE',
}
const MAIN_HEADLINE = new Set([undefined, 'main', 'headline', 'simple', 'title'])
// richtext, xhtml, html: the same description again, as markup
const RENDERINGS = ['richtext', 'xhtml', 'html']
const LEDE_ROLES = new Set([undefined, 'summary', 'lede', 'abstract', 'teaser', 'text', 'description', ...RENDERINGS])
const CAPTION_ROLES = new Set([undefined, 'caption', 'text', 'description', 'summary', ...RENDERINGS])
const ALT_ROLES = new Set(['alt', 'alttext', 'alt-text', 'alternative'])
const CONTRIBUTOR_ROLES: Record<string, ContributorRole> = {
  author: 'AUTHOR',
  writer: 'AUTHOR',
  reporter: 'REPORTER',
  photographer: 'PHOTOGRAPHER',
  translator: 'TRANSLATOR',
  adapter: 'ADAPTER',
  editor: 'EDITOR',
}
const PARTICIPANT_ROLES: Record<string, ParticipantRole> = {
  party: 'PARTY',
  mediator: 'MEDIATOR',
  host: 'HOST',
  observer: 'OBSERVER',
  organiser: 'ORGANISER',
  organizer: 'ORGANISER',
}
/** schema.org's event statuses (what our documents give) in ours. */
const SCHEMA_ORG_STATUS: Record<string, EventStatus | null> = {
  EventScheduled: 'SCHEDULED',
  EventRescheduled: 'SCHEDULED',
  EventPostponed: 'POSTPONED',
  EventCancelled: 'CANCELLED',
  EventMovedOnline: null,
}

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

type Photo = stories.Photo

/** What the item's own descriptions give. */
interface Descriptions {
  lede: string | null
  editionNote: string | null
  withdrawal: string | null
  caption: string | null
  creditLine: string | null
  altText: string | null
  /** where the picture's credit and alt text were, for a story whose picture has its own */
  pointers: string[]
}

/** Every property of a ninjs item that a story reads (or reports as its own metadata). */
const STORY_KEYS = new Set([
  'uri', 'standard', 'type', 'representationType', 'pubStatus', 'embargoedUntil', 'urgency', 'language', 'headlines', 'title',
  'descriptions', 'bodies', 'associations', 'renditions', 'copyrightHolder', 'copyrightNotice', 'by', 'edNote', 'genres',
  'subjects', 'people', 'organisations', 'places', 'events', 'infoSources', 'slugline', 'eventDetails',
])

class ImportRun {
  constructor(
    readonly tx: Tx,
    readonly doc: Json,
    readonly report: Report,
  ) {}

  get uri(): string {
    return String(this.doc.uri)
  }

  get full() {
    return this.doc.representationType !== 'partial'
  }

  /** undefined for a property a partial document does not carry (keep), the value otherwise. */
  given<T>(keys: string[], value: T): T | undefined {
    return this.full || keys.some((k) => this.doc[k] !== undefined) ? value : undefined
  }

  // -------------------------------------------------------------------------------------------
  // Stories

  async story(by: stories.Author, kind: 'text' | 'media'): Promise<Written<ImportOutcome>> {
    const { tx, doc } = this
    const existing = await this.findStory()
    for (const [key, reason] of Object.entries(OWN_METADATA)) if (doc[key] !== undefined) this.report.add(`/${key}`, reason)
    for (const key of Object.keys(doc)) {
      if (!STORY_KEYS.has(key) && !(key in OWN_METADATA) && doc[key] !== undefined) this.report.add(`/${escapePointer(key)}`, 'not stored: a story has no such field')
    }
    if (doc.eventDetails) this.report.add('/eventDetails', 'not stored: a story is not an event (import the event item itself)')

    const descriptions = this.descriptions(kind)
    let photo: Photo | null
    if (kind === 'media') {
      this.report.add('/type', `${doc.type === 'audio' ? 'an' : 'a'} ${doc.type} item is stored as a story with its picture as the photo: stories here have no ${doc.type} type`)
      photo = this.itemPhoto(descriptions)
      const associations: unknown[] = Array.isArray(doc.associations) ? doc.associations : []
      associations.forEach((_, i) => this.report.add(`/associations/${i}`, 'not stored: associated items are not kept with a story; import the item on its own'))
    } else {
      photo = this.associatedPhoto(descriptions)
    }
    const sections = this.sections()
    const { headline, alternativeHeadlines } = this.headlines(sections)
    const credits = await this.infoSources()
    const genre = this.genre()

    const language = this.language()
    const patch: stories.StoryPatch = {
      headline,
      alternativeHeadlines: this.given(['headlines'], alternativeHeadlines),
      lede: this.given(['descriptions'], descriptions.lede),
      sections: this.given(['bodies'], sections),
      language: language ?? undefined,
      type: genre ?? undefined,
      urgency: doc.urgency,
      byline: this.given(['by'], bounded('/by', doc.by, LIMITS.byline)),
      editionNote: descriptions.editionNote ?? undefined,
      editorNote: bounded('/edNote', doc.edNote, LIMITS.editorNote) ?? undefined,
      photo: this.given(['associations', 'renditions'], photo),
      contributors: this.given(['infoSources'], credits.contributors),
      tagIds: this.given(['subjects'], await this.tags()),
      people: this.given(['people'], await this.links('people', (e, p) => this.person(e, p))),
      organisations: this.given(['organisations'], await this.links('organisations', (e, p) => this.organisation(e, p))),
      places: this.given(['places'], await this.links('places', (e, p) => this.place(e, p))),
      events: this.given(['events'], await this.eventLinks()),
      sourceOrganisationId: this.given(['infoSources'], credits.sourceOrganisationId),
      adaptedById: this.given(['infoSources'], credits.adaptedById),
    }

    let written: Written<{ id: string }>
    let action: ImportOutcome['action']
    if (existing) {
      action = 'UPDATED'
      if (typeof doc.slugline === 'string' && doc.slugline !== existing.slug) this.report.add('/slugline', 'the story keeps its slug')
      written = await stories.updateStory(tx, by, existing.id, existing.version, patch)
    } else {
      action = 'CREATED'
      const slug = await this.freeSlug('story', slugCandidate(doc.slugline) ?? slugify(headline), 'story')
      written = await stories.createStory(tx, by, { ...patch, slug, headline })
      await tx.story.update({ where: { id: written.result.id }, data: { uri: this.uri } })
    }
    const id = written.result.id
    const changes = [written.change, ...(await this.storyState(by, id, descriptions.withdrawal))]
    return {
      result: { action, uri: this.uri, storyId: id, eventId: null, unsupported: this.report.list() },
      change: importChange(changes, action, this.uri),
    }
  }

  /** The story an earlier import of this uri made, or the story our own urn:uuid names. */
  async findStory() {
    const select = { id: true, slug: true, version: true } as const
    const byUri = await this.tx.story.findUnique({ where: { uri: this.uri }, select })
    if (byUri) return byUri
    const id = idOfUrn(this.uri)
    return id ? this.tx.story.findUnique({ where: { id }, select }) : null
  }

  /**
   * pubStatus (usable, withheld, canceled) and embargoedUntil, through the same writes as
   * publishStory and withdrawStory. What cannot be done to the story as it stands is reported.
   */
  async storyState(by: stories.Author, id: string, withdrawal: string | null): Promise<ChangeEntry[]> {
    const { tx, doc } = this
    const story = await tx.story.findUniqueOrThrow({ where: { id }, select: { version: true, status: true, embargoedUntil: true } })
    const now = new Date()
    const status = effectiveStatus(story, now)
    const embargo = typeof doc.embargoedUntil === 'string' ? new Date(doc.embargoedUntil) : null
    const wanted = doc.pubStatus ?? 'usable'
    if (wanted === 'canceled') {
      if (story.status === 'WITHDRAWN') return []
      const reason = withdrawal ?? 'Canceled by its provider (ninjs pubStatus "canceled").'
      return [(await stories.withdrawStory(tx, by, id, story.version, reason.slice(0, 1_000))).change]
    }
    if (story.status === 'WITHDRAWN') {
      this.report.add('/pubStatus', 'the story is withdrawn, and stays so: publish a new item instead')
      return []
    }
    if (wanted === 'withheld') {
      if (status !== 'DRAFT') this.report.add('/pubStatus', 'the story is already published or scheduled; withdraw it to take it down')
      if (embargo) this.report.add('/embargoedUntil', 'not applied: the item is withheld')
      return []
    }
    if (embargo && embargo > now) {
      if (status === 'PUBLISHED') {
        this.report.add('/embargoedUntil', 'not applied: the story is already public')
        return []
      }
      if (story.embargoedUntil?.getTime() === embargo.getTime()) return []
      return [(await stories.publishStory(tx, by, id, story.version, embargo)).change]
    }
    if (status === 'PUBLISHED') return []
    return [(await stories.publishStory(tx, by, id, story.version, null)).change]
  }

  headlines(sections: Section[]): { headline: string; alternativeHeadlines: { role: HeadlineRole; value: string }[] } {
    const { doc } = this
    const list: Json[] = Array.isArray(doc.headlines) ? doc.headlines : []
    const texts = list.map((h, i) => (h ? { i, role: lower(h.role), value: bounded(`/headlines/${i}/value`, HTML.test(h.contentType ?? '') ? htmlToPlain(h.value) : h.value, LIMITS.headline) } : null))
    const present = texts.filter((t) => t !== null && t.value !== null) as { i: number; role: string | undefined; value: string }[]
    const main = present.find((t) => MAIN_HEADLINE.has(t.role)) ?? present[0]
    const alternativeHeadlines: { role: HeadlineRole; value: string }[] = []
    for (const t of present) {
      if (t === main) continue
      const role = HEADLINE_ROLES[t.role ?? ''] ?? (alternativeHeadlines.some((h) => h.role === 'ALTERNATIVE') ? undefined : 'ALTERNATIVE')
      if (!role || alternativeHeadlines.some((h) => h.role === role)) {
        this.report.add(`/headlines/${t.i}`, `not stored: a story keeps one headline of each role (${Object.values(HEADLINE_ROLES).filter(unique).join(', ').toLowerCase()})`)
      } else alternativeHeadlines.push({ role, value: t.value })
    }
    list.forEach((h, i) => {
      if (h && !present.some((t) => t.i === i)) this.report.add(`/headlines/${i}`, 'empty; ignored')
    })
    if (main) {
      if (typeof doc.title === 'string' && doc.title.trim() && doc.title.trim() !== main.value) {
        this.report.add('/title', 'not stored: the headline is the story’s title')
      }
      return { headline: main.value, alternativeHeadlines }
    }
    const title = bounded('/title', doc.title, LIMITS.headline)
    if (title) return { headline: title, alternativeHeadlines }
    // an item with a text and nothing to call it by: the start of the text names it
    const first = sections[0]?.heading ?? sections[0]?.paragraphs[0]
    if (first) {
      this.report.add('/headlines', 'missing: the headline was taken from the start of the body')
      return { headline: shorten(first, LIMITS.headline), alternativeHeadlines }
    }
    throw new ValidationError([{ field: '/headlines', message: 'a story needs a headline: give headlines, a title or a body' }])
  }

  descriptions(kind: ItemKind): Descriptions {
    const out: Descriptions = { lede: null, editionNote: null, withdrawal: null, caption: null, creditLine: null, altText: null, pointers: [] }
    const list: Json[] = Array.isArray(this.doc.descriptions) ? this.doc.descriptions : []
    list.forEach((d, i) => {
      if (!d) return
      const pointer = `/descriptions/${i}`
      const role = lower(d.role)
      const html = HTML.test(d.contentType ?? '')
      if (!html && !isPlain(d.contentType)) return this.report.add(pointer, `not stored: descriptions are kept as text, not ${d.contentType}`)
      const value = html ? htmlToPlain(d.value) : d.value
      const take = (key: Exclude<keyof Descriptions, 'pointers'>, max: number) => {
        if (out[key] !== null) return this.report.add(pointer, html ? 'another rendering of a description already taken; ignored' : `not stored: a ${key} was already taken from an earlier description`)
        out[key] = bounded(`${pointer}/value`, value, max)
      }
      if (role === 'editionnote') take('editionNote', LIMITS.editionNote)
      else if (role === 'withdrawal') take('withdrawal', 1_000)
      else if (role === 'creditline' || role === 'credit') take('creditLine', LIMITS.creditLine)
      else if (ALT_ROLES.has(role ?? '')) take('altText', LIMITS.altText)
      else if (kind === 'media' && CAPTION_ROLES.has(role)) take('caption', LIMITS.caption)
      else if (kind !== 'media' && LEDE_ROLES.has(role)) take('lede', LIMITS.lede)
      else this.report.add(pointer, `not stored: no field for a description with the role "${d.role}"`)
    })
    if (kind === 'media') out.lede = out.caption
    out.pointers = list.map((d, i) => (d && ['creditline', 'credit', ...ALT_ROLES].includes(lower(d.role) ?? '') ? `/descriptions/${i}` : null)).filter((p) => p !== null)
    return out
  }

  /** The body: the first HTML body (it keeps headings), else the first plain-text one. */
  sections(): Section[] {
    const list: Json[] = Array.isArray(this.doc.bodies) ? this.doc.bodies : []
    const html = list.findIndex((b) => b && HTML.test(b.contentType ?? ''))
    const plain = list.findIndex((b) => b && isPlain(b.contentType))
    const chosen = html >= 0 ? html : plain
    list.forEach((b, i) => {
      if (!b || i === chosen) return
      const what = HTML.test(b.contentType ?? '') || isPlain(b.contentType) ? 'another rendering of the body' : `a ${b.contentType} body`
      this.report.add(`/bodies/${i}`, `not stored: ${what}; the ${chosen === html ? 'HTML' : 'plain-text'} body was imported`)
    })
    if (chosen < 0) return []
    const value = String(list[chosen].value)
    const read = chosen === html ? htmlToSections(value) : plainToSections(value)
    // a long section is continued in sections without a heading
    const sections: Section[] = read.flatMap((s) =>
      chunk(s.paragraphs, LIMITS.paragraphsPerSection).map((paragraphs, n) => ({ heading: n === 0 ? s.heading : null, paragraphs })),
    )
    const pointer = `/bodies/${chosen}/value`
    for (const s of sections) {
      bounded(pointer, s.heading ?? '', 300)
      for (const p of s.paragraphs) bounded(pointer, p, LIMITS.paragraph)
    }
    if (sections.length > LIMITS.sections) throw new ValidationError([{ field: pointer, message: `at most ${LIMITS.sections} sections of up to 100 paragraphs` }])
    return sections
  }

  language(): string | null {
    const value = this.doc.language
    if (value === undefined) return null
    const [primary, ...rest] = String(value).trim().split(/[-_]/)
    const tag = [primary!.toLowerCase(), ...rest.map((r) => (r.length === 2 ? r.toUpperCase() : r))].join('-')
    if (!LANGUAGE.test(tag) || tag.length > 35) throw new ValidationError([{ field: '/language', message: 'must be a BCP 47 language tag, e.g. en or pt-BR' }])
    return tag
  }

  genre(): StoryType | null {
    const list: Json[] = Array.isArray(this.doc.genres) ? this.doc.genres : []
    let type: StoryType | null = null
    list.forEach((g, i) => {
      const names = [g?.literal, g?.name].filter((v) => typeof v === 'string').map((v: string) => v.toLowerCase())
      const match = (Object.keys(GENRES) as StoryType[]).find((t) => names.includes(t.toLowerCase()) || names.includes(GENRES[t].toLowerCase()))
      if (match && !type) type = match
      else this.report.add(`/genres/${i}`, match ? 'not stored: a story has one type' : 'not stored: no story type for this genre')
    })
    return type
  }

  // -------------------------------------------------------------------------------------------
  // The photo

  /** A picture, graphic, video or audio item: its own picture renditions, with its caption and credits. */
  itemPhoto(credits: Descriptions): Photo | null {
    const { doc } = this
    const renditions = this.renditions('/renditions', doc.renditions)
    if (!renditions.length) {
      this.report.add('/renditions', 'no picture rendition with an href: the story has no photo')
      return null
    }
    return {
      caption: credits.caption,
      altText: credits.altText,
      creditLine: credits.creditLine ?? bounded('/by', doc.by, LIMITS.creditLine),
      copyrightHolder: this.copyright('', doc),
      renditions,
    }
  }

  /** A text item: the first associated picture (or graphic) is the story's photo. */
  associatedPhoto(item: Descriptions): Photo | null {
    const { doc } = this
    const list: Json[] = Array.isArray(doc.associations) ? doc.associations : []
    const picture = (a: Json) => a && (a.type === 'picture' || a.type === 'graphic')
    const hasHref = (a: Json) => Array.isArray(a.renditions) && a.renditions.some((r: Json) => typeof r?.href === 'string' && /^https?:\/\//i.test(r.href))
    // the first picture that can be shown: one with a rendition to fetch
    const index = list.findIndex((a) => picture(a) && hasHref(a))
    list.forEach((a, i) => {
      if (!a || i === index) return
      const reason = !picture(a)
        ? `not stored: associated ${a.type ? `${a.type} items` : 'items'} are not kept with a story; import the item on its own`
        : !hasHref(a)
          ? 'not stored: the picture has no rendition with an http(s) href'
          : 'not stored: a story keeps one picture, the first'
      this.report.add(`/associations/${i}`, reason)
    })
    if (doc.copyrightHolder !== undefined) this.report.add('/copyrightHolder', 'not stored: a story has no copyright of its own; its picture has')
    if (doc.copyrightNotice !== undefined) this.report.add('/copyrightNotice', 'not stored: a story has no copyright of its own; its picture has')
    if (index < 0) {
      // an item without a type that carries picture renditions (a logo, say): those are its picture
      const renditions = doc.renditions ? this.renditions('/renditions', doc.renditions) : []
      if (renditions.length) return { caption: null, altText: item.altText, creditLine: item.creditLine, copyrightHolder: null, renditions }
      if (doc.renditions) this.report.add('/renditions', 'not stored: a story keeps the renditions of its picture only')
      for (const pointer of item.pointers) this.report.add(pointer, 'not stored: the story has no picture to credit')
      return null
    }
    // the picture's credits are its own, in the association
    for (const pointer of item.pointers) this.report.add(pointer, 'not stored: the picture’s credits are read from its association')
    const a = list[index]
    const base = `/associations/${index}`
    const renditions = this.renditions(`${base}/renditions`, a.renditions)
    let caption: string | null = null
    let creditLine: string | null = null
    let altText: string | null = null
    const descriptions: Json[] = Array.isArray(a.descriptions) ? a.descriptions : []
    descriptions.forEach((d, i) => {
      const pointer = `${base}/descriptions/${i}`
      const role = lower(d?.role) ?? ''
      if (!d || !(isPlain(d.contentType) || HTML.test(d.contentType ?? ''))) return this.report.add(pointer, 'not stored')
      const value = HTML.test(d.contentType ?? '') ? htmlToPlain(d.value) : d.value
      if (role === 'creditline' || role === 'credit') creditLine ??= bounded(`${pointer}/value`, value, LIMITS.creditLine)
      else if (ALT_ROLES.has(role)) altText ??= bounded(`${pointer}/value`, value, LIMITS.altText)
      else if (CAPTION_ROLES.has(role || undefined) && caption === null) caption = bounded(`${pointer}/value`, value, LIMITS.caption)
      else this.report.add(pointer, 'not stored: the picture keeps one caption, one credit line and one alternative text')
    })
    const headline = Array.isArray(a.headlines) ? a.headlines.find((h: Json) => h?.value) : null
    if (headline) {
      if (caption === null) caption = bounded(`${base}/headlines/0/value`, headline.value, LIMITS.caption)
      else this.report.add(`${base}/headlines`, 'not stored: the picture keeps its caption')
    }
    const known = new Set(['name', 'rel', 'uri', 'type', 'renditions', 'descriptions', 'headlines', 'by', 'copyrightHolder', 'copyrightNotice'])
    for (const key of Object.keys(a)) {
      if (known.has(key) || a[key] === undefined) continue
      this.report.add(`${base}/${escapePointer(key)}`, 'not stored with the picture')
    }
    return {
      caption,
      altText,
      creditLine: creditLine ?? bounded(`${base}/by`, a.by, LIMITS.creditLine),
      copyrightHolder: this.copyright(base, a),
      renditions,
    }
  }

  /** copyrightHolder, else a short copyrightNotice; a notice that says more than the holder is reported. */
  copyright(base: string, item: Json): string | null {
    const holder = bounded(`${base}/copyrightHolder`, item.copyrightHolder, LIMITS.copyrightHolder)
    const notice = typeof item.copyrightNotice === 'string' ? item.copyrightNotice.trim() : null
    if (holder) {
      if (notice && notice !== copyrightNotice(holder)) this.report.add(`${base}/copyrightNotice`, 'not stored: the picture keeps its copyright holder')
      return holder
    }
    if (!notice) return null
    if (notice.length <= LIMITS.copyrightHolder) return notice
    this.report.add(`${base}/copyrightNotice`, `not stored: longer than the ${LIMITS.copyrightHolder} characters a copyright holder may have`)
    return null
  }

  /** The picture renditions among `list`: with an http(s) href, at most 20, each name once. */
  renditions(base: string, list: unknown): stories.Rendition[] {
    if (!Array.isArray(list)) return []
    const kept: stories.Rendition[] = []
    list.forEach((r: Json, i) => {
      if (!r) return
      const pointer = `${base}/${i}`
      const type = typeof r.contentType === 'string' ? r.contentType.trim() : null
      if (type && !/^image\//i.test(type)) return this.report.add(pointer, `not stored: only picture renditions are kept (this one is ${type})`)
      if (typeof r.href !== 'string' || !/^https?:\/\//i.test(r.href)) return this.report.add(pointer, 'not stored: no http(s) href')
      if (r.href.length > LIMITS.href) return this.report.add(pointer, `not stored: an href of at most ${LIMITS.href} characters is kept`)
      const name = String(r.name).trim().slice(0, LIMITS.renditionName) || `rendition-${i + 1}`
      if (kept.some((k) => k.name === name)) return this.report.add(pointer, 'not stored: another rendition has this name')
      if (kept.length >= LIMITS.renditions) return this.report.add(pointer, `not stored: a picture keeps at most ${LIMITS.renditions} renditions`)
      if (type && !MIME.test(type)) this.report.add(`${pointer}/contentType`, 'not stored: not a media type')
      const size = (v: unknown) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100_000 ? (v as number) : null)
      kept.push({ name, href: r.href, mimeType: type && MIME.test(type) ? type : null, width: size(r.width), height: size(r.height) })
      for (const key of Object.keys(r)) {
        if (!['name', 'href', 'contentType', 'width', 'height'].includes(key)) {
          this.report.add(`${pointer}/${escapePointer(key)}`, 'not stored with the rendition')
        }
      }
    })
    return kept
  }

  // -------------------------------------------------------------------------------------------
  // People, organisations, places, subjects, events

  async links(key: 'people' | 'organisations' | 'places', find: (entry: Json, pointer: string) => Promise<string | null>): Promise<stories.EntityLink[]> {
    const list: Json[] = Array.isArray(this.doc[key]) ? this.doc[key] : []
    const links: stories.EntityLink[] = []
    for (const [i, entry] of list.entries()) {
      if (!entry) continue
      const pointer = `/${key}/${i}`
      const id = await find(entry, pointer)
      if (!id) continue
      if (links.some((l) => l.id === id)) {
        this.report.add(pointer, 'the same entity as an earlier entry; linked once')
        continue
      }
      if (links.length >= LIMITS.links) {
        this.report.add(pointer, `not linked: a story links at most ${LIMITS.links}`)
        continue
      }
      links.push({ id, relation: this.relation(entry, pointer) })
    }
    return links
  }

  relation(entry: Json, pointer: string): EntityRelation {
    const rel = lower(entry.rel)
    if (rel === undefined) return 'MENTIONS'
    const relation = RELATIONS[rel]
    if (!relation) this.report.add(`${pointer}/rel`, `"${entry.rel}" is not "about" or "mentions"; linked as mentioned`)
    return relation ?? 'MENTIONS'
  }

  /** An entry's name, or its literal when it has none; reported and null when it has neither. */
  nameOf(entry: Json, pointer: string): string | null {
    const name = bounded(`${pointer}/name`, entry.name, LIMITS.name) ?? bounded(`${pointer}/literal`, entry.literal, LIMITS.name)
    if (!name) this.report.add(pointer, 'not linked: no name and nothing known by its uri or literal')
    return name
  }

  async person(entry: Json, pointer: string, create = true): Promise<string | null> {
    const tx = this.tx
    const found = await this.findEntity('person', entry, pointer)
    if (found || !create) return found
    const name = this.nameOf(entry, pointer)
    if (!name) return null
    const ids = this.externalIds(entry, pointer, 'person')
    const slug = await this.freeSlug('person', slugify(name), 'person')
    this.reportContact(entry, pointer)
    return (await upsertPerson(tx, { slug, name, wikidataId: ids.wikidataId, sameAs: ids.sameAs }, null)).result.id
  }

  async organisation(entry: Json, pointer: string, create = true): Promise<string | null> {
    const found = await this.findEntity('organisation', entry, pointer)
    if (found || !create) return found
    const name = this.nameOf(entry, pointer)
    if (!name) return null
    const ids = this.externalIds(entry, pointer, 'organisation')
    const slug = await this.freeSlug('organisation', slugify(name), 'organisation')
    this.reportContact(entry, pointer)
    if (entry.symbols !== undefined) this.report.add(`${pointer}/symbols`, 'not stored')
    return (await upsertOrganisation(this.tx, { slug, name, wikidataId: ids.wikidataId, sameAs: ids.sameAs }, null)).result.id
  }

  async place(entry: Json, pointer: string): Promise<string | null> {
    const found = await this.findEntity('place', entry, pointer)
    if (found) return found
    const name = this.nameOf(entry, pointer)
    if (!name) return null
    const country = countryOf(entry.uri)
    const wikidataId = wikidataOf(entry.uri)
    if (entry.uri && !country && !wikidataId) this.report.add(`${pointer}/uri`, 'not stored: a place keeps a Wikidata id or an ISO country code only')
    const point = entry.geoJSON?.type === 'Point' && Array.isArray(entry.geoJSON.coordinates) ? entry.geoJSON.coordinates : null
    const [longitude, latitude] = point && Math.abs(point[1]) <= 90 && Math.abs(point[0]) <= 180 ? point : [null, null]
    if (entry.geoJSON && latitude === null) this.report.add(`${pointer}/geoJSON`, 'not stored: only a point is kept')
    this.reportContact(entry, pointer)
    const slug = await this.freeSlug('place', slugify(name), 'place')
    const input = {
      slug,
      name,
      type: country ? ('COUNTRY' as const) : null,
      countryCode: country,
      wikidataId,
      latitude,
      longitude,
    }
    return (await upsertPlace(this.tx, input, null)).result.id
  }

  reportContact(entry: Json, pointer: string) {
    if (entry.contactInfo !== undefined) this.report.add(`${pointer}/contactInfo`, 'not stored: contact details have no field here')
  }

  /** Wikidata id and sameAs links from an entry's uri, for a new person or organisation. */
  externalIds(entry: Json, pointer: string, model: 'person' | 'organisation') {
    const uri: string | undefined = typeof entry.uri === 'string' ? entry.uri : undefined
    const wikidataId = wikidataOf(uri)
    if (wikidataId) return { wikidataId, sameAs: [] }
    if (uri && /^https?:\/\//i.test(uri) && uri.length <= 2_000) return { wikidataId: null, sameAs: [uri] }
    if (uri) this.report.add(`${pointer}/uri`, `not stored: a ${model} keeps http(s) links and Wikidata ids only`)
    return { wikidataId: null, sameAs: [] }
  }

  /**
   * The row an entry names: by Wikidata id, sameAs link or our URN, then by literal (slug), then
   * by name. Found other than by its uri, the entry's uri is not kept: reported at `pointer`.
   */
  async findEntity(model: 'person' | 'organisation' | 'place', entry: Json, pointer: string): Promise<string | null> {
    const found = await this.lookUpEntity(model, entry)
    if (found && found.by !== 'uri' && typeof entry.uri === 'string') {
      this.report.add(`${pointer}/uri`, `not stored: linked by its ${found.by} to an existing ${model}, which this uri does not name`)
    }
    return found?.id ?? null
  }

  async lookUpEntity(model: 'person' | 'organisation' | 'place', entry: Json): Promise<{ id: string; by: 'uri' | 'literal' | 'name' } | null> {
    const rows = this.tx[model] as unknown as {
      findFirst(args: { where: object; select: { id: true } }): Promise<{ id: string } | null>
    }
    const first = async (where: object) => (await rows.findFirst({ where, select: { id: true } }))?.id ?? null
    const uri = typeof entry.uri === 'string' ? entry.uri : null
    if (uri) {
      const wikidataId = wikidataOf(uri)
      const urn = idOfUrn(uri)
      const country = model === 'place' ? countryOf(uri) : null
      const found =
        (wikidataId && (await first({ wikidataId }))) ||
        (urn && (await first({ id: urn }))) ||
        (model !== 'place' && (await first({ sameAs: { has: uri } }))) ||
        (country && (await first({ countryCode: country, type: 'COUNTRY' })))
      if (found) return { id: found, by: 'uri' }
    }
    if (typeof entry.literal === 'string' && SLUG.test(entry.literal)) {
      const found = await first({ slug: entry.literal })
      if (found) return { id: found, by: 'literal' }
    }
    const name = typeof entry.name === 'string' ? entry.name.trim() : ''
    if (!name) return null
    const found = (await first({ slug: slugify(name) })) ?? (await first({ name: { equals: name, mode: 'insensitive' } }))
    return found ? { id: found, by: 'name' } : null
  }

  /** subjects as tags: a Media Topic by its code, others by literal (slug) or name; new ones created. */
  async tags(): Promise<string[]> {
    const list: Json[] = Array.isArray(this.doc.subjects) ? this.doc.subjects : []
    const ids: string[] = []
    for (const [i, s] of list.entries()) {
      if (!s) continue
      const pointer = `/subjects/${i}`
      const code = mediaTopicOf(s.uri) ?? (typeof s.literal === 'string' && /^medtop:\d+$/.test(s.literal) ? s.literal : null)
      if (s.uri && !mediaTopicOf(s.uri)) this.report.add(`${pointer}/uri`, 'not stored: tags keep IPTC Media Topic codes only')
      if (s.rel !== undefined && lower(s.rel) !== 'about') this.report.add(`${pointer}/rel`, 'not stored: a story is filed under its tags, with no relation')
      for (const key of ['creator', 'relevance', 'confidence']) if (s[key] !== undefined) this.report.add(`${pointer}/${key}`, 'not stored')
      const id = await this.tag(s, pointer, code)
      if (!id) continue
      if (ids.includes(id)) this.report.add(pointer, 'the same tag as an earlier subject; filed once')
      else if (ids.length >= LIMITS.tags) this.report.add(pointer, `not filed: a story has at most ${LIMITS.tags} tags`)
      else ids.push(id)
    }
    return ids
  }

  async tag(s: Json, pointer: string, code: string | null): Promise<string | null> {
    const tx = this.tx
    const select = { id: true } as const
    const found =
      (code && (await tx.tag.findUnique({ where: { code }, select }))) ||
      (typeof s.literal === 'string' && SLUG.test(s.literal) && (await tx.tag.findUnique({ where: { slug: s.literal }, select }))) ||
      (typeof s.name === 'string' && s.name.trim() && (await tx.tag.findUnique({ where: { slug: slugify(s.name) }, select })))
    if (found) return found.id
    const name = this.nameOf(s, pointer)
    if (!name) return null
    const slug = await this.freeSlug('tag', slugify(name), 'tag')
    return (await upsertTag(tx, { slug, name, scheme: code ? 'MEDIATOPIC' : 'KEYWORD', code }, null)).result.id
  }

  /** events a story reports: known events only (an event is imported as an event item). */
  async eventLinks(): Promise<stories.EntityLink[]> {
    const list: Json[] = Array.isArray(this.doc.events) ? this.doc.events : []
    const links: stories.EntityLink[] = []
    for (const [i, e] of list.entries()) {
      if (!e) continue
      const pointer = `/events/${i}`
      const select = { id: true } as const
      const urn = typeof e.uri === 'string' ? idOfUrn(e.uri) : null
      const found =
        (typeof e.uri === 'string' && (await this.tx.event.findUnique({ where: { uri: e.uri }, select }))) ||
        (urn && (await this.tx.event.findUnique({ where: { id: urn }, select }))) ||
        (typeof e.literal === 'string' && SLUG.test(e.literal) && (await this.tx.event.findUnique({ where: { slug: e.literal }, select }))) ||
        (typeof e.name === 'string' && e.name.trim() && (await this.tx.event.findUnique({ where: { slug: slugify(e.name) }, select })))
      if (!found) {
        this.report.add(pointer, 'not linked: no event known by this uri, literal or name (import the event item first)')
        continue
      }
      if (e.id !== undefined) this.report.add(`${pointer}/id`, 'not stored')
      if (links.some((l) => l.id === found.id)) this.report.add(pointer, 'the same event as an earlier entry; linked once')
      else links.push({ id: found.id, relation: e.rel === undefined ? 'ABOUT' : this.relation(e, pointer) })
    }
    return links
  }

  /**
   * infoSources: the contributors by role (author, reporter, …), the source organisation (role
   * "source", or the first without a role) and the organisation that adapted the edition.
   */
  async infoSources() {
    const list: Json[] = Array.isArray(this.doc.infoSources) ? this.doc.infoSources : []
    const contributors: stories.StoryContent['contributors'] = []
    let sourceOrganisationId: string | null = null
    let adaptedById: string | null = null
    for (const [i, s] of list.entries()) {
      if (!s) continue
      const pointer = `/infoSources/${i}`
      const role = lower(s.role)
      this.reportContact(s, pointer)
      if (role === SOURCE_ROLE || (role === undefined && !sourceOrganisationId)) {
        if (sourceOrganisationId) this.report.add(pointer, 'not stored: a story has one source organisation')
        else sourceOrganisationId = await this.organisation(s, pointer)
      } else if (role === ADAPTED_BY_ROLE) {
        if (adaptedById) this.report.add(pointer, 'not stored: a story has one adapting organisation')
        else adaptedById = await this.organisation(s, pointer)
      } else if (role && CONTRIBUTOR_ROLES[role]) {
        const name = bounded(`${pointer}/name`, s.name, LIMITS.name) ?? bounded(`${pointer}/literal`, s.literal, LIMITS.name)
        if (!name) {
          this.report.add(pointer, 'not stored: a contributor needs a name')
          continue
        }
        if (contributors.length >= LIMITS.contributors) {
          this.report.add(pointer, `not stored: a story credits at most ${LIMITS.contributors}`)
          continue
        }
        // credited by name; linked to the organisation or person it names when one is known
        const organisationId = await this.organisation(s, pointer, false)
        const personId = organisationId ? null : await this.person(s, pointer, false)
        contributors.push({ role: CONTRIBUTOR_ROLES[role]!, name, organisationId, personId })
      } else {
        this.report.add(pointer, `not stored: no field for an information source with the role "${s.role}"`)
      }
    }
    return { contributors, sourceOrganisationId, adaptedById }
  }

  /** `base`, or `base-2`, `base-3`… : the first slug no row of the model has. */
  async freeSlug(model: 'story' | 'person' | 'organisation' | 'place' | 'tag' | 'event', base: string, fallback: string): Promise<string> {
    const rows = this.tx[model] as unknown as { findMany(args: object): Promise<{ slug: string }[]> }
    const stem = base || `${fallback}-${hash(this.uri)}`
    const taken = new Set((await rows.findMany({ where: { slug: { startsWith: stem } }, select: { slug: true } })).map((r) => r.slug))
    if (!taken.has(stem)) return stem
    for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`
  }

  // -------------------------------------------------------------------------------------------
  // Events

  async event(): Promise<Written<ImportOutcome>> {
    const { tx, doc } = this
    const details: Json = doc.eventDetails ?? {}
    const dates: Json = details.dates ?? {}
    for (const [key, reason] of Object.entries(OWN_METADATA)) if (doc[key] !== undefined) this.report.add(`/${key}`, reason)
    const handled = new Set(['uri', 'standard', 'type', 'representationType', 'slugline', 'title', 'headlines', 'descriptions', 'eventDetails', 'places', 'organisations', 'people', ...Object.keys(OWN_METADATA)])
    for (const key of Object.keys(doc)) {
      if (!handled.has(key) && doc[key] !== undefined) this.report.add(`/${escapePointer(key)}`, 'not stored: an event has no such field')
    }

    const name = this.eventName()
    const description = this.eventDescription()
    const startAt = typeof dates.startDate === 'string' ? new Date(dates.startDate) : null
    const endAt = typeof dates.endDate === 'string' ? new Date(dates.endDate) : null
    const expectedStart = typeof dates.expectedStartDate === 'string' ? expectedWindow(dates.expectedStartDate) : null
    for (const key of Object.keys(dates)) {
      if (!['startDate', 'endDate', 'expectedStartDate'].includes(key)) this.report.add(`/eventDetails/dates/${escapePointer(key)}`, 'not stored: an event keeps its start, end and expected start')
    }
    for (const key of Object.keys(details)) {
      if (!['dates', 'eventStatus', 'organiser'].includes(key)) this.report.add(`/eventDetails/${escapePointer(key)}`, 'not stored')
    }
    const status = this.eventStatus(details.eventStatus)

    const places: Json[] = Array.isArray(doc.places) ? doc.places : []
    const locationId = places[0] ? await this.place(places[0], '/places/0') : null
    places.slice(1).forEach((_, i) => this.report.add(`/places/${i + 1}`, 'not stored: an event has one location'))

    const participants: ParticipantInput[] = []
    const add = (p: ParticipantInput, pointer: string) => {
      if (participants.some((q) => q.organisationId === p.organisationId && q.personId === p.personId)) return
      if (participants.length >= LIMITS.participants) return this.report.add(pointer, `not stored: an event has at most ${LIMITS.participants} participants`)
      participants.push(p)
    }
    if (details.organiser) {
      const id = await this.organisation(details.organiser, '/eventDetails/organiser')
      if (id) add({ role: 'ORGANISER', organisationId: id }, '/eventDetails/organiser')
    }
    for (const key of ['organisations', 'people'] as const) {
      const list: Json[] = Array.isArray(doc[key]) ? doc[key] : []
      for (const [i, entry] of list.entries()) {
        if (!entry) continue
        const pointer = `/${key}/${i}`
        const role = PARTICIPANT_ROLES[lower(entry.rel) ?? '']
        const organiser = details.organiser && key === 'organisations' && (await this.organisation(entry, pointer, false))
        if (!role && organiser && participants.some((p) => p.organisationId === organiser)) continue
        if (!role) {
          const roles = Object.keys(PARTICIPANT_ROLES).join(', ')
          this.report.add(pointer, entry.rel === undefined ? `not linked: no rel says its part in the event (${roles})` : `not linked: "${entry.rel}" is no participant role (${roles})`)
          continue
        }
        const id = key === 'organisations' ? await this.organisation(entry, pointer) : await this.person(entry, pointer)
        if (id) add(key === 'organisations' ? { role, organisationId: id } : { role, personId: id }, pointer)
      }
    }

    const fields = {
      name,
      description: this.given(['descriptions'], description),
      startAt: this.given(['eventDetails'], startAt),
      endAt: this.given(['eventDetails'], endAt),
      expectedStart: this.given(['eventDetails'], expectedStart),
      locationId: this.given(['places'], locationId),
      participants: this.given(['eventDetails', 'organisations', 'people'], participants),
    }
    const select = { id: true, slug: true, version: true, status: true } as const
    const urn = idOfUrn(this.uri)
    const existing =
      (await tx.event.findUnique({ where: { uri: this.uri }, select })) ?? (urn ? await tx.event.findUnique({ where: { id: urn }, select }) : null)
    if (!existing) {
      const slug = await this.freeSlug('event', slugCandidate(doc.slugline) ?? slugify(name), 'event')
      const written = await createEvent(tx, { ...fields, slug, status: status ?? 'SCHEDULED' })
      await tx.event.update({ where: { id: written.result.id }, data: { uri: this.uri } })
      return { result: this.eventOutcome('CREATED', written.result.id), change: importChange([written.change], 'CREATED', this.uri) }
    }
    const written = await updateEvent(tx, existing.id, existing.version, fields)
    const changes = [written.change]
    if (status && status !== existing.status) {
      // a status moves along its allowed transitions only, as changeEventStatus checks
      const begun = (await tx.eventStatusChange.count({ where: { eventId: existing.id, toStatus: { in: [...BEGUN] } } })) > 0
      if (allowedTransitions(existing.status, begun).includes(status)) {
        changes.push((await changeEventStatus(tx, { eventId: existing.id, version: existing.version + 1, to: status, note: 'Imported from ninjs.' })).change)
      } else {
        this.report.add('/eventDetails/eventStatus', `not applied: a ${existing.status} event cannot become ${status}`)
      }
    }
    return { result: this.eventOutcome('UPDATED', existing.id), change: importChange(changes, 'UPDATED', this.uri) }
  }

  eventOutcome(action: ImportOutcome['action'], id: string): ImportOutcome {
    return { action, uri: this.uri, storyId: null, eventId: id, unsupported: this.report.list() }
  }

  eventName(): string {
    const { doc } = this
    const headlines: Json[] = Array.isArray(doc.headlines) ? doc.headlines : []
    const title = bounded('/title', doc.title, LIMITS.name)
    const headline = headlines.findIndex((h) => typeof h?.value === 'string' && h.value.trim())
    headlines.forEach((_, i) => {
      if (i !== headline || title) this.report.add(`/headlines/${i}`, 'not stored: an event has one name')
    })
    const name = title ?? (headline >= 0 ? bounded(`/headlines/${headline}/value`, headlines[headline].value, LIMITS.name) : null)
    if (!name) throw new ValidationError([{ field: '/title', message: 'an event needs a name: give a title or a headline' }])
    return name
  }

  eventDescription(): string | null {
    const list: Json[] = Array.isArray(this.doc.descriptions) ? this.doc.descriptions : []
    const index = list.findIndex((d) => d && (isPlain(d.contentType) || HTML.test(d.contentType ?? '')))
    list.forEach((_, i) => {
      if (i !== index) this.report.add(`/descriptions/${i}`, 'not stored: an event has one description')
    })
    if (index < 0) return null
    const d = list[index]
    return bounded(`/descriptions/${index}/value`, HTML.test(d.contentType ?? '') ? htmlToPlain(d.value) : decodeEntities(d.value), LIMITS.eventDescription)
  }

  eventStatus(uri: unknown): EventStatus | null {
    if (typeof uri !== 'string') return null
    const match = /^https?:\/\/(?:www\.)?schema\.org\/(Event\w+)$/.exec(uri)
    const status = match ? SCHEMA_ORG_STATUS[match[1]!] : undefined
    if (status) return status
    this.report.add('/eventDetails/eventStatus', status === null ? 'not stored: an event here cannot be marked as moved online' : 'not stored: only schema.org event statuses (https://schema.org/EventScheduled …) are read')
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * One change-log row for the whole import: the last write's (a publication is what subscribers
 * wait for), with the topics of every step and where it came from.
 */
function importChange(changes: ChangeEntry[], action: ImportOutcome['action'], uri: string): ChangeEntry {
  // one import, one change: of the last write's kind, touching what any of them touched, with the
  // facts of all of them (the later ones winning), from the status the first started at
  const first = changes[0]!
  const last = changes[changes.length - 1]!
  const facts = Object.assign({}, ...changes.map((c) => c.facts), { imported: { format: 'ninjs', uri, action: action.toLowerCase() } })
  if (first.objectType === 'Story') (facts as StoryFacts).from = first.facts.from
  return { ...last, topics: [...new Set(changes.flatMap((c) => c.topics))], facts } as ChangeEntry
}

/** An expected start written as a truncated date ("2025", "2025-07", "2025-07-28"), as a window. */
export function expectedWindow(value: string): ExpectedStartInput {
  const [year, month, day] = value.split(/[-T]/).map(Number)
  if (/^-?\d{4,}$/.test(value)) {
    return { from: new Date(Date.UTC(year!, 0, 1)), to: new Date(Date.UTC(year! + 1, 0, 1) - 1000), precision: 'YEAR' }
  }
  if (/^-?\d{4,}-\d{2}$/.test(value)) {
    return { from: new Date(Date.UTC(year!, month! - 1, 1)), to: new Date(Date.UTC(year!, month!, 1) - 1000), precision: 'MONTH' }
  }
  if (/^-?\d{4,}-\d{2}-\d{2}$/.test(value)) {
    return { from: new Date(Date.UTC(year!, month! - 1, day!)), to: new Date(Date.UTC(year!, month! - 1, day! + 1) - 1000), precision: 'DAY' }
  }
  // with a time (and without a zone, read as UTC): exact
  const at = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`)
  return { from: at, to: at, precision: 'EXACT' }
}

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : undefined)
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

function hash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h.toString(16).padStart(8, '0')
}

function wikidataOf(uri: unknown): string | null {
  return typeof uri === 'string' ? (/^https?:\/\/(?:www\.)?wikidata\.org\/(?:wiki|entity)\/(Q\d+)$/.exec(uri)?.[1] ?? null) : null
}

function countryOf(uri: unknown): string | null {
  return typeof uri === 'string' ? (/^https?:\/\/cvx?\.iptc\.org\/iso3166-1a2\/([a-z]{2})$/i.exec(uri)?.[1]?.toUpperCase() ?? null) : null
}

function mediaTopicOf(uri: unknown): string | null {
  if (typeof uri !== 'string') return null
  const code = new RegExp(`^${MEDIATOPIC_URI.replace(/[.]/g, '\\.')}(\\d+)$`.replace('http:', 'https?:')).exec(uri)?.[1]
  return code ? `medtop:${code}` : null
}
