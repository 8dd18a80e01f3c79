// Story writes: create, update, publish (now, or scheduled, which src/live/scheduler.ts completes
// through publishStory too), withdraw, correct, restore. Each runs inside runMutation's
// transaction, appends one StoryRevision (what changed, and the editable story after it) and
// returns the change-log entry. Any error thrown rolls the whole write back. What the content is
// and how a patch changes it is src/resolvers/story-content.ts; how it is stored, story-rows.ts.
//
// Text is stored exactly as given, markup and <script> included: this API never renders it, so
// there is nothing to escape here; whoever renders a story must escape it there.
import { uuidv7 } from '../db/uuid.js'
import { Prisma } from '../generated/prisma/client.js'
import type { CorrectionKind } from '../generated/prisma/enums.js'
import { editionIds } from './editions.js'
import { NotFoundError, ValidationError } from './errors.js'
import { topic, type StoryChangeEntry, type StoryFacts, type StoryKind, type Topic } from '../live/changes.js'
import { appendWithHistory, expectVersion, type Tx, type Written } from './mutation.js'
import { readingStats } from './reading.js'
import {
  applyPatch,
  DEFAULTS,
  diff,
  inputField,
  LINKS,
  LISTS,
  sorted,
  withEdition,
  type Changes,
  type FieldOf,
  type StoryContent,
  type StoryPatch,
} from './story-content.js'
import {
  checkContent,
  columns,
  createPhoto,
  findStory,
  readStory,
  removeUnusedPhoto,
  writeLists,
  writeStatus,
  type StateChange,
  type StoryRow,
} from './story-rows.js'
import { effectiveStatus, isPublicNotice, type PublicationState } from './visibility.js'

// The content types the operations take, for their callers (the story mutations, the ninjs import).
export type { EntityLink, Photo, Rendition, StoryContent, StoryPatch } from './story-content.js'

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

// ---------------------------------------------------------------------------------------------
// The mutations

export async function createStory(tx: Tx, by: Author, input: StoryPatch): Promise<Written<{ id: string }>> {
  const given = withEdition(applyPatch(DEFAULTS, input, inputField), new Date())
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
  appendRevision(tx, by, story.id, story.version, 'created', changes, content)
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
  const story = await readAt(tx, id, version)
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
  const story = await readAt(tx, id, version)
  if (story.status === 'WITHDRAWN')
    throw new ValidationError([{ field: 'id', message: 'the story is already withdrawn' }])
  return changeState(tx, by, story, withdrawal(story, reason), 'withdrawn', 'story.withdrawn')
}

/** A correction is shown with the story; a RETRACTION also withdraws it, with the text as reason. */
export async function addCorrection(tx: Tx, by: Author, storyId: string, input: CorrectionInput) {
  // No version is sent: a correction is added to whatever is stored. It still bumps the version,
  // so an editor holding the old one reloads before saving over it.
  await claim(tx, storyId, null, 'storyId')
  const story = { ...(await readStory(tx, storyId)), claimed: true }
  const correction = await tx.correction.create({
    data: { storyId, ...input, createdBy: by.actor },
    select: { id: true, kind: true, text: true, field: true, before: true, after: true },
  })
  const retracts = input.kind === 'RETRACTION' && story.status !== 'WITHDRAWN'
  const state: StateChange = { contentUpdatedAt: new Date(), ...(retracts ? withdrawal(story, input.text) : {}) }
  // the original was corrected: the editions made from it, as they are now, hear of it
  const editions = await editionIds(tx, storyId)
  return changeState(tx, by, story, state, 'corrected', 'story.corrected', {
    changes: { corrections: { before: null, after: correction } },
    facts: { correction: { id: correction.id, kind: input.kind }, ...(editions.length > 0 && { editions }) },
  })
}

// ---------------------------------------------------------------------------------------------
// Shared steps

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

/**
 * The optimistic check of a write that names a version (update, publish, withdraw), made on the
 * story as read rather than by a claim first: a stale `version` is refused at once, and the write
 * (writeHeld) re-checks it, so a writer that saved in between still finds it changed. One
 * statement fewer than claim, then read.
 */
async function readAt(tx: Tx, id: string, version: number): Promise<Held> {
  const story = await findStory(tx, id)
  if (!story) throw new NotFoundError('No story with that id.', 'id')
  if (story.version !== version) await expectVersion({ count: 0 }, async () => story, 'story', version)
  return { ...story, claimed: false }
}

/**
 * Writes `data` to a held story; returns the story as it now stands (its new version). One read at
 * the writer's version is checked here, by the update itself: it bumps the version only where it
 * is still the one read, so a writer that saved in between is found out. updateMany, because
 * Prisma's update would read the whole row back (RETURNING every column) for nobody.
 */
async function writeHeld(tx: Tx, held: Held, data: Prisma.StoryUncheckedUpdateManyInput): Promise<StoryRow> {
  const { claimed, ...story } = held
  if (claimed) {
    await tx.story.updateMany({ where: { id: story.id }, data })
    return story
  }
  const updated = await tx.story.updateMany({
    where: { id: story.id, version: story.version },
    data: { ...data, version: { increment: 1 } },
  })
  await expectVersion(
    updated,
    () => tx.story.findUnique({ where: { id: story.id }, select: { version: true } }),
    'story',
    story.version,
  )
  return { ...story, version: story.version + 1 }
}

/** A story as writeHeld takes it: claimed (its version already bumped and the row held: a
 *  correction, which names no version), or read at the version the writer sent (readAt). */
type Held = StoryRow & { claimed: boolean }

export interface Revision {
  action: string
  kind: StoryKind
  field: FieldOf
  facts?: Partial<StoryFacts>
  /** refuses the write (throws) for the story as stored, read at the version sent */
  expect?: (story: StoryRow) => void
}

/** updateStory, restoreRevision and the edition links: the patch applied to the stored content. */
export async function reviseStory(
  tx: Tx,
  by: Author,
  id: string,
  version: number,
  patch: StoryPatch,
  how: Revision,
): Promise<Written<{ id: string }>> {
  const story = await readAt(tx, id, version)
  how.expect?.(story)
  const now = new Date()
  const given = withEdition(applyPatch(story.content, patch, how.field), now)
  const content = sorted(given)
  const changes = diff(story.content, content)
  const changed = new Set(Object.keys(changes))
  await checkContent(tx, id, given, changed, how.field)

  const photoId = changed.has('photo') ? await createPhoto(tx, content.photo) : story.photoId
  const written = await writeHeld(tx, story, {
    ...columns(content),
    ...(changed.has('lede') || changed.has('sections') ? readingStats(content) : {}),
    photoId,
    // dateModified: only a change made after publication counts
    ...(changed.size > 0 && story.firstPublishedAt && story.firstPublishedAt <= now ? { contentUpdatedAt: now } : {}),
  })
  if (changed.has('photo') && story.photoId) await removeUnusedPhoto(tx, story.photoId)
  await writeLists(
    tx,
    id,
    content,
    LISTS.filter((key) => changed.has(key)),
    true,
  )
  appendRevision(tx, by, id, written.version, how.action, changes, content)
  // topics from before and after: a tag's followers also learn that a story left the tag
  const change = storyChange(how.kind, story, written, [story.content, content], { fields: [...changed], ...how.facts })
  return { result: { id }, change }
}

/** publish, withdraw, correct: the status columns change, the editable content does not. */
async function changeState(
  tx: Tx,
  by: Author,
  held: Held,
  state: StateChange,
  action: string,
  kind: StoryKind,
  extra: { changes?: Changes; facts?: Partial<StoryFacts> } = {},
): Promise<Written<{ id: string }>> {
  const story = held.claimed ? await writeHeld(tx, held, state) : await writeStatus(tx, held, state)
  const before = Object.fromEntries(Object.keys(state).map((key) => [key, story[key as keyof StateChange]]))
  const changes = { ...diff(before, state), ...extra.changes }
  appendRevision(tx, by, story.id, story.version, action, changes, story.content)
  const after = { ...story, ...state }
  const facts = {
    ...extra.facts,
    ...(state.status === 'WITHDRAWN' && { withdrawal: { reason: state.withdrawalReason! } }),
  }
  return { result: { id: story.id }, change: storyChange(kind, story, after, [story.content], facts) }
}

/** Sent with the write's audit entry and change-log row (appendWithHistory): nothing reads it back. */
function appendRevision(
  tx: Tx,
  by: Author,
  storyId: string,
  version: number,
  action: string,
  changes: Changes,
  snapshot: StoryContent,
) {
  // JSON.stringify as asJson stores it: dates as ISO strings, undefined left out
  appendWithHistory(
    tx,
    Prisma.sql`"StoryRevision" ("id", "storyId", "version", "action", "actor", "requestId", "changes", "snapshot", "createdAt")`,
    Prisma.sql`${uuidv7()}::uuid, ${storyId}::uuid, ${version}, ${action}, ${by.actor}, ${by.requestId},
               ${JSON.stringify(changes)}::jsonb, ${JSON.stringify(snapshot)}::jsonb, ${new Date()}::timestamp(3)`,
  )
}

/** What the facts of a change are worked out from: the story as it stood, or stands after it. */
type StoryState = PublicationState & { id: string; version: number; firstPublishedAt: Date | null }

/**
 * The change-log entry: what the story touches, before and after (so a tag's followers also learn
 * that a story left the tag; an edition, the story it was made from), and the facts of the change
 * as it commits (src/live/changes.ts).
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
    for (const [key, model] of LINKS) for (const l of c[key]) topics.add(topic(model, l.id))
    // an edition is filed under the story it was made from
    if (c.sourceStoryId) topics.add(topic('story', c.sourceStoryId))
  }
  // a correction of an original touches the editions made from it
  for (const id of extra.editions ?? []) topics.add(topic('story', id))
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
