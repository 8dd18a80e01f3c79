// Story writes: create, update, publish, withdraw, correct, restore. Each runs inside runMutation's
// transaction, appends one StoryRevision (what changed, and the editable story after it) and
// returns the change-log entry. Any error thrown rolls the whole write back.
//
// Text is stored exactly as given, markup and <script> included: this API never renders it, so
// there is nothing to escape here; whoever renders a story must escape it there.
import { isDeepStrictEqual } from 'node:util'
import type { Prisma } from '../generated/prisma/client.js'
import type {
  ContributorRole,
  CorrectionKind,
  EntityRelation,
  HeadlineRole,
  RelatedReason,
  StoryStatus,
  StoryType,
} from '../generated/prisma/enums.js'
import { NotFoundError, ValidationError } from './errors.js'
import { asJson, topic, type StoryChangeEntry, type StoryFacts, type StoryKind, type Topic } from '../live/changes.js'
import { expectVersion, type Tx, type Written } from './mutation.js'
import { readingStats } from './reading.js'
import { effectiveStatus, isPublicNotice, type PublicationState } from './visibility.js'

export interface EntityLink {
  id: string
  relation: EntityRelation
}

export interface Rendition {
  name: string
  href: string
  mimeType: string | null
  width: number | null
  height: number | null
}

export interface Photo {
  caption: string | null
  altText: string | null
  creditLine: string | null
  copyrightHolder: string | null
  renditions: Rendition[]
}

/** The editable story: what createStory and updateStory write, and what a revision's snapshot holds. */
export interface StoryContent {
  slug: string
  headline: string
  alternativeHeadlines: { role: HeadlineRole; value: string }[]
  lede: string | null
  sections: { heading: string | null; paragraphs: string[] }[]
  language: string
  type: StoryType
  urgency: number
  byline: string | null
  editionNote: string | null
  editorNote: string | null
  photo: Photo | null
  contributors: { role: ContributorRole; name: string; personId: string | null; organisationId: string | null }[]
  tagIds: string[]
  people: EntityLink[]
  organisations: EntityLink[]
  places: EntityLink[]
  events: EntityLink[]
  sourceStoryId: string | null
  sourceOrganisationId: string | null
  adaptedById: string | null
  related: { storyId: string; reason: RelatedReason }[]
}

/** The fields given (undefined: keep). A list replaces the stored one; null clears a field or list. */
export type StoryPatch = { [K in keyof StoryContent]?: StoryContent[K] | null }

/** Who writes, recorded on the revision. */
export interface Author {
  actor: string
  requestId: string
}

export interface CorrectionInput {
  kind: CorrectionKind
  text: string
  field: string | null
  before: string | null
  after: string | null
}

/** Names the input field at fault for a path inside the story's content, e.g. "people.2.id". */
type FieldOf = (path: string) => string
const inputField: FieldOf = (path) => `input.${path}`

const DEFAULTS: StoryContent = {
  slug: '',
  headline: '',
  alternativeHeadlines: [],
  lede: null,
  sections: [],
  language: 'en',
  type: 'ARTICLE',
  urgency: 5,
  byline: null,
  editionNote: null,
  editorNote: null,
  photo: null,
  contributors: [],
  tagIds: [],
  people: [],
  organisations: [],
  places: [],
  events: [],
  sourceStoryId: null,
  sourceOrganisationId: null,
  adaptedById: null,
  related: [],
}

/** Columns that cannot be empty: an update may change them, never clear them. */
const REQUIRED = new Set(['slug', 'headline', 'language', 'type', 'urgency'])

/** The content kept in child rows, each list written by writeLists. */
const LISTS = [
  'alternativeHeadlines',
  'sections',
  'contributors',
  'tagIds',
  'people',
  'organisations',
  'places',
  'events',
  'related',
] as const
type ListKey = (typeof LISTS)[number]

// ---------------------------------------------------------------------------------------------
// The mutations

export async function createStory(tx: Tx, by: Author, input: StoryPatch): Promise<Written<{ id: string }>> {
  const given = applyPatch(DEFAULTS, input, inputField)
  await checkContent(tx, null, given, new Set(Object.keys(given)), inputField)
  const content = sorted(given)
  const photoId = await createPhoto(tx, content.photo)
  // status DRAFT and version 1 are the column defaults
  const story = await tx.story.create({
    data: { ...columns(content), ...readingStats(content), photoId },
    select: { id: true, version: true, status: true, embargoedUntil: true, firstPublishedAt: true },
  })
  await writeLists(tx, story.id, content, LISTS, false)
  // a new story's changes are every field it was given
  const changes: Changes = {}
  for (const [key, value] of Object.entries(content)) {
    if (value !== null && !(Array.isArray(value) && value.length === 0)) changes[key] = { before: null, after: value }
  }
  await appendRevision(tx, by, story.id, story.version, 'created', changes, content)
  return { result: { id: story.id }, change: storyChange('story.created', null, story, [content]) }
}

export async function updateStory(tx: Tx, by: Author, id: string, version: number, patch: StoryPatch) {
  return reviseStory(tx, by, id, version, patch, { action: 'updated', kind: 'story.updated', field: inputField })
}

/** Applies a revision's snapshot as a new update. */
export async function restoreRevision(tx: Tx, by: Author, revisionId: string, version: number) {
  const revision = await tx.storyRevision.findUnique({
    where: { id: revisionId },
    select: { storyId: true, version: true, snapshot: true },
  })
  if (!revision) throw new NotFoundError('No revision with that id.', 'revisionId')
  // The snapshot was valid when written, but what it names (a tag, a slug) may have changed since;
  // such a refusal names the revision, the only input the caller gave.
  return reviseStory(tx, by, revision.storyId, version, revision.snapshot as StoryPatch, {
    action: 'restored',
    kind: 'story.restored',
    field: () => 'revisionId',
    facts: { restoredFrom: revision.version },
  })
}

/**
 * Without `at`, or with `at` not after now: PUBLISHED. With a later `at`: SCHEDULED, and from
 * that moment public (src/resolvers/visibility.ts decides that on every read; no job runs).
 * A withdrawn story is refused with a ValidationError, not a Conflict: re-reading will not help,
 * a withdrawn story stays withdrawn (publish a new one).
 */
export async function publishStory(tx: Tx, by: Author, id: string, version: number, at: Date | null) {
  await claim(tx, id, version)
  const story = await readStory(tx, id)
  if (story.status === 'WITHDRAWN') {
    throw new ValidationError([
      { field: 'id', message: 'the story is withdrawn, and stays so; publish a new story instead' },
    ])
  }
  const now = new Date()
  const scheduled = at !== null && at > now
  if (scheduled && effectiveStatus(story, now) === 'PUBLISHED') {
    throw new ValidationError([{ field: 'at', message: 'the story is already public, so it cannot be scheduled' }])
  }
  const state: StateChange = scheduled
    ? { status: 'SCHEDULED', embargoedUntil: at, firstPublishedAt: at }
    : {
        status: 'PUBLISHED',
        embargoedUntil: null,
        // a story that was scheduled for later and is published now was first published now
        firstPublishedAt: story.firstPublishedAt && story.firstPublishedAt <= now ? story.firstPublishedAt : now,
      }
  return changeState(
    tx,
    by,
    story,
    state,
    'published',
    scheduled ? 'story.scheduled' : 'story.published',
    scheduled ? { facts: { scheduledFor: at.toISOString() } } : {},
  )
}

/** The public then sees only the withdrawal notice (Story.withdrawal). Withdrawing twice is refused. */
export async function withdrawStory(tx: Tx, by: Author, id: string, version: number, reason: string) {
  await claim(tx, id, version)
  const story = await readStory(tx, id)
  if (story.status === 'WITHDRAWN')
    throw new ValidationError([{ field: 'id', message: 'the story is already withdrawn' }])
  return changeState(tx, by, story, withdrawal(story, reason), 'withdrawn', 'story.withdrawn')
}

/** A correction is shown with the story; a RETRACTION also withdraws it, with the text as reason. */
export async function addCorrection(tx: Tx, by: Author, storyId: string, input: CorrectionInput) {
  // No version is sent: a correction is added to whatever is stored. It still bumps the version,
  // so an editor holding the old one reloads before saving over it.
  await claim(tx, storyId, null, 'storyId')
  const story = await readStory(tx, storyId)
  const correction = await tx.correction.create({
    data: { storyId, ...input, createdBy: by.actor },
    select: { id: true, kind: true, text: true, field: true, before: true, after: true },
  })
  const retracts = input.kind === 'RETRACTION' && story.status !== 'WITHDRAWN'
  const state: StateChange = { contentUpdatedAt: new Date(), ...(retracts ? withdrawal(story, input.text) : {}) }
  return changeState(tx, by, story, state, 'corrected', 'story.corrected', {
    changes: { corrections: { before: null, after: correction } },
    facts: { correction: { id: correction.id, kind: input.kind } },
  })
}

// ---------------------------------------------------------------------------------------------
// Shared steps

type Changes = Record<string, { before: unknown; after: unknown }>
type StoryRow = Awaited<ReturnType<typeof readStory>>
type StateChange = Partial<
  Pick<
    StoryRow,
    'status' | 'firstPublishedAt' | 'embargoedUntil' | 'withdrawnAt' | 'withdrawalReason' | 'contentUpdatedAt'
  >
>

/** The public then sees a notice in the story's place, if it ever read the story. One withdrawn
 *  before it went out (a draft, or scheduled or embargoed for later) never was first published: its
 *  planned date goes, and it stays unseen (src/resolvers/visibility.ts). */
function withdrawal(story: StoryRow, reason: string): StateChange {
  const now = new Date()
  const wentOut = effectiveStatus(story, now) === 'PUBLISHED'
  return {
    status: 'WITHDRAWN',
    withdrawnAt: now,
    withdrawalReason: reason,
    ...(wentOut ? {} : { firstPublishedAt: null }),
  }
}

/**
 * The optimistic check, made as the first write: it bumps the version only where the stored one
 * is `version` (any version when null), and holds the row until commit, so nothing read after it
 * can go stale and a concurrent writer with the same version finds it changed.
 */
async function claim(tx: Tx, id: string, version: number | null, idField = 'id') {
  const updated = await tx.story.updateMany({
    where: { id, ...(version === null ? {} : { version }) },
    data: { version: { increment: 1 } },
  })
  if (version === null) {
    if (updated.count === 0) throw new NotFoundError('No story with that id.', idField)
    return
  }
  await expectVersion(
    updated,
    () => tx.story.findUnique({ where: { id }, select: { version: true } }),
    'story',
    version,
  )
}

interface Revision {
  action: string
  kind: StoryKind
  field: FieldOf
  facts?: Partial<StoryFacts>
}

/** updateStory and restoreRevision: the patch applied to the stored content. */
async function reviseStory(
  tx: Tx,
  by: Author,
  id: string,
  version: number,
  patch: StoryPatch,
  how: Revision,
): Promise<Written<{ id: string }>> {
  await claim(tx, id, version)
  const story = await readStory(tx, id)
  const given = applyPatch(story.content, patch, how.field)
  const content = sorted(given)
  const changes = diff(story.content, content)
  const changed = new Set(Object.keys(changes))
  await checkContent(tx, id, given, changed, how.field)

  const now = new Date()
  const photoId = changed.has('photo') ? await createPhoto(tx, content.photo) : story.photoId
  await tx.story.update({
    where: { id },
    data: {
      ...columns(content),
      ...(changed.has('lede') || changed.has('sections') ? readingStats(content) : {}),
      photoId,
      // dateModified: only a change made after publication counts
      ...(changed.size > 0 && story.firstPublishedAt && story.firstPublishedAt <= now ? { contentUpdatedAt: now } : {}),
    },
  })
  if (changed.has('photo') && story.photoId) await removeUnusedPhoto(tx, story.photoId)
  await writeLists(
    tx,
    id,
    content,
    LISTS.filter((key) => changed.has(key)),
    true,
  )
  await appendRevision(tx, by, id, story.version, how.action, changes, content)
  // topics from before and after: a tag's followers also learn that a story left the tag
  const change = storyChange(how.kind, story, story, [story.content, content], { fields: [...changed], ...how.facts })
  return { result: { id }, change }
}

/** publish, withdraw, correct: the status columns change, the editable content does not. */
async function changeState(
  tx: Tx,
  by: Author,
  story: StoryRow,
  state: StateChange,
  action: string,
  kind: StoryKind,
  extra: { changes?: Changes; facts?: Partial<StoryFacts> } = {},
): Promise<Written<{ id: string }>> {
  await tx.story.update({ where: { id: story.id }, data: state })
  const before = Object.fromEntries(Object.keys(state).map((key) => [key, story[key as keyof StateChange]]))
  const changes = { ...diff(before, state), ...extra.changes }
  await appendRevision(tx, by, story.id, story.version, action, changes, story.content)
  const after = { ...story, ...state }
  const facts = {
    ...extra.facts,
    ...(state.status === 'WITHDRAWN' && { withdrawal: { reason: state.withdrawalReason! } }),
  }
  return { result: { id: story.id }, change: storyChange(kind, story, after, [story.content], facts) }
}

/** The patch over `base`, lists in the order given (so errors can name an item by its index). */
function applyPatch(base: StoryContent, patch: StoryPatch, field: FieldOf): StoryContent {
  const next: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || !(key in base)) continue
    if (value === null && REQUIRED.has(key))
      throw new ValidationError([{ field: field(key), message: 'cannot be cleared' }])
    next[key] = value === null && (LISTS as readonly string[]).includes(key) ? [] : value
  }
  return shaped(next as unknown as StoryContent)
}

const sortBy = <T>(items: T[], key: (item: T) => string) =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
const link = (l: EntityLink): EntityLink => ({ id: l.id, relation: l.relation })

/** Exactly the fields of StoryContent, absent values null: what a snapshot stores. */
function shaped(c: StoryContent): StoryContent {
  return {
    slug: c.slug,
    headline: c.headline,
    alternativeHeadlines: c.alternativeHeadlines.map((h) => ({ role: h.role, value: h.value })),
    lede: c.lede ?? null,
    sections: c.sections.map((s) => ({ heading: s.heading ?? null, paragraphs: [...s.paragraphs] })),
    language: c.language,
    type: c.type,
    urgency: c.urgency,
    byline: c.byline ?? null,
    editionNote: c.editionNote ?? null,
    editorNote: c.editorNote ?? null,
    photo: c.photo
      ? {
          caption: c.photo.caption ?? null,
          altText: c.photo.altText ?? null,
          creditLine: c.photo.creditLine ?? null,
          copyrightHolder: c.photo.copyrightHolder ?? null,
          renditions: c.photo.renditions.map((r) => ({
            name: r.name,
            href: r.href,
            mimeType: r.mimeType ?? null,
            width: r.width ?? null,
            height: r.height ?? null,
          })),
        }
      : null,
    contributors: c.contributors.map((x) => ({
      role: x.role,
      name: x.name,
      personId: x.personId ?? null,
      organisationId: x.organisationId ?? null,
    })),
    tagIds: [...c.tagIds],
    people: c.people.map(link),
    organisations: c.organisations.map(link),
    places: c.places.map(link),
    events: c.events.map(link),
    sourceStoryId: c.sourceStoryId ?? null,
    sourceOrganisationId: c.sourceOrganisationId ?? null,
    adaptedById: c.adaptedById ?? null,
    related: c.related.map((r) => ({ storyId: r.storyId, reason: r.reason })),
  }
}

/**
 * Lists the database keeps in no order of their own (tags, links, headlines, renditions) sorted,
 * so content read back equals the content written and only real changes show in a diff.
 */
function sorted(c: StoryContent): StoryContent {
  return {
    ...c,
    alternativeHeadlines: sortBy(c.alternativeHeadlines, (h) => h.role),
    photo: c.photo && { ...c.photo, renditions: sortBy(c.photo.renditions, (r) => r.name) },
    tagIds: [...c.tagIds].sort(),
    people: sortBy(c.people, (l) => l.id),
    organisations: sortBy(c.organisations, (l) => l.id),
    places: sortBy(c.places, (l) => l.id),
    events: sortBy(c.events, (l) => l.id),
  }
}

/** field → { before, after } for every field of `after` whose value differs. */
function diff(before: object, after: object): Changes {
  const changes: Changes = {}
  for (const [key, value] of Object.entries(after)) {
    const old = (before as Record<string, unknown>)[key] ?? null
    if (!isDeepStrictEqual(old, value ?? null)) changes[key] = { before: old, after: value ?? null }
  }
  return changes
}

const STORY_SELECT = {
  id: true,
  version: true,
  status: true,
  firstPublishedAt: true,
  embargoedUntil: true,
  contentUpdatedAt: true,
  withdrawnAt: true,
  withdrawalReason: true,
  photoId: true,
  slug: true,
  headline: true,
  lede: true,
  language: true,
  type: true,
  urgency: true,
  byline: true,
  editionNote: true,
  editorNote: true,
  sourceStoryId: true,
  sourceOrganisationId: true,
  adaptedById: true,
  headlines: { select: { role: true, value: true } },
  sections: { select: { heading: true, paragraphs: true }, orderBy: { position: 'asc' } },
  photo: {
    select: {
      caption: true,
      altText: true,
      creditLine: true,
      copyrightHolder: true,
      renditions: { select: { name: true, href: true, mimeType: true, width: true, height: true } },
    },
  },
  contributors: {
    select: { role: true, name: true, personId: true, organisationId: true },
    orderBy: { position: 'asc' },
  },
  tags: { select: { tagId: true } },
  people: { select: { personId: true, relation: true } },
  organisations: { select: { organisationId: true, relation: true } },
  places: { select: { placeId: true, relation: true } },
  events: { select: { eventId: true, relation: true } },
  related: { select: { relatedId: true, reason: true }, orderBy: { position: 'asc' } },
} satisfies Prisma.StorySelect

/** The stored story: its status columns, and its editable content. Called after claim, so current. */
async function readStory(tx: Tx, id: string) {
  const row = await tx.story.findUniqueOrThrow({ where: { id }, select: STORY_SELECT })
  const { headlines, sections, photo, contributors, tags, people, organisations, places, events, related, ...story } =
    row
  const content = shaped({
    ...story,
    alternativeHeadlines: headlines,
    sections,
    photo,
    contributors,
    tagIds: tags.map((t) => t.tagId),
    people: people.map((l) => ({ id: l.personId, relation: l.relation })),
    organisations: organisations.map((l) => ({ id: l.organisationId, relation: l.relation })),
    places: places.map((l) => ({ id: l.placeId, relation: l.relation })),
    events: events.map((l) => ({ id: l.eventId, relation: l.relation })),
    related: related.map((r) => ({ storyId: r.relatedId, reason: r.reason })),
  })
  return { ...story, content: sorted(content) }
}

/** The story row's own columns of the content (the photo and the lists are written apart). */
function columns(c: StoryContent) {
  return {
    slug: c.slug,
    headline: c.headline,
    lede: c.lede,
    language: c.language,
    type: c.type,
    urgency: c.urgency,
    byline: c.byline,
    editionNote: c.editionNote,
    editorNote: c.editorNote,
    sourceStoryId: c.sourceStoryId,
    sourceOrganisationId: c.sourceOrganisationId,
    adaptedById: c.adaptedById,
  }
}

/**
 * Replaces the story's child rows of each list in `keys` with the content's. Create, update and
 * restore all write lists through here; `existing` is false for a new story, which has none.
 */
async function writeLists(tx: Tx, storyId: string, c: StoryContent, keys: readonly ListKey[], existing: boolean) {
  const where = { storyId }
  const lists: Record<ListKey, { clear: () => Promise<unknown>; add: () => Promise<unknown> }> = {
    alternativeHeadlines: {
      clear: () => tx.storyHeadline.deleteMany({ where }),
      add: () => tx.storyHeadline.createMany({ data: c.alternativeHeadlines.map((h) => ({ storyId, ...h })) }),
    },
    sections: {
      clear: () => tx.storySection.deleteMany({ where }),
      add: () => tx.storySection.createMany({ data: c.sections.map((s, position) => ({ storyId, position, ...s })) }),
    },
    contributors: {
      clear: () => tx.storyContributor.deleteMany({ where }),
      add: () =>
        tx.storyContributor.createMany({ data: c.contributors.map((x, position) => ({ storyId, position, ...x })) }),
    },
    tagIds: {
      clear: () => tx.storyTag.deleteMany({ where }),
      add: () => tx.storyTag.createMany({ data: c.tagIds.map((tagId) => ({ storyId, tagId })) }),
    },
    people: {
      clear: () => tx.storyPerson.deleteMany({ where }),
      add: () =>
        tx.storyPerson.createMany({ data: c.people.map((l) => ({ storyId, personId: l.id, relation: l.relation })) }),
    },
    organisations: {
      clear: () => tx.storyOrganisation.deleteMany({ where }),
      add: () =>
        tx.storyOrganisation.createMany({
          data: c.organisations.map((l) => ({ storyId, organisationId: l.id, relation: l.relation })),
        }),
    },
    places: {
      clear: () => tx.storyPlace.deleteMany({ where }),
      add: () =>
        tx.storyPlace.createMany({ data: c.places.map((l) => ({ storyId, placeId: l.id, relation: l.relation })) }),
    },
    events: {
      clear: () => tx.storyEvent.deleteMany({ where }),
      add: () =>
        tx.storyEvent.createMany({ data: c.events.map((l) => ({ storyId, eventId: l.id, relation: l.relation })) }),
    },
    related: {
      clear: () => tx.relatedStory.deleteMany({ where }),
      add: () =>
        tx.relatedStory.createMany({
          data: c.related.map((r, position) => ({ storyId, relatedId: r.storyId, reason: r.reason, position })),
        }),
    },
  }
  for (const key of keys) {
    if (existing) await lists[key].clear()
    if (c[key].length > 0) await lists[key].add()
  }
}

/** A new asset for the photo. An edited photo is a new asset: revisions keep the old content. */
async function createPhoto(tx: Tx, photo: Photo | null): Promise<string | null> {
  if (!photo) return null
  const { renditions, ...asset } = photo
  const row = await tx.mediaAsset.create({
    data: { type: 'PICTURE', ...asset, renditions: { create: renditions } },
    select: { id: true },
  })
  return row.id
}

/** An asset no story shows any more is deleted (its content lives on in the revisions). */
async function removeUnusedPhoto(tx: Tx, assetId: string) {
  await tx.mediaAsset.deleteMany({ where: { id: assetId, stories: { none: {} } } })
}

type Model = 'story' | 'tag' | 'person' | 'organisation' | 'place' | 'event'

const FIND: Record<Model, (tx: Tx, ids: string[]) => Promise<{ id: string }[]>> = {
  story: (tx, ids) => tx.story.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  tag: (tx, ids) => tx.tag.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  person: (tx, ids) => tx.person.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  organisation: (tx, ids) => tx.organisation.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  place: (tx, ids) => tx.place.findMany({ where: { id: { in: ids } }, select: { id: true } }),
  event: (tx, ids) => tx.event.findMany({ where: { id: { in: ids } }, select: { id: true } }),
}

/**
 * What the database would refuse, as typed errors: a slug another story has, an id that names
 * nothing (NotFound, with the field), a story related to or adapted from itself. Only the fields
 * in `changed` are checked; the rest were checked when written.
 */
async function checkContent(tx: Tx, id: string | null, c: StoryContent, changed: Set<string>, field: FieldOf) {
  if (changed.has('slug')) {
    const taken = await tx.story.findFirst({
      where: { slug: c.slug, ...(id ? { NOT: { id } } : {}) },
      select: { id: true },
    })
    if (taken) throw new ValidationError([{ field: field('slug'), message: 'another story has this slug' }])
  }
  const refs: { model: Model; id: string; path: string }[] = []
  const add = (key: keyof StoryContent, model: Model, ref: string | null, path: string) => {
    if (ref && changed.has(key)) refs.push({ model, id: ref, path })
  }
  c.contributors.forEach((x, i) => {
    add('contributors', 'person', x.personId, `contributors.${i}.personId`)
    add('contributors', 'organisation', x.organisationId, `contributors.${i}.organisationId`)
  })
  c.tagIds.forEach((ref, i) => add('tagIds', 'tag', ref, `tagIds.${i}`))
  c.people.forEach((l, i) => add('people', 'person', l.id, `people.${i}.id`))
  c.organisations.forEach((l, i) => add('organisations', 'organisation', l.id, `organisations.${i}.id`))
  c.places.forEach((l, i) => add('places', 'place', l.id, `places.${i}.id`))
  c.events.forEach((l, i) => add('events', 'event', l.id, `events.${i}.id`))
  add('sourceStoryId', 'story', c.sourceStoryId, 'sourceStoryId')
  add('sourceOrganisationId', 'organisation', c.sourceOrganisationId, 'sourceOrganisationId')
  add('adaptedById', 'organisation', c.adaptedById, 'adaptedById')
  c.related.forEach((r, i) => add('related', 'story', r.storyId, `related.${i}.storyId`))

  const self = refs.find((r) => r.model === 'story' && r.id === id)
  if (self) throw new ValidationError([{ field: field(self.path), message: 'a story cannot point at itself' }])

  const found = new Set<string>()
  for (const model of new Set(refs.map((r) => r.model))) {
    const rows = await FIND[model](tx, [...new Set(refs.filter((r) => r.model === model).map((r) => r.id))])
    for (const row of rows) found.add(`${model}:${row.id}`)
  }
  const missing = refs.find((r) => !found.has(`${r.model}:${r.id}`))
  if (missing) throw new NotFoundError(`No ${missing.model} with that id.`, field(missing.path))
}

async function appendRevision(
  tx: Tx,
  by: Author,
  storyId: string,
  version: number,
  action: string,
  changes: Changes,
  snapshot: StoryContent,
) {
  await tx.storyRevision.create({
    data: {
      storyId,
      version,
      action,
      actor: by.actor,
      requestId: by.requestId,
      changes: asJson(changes),
      snapshot: asJson(snapshot),
    },
  })
}

type StoryState = PublicationState & { id: string; version: number; firstPublishedAt: Date | null }

/**
 * The change-log entry: what the story touches, before and after (so a tag's followers also learn
 * that a story left the tag), and the facts of the change as it commits (src/live/changes.ts).
 */
function storyChange(
  kind: StoryKind,
  before: StoryState | null,
  after: StoryState,
  contents: StoryContent[],
  extra: Partial<StoryFacts> = {},
): StoryChangeEntry {
  const topics = new Set<Topic>([topic('story', after.id)])
  for (const c of contents) {
    for (const id of c.tagIds) topics.add(topic('tag', id))
    for (const l of c.people) topics.add(topic('person', l.id))
    for (const l of c.organisations) topics.add(topic('organisation', l.id))
    for (const l of c.places) topics.add(topic('place', l.id))
    for (const l of c.events) topics.add(topic('event', l.id))
  }
  const now = new Date()
  const to = effectiveStatus(after, now)
  const content = contents[contents.length - 1]!
  const facts: StoryFacts = {
    version: after.version,
    from: before ? effectiveStatus(before, now) : null,
    to,
    public: to === 'PUBLISHED',
    notice: isPublicNotice(after),
    urgency: content.urgency,
    language: content.language,
    ...extra,
  }
  return { kind, objectType: 'Story', objectId: after.id, topics: [...topics], facts }
}
