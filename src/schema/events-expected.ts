// eventsExpected(from:, to:): events that may start in a span of time, honouring how precise
// their expected start is (src/resolvers/events-expected.ts).
import { queryFromInfo } from '@pothos/plugin-prisma'
import { builder } from '../builder.js'
import { countExpectedEvents, expectedEvents, MAX_SPAN_DAYS, type ExpectedEvent } from '../resolvers/events-expected.js'
import { Event, ExpectedStart } from './event.js'
import { DEFAULT_PAGE_SIZE } from '../resolvers/paging.js'

builder.queryField('eventsExpected', (t) =>
  t.connection(
    {
      type: Event,
      description:
        `Events that may start between from and to (at most ${MAX_SPAN_DAYS} days apart), soonest first: those whose ` +
        'expected start, widened to whole units of its precision (UTC days, weeks from Monday, months…), overlaps the span — ' +
        '"next week" overlaps any day of that week — and those known to start in it. Cancelled events are left out.',
      args: {
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true, description: 'Not before from.' }),
      },
      resolve: async (_root, args, ctx, info) => {
        const page = await expectedEvents(ctx.prisma, args.from, args.to, args, DEFAULT_PAGE_SIZE)
        // one statement for every event of the page, with everything selected beneath `node`
        const events = await ctx.prisma.event.findMany({
          ...queryFromInfo({ context: ctx, info, typeName: 'Event', path: ['edges', 'node'] }),
          where: { id: { in: page.items.map((e) => e.id) } },
        })
        const byId = new Map(events.map((e) => [e.id, e]))
        const items = page.items.filter((e) => byId.has(e.id))
        return {
          edges: items.map((e) => ({ cursor: e.cursor, node: byId.get(e.id)!, window: e.window })),
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: page.hasPreviousPage,
            startCursor: items[0]?.cursor ?? null,
            endCursor: items.at(-1)?.cursor ?? null,
          },
          totalCount: () => countExpectedEvents(ctx.prisma, args.from, args.to),
        }
      },
    },
    { name: 'EventsExpectedConnection' },
    {
      name: 'EventsExpectedEdge',
      fields: (edge) => ({
        window: edge.field({
          type: ExpectedStart,
          description:
            'The window that matched: the expected start widened to its precision, or the known start (EXACT). Both ends inclusive.',
          resolve: (e) => (e as unknown as Pick<ExpectedEvent, 'window'>).window,
        }),
      }),
    },
  ),
)
