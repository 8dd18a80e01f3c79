// Connections across the join tables between stories and what they are about: a story's people,
// organisations, places, events and tags, and each of those entities' stories. One definition
// serves all ten fields, so pagination, order and totalCount behave the same everywhere.
import { prismaConnectionHelpers } from '@pothos/plugin-prisma'
import { builder } from '../builder.js'
import { dependsOn, storiesOf } from '../live/invalidation.js'
import type { Context } from '../context.js'
import { visibleStoryWhere } from '../resolvers/visibility.js'
import { EntityRelationEnum } from './enums.js'

type LinkModel = 'StoryPerson' | 'StoryOrganisation' | 'StoryPlace' | 'StoryEvent' | 'StoryTag'
type LinkedModel = 'Story' | 'Person' | 'Organisation' | 'Place' | 'Event' | 'Tag'

interface LinkField {
  /** the model the field is added to, and the field's name (also its relation to `join`) */
  on: LinkedModel
  field: string
  join: LinkModel
  /** what the edges point at: the join row's relation of that name, lower-cased */
  type: LinkedModel
  description: string
}

// Pothos types each helper for one model; the ten combinations differ only in names, so the
// definition below is written once with the model names as values (hence the `any`s). Types are
// named, not imported, so the type files need not import each other.
export function linkField({ on, field, join, type, description }: LinkField) {
  const target = type[0].toLowerCase() + type.slice(1)
  const withRelation = join !== 'StoryTag'
  // An entity's stories are those the viewer may see; a story's own links are all shown.
  const storyFilter = (ctx: Context) => (type === 'Story' ? { story: visibleStoryWhere(ctx.viewer) } : undefined)
  const otherId = `${join[5].toLowerCase()}${join.slice(6)}Id` // e.g. personId
  const cursor = `storyId_${otherId}` // e.g. storyId_personId
  const helpers = prismaConnectionHelpers(builder, join as any, {
    cursor: cursor as any,
    // newest story first; the two ids (the cursor) break ties, so pages never overlap or skip, also
    // among one story's own links, which all share its date and id
    query: (_args: unknown, ctx: Context) => ({
      where: storyFilter(ctx),
      orderBy: [{ story: { firstPublishedAt: { sort: 'desc', nulls: 'last' } } }, { storyId: 'asc' }, { [otherId]: 'asc' }],
    }),
    select: (nodeSelection: any) => ({
      ...(withRelation ? { relation: true } : {}),
      [target]: nodeSelection({ select: { id: true } }),
    }),
    resolveNode: (link: any) => link[target],
  } as any)
  const typeName = `${on}${field[0].toUpperCase()}${field.slice(1)}`
  builder.prismaObjectField(on as any, field, (t: any) =>
    t.connection(
      {
        type,
        description,
        select: (args: any, ctx: any, nested: any) => ({
          id: true,
          [field]: helpers.getQuery(args, ctx, nested),
          _count: { select: { [field]: type === 'Story' ? { where: storyFilter(ctx) } : true } },
        }),
        resolve: (parent: any, args: any, ctx: any) => {
          // an entity's stories change as stories filed under it are published, withdrawn, refiled
          if (type === 'Story') dependsOn(ctx, storiesOf(on, parent.id))
          return { ...helpers.resolve(parent[field], args, ctx), totalCount: parent._count[field] }
        },
      },
      { name: `${typeName}Connection` },
      {
        name: `${typeName}Edge`,
        fields: (edge: any) =>
          withRelation
            ? { relation: edge.field({ type: EntityRelationEnum, resolve: (link: any) => link.relation }) }
            : {},
      },
    ),
  )
}
