// What a subscription sends: a change, with its cursor and kind, and the facts recorded when it
// committed (src/live/changes.ts): what status moved from and to, the correction's kind, the
// withdrawal's reason, an event's status or schedule change. Fields named after an object
// (`story`, `event`, `correction`) give it as it is now, and null once you may no longer read it.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { type Change, type EventFacts, type StoryChangeEntry, type Window } from '../live/changes.js'
import { factsForClients, objectIdForClients, topicsForClients } from '../live/client-change.js'
import { readableStoryWhere, visibleStoryWhere } from '../resolvers/visibility.js'
import { readableCorrectionWhere } from './correction.js'
import { CorrectionKindEnum, EventStatusEnum, StoryStatusEnum } from './enums.js'
import { ExpectedStart } from './event.js'
import { EventSchedule, TimelineItemRef } from './timeline.js'
import { timelineItems, type TimelineKind } from '../resolvers/timeline.js'

const date = (iso: string) => new Date(iso)
const window = (w: Window | null) => (w ? { from: date(w.from), to: date(w.to), precision: w.precision } : null)

// Pothos cannot type a field builder passed around by value across object types, hence `t: any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ChangeFields = (t: any) => ({
  cursor: t.string({
    description: 'Pass as `since` to resume after this change.',
    resolve: (c: Change) => c.seq.toString(),
  }),
  kind: t.string({
    description: 'e.g. story.published, story.corrected, event.status_changed',
    resolve: (c: Change) => c.kind,
  }),
  at: t.field({ type: 'DateTime', description: 'When it committed.', resolve: (c: Change) => c.at }),
})

/** A story as it is now, if the viewer may read it. */
const storyNow = (query: object, id: string, ctx: Context) =>
  ctx.prisma.story.findFirst({ ...query, where: { id, ...readableStoryWhere(ctx.viewer) } })

const StoryStatusMove = builder
  .objectRef<{ from: StoryStatusValue | null; to: StoryStatusValue }>('StoryStatusMove')
  .implement({
    description:
      'A story’s status before and after a change, as readers saw it (a scheduled story whose time had come counts as published).',
    fields: (t) => ({
      from: t.field({
        type: StoryStatusEnum,
        nullable: true,
        description: 'null for a story just created',
        resolve: (m) => m.from,
      }),
      to: t.field({ type: StoryStatusEnum, resolve: (m) => m.to }),
    }),
  })
type StoryStatusValue = StoryChangeEntry['facts']['to']

export const StoryChange = builder.objectRef<Change & StoryChangeEntry>('StoryChange').implement({
  description: 'A story was published, updated, corrected or withdrawn.',
  fields: (t) => ({
    ...ChangeFields(t),
    storyId: t.id({
      description: 'The story’s global id (what `node(id:)` takes), even once you may no longer read it.',
      resolve: (c) => encodeGlobalID('Story', c.objectId),
    }),
    statusChange: t.field({
      type: StoryStatusMove,
      nullable: true,
      description: 'How the change moved the story’s status; null when it stayed.',
      resolve: ({ facts }) => (facts.from === facts.to ? null : { from: facts.from, to: facts.to }),
    }),
    urgency: t.int({
      description: 'The story’s urgency at the change (1 = flash … 9).',
      resolve: (c) => c.facts.urgency,
    }),
    language: t.string({ description: 'The story’s language at the change.', resolve: (c) => c.facts.language }),
    withdrawalReason: t.string({
      nullable: true,
      description: 'For a withdrawal or retraction: why.',
      resolve: (c) => c.facts.withdrawal?.reason ?? null,
    }),
    correctionKind: t.field({
      type: CorrectionKindEnum,
      nullable: true,
      description: 'For story.corrected: which kind of note.',
      resolve: (c) => c.facts.correction?.kind ?? null,
    }),
    scheduledFor: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'For story.scheduled: when it goes out.',
      resolve: (c) => (c.facts.scheduledFor ? date(c.facts.scheduledFor) : null),
    }),
    story: t.prismaField({
      type: 'Story',
      nullable: true,
      description: 'The story as it is now; null if you may no longer read it.',
      resolve: (query, change, _args, ctx) => storyNow(query, change.objectId, ctx),
    }),
    correction: t.prismaField({
      type: 'Correction',
      nullable: true,
      description:
        'The correction this change published, as it is now; null if you may no longer read it (the public reads corrections only with a story it may read in full).',
      resolve: (query, change, _args, ctx) => {
        const id = change.facts.correction?.id
        return id ? ctx.prisma.correction.findFirst({ ...query, where: { id, ...readableCorrectionWhere(ctx) } }) : null
      },
    }),
    editions: t.prismaField({
      type: ['Story'],
      description:
        'For a correction of a story with editions: the editions made from it when it was corrected, as they are now, those you may read.',
      resolve: (query, change, _args, ctx) => {
        // taken before the branch: Pothos warns of a planned selection left unused
        const selection = { ...query }
        const ids = change.facts.editions ?? []
        if (ids.length === 0) return []
        return ctx.prisma.story.findMany({
          ...selection,
          where: { id: { in: ids }, ...visibleStoryWhere(ctx.viewer) },
          orderBy: [{ language: 'asc' }, { id: 'asc' }],
        })
      },
    }),
  }),
})

type StatusFacts = NonNullable<EventFacts['statusChange']>
type ScheduleFacts = NonNullable<EventFacts['scheduleChange']>

const EventStatusMove = builder.objectRef<StatusFacts>('EventStatusMove').implement({
  description: 'An event’s status change, as recorded when it committed: e.g. talks SUSPENDED → RESUMED.',
  fields: (t) => ({
    from: t.field({ type: EventStatusEnum, nullable: true, resolve: (s) => s.from }),
    to: t.field({ type: EventStatusEnum, resolve: (s) => s.to }),
    at: t.field({ type: 'DateTime', description: 'When it happened.', resolve: (s) => date(s.at) }),
    note: t.string({ nullable: true, resolve: (s) => s.note }),
    expectedStart: t.field({
      type: ExpectedStart,
      nullable: true,
      description: 'When the event was expected to start as of this change.',
      resolve: (s) => window(s.expectedStart),
    }),
    reportedBy: t.prismaField({
      type: 'Story',
      nullable: true,
      description: 'The story that reported it, as it is now; null if you may not read it.',
      resolve: (query, s, _args, ctx) => (s.reportedBy ? storyNow(query, s.reportedBy, ctx) : null),
    }),
  }),
})

const EventScheduleMove = builder.objectRef<ScheduleFacts>('EventScheduleMove').implement({
  description: 'When an event was expected to start (or started), before and after a change.',
  fields: (t) => ({
    from: t.field({
      type: EventSchedule,
      resolve: (s) => ({
        expectedStart: window(s.from.expectedStart),
        startAt: s.from.startAt ? date(s.from.startAt) : null,
      }),
    }),
    to: t.field({
      type: EventSchedule,
      resolve: (s) => ({
        expectedStart: window(s.to.expectedStart),
        startAt: s.to.startAt ? date(s.to.startAt) : null,
      }),
    }),
  }),
})

/** A change as an eventUpdated subscriber gets it: with the event subscribed to, which a story
 *  about several events does not name by itself. */
export type EventChangePayload = Change & { eventId: string }

export const EventChange = builder.objectRef<EventChangePayload>('EventChange').implement({
  description: 'An event changed (status, dates, participants), or a story about it was published.',
  fields: (t) => ({
    ...ChangeFields(t),
    statusChange: t.field({
      type: EventStatusMove,
      nullable: true,
      description: 'For event.status_changed: from what to what, when, and why.',
      resolve: (c) => (c.objectType === 'Event' ? (c.facts.statusChange ?? null) : null),
    }),
    scheduleChange: t.field({
      type: EventScheduleMove,
      nullable: true,
      description: 'When the change moved the expected start (or the start): before and after.',
      resolve: (c) => (c.objectType === 'Event' ? (c.facts.scheduleChange ?? null) : null),
    }),
    event: t.prismaField({
      type: 'Event',
      nullable: true,
      description: 'The event as it is now.',
      resolve: (query, change, _args, ctx) => ctx.prisma.event.findUnique({ ...query, where: { id: change.eventId } }),
    }),
    story: t.prismaField({
      type: 'Story',
      nullable: true,
      description: 'For a story published about the event: the story as it is now.',
      resolve: (query, change, _args, ctx) => {
        // taken before the branch: Pothos warns of a planned selection left unused
        const selection = { ...query }
        return change.objectType === 'Story' ? storyNow(selection, change.objectId, ctx) : null
      },
    }),
  }),
})

/** A change that added to the timeline of the event followed (`eventId`). */
export interface TimelineChange {
  change: Change
  eventId: string
}

export const EventTimelineChange = builder.objectRef<TimelineChange>('EventTimelineChange').implement({
  description: 'What one change added to an event’s timeline.',
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass as `since` to resume after this change.',
      resolve: ({ change }) => change.seq.toString(),
    }),
    kind: t.string({
      description: 'e.g. story.published, story.corrected, event.status_changed, event.updated',
      resolve: ({ change }) => change.kind,
    }),
    at: t.field({ type: 'DateTime', resolve: ({ change }) => change.at }),
    items: t.field({
      type: [TimelineItemRef],
      // a change adds one item, or two (a status change with a new expected start)
      complexity: { field: 1, multiplier: 2 },
      description: 'The items it added, oldest first, as Event.timeline shows them (empty if no longer there).',
      resolve: ({ change, eventId }, _args, ctx) =>
        timelineItems(ctx.prisma, ctx.viewer, eventId, timelineRefs(change)),
    }),
  }),
})

/** The timeline items a change added, by kind and row id. */
export function timelineRefs(change: Change): { kind: TimelineKind; id: string }[] {
  const refs: { kind: TimelineKind; id: string }[] = []
  if (change.objectType === 'Event') {
    if (change.facts.statusChange) refs.push({ kind: 'STATUS', id: change.facts.statusChange.id })
    if (change.facts.scheduleChange) refs.push({ kind: 'SCHEDULE', id: change.facts.scheduleChange.id })
  } else if (change.objectType === 'Story') {
    if (change.kind === 'story.published') refs.push({ kind: 'STORY', id: change.objectId })
    if (change.kind === 'story.corrected' && change.facts.correction)
      refs.push({ kind: 'CORRECTION', id: change.facts.correction.id })
  }
  return refs
}

// ---------------------------------------------------------------------------------------------
// Editors only

export const ChangeLogEntry = builder.objectRef<Change>('ChangeLogEntry').implement({
  description: 'One entry of the change log, as written by the mutation. Editors only.',
  fields: (t) => ({
    ...ChangeFields(t),
    objectType: t.string({ resolve: (c) => c.objectType }),
    objectId: t.id({
      description: 'The global id of what changed (what `node(id:)` takes).',
      resolve: objectIdForClients,
    }),
    topics: t.idList({
      description:
        'The global ids of what the change touches: the object itself, and what it is filed under, before and after.',
      resolve: topicsForClients,
    }),
    facts: t.field({
      type: 'JSON',
      description: 'What the change was, recorded when it committed (ids are global ids).',
      resolve: factsForClients,
    }),
  }),
})
