// How the story content (src/resolvers/story-content.ts) becomes rows and back: the story's own
// columns, the child rows of its lists (headlines, sections, contributors, tags, entity links,
// related stories), its photo asset, and the checks the database would otherwise make as errors
// no client could act on (a slug taken, an id that names nothing).
import { Prisma } from '../generated/prisma/client.js'
import { isEditionOf } from './editions.js'
import { NotFoundError, ValidationError } from './errors.js'
import { expectVersion, writeGuarded, type Tx } from './mutation.js'
import { LINKS, shaped, sorted, type FieldOf, type ListKey, type Photo, type StoryContent } from './story-content.js'

/** A rendition as the content holds it. */
const RENDITION = { name: true, href: true, mimeType: true, width: true, height: true } as const

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
  editionKind: true,
  editionAt: true,
  sourceStoryId: true,
  sourceUri: true,
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
      renditions: { select: RENDITION },
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

export type StoryRow = NonNullable<Awaited<ReturnType<typeof findStory>>>

/** The stored story: its status columns, and its editable content. Called after claim, so current. */
export async function readStory(tx: Tx, id: string) {
  const story = await findStory(tx, id)
  if (!story) throw new NotFoundError('No story with that id.', 'id')
  return story
}

/** The stored story as readStory gives it, or null when there is none. */
export async function findStory(tx: Tx, id: string) {
  const row = await tx.story.findUnique({ where: { id }, select: STORY_SELECT })
  if (!row) return null
  const { headlines, sections, photo, contributors, tags, people, organisations, places, events, related, ...story } =
    row
  const content = shaped({
    ...story,
    editionAt: story.editionAt?.toISOString() ?? null,
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

/** What publish, withdraw and correct change: the status columns, not the editable content. */
export type StateChange = Partial<
  Pick<
    StoryRow,
    'status' | 'firstPublishedAt' | 'embargoedUntil' | 'withdrawnAt' | 'withdrawalReason' | 'contentUpdatedAt'
  >
>

/** The status columns' types, for writeStatus's SQL. */
const STATE_TYPES: Record<keyof StateChange, string> = {
  status: '"StoryStatus"',
  firstPublishedAt: 'timestamp(3)',
  embargoedUntil: 'timestamp(3)',
  withdrawnAt: 'timestamp(3)',
  withdrawalReason: 'text',
  contentUpdatedAt: 'timestamp(3)',
}

/**
 * Writes a story's status columns where its version is still the one read (publish, withdraw),
 * bumping it, as runMutation's guarded write: in runMutation's single mode the UPDATE and the
 * write's record are one statement. Raw SQL for that (Prisma's updateMany cannot be part of another
 * statement); it sets what updateMany would, @updatedAt included. Returns the story after it.
 */
export async function writeStatus<S extends StoryRow>(tx: Tx, story: S, state: StateChange): Promise<S> {
  const set = Object.entries(state)
    .filter(([, value]) => value !== undefined)
    .map(([column, value]) => {
      const type = STATE_TYPES[column as keyof StateChange]
      if (!type) throw new Error(`writeStatus: ${column} is no status column`)
      return Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}::${Prisma.raw(type)}`
    })
  await writeGuarded(tx, {
    update: Prisma.sql`
      UPDATE "Story" SET ${Prisma.join(set)}, "version" = "version" + 1, "updatedAt" = ${new Date()}::timestamp(3)
       WHERE "id" = ${story.id}::uuid AND "version" = ${story.version}`,
    missed: async () => {
      const current = () => tx.story.findUnique({ where: { id: story.id }, select: { version: true } })
      await expectVersion({ count: 0 }, current, 'story', story.version)
      throw new Error('unreachable: expectVersion throws when nothing was written')
    },
  })
  return { ...story, version: story.version + 1 }
}

/** The story row's own columns of the content (the photo and the lists are written apart). */
export function columns(c: StoryContent) {
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
    editionKind: c.editionKind,
    editionAt: c.editionAt ? new Date(c.editionAt) : null,
    sourceStoryId: c.sourceStoryId,
    sourceUri: c.sourceUri,
    sourceOrganisationId: c.sourceOrganisationId,
    adaptedById: c.adaptedById,
  }
}

/**
 * Replaces the story's child rows of each list in `keys` with the content's. Create, update and
 * restore all write lists through here; `existing` is false for a new story, which has none.
 */
export async function writeLists(
  tx: Tx,
  storyId: string,
  c: StoryContent,
  keys: readonly ListKey[],
  existing: boolean,
) {
  // one list in its own table, the rows typed by that table's createMany
  const write = async <Row>(key: ListKey, table: ChildTable<Row>, rows: () => Row[]) => {
    if (!keys.includes(key)) return
    if (existing) await table.deleteMany({ where: { storyId } })
    if (c[key].length > 0) await table.createMany({ data: rows() })
  }
  await write('alternativeHeadlines', tx.storyHeadline, () => c.alternativeHeadlines.map((h) => ({ storyId, ...h })))
  await write('sections', tx.storySection, () => c.sections.map((s, position) => ({ storyId, position, ...s })))
  await write('contributors', tx.storyContributor, () =>
    c.contributors.map((x, position) => ({ storyId, position, ...x })),
  )
  await write('tagIds', tx.storyTag, () => c.tagIds.map((tagId) => ({ storyId, tagId })))
  await write('people', tx.storyPerson, () => c.people.map((l) => ({ storyId, personId: l.id, relation: l.relation })))
  await write('organisations', tx.storyOrganisation, () =>
    c.organisations.map((l) => ({ storyId, organisationId: l.id, relation: l.relation })),
  )
  await write('places', tx.storyPlace, () => c.places.map((l) => ({ storyId, placeId: l.id, relation: l.relation })))
  await write('events', tx.storyEvent, () => c.events.map((l) => ({ storyId, eventId: l.id, relation: l.relation })))
  await write('related', tx.relatedStory, () =>
    c.related.map((r, position) => ({ storyId, relatedId: r.storyId, reason: r.reason, position })),
  )
}

/** What writeLists needs of a child table's delegate. */
interface ChildTable<Row> {
  deleteMany(args: { where: { storyId: string } }): Promise<unknown>
  createMany(args: { data: Row[] }): Promise<unknown>
}

/** A new asset for the photo. An edited photo is a new asset: revisions keep the old content. */
export async function createPhoto(tx: Tx, photo: Photo | null): Promise<string | null> {
  if (!photo) return null
  const { renditions, ...asset } = photo
  const row = await tx.mediaAsset.create({
    data: { type: 'PICTURE', ...asset, renditions: { create: renditions } },
    select: { id: true },
  })
  return row.id
}

/** An asset no story shows any more is deleted (its content lives on in the revisions). */
export async function removeUnusedPhoto(tx: Tx, assetId: string) {
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
 * nothing (NotFound, with the field), a story related to or an edition of itself, or of one of its
 * own editions. Only the fields in `changed` are checked; the rest were checked when written.
 */
export async function checkContent(tx: Tx, id: string | null, c: StoryContent, changed: Set<string>, field: FieldOf) {
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
  for (const [key, model] of LINKS) c[key].forEach((l, i) => add(key, model, l.id, `${key}.${i}.id`))
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

  if (id && c.sourceStoryId && changed.has('sourceStoryId') && (await isEditionOf(tx, c.sourceStoryId, id))) {
    throw new ValidationError([
      { field: field('sourceStoryId'), message: 'a story cannot be an edition of one of its own editions' },
    ])
  }
}
