// Subscriptions: what changes in the news, pushed as it commits (WebSocket or Server-Sent Events).
// Every message carries its change's sequence number as a cursor; subscribe again with
// `since: <cursor>` after a drop and the missed changes come first, each exactly once, in order.
// `last: N` starts a stream with the newest N matching changes instead (a ticker opens full).
//
// Each subscription matches changes on the facts they recorded when they committed
// (src/live/changes.ts), never on how things stand when the change is read: live and replayed,
// a stream is the same sequence.
import type { ArgBuilder } from '@pothos/core'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { badInput, userError } from '../errors.js'
import { cursorExpired } from '../live/change-feed.js'
import { isStoryChange, topic, type Change } from '../live/changes.js'
import { filterOf, heard, type StoryMessage } from '../live/filters.js'
import { changeStream, mapStream, MAX_LAST } from '../live/stream.js'
import { globalIdOf } from '../resolvers/validation.js'
import {
  ChangeLogEntry,
  EventChange,
  EventTimelineChange,
  StoryChange,
  timelineRefs,
  type EventChangePayload,
} from './live-messages.js'
import { aboutFilterFields } from './story.js'
import type { Types } from './types.js'

// ---------------------------------------------------------------------------------------------
// Matching, on recorded facts only (who hears what, and the filters: src/live/filters.ts)

const STORY_NEWS = new Set(['story.published', 'story.updated', 'story.corrected', 'story.restored'])

/** The cursor a client sent, as a sequence number. */
function parseCursor(since: string | null | undefined): bigint | null {
  if (since == null) return null
  if (!/^\d{1,19}$/.test(since)) throw badInput('since must be a cursor from an earlier message', 'since')
  return BigInt(since)
}

export const LiveFilter = builder.inputType('LiveStoryFilter', {
  description: 'Every condition given must hold. Entities are named by slug.',
  fields: (t) => aboutFilterFields(t),
})

const streamArgs = (arg: ArgBuilder<Types>) => ({
  since: arg.string({ description: 'Resume after this cursor: first every matching change since, then live.' }),
  last: arg.int({
    description: `Start with the newest matching changes, up to this many (1 to ${MAX_LAST}), oldest first, then live. Not with since.`,
  }),
})

async function stream(
  ctx: Context,
  args: { since?: string | null; last?: number | null },
  match: (c: Change) => boolean,
) {
  if (!ctx.live) throw new Error('subscriptions need the change feed in the context')
  const since = parseCursor(args.since)
  const last = args.last ?? null
  if (last !== null && since !== null) throw badInput('give since or last, not both', 'last')
  if (last !== null && (last < 1 || last > MAX_LAST)) throw badInput(`last must be between 1 and ${MAX_LAST}`, 'last')
  if (since !== null && (await cursorExpired(ctx.prisma, since))) {
    throw userError(
      'CURSOR_EXPIRED',
      `Changes after this cursor are no longer kept (the log keeps ${ctx.live.options.retentionDays} days): reload with queries, then subscribe without since.`,
      'since',
    )
  }
  return changeStream({ feed: ctx.live, prisma: ctx.prisma, since, last, match })
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
      ...streamArgs(t.arg),
    },
    subscribe: async (_root, args, ctx) => {
      if (args.minUrgency < 1 || args.minUrgency > 9) throw badInput('minUrgency must be between 1 and 9', 'minUrgency')
      const anyTag = await Promise.all((args.tags ?? []).map((tag: string) => filterOf(ctx.prisma, { tag })))
      const language = await filterOf(ctx.prisma, { language: args.language })
      return stream(
        ctx,
        args,
        (c) =>
          STORY_NEWS.has(c.kind) &&
          heard(c, ctx.viewer) &&
          c.facts.urgency <= args.minUrgency &&
          language(c) &&
          (anyTag.length === 0 || anyTag.some((tagged) => tagged(c))),
      )
    },
    resolve: (change) => change as StoryMessage,
  }),
  storyPublished: t.field({
    type: StoryChange,
    description: 'Stories as they are published, filtered like `stories`.',
    args: { filter: t.arg({ type: LiveFilter }), ...streamArgs(t.arg) },
    subscribe: async (_root, args, ctx) => {
      const filter = await filterOf(ctx.prisma, args.filter)
      return stream(ctx, args, (c) => c.kind === 'story.published' && heard(c, ctx.viewer) && filter(c))
    },
    resolve: (change) => change as StoryMessage,
  }),
  storyUpdated: t.field({
    type: StoryChange,
    description: 'Every change to one story.',
    args: { id: t.arg.id({ required: true, validate: globalIdOf('Story') }), ...streamArgs(t.arg) },
    subscribe: (_root, args, ctx) => stream(ctx, args, (c) => c.objectId === args.id && heard(c, ctx.viewer, true)),
    resolve: (change) => change as StoryMessage,
  }),
  correctionPublished: t.field({
    type: StoryChange,
    description:
      'Corrections and retractions (a retraction withdraws the story), so tickers can retract what they showed.',
    args: { filter: t.arg({ type: LiveFilter }), ...streamArgs(t.arg) },
    subscribe: async (_root, args, ctx) => {
      const filter = await filterOf(ctx.prisma, args.filter)
      return stream(
        ctx,
        args,
        (c) =>
          (c.kind === 'story.corrected' || c.kind === 'story.withdrawn') && heard(c, ctx.viewer, true) && filter(c),
      )
    },
    resolve: (change) => change as StoryMessage,
  }),
  eventUpdated: t.field({
    type: EventChange,
    description: 'An event’s status, dates and participants as they change, and stories published about it.',
    args: {
      slug: t.arg.string(),
      id: t.arg.id({ validate: globalIdOf('Event') }),
      ...streamArgs(t.arg),
    },
    subscribe: async (_root, args, ctx) => {
      if (!args.id && !args.slug) throw badInput('give the event’s slug or id', 'slug')
      const id =
        args.id ??
        (await ctx.prisma.event.findUnique({ where: { slug: args.slug! }, select: { id: true } }))?.id ??
        'none'
      const about = topic('event', id)
      const changes = await stream(ctx, args, (c) =>
        c.objectType === 'Event'
          ? c.objectId === id
          : c.kind === 'story.published' && c.topics.includes(about) && heard(c, ctx.viewer),
      )
      return mapStream(changes, (change): EventChangePayload => ({ ...change, eventId: id }))
    },
    resolve: (change) => change,
  }),
  eventTimeline: t.field({
    type: EventTimelineChange,
    description:
      'New items of an event’s timeline as they commit: stories published about it, status and schedule changes, ' +
      'corrections to its stories. Resume with `since` like every subscription.',
    args: { slug: t.arg.string({ required: true }), ...streamArgs(t.arg) },
    subscribe: async (_root, args, ctx) => {
      const event = await ctx.prisma.event.findUnique({ where: { slug: args.slug }, select: { id: true } })
      if (!event) throw badInput('no event with this slug', 'slug')
      const about = topic('event', event.id)
      // the timeline shows stories once they are public, for editors too (src/resolvers/timeline.ts)
      const changes = await stream(
        ctx,
        args,
        (c) =>
          timelineRefs(c).length > 0 &&
          (c.objectType === 'Event'
            ? c.objectId === event.id
            : isStoryChange(c) && c.topics.includes(about) && c.facts.public),
      )
      return mapStream(changes, (change) => ({ change, eventId: event.id }))
    },
    resolve: (change) => change,
  }),
}))

builder.subscriptionField('originalCorrected', (t) =>
  t.field({
    type: StoryChange,
    authScopes: { editor: true },
    description:
      'Corrections and retractions of stories with editions, for the editions’ editors: each message names the editions (`editions`). ' +
      'With `edition`, only those of the stories that edition was made from. Editors only: it names editions not yet published.',
    args: { edition: t.arg.id({ validate: globalIdOf('Story') }), ...streamArgs(t.arg) },
    subscribe: (_root, args, ctx) =>
      stream(
        ctx,
        args,
        (c) =>
          c.kind === 'story.corrected' &&
          heard(c, ctx.viewer) &&
          (args.edition ? !!c.facts.editions?.includes(args.edition) : (c.facts.editions?.length ?? 0) > 0),
      ),
    resolve: (change) => change as StoryMessage,
  }),
)

builder.subscriptionField('changeLog', (t) =>
  t.field({
    type: ChangeLogEntry,
    authScopes: { editor: true },
    description: 'Every change as it commits — drafts and all. Editors only: send a token in connection_init.',
    args: streamArgs(t.arg),
    subscribe: (_root, args, ctx) => stream(ctx, args, () => true),
    resolve: (change) => change,
  }),
)
