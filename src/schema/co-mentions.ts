// `coMentioned` on Person, Organisation and Event: who is involved with them — the people or
// organisations most often linked to the same stories — with how many stories they share and the
// latest of those. The SQL is in src/resolvers/co-mentions.ts.
import { queryFromInfo } from '@pothos/plugin-prisma'
import { builder } from '../builder.js'
import { dependsOn, storiesOf } from '../live/invalidation.js'
import { fieldPosition, loadById, loadByIds } from '../resolvers/batch.js'
import { DEFAULT_PAGE_SIZE, pageInfo } from '../resolvers/paging.js'
import {
  coMentionPage,
  coMentionWindow,
  MAX_WITHIN_DAYS,
  type CoMention,
  type CoMentionParent,
  type CoMentionType,
} from '../resolvers/co-mentions.js'
import { Organisation } from './organisation.js'
import { Person } from './person.js'

const CoMentionTypeEnum = builder.enumType('CoMentionType', {
  description: 'Which kind of entity to list.',
  values: { PERSON: {}, ORGANISATION: {} } as const,
})

// Rows come from the database without their type's name; the loader notes which model each is.
const modelOf = new WeakMap<object, 'Person' | 'Organisation'>()

const InvolvedEntity = builder.unionType('InvolvedEntity', {
  description: 'A person or an organisation.',
  types: [Person, Organisation],
  resolveType: (row) => modelOf.get(row as object) ?? 'Person',
})

interface CoMentionEdge {
  cursor: string
  node: object
  mention: CoMention
}

const CoMentionConnection = builder.connectionObject(
  { type: InvolvedEntity, name: 'CoMentionConnection' },
  {
    name: 'CoMentionEdge',
    fields: (t) => ({
      count: t.int({
        description: 'How many stories in the window name both.',
        resolve: (e) => (e as unknown as CoMentionEdge).mention.count,
      }),
      latestAt: t.field({
        type: 'DateTime',
        description: 'When the latest of those stories was first published.',
        resolve: (e) => (e as unknown as CoMentionEdge).mention.latestAt,
      }),
      latestStory: t.prismaField({
        type: 'Story',
        description: 'The latest story naming both.',
        resolve: (query, e, _args, ctx, info) =>
          loadById(ctx, info, 'story', (e as unknown as CoMentionEdge).mention.latestStoryId, query) as Promise<never>,
      }),
    }),
  },
)

const MODELS = { Person: 'person', Organisation: 'organisation', Event: 'event' } as const

function coMentionedField(on: keyof typeof MODELS) {
  const parent: CoMentionParent = MODELS[on]
  builder.prismaObjectField(on, 'coMentioned', (t) =>
    t.connection(
      {
        type: InvolvedEntity,
        description:
          `Who is involved: the people or organisations most often named in the same stories as this ${parent}, counted over ` +
          'the stories you may read first published in the last `within` days; most shared stories first, then the most recent.',
        args: {
          within: t.arg.int({
            required: true,
            defaultValue: 30,
            description: `Days back from now, 1 to ${MAX_WITHIN_DAYS}.`,
          }),
          type: t.arg({ type: CoMentionTypeEnum, required: true }),
        },
        select: { id: true },
        resolve: async (row, args, ctx, info) => {
          dependsOn(ctx, storiesOf(on, row.id))
          // paged by position (src/resolvers/paging.ts): a page goes on after the last one seen
          const window = coMentionWindow(args, DEFAULT_PAGE_SIZE)
          const type = args.type as CoMentionType
          const page = await coMentionPage(ctx, fieldPosition(info), parent, row.id, {
            within: args.within,
            type,
            window,
          })
          // the nodes of every parent's page in one statement, with what is selected beneath them
          const model = type === 'PERSON' ? 'Person' : 'Organisation'
          const query = queryFromInfo({ context: ctx, info, typeName: model, path: ['edges', 'node'] })
          const nodes = await loadByIds<{ id: string }>(
            ctx,
            info,
            MODELS[model],
            page.items.map((r) => r.id),
            query,
          )
          for (const node of nodes) modelOf.set(node, model)
          // an entity gone since the counts were read is left out
          const byId = new Map(nodes.map((n) => [n.id, n]))
          const edges = page.items
            .filter((r) => byId.has(r.id))
            .map((r) => ({ cursor: r.cursor, node: byId.get(r.id)!, mention: r }))
          return { edges, pageInfo: pageInfo(page, edges), totalCount: page.total } as never
        },
      },
      CoMentionConnection,
    ),
  )
}

coMentionedField('Person')
coMentionedField('Organisation')
coMentionedField('Event')
