import { queryFromInfo } from '@pothos/plugin-prisma'
import { builder } from '../builder.js'
import { dependsOn, SEARCH } from '../live/invalidation.js'
import { DEFAULT_PAGE_SIZE, pageInfo } from '../resolvers/paging.js'
import {
  checkSearchQuery,
  countSearchHits,
  MAX_QUERY_LENGTH,
  searchStories,
  searchWindow,
  type SearchArgs,
  type SearchHit,
} from '../resolvers/search.js'
import { storyRules } from '../resolvers/validation.js'
import { visibleStoryWhere } from '../resolvers/visibility.js'
import { Story } from './story.js'

/** An edge of the search connection: the story, and how and where it matched. */
type HitEdge = Pick<SearchHit, 'rank' | 'snippet'>

builder.queryField('search', (t) =>
  t.connection(
    {
      type: Story,
      description: `Stories you may read matching a web-style query ("talks -football", "\\"ceasefire talks\\""), best match first. 1 to ${MAX_QUERY_LENGTH} characters. Each story is matched by the query read in its own language (stemmed as that language is), stories of every language ranked together.`,
      args: {
        query: t.arg.string({ required: true }),
        language: t.arg.string({
          description:
            'Only stories in this language, a BCP 47 tag matched exactly as the `stories` filter matches it ("sv" is not "sv-FI"), the query read as that language.',
          validate: storyRules.language,
        }),
      },
      resolve: async (_root, args, ctx, info) => {
        const q: SearchArgs = { query: checkSearchQuery(args.query), language: args.language ?? null }
        dependsOn(ctx, SEARCH)
        // paged by position in the ranking (src/resolvers/paging.ts), so a page goes on after the
        // last hit seen even if that story has gone or changed since
        const page = await searchStories(ctx.prisma, ctx.viewer, q, searchWindow(args, DEFAULT_PAGE_SIZE))
        // One statement for every story of the page, with everything selected beneath `node`.
        const stories = await ctx.prisma.story.findMany({
          ...queryFromInfo({ context: ctx, info, typeName: 'Story', path: ['edges', 'node'] }),
          where: { AND: [{ id: { in: page.items.map((h) => h.id) } }, visibleStoryWhere(ctx.viewer)] },
        })
        const byId = new Map(stories.map((s) => [s.id, s]))
        // a story hidden since the ranking was read is left out
        const edges = page.items
          .filter((h) => byId.has(h.id))
          .map((h) => ({ cursor: h.cursor, node: byId.get(h.id)!, rank: h.rank, snippet: h.snippet }))
        return { edges, pageInfo: pageInfo(page, edges), totalCount: () => countSearchHits(ctx.prisma, ctx.viewer, q) }
      },
    },
    { name: 'SearchConnection' },
    {
      name: 'SearchEdge',
      fields: (t) => ({
        rank: t.float({
          resolve: (edge) => (edge as unknown as HitEdge).rank,
          description: 'Relevance; higher is better.',
        }),
        snippet: t.string({
          resolve: (edge) => (edge as unknown as HitEdge).snippet,
          description: 'The best-matching passage as HTML: text escaped, matches in <mark>.',
        }),
      }),
    },
  ),
)
