// Event.timeline: what happened to an event, in one list, oldest first — the stories about it,
// its status changes, the changes of when it is expected to start, and corrections to its
// stories. The SQL is in src/resolvers/timeline.ts; the stories, changes and corrections the
// items point at are loaded for the whole page at once (src/resolvers/batch.ts).
import type { GraphQLResolveInfo } from 'graphql'
import { builder } from '../builder.js'
import { dependsOn, storiesOf } from '../live/invalidation.js'
import type { Context } from '../context.js'
import { fieldPosition, loadById } from '../resolvers/batch.js'
import { pageInfo } from '../resolvers/paging.js'
import { timelineCount, timelinePage, type Schedule, type TimelineItem } from '../resolvers/timeline.js'
import { EntityRelationEnum, EventStatusEnum } from './enums.js'
import { ExpectedStart } from './event.js'
import { DEFAULT_PAGE_SIZE } from '../resolvers/paging.js'
import type { Types } from './types.js'

export const EventSchedule = builder.objectRef<Schedule>('EventSchedule').implement({
  description: 'When an event was expected to start, and when it started, at one moment.',
  fields: (t) => ({
    expectedStart: t.field({ type: ExpectedStart, nullable: true, resolve: (s) => s.expectedStart }),
    startAt: t.expose('startAt', { type: 'DateTime', nullable: true }),
  }),
})

// Each field that points at a row loads it with the rows of the other items of the page.
const loadStory = (query: object, item: TimelineItem, _args: unknown, ctx: Context, info: GraphQLResolveInfo) =>
  loadById(ctx, info, 'story', item.storyId, query) as Promise<never>

const TimelineStory = builder.objectRef<TimelineItem>('TimelineStory').implement({
  description: 'A story about the event was published.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the story was first published.' }),
    relation: t.field({
      type: EntityRelationEnum,
      description: 'Whether it is about the event or mentions it.',
      resolve: (i) => i.relation!,
    }),
    story: t.prismaField({ type: 'Story', description: 'The story.', resolve: loadStory }),
  }),
})

// A status or a schedule change: its note, and the story that reported it.
const reported = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, TimelineItem>) => ({
  note: t.exposeString('note', { nullable: true }),
  reportedBy: t.prismaField({
    type: 'Story',
    nullable: true,
    description: 'The story that reported it; null when you may not read it.',
    resolve: loadStory,
  }),
})

const TimelineStatusChange = builder.objectRef<TimelineItem>('TimelineStatusChange').implement({
  description: 'The event’s status changed.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    from: t.field({ type: EventStatusEnum, nullable: true, resolve: (i) => i.fromStatus }),
    to: t.field({ type: EventStatusEnum, resolve: (i) => i.toStatus! }),
    ...reported(t),
    change: t.prismaField({
      type: 'EventStatusChange',
      description: 'The change in the event’s status history.',
      resolve: (query, item, _args, ctx, info) => loadById(ctx, info, 'eventStatusChange', item.id, query) as never,
    }),
  }),
})

const TimelineScheduleChange = builder.objectRef<TimelineItem>('TimelineScheduleChange').implement({
  description: 'When the event is expected to start, or when it started, changed.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    before: t.field({ type: EventSchedule, description: 'The schedule before the change.', resolve: (i) => i.from! }),
    after: t.field({ type: EventSchedule, description: 'The schedule after it.', resolve: (i) => i.to! }),
    ...reported(t),
  }),
})

const TimelineCorrection = builder.objectRef<TimelineItem>('TimelineCorrection').implement({
  description: 'A story about the event was corrected (or clarified, updated, retracted).',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    correction: t.prismaField({
      type: 'Correction',
      resolve: (query, item, _args, ctx, info) => loadById(ctx, info, 'correction', item.id, query) as never,
    }),
    story: t.prismaField({ type: 'Story', description: 'The story corrected.', resolve: loadStory }),
  }),
})

export const TimelineItemRef = builder.unionType('TimelineItem', {
  description: 'One thing that happened to an event.',
  types: [TimelineStory, TimelineStatusChange, TimelineScheduleChange, TimelineCorrection],
  resolveType: (item) =>
    ({
      STORY: TimelineStory,
      STATUS: TimelineStatusChange,
      SCHEDULE: TimelineScheduleChange,
      CORRECTION: TimelineCorrection,
    })[item.kind],
})

builder.prismaObjectField('Event', 'timeline', (t) =>
  t.connection(
    {
      type: TimelineItemRef,
      description:
        'What happened, oldest first: stories about the event as they were published, its status changes, changes of ' +
        'its expected start, and corrections to its stories. Items at the same instant come in that order.',
      select: { id: true },
      resolve: async (event, args, ctx, info) => {
        dependsOn(ctx, storiesOf('Event', event.id))
        const position = fieldPosition(info)
        const page = await timelinePage(ctx, position, event.id, args, DEFAULT_PAGE_SIZE)
        const edges = page.items.map((item) => ({ cursor: item.cursor, node: item }))
        return { edges, pageInfo: pageInfo(page, edges), totalCount: () => timelineCount(ctx, position, event.id) }
      },
    },
    { name: 'EventTimelineConnection' },
    { name: 'EventTimelineEdge' },
  ),
)
