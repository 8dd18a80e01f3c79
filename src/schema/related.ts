// Story.related: "more news", explained. The editors' picks first, in their order, then the
// stories the graph suggests by score, each edge saying why it is there (src/resolvers/related.ts).
// Every list of a page, and everything it points at, is loaded for all stories of a list at once.
import { queryFromInfo } from '@pothos/plugin-prisma'
import type { GraphQLResolveInfo } from 'graphql'
import { builder } from '../builder.js'
import { dependsOn, listOfFiled, STORY_LIST } from '../live/invalidation.js'
import type { Context } from '../context.js'
import type { Story as StoryRow } from '../generated/prisma/client.js'
import { fieldPosition, loadByIds, selects } from '../resolvers/batch.js'
import { DEFAULT_PAGE_SIZE, pageInfo, type PageArgs } from '../resolvers/paging.js'
import {
  RELATED_WEIGHTS,
  relatedPage,
  relatedWindow,
  type Related,
  type RelatedExplanation,
  type SharedIds,
} from '../resolvers/related.js'
import { RelatedReasonEnum } from './enums.js'
import { Story } from './story.js'

type Model = 'event' | 'person' | 'organisation' | 'place' | 'tag'
// Each list is one batched statement for the whole page; what it holds is what two stories share.
const shared =
  (model: Model, list: keyof SharedIds) =>
  (query: object, reason: RelatedExplanation, _args: unknown, ctx: Context, info: GraphQLResolveInfo) =>
    loadByIds(ctx, info, model, reason[list], query) as Promise<never[]>

const w = RELATED_WEIGHTS
const RelatedStoryReason = builder.objectRef<RelatedExplanation>('RelatedStoryReason').implement({
  description: 'One reason a story is related, with what the two stories share.',
  fields: (t) => ({
    kind: t.field({ type: RelatedReasonEnum, resolve: (r) => r.kind }),
    score: t.float({
      description:
        `What this reason adds to the edge’s score: ${w.event} per shared event, ${w.person} per shared person or organisation, ` +
        `${w.place} per shared place or tag. An editorial pick adds nothing: its place in the list is the editor’s.`,
      resolve: (r) => r.score,
    }),
    events: t.prismaField({
      type: ['Event'],
      description: 'Events both stories report (SAME_EVENT).',
      resolve: shared('event', 'events'),
    }),
    people: t.prismaField({
      type: ['Person'],
      description: 'People both stories name (SHARED_ENTITIES).',
      resolve: shared('person', 'people'),
    }),
    organisations: t.prismaField({
      type: ['Organisation'],
      description: 'Organisations both stories name (SHARED_ENTITIES).',
      resolve: shared('organisation', 'organisations'),
    }),
    places: t.prismaField({
      type: ['Place'],
      description: 'Places both stories name (SHARED_ENTITIES).',
      resolve: shared('place', 'places'),
    }),
    tags: t.prismaField({
      type: ['Tag'],
      description: 'Topics both stories are filed under (SHARED_TAGS).',
      resolve: shared('tag', 'tags'),
    }),
  }),
})

interface RelatedEdge {
  cursor: string
  node: StoryRow
  related: Related
}
const edgeOf = (edge: unknown) => (edge as RelatedEdge).related

/** A page of the story's related stories, each edge with why it is there. */
async function relatedStories(story: { id: string }, args: PageArgs, ctx: Context, info: GraphQLResolveInfo) {
  // paged by position (src/resolvers/paging.ts): a page goes on after the last story seen
  const window = relatedWindow(args, DEFAULT_PAGE_SIZE)
  const page = await relatedPage(ctx, fieldPosition(info), story.id, window, selects(info, 'totalCount'))
  // a story enters this list by sharing something the story is filed under; with nothing
  // shared yet, any story listed may be the first
  dependsOn(ctx, ...(page.filedUnder?.map(listOfFiled) ?? [STORY_LIST]))
  // the stories of every list's page in one statement, with what is selected beneath them
  const query = queryFromInfo({ context: ctx, info, typeName: 'Story', path: ['edges', 'node'] })
  const stories = await loadByIds<StoryRow>(
    ctx,
    info,
    'story',
    page.items.map((r) => r.id),
    query,
  )
  // a story gone since the ranking was read is left out
  const byId = new Map(stories.map((s) => [s.id, s]))
  const edges: RelatedEdge[] = page.items
    .filter((r) => byId.has(r.id))
    .map((r) => ({ cursor: r.cursor, node: byId.get(r.id)!, related: r }))
  return { edges, pageInfo: pageInfo(page, edges), totalCount: page.total }
}

builder.prismaObjectField('Story', 'related', (t) =>
  t.connection(
    {
      type: Story,
      description:
        'Related stories ("more news"), each with why it is there: first the editors’ picks in their order, then stories ' +
        'sharing events, people, organisations, places or tags with this one, highest score first (then newest).',
      select: { id: true },
      resolve: relatedStories,
    },
    { name: 'RelatedStoryConnection' },
    {
      name: 'RelatedStoryEdge',
      fields: (edge) => ({
        reason: edge.field({
          type: RelatedReasonEnum,
          description: 'The main reason: the one an editor gave, else the strongest of `reasons`.',
          resolve: (e) => edgeOf(e).reason,
        }),
        reasons: edge.field({
          type: [RelatedStoryReason],
          // computed with the edge, and at most one of each kind
          complexity: { field: 0, multiplier: 4 },
          description: 'Every reason, the editor’s first, then by score.',
          resolve: (e) => edgeOf(e).reasons,
        }),
        score: edge.float({ description: 'The sum of the reasons’ scores.', resolve: (e) => edgeOf(e).score }),
      }),
    },
  ),
)
