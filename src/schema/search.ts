import { queryFromInfo } from '@pothos/plugin-prisma'
import { resolveOffsetConnection } from '@pothos/plugin-relay'
import { builder } from '../builder.js'
import { dependsOn, SEARCH } from '../live/invalidation.js'
import { Story } from './story.js'
import { checkSearchQuery, countSearchHits, MAX_QUERY_LENGTH, searchStories, type SearchHit } from '../resolvers/search.js'

/** An edge of the search connection: the story, and how and where it matched. */
type HitEdge = Pick<SearchHit, 'rank' | 'snippet'>

builder.queryField('search', (t) =>
  t.connection(
    {
      type: Story,
      description: `Stories you may read matching a web-style query ("talks -football", "\\"ceasefire talks\\""), best match first. 1 to ${MAX_QUERY_LENGTH} characters.`,
      args: { query: t.arg.string({ required: true }) },
      resolve: async (_root, args, ctx, info) => {
        const q = checkSearchQuery(args.query)
        dependsOn(ctx, SEARCH)
        // `last` without `before` counts back from the end, so the end must be known first
        const total = args.last != null && args.before == null ? await countSearchHits(ctx.prisma, ctx.viewer, q) : undefined
        const page = await resolveOffsetConnection({ args, totalCount: total }, async ({ offset, limit }) => {
          const hits = await searchStories(ctx.prisma, ctx.viewer, q, offset, limit)
          // One statement for every story of the page, with everything selected beneath `node`.
          const stories = await ctx.prisma.story.findMany({
            ...queryFromInfo({ context: ctx, info, typeName: 'Story', path: ['edges', 'node'] }),
            where: { id: { in: hits.map((h) => h.id) } },
          })
          const byId = new Map(stories.map((s) => [s.id, s]))
          return hits.filter((h) => byId.has(h.id)).map((h) => ({ hit: h, story: byId.get(h.id)! }))
        })
        return {
          ...page,
          edges: page.edges.map(({ cursor, node }) => ({ cursor, node: node.story, rank: node.hit.rank, snippet: node.hit.snippet })),
          totalCount: total ?? (() => countSearchHits(ctx.prisma, ctx.viewer, q)),
        }
      },
    },
    { name: 'SearchConnection' },
    {
      name: 'SearchEdge',
      fields: (t) => ({
        rank: t.float({ resolve: (edge) => (edge as unknown as HitEdge).rank, description: 'Relevance; higher is better.' }),
        snippet: t.string({
          resolve: (edge) => (edge as unknown as HitEdge).snippet,
          description: 'The best-matching passage as HTML: text escaped, matches in <mark>.',
        }),
      }),
    },
  ),
)
