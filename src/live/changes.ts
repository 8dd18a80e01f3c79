// The change contract: every kind of change, the facts it records when it commits, and the topics
// it touches. Writers build their change-log entries here (src/resolvers/*-writes.ts); the feed,
// the subscriptions and the response cache read them here. Nothing else builds or parses topics or
// payloads.
//
// A change is a fact as of its commit, not a pointer to an object judged later by its state: a
// subscription, live or replayed, filters on these facts alone, so a resumed stream is exactly
// the stream a subscriber who never dropped got.
import type { CorrectionKind, DatePrecision, EditionKind, EventStatus, StoryStatus } from '../generated/prisma/enums.js'
import type { Prisma } from '../generated/prisma/client.js'

export const STORY_KINDS = [
  'story.created',
  'story.updated',
  'story.restored',
  'story.scheduled',
  'story.published',
  'story.withdrawn',
  'story.corrected',
  'story.edition_linked',
  'story.edition_unlinked',
] as const
export const EVENT_KINDS = ['event.created', 'event.updated', 'event.status_changed'] as const
export const ENTITY_TYPES = { tag: 'Tag', person: 'Person', organisation: 'Organisation', place: 'Place' } as const

export type StoryKind = (typeof STORY_KINDS)[number]
export type EventKind = (typeof EVENT_KINDS)[number]
export type EntityModel = keyof typeof ENTITY_TYPES
export type EntityKind = `${EntityModel}.${'created' | 'updated'}`
export type ChangeKind = StoryKind | EventKind | EntityKind

/** Every kind of change (what a webhook may ask for). */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  ...STORY_KINDS,
  ...EVENT_KINDS,
  ...(Object.keys(ENTITY_TYPES) as EntityModel[]).flatMap((m) => [`${m}.created`, `${m}.updated`] as const),
]

/** What a change may touch; a topic names one of them by its row id. */
export type TopicKind = 'story' | 'event' | EntityModel
export type Topic = `${TopicKind}:${string}`

export const topic = (kind: TopicKind, id: string): Topic => `${kind}:${id}`

export function parseTopic(t: Topic): { kind: TopicKind; id: string } {
  const at = t.indexOf(':')
  return { kind: t.slice(0, at) as TopicKind, id: t.slice(at + 1) }
}

/** The node type a topic kind names. */
export const TOPIC_TYPES: Record<TopicKind, string> = { story: 'Story', event: 'Event', ...ENTITY_TYPES }

// ---------------------------------------------------------------------------------------------
// Facts

/** A story change, as it stood when it committed. Statuses are as the public saw them then
 *  (a scheduled story whose time had come counts as published). */
export interface StoryFacts {
  version: number
  /** null for a story just created */
  from: StoryStatus | null
  to: StoryStatus
  /** the public could read the story once the change committed */
  public: boolean
  /** the story is withdrawn after the public read it: the public may see its withdrawal notice */
  notice: boolean
  urgency: number
  language: string
  /** the content fields an update changed */
  fields?: string[]
  restoredFrom?: number
  /** story.scheduled: when it goes out */
  scheduledFor?: string
  /** a withdrawal (or a retraction, which withdraws) */
  withdrawal?: { reason: string }
  correction?: { id: string; kind: CorrectionKind }
  /** story.corrected of an original: the row ids of the editions made from it (at every depth),
   *  each also a topic, so their editors hear that the original was corrected */
  editions?: string[]
  /** story.edition_linked: the kind, and the row id of the story it was made from (null for an
   *  agency item outside this graph) */
  edition?: { kind: EditionKind; of: string | null }
  imported?: Imported
}

/** An import wrote the change (importNinjs), from this item. */
interface Imported {
  format: 'ninjs'
  uri: string
  action: string
}

export interface Window {
  from: string
  to: string
  precision: DatePrecision
}

export interface Schedule {
  expectedStart: Window | null
  startAt: string | null
}

export interface EventFacts {
  version: number
  statusChange?: {
    id: string
    from: EventStatus | null
    to: EventStatus
    at: string
    note: string | null
    /** the row id of the story that reported it */
    reportedBy: string | null
    expectedStart: Window | null
  }
  scheduleChange?: { id: string; from: Schedule; to: Schedule }
  imported?: Imported
}

export interface EntityFacts {
  version: number
}

interface Entry<K extends ChangeKind, T extends string, F> {
  kind: K
  objectType: T
  /** the row id of what changed */
  objectId: string
  /** what the change touches: the object itself, and what it is filed under, before and after */
  topics: Topic[]
  facts: F
}

export type StoryChangeEntry = Entry<StoryKind, 'Story', StoryFacts>
export type EventChangeEntry = Entry<EventKind, 'Event', EventFacts>
export type EntityChangeEntry = Entry<EntityKind, (typeof ENTITY_TYPES)[EntityModel], EntityFacts>
/** A change as a write hands it to runMutation (src/resolvers/mutation.ts). */
export type ChangeEntry = StoryChangeEntry | EventChangeEntry | EntityChangeEntry

/** A change as the log holds it. */
export type Change = ChangeEntry & { seq: bigint; at: Date }

export const isStoryChange = (c: ChangeEntry): c is StoryChangeEntry => c.objectType === 'Story'

// ---------------------------------------------------------------------------------------------
// The log's rows

/** The change-log row a change is written as. */
export function changeRow(change: ChangeEntry): Prisma.ChangeCreateInput {
  return {
    kind: change.kind,
    objectType: change.objectType,
    objectId: change.objectId,
    topics: change.topics,
    payload: asJson(change.facts),
  }
}

/** A row read back from the log. */
export function changeOf(row: {
  seq: bigint
  at: Date
  kind: string
  objectType: string
  objectId: string
  topics: string[]
  payload: unknown
}): Change {
  return { ...row, topics: row.topics as Topic[], facts: (row.payload ?? {}) as never } as Change
}

/** As JSON stores it: dates become ISO strings, undefined goes. */
export function asJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue
}

export const isoOrNull = (at: Date | null | undefined) => (at ? at.toISOString() : null)
