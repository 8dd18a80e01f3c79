// Subscriptions: what changes in the news, pushed as it commits (WebSocket or Server-Sent Events).
// Every message carries its change's sequence number as a cursor; subscribe again with
// `since: <cursor>` after a drop and the missed changes come first, each exactly once, in order.
import type { ArgBuilder } from '@pothos/core'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { badInput, userError } from '../errors.js'
import { cursorExpired, type Change } from '../live/change-feed.js'
import { changeStream, mapStream } from '../live/stream.js'
import type { StoryFilterInput } from '../resolvers/stories.js'
import { globalIdOf } from '../resolvers/validation.js'
import { timelineItems, type TimelineKind } from '../resolvers/timeline.js'
import { effectiveStatus, isPublicNotice, isVisible, readableStoryWhere } from '../resolvers/visibility.js'
import { aboutFilterFields } from './story.js'
import { TimelineItemRef } from './timeline.js'

// ---------------------------------------------------------------------------------------------
// Messages

const ChangeFields = (t: PothosSchemaTypes.ObjectFieldBuilder<any, Change>) => ({
  cursor: t.string({ description: 'Pass as `since` to resume after this change.', resolve: (c: Change) => c.seq.toString() }),
  kind: t.string({ description: 'e.g. story.published, story.corrected, event.status_changed', resolve: (c: Change) => c.kind }),
  at: t.field({ type: 'DateTime', resolve: (c: Change) => c.at }),
})

const StoryChange = builder.objectRef<Change>('StoryChange').implement({
  description: 'A story was published, updated, corrected or withdrawn.',
  fields: (t) => ({
    ...ChangeFields(t),
    story: t.prismaField({
      type: 'Story',
      nullable: true,
      description: 'The story as it is now; null if you may no longer read it.',
      resolve: (query, change, _args, ctx) =>
        ctx.prisma.story.findFirst({ ...query, where: { id: change.objectId, ...readableStoryWhere(ctx.viewer) } }),
    }),
    correction: t.prismaField({
      type: 'Correction',
      nullable: true,
      description: 'The correction this change published, for story.corrected.',
      resolve: (query, change, _args, ctx) => {
        const id = change.payload?.correctionId
        return typeof id === 'string' ? ctx.prisma.correction.findUnique({ ...query, where: { id } }) : null
      },
    }),
  }),
})

/** A change as an eventUpdated subscriber gets it: with the event subscribed to, which a story
 *  about several events does not name by itself. */
type EventChangePayload = Change & { eventId?: string }

const EventChange = builder.objectRef<EventChangePayload>('EventChange').implement({
  description: 'An event changed (status, dates, participants), or a story about it was published.',
  fields: (t) => ({
    ...ChangeFields(t),
    event: t.prismaField({
      type: 'Event',
      nullable: true,
      resolve: (query, change, _args, ctx) =>
        ctx.prisma.event.findUnique({ ...query, where: { id: change.eventId ?? (change.objectType === 'Event' ? change.objectId : eventOf(change)!) } }),
    }),
    story: t.prismaField({
      type: 'Story',
      nullable: true,
      description: 'For a story published about the event: the story.',
      resolve: (query, change, _args, ctx) => {
        // taken before the branch: Pothos warns of a planned selection left unused, and a change
        // that is not a story's has no story to select
        const selection = { ...query }
        return change.objectType === 'Story'
          ? ctx.prisma.story.findFirst({ ...selection, where: { id: change.objectId, ...readableStoryWhere(ctx.viewer) } })
          : null
      },
    }),
  }),
})

const eventOf = (change: Change) => change.topics.find((t) => t.startsWith('event:'))?.slice(6) ?? null

/** A change that added to the timeline of the event followed (`eventId`). */
interface TimelineChange {
  change: Change
  eventId: string
}

const EventTimelineChange = builder.objectRef<TimelineChange>('EventTimelineChange').implement({
  description: 'What one change added to an event’s timeline.',
  fields: (t) => ({
    cursor: t.string({ description: 'Pass as `since` to resume after this change.', resolve: ({ change }) => change.seq.toString() }),
    kind: t.string({ description: 'e.g. story.published, story.corrected, event.status_changed, event.updated', resolve: ({ change }) => change.kind }),
    at: t.field({ type: 'DateTime', resolve: ({ change }) => change.at }),
    items: t.field({
      type: [TimelineItemRef],
      // a change adds one item, or two (a status change with a new expected start)
      complexity: { field: 1, multiplier: 2 },
      description: 'The items it added, oldest first, as Event.timeline shows them (empty if no longer there).',
      resolve: ({ change, eventId }, _args, ctx) => timelineItems(ctx.prisma, ctx.viewer, eventId, timelineRefs(change)),
    }),
  }),
})

/** The timeline items a change added, by kind and row id (the writes name the rows in the payload). */
function timelineRefs(change: Change): { kind: TimelineKind; id: string }[] {
  const payload = change.payload ?? {}
  const ref = (kind: TimelineKind, id: unknown) => (typeof id === 'string' ? [{ kind, id }] : [])
  if (change.objectType === 'Event') return [...ref('STATUS', payload.statusChangeId), ...ref('SCHEDULE', payload.scheduleChangeId)]
  if (change.kind === 'story.published') return ref('STORY', change.objectId)
  if (change.kind === 'story.corrected') return ref('CORRECTION', payload.correctionId)
  return []
}

// ---------------------------------------------------------------------------------------------
// Matching

/** The cursor a client sent, as a sequence number. */
function parseCursor(since: string | null | undefined): bigint | null {
  if (since == null) return null
  if (!/^\d{1,19}$/.test(since)) throw badInput('since must be a cursor from an earlier message', 'since')
  return BigInt(since)
}

const STORY_NEWS = new Set(['story.published', 'story.updated', 'story.corrected', 'story.restored'])

/** The story a change is about may be shown to this viewer now (withdrawals too, when asked). */
function readable(change: Change, ctx: Context, withdrawn = false): boolean {
  if (!change.story) return false
  return isVisible(change.story, ctx.viewer) || (withdrawn && isPublicNotice(change.story))
}

/** Entity slugs to the topics the change log uses ("tag:<id>" …); unknown slugs match nothing. */
async function topicsFor(ctx: Context, filter: LiveFilterShape | null | undefined): Promise<string[]> {
  const f = filter ?? {}
  const topics: string[] = []
  const lookups = [
    ['tag', f.tag, ctx.prisma.tag],
    ['person', f.person, ctx.prisma.person],
    ['organisation', f.organisation, ctx.prisma.organisation],
    ['place', f.place, ctx.prisma.place],
    ['event', f.event, ctx.prisma.event],
  ] as const
  for (const [kind, slug, rows] of lookups) {
    if (!slug) continue
    const row = await (rows as { findUnique: Function }).findUnique({ where: { slug }, select: { id: true } })
    topics.push(`${kind}:${row?.id ?? 'none'}`)
  }
  if (f.language) topics.push(`language:${f.language}`)
  return topics
}

type LiveFilterShape = Pick<StoryFilterInput, 'tag' | 'person' | 'organisation' | 'place' | 'event' | 'language'>

const LiveFilter = builder.inputType('LiveStoryFilter', {
  description: 'Every condition given must hold. Entities are named by slug.',
  fields: (t) => aboutFilterFields(t),
})

const sinceArg = (arg: ArgBuilder<any>) =>
  arg.string({ description: 'Resume after this cursor: first every matching change since, then live.' })

async function stream(ctx: Context, since: string | null | undefined, match: (c: Change) => boolean) {
  if (!ctx.live) throw new Error('subscriptions need the change feed in the context')
  const cursor = parseCursor(since)
  if (cursor !== null && (await cursorExpired(ctx.prisma, cursor))) {
    throw userError(
      'CURSOR_EXPIRED',
      `Changes after this cursor are no longer kept (the log keeps ${ctx.live.options.retentionDays} days): reload with queries, then subscribe without since.`,
      'since',
    )
  }
  return changeStream({ feed: ctx.live, prisma: ctx.prisma, since: cursor, match })
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

builder.subscriptionType({ description: 'Live changes. Each message has a cursor; resume with `since`.' })

builder.subscriptionFields((t) => ({
  breakingNews: t.field({
    type: StoryChange,
    description: 'Stories published or updated at or above an urgency (1 = flash … 9).',
    args: {
      minUrgency: t.arg.int({ required: true, defaultValue: 3, description: 'Deliver urgency 1 up to this number.' }),
      tags: t.arg.stringList({ description: 'Any of these tag slugs.' }),
      language: t.arg.string(),
      since: sinceArg(t.arg),
    },
    subscribe: async (_root, args, ctx) => {
      if (args.minUrgency < 1 || args.minUrgency > 9) throw badInput('minUrgency must be between 1 and 9', 'minUrgency')
      const tagTopics = await Promise.all((args.tags ?? []).map((tag: string) => topicsFor(ctx, { tag })))
      const anyTag = new Set(tagTopics.flat())
      return stream(ctx, args.since, (c) =>
        STORY_NEWS.has(c.kind) &&
        readable(c, ctx) &&
        c.story!.urgency <= args.minUrgency &&
        (!args.language || c.story!.language === args.language) &&
        (anyTag.size === 0 || c.topics.some((topic) => anyTag.has(topic))),
      )
    },
    resolve: (change) => change,
  }),
  storyPublished: t.field({
    type: StoryChange,
    description: 'Stories as they are published, filtered like `stories`.',
    args: { filter: t.arg({ type: LiveFilter }), since: sinceArg(t.arg) },
    subscribe: async (_root, args, ctx) => {
      const required = await topicsFor(ctx, args.filter)
      return stream(ctx, args.since, (c) => c.kind === 'story.published' && readable(c, ctx) && required.every((r) => c.topics.includes(r)))
    },
    resolve: (change) => change,
  }),
  storyUpdated: t.field({
    type: StoryChange,
    description: 'Every change to one story.',
    args: { id: t.arg.id({ required: true, validate: globalIdOf('Story') }), since: sinceArg(t.arg) },
    subscribe: (_root, args, ctx) =>
      stream(ctx, args.since, (c) => c.objectType === 'Story' && c.objectId === args.id && readable(c, ctx, true)),
    resolve: (change) => change,
  }),
  correctionPublished: t.field({
    type: StoryChange,
    description: 'Corrections and retractions (a retraction withdraws the story), so tickers can retract what they showed.',
    args: { filter: t.arg({ type: LiveFilter }), since: sinceArg(t.arg) },
    subscribe: async (_root, args, ctx) => {
      const required = await topicsFor(ctx, args.filter)
      return stream(ctx, args.since, (c) =>
        (c.kind === 'story.corrected' || c.kind === 'story.withdrawn') && readable(c, ctx, true) && required.every((r) => c.topics.includes(r)),
      )
    },
    resolve: (change) => change,
  }),
  eventUpdated: t.field({
    type: EventChange,
    description: 'An event’s status, dates and participants as they change, and stories published about it.',
    args: {
      slug: t.arg.string(),
      id: t.arg.id({ validate: globalIdOf('Event') }),
      since: sinceArg(t.arg),
    },
    subscribe: async (_root, args, ctx) => {
      const id = args.id ?? (args.slug ? (await ctx.prisma.event.findUnique({ where: { slug: args.slug }, select: { id: true } }))?.id : null)
      if (!args.id && !args.slug) throw badInput('give the event’s slug or id', 'slug')
      const topic = `event:${id ?? 'none'}`
      const changes = await stream(ctx, args.since, (c) =>
        (c.objectType === 'Event' && c.objectId === id) || (c.kind === 'story.published' && c.topics.includes(topic) && readable(c, ctx)),
      )
      return id ? mapStream(changes, (change): EventChangePayload => ({ ...change, eventId: id })) : changes
    },
    resolve: (change) => change,
  }),
  eventTimeline: t.field({
    type: EventTimelineChange,
    description:
      'New items of an event’s timeline as they commit: stories published about it, status and schedule changes, ' +
      'corrections to its stories. Resume with `since` like every subscription.',
    args: { slug: t.arg.string({ required: true }), since: sinceArg(t.arg) },
    subscribe: async (_root, args, ctx) => {
      const event = await ctx.prisma.event.findUnique({ where: { slug: args.slug }, select: { id: true } })
      if (!event) throw badInput('no event with this slug', 'slug')
      const topic = `event:${event.id}`
      // the timeline shows stories once they are public, for editors too (src/resolvers/timeline.ts)
      const changes = await stream(ctx, args.since, (c) =>
        timelineRefs(c).length > 0 &&
        (c.objectType === 'Event'
          ? c.objectId === event.id
          : c.topics.includes(topic) && c.story !== null && effectiveStatus(c.story) === 'PUBLISHED'),
      )
      return mapStream(changes, (change) => ({ change, eventId: event.id }))
    },
    resolve: (change) => change,
  }),
}))

// ---------------------------------------------------------------------------------------------
// Editors only

const ChangeLogEntry = builder.objectRef<Change>('ChangeLogEntry').implement({
  description: 'One entry of the change log, as written by the mutation. Editors only.',
  fields: (t) => ({
    ...ChangeFields(t),
    objectType: t.string({ resolve: (c) => c.objectType }),
    objectId: t.string({ description: 'The database id of what changed.', resolve: (c) => c.objectId }),
    topics: t.stringList({ resolve: (c) => c.topics }),
    payload: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.payload }),
  }),
})

builder.subscriptionField('changeLog', (t) =>
  t.field({
    type: ChangeLogEntry,
    authScopes: { editor: true },
    description: 'Every change as it commits — drafts and all. Editors only: send a token in connection_init.',
    args: { since: sinceArg(t.arg) },
    subscribe: (_root, args, ctx) => stream(ctx, args.since, () => true),
    resolve: (change) => change,
  }),
)
