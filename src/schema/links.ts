// Connections across the join tables between stories and what they are about: a story's people,
// organisations, places, events and tags, and each of those entities' stories. One definition
// serves all ten fields, so pagination, order and totalCount behave the same everywhere.
//
// They page by position (src/resolvers/paging.ts), loaded with their parent in its statement:
// - an entity's stories are newest first, ties by id, like every list of stories; a cursor holds
//   the story's firstPublishedAt and id, so the next page goes on from there even if that story
//   has been withdrawn, re-dated or unlinked since;
// - a story's own links all share its date and id, so they are in the order of the other id,
//   which is what their cursor holds (a link removed by an update takes nothing else with it).
/* eslint-disable @typescript-eslint/no-explicit-any -- Pothos cannot type a field builder or a parent passed by value between object types */
import { builder } from '../builder.js'
import { dependsOn, storiesOf } from '../live/invalidation.js'
import type { Context } from '../context.js'
import {
  DEFAULT_PAGE_SIZE,
  keysetPage,
  ListOrder,
  NEWEST_STORIES,
  pageInfo,
  storyPosition,
  type KeysetWindow,
  type Position,
} from '../resolvers/paging.js'
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

/** A join row as loaded: the node under `target`, the other id, the relation (not for tags). */
type Link = Record<string, any>

// Pothos types each field for one model; the ten combinations differ only in names, so the
// definition below is written once with the model names as values (hence the `any`s). Types are
// named, not imported, so the type files need not import each other.
export function linkField({ on, field, join, type, description }: LinkField) {
  const target = type[0].toLowerCase() + type.slice(1)
  const withRelation = join !== 'StoryTag'
  const otherId = `${join[5].toLowerCase()}${join.slice(6)}Id` // e.g. personId
  const typeName = `${on}${field[0].toUpperCase()}${field.slice(1)}`
  const stories = type === 'Story'

  const order = new ListOrder(typeName, stories ? NEWEST_STORIES : [{ kind: 'uuid', dir: 'asc' }])
  const list = stories
    ? {
        // An entity's stories are those the viewer may see; the position is the story's.
        where: (ctx: Context, w: KeysetWindow<Position>): object => {
          const past = order.where(['firstPublishedAt', 'id'], w)
          const visible = visibleStoryWhere(ctx.viewer)
          return { story: past ? { AND: [visible, past] } : visible }
        },
        orderBy: ['story.firstPublishedAt', 'storyId'],
        position: (link: Link) => storyPosition(link.story),
        nodeSelect: { id: true, firstPublishedAt: true },
        count: (ctx: Context) => ({ where: { story: visibleStoryWhere(ctx.viewer) } }),
      }
    : {
        // A story's own links are all shown.
        where: (_ctx: Context, w: KeysetWindow<Position>) => order.where([otherId], w),
        orderBy: [otherId],
        position: (link: Link) => [link[otherId]],
        nodeSelect: { id: true },
        count: () => true,
      }

  builder.prismaObjectField(on as any, field, (t: any) =>
    t.connection(
      {
        type,
        description,
        select: (args: any, ctx: Context, nested: any) => {
          const w = order.window(args, DEFAULT_PAGE_SIZE)
          return {
            id: true,
            [field]: {
              where: list.where(ctx, w),
              orderBy: order.orderBy(list.orderBy, w),
              // one more than the page: it says whether there is more
              take: w.size + 1,
              select: {
                ...(withRelation ? { relation: true } : {}),
                [otherId]: true,
                [target]: nested({ select: list.nodeSelect }, ['edges', 'node']),
              },
            },
            _count: { select: { [field]: list.count(ctx) } },
          }
        },
        resolve: (parent: any, args: any, ctx: Context) => {
          // an entity's stories change as stories filed under it are published, withdrawn, refiled
          if (type === 'Story') dependsOn(ctx, storiesOf(on, parent.id))
          const page = keysetPage<Link>(parent[field], order.window(args, DEFAULT_PAGE_SIZE))
          const edges = page.items.map((link) => ({
            cursor: order.cursor(list.position(link)),
            node: link[target],
            relation: link.relation,
          }))
          return { edges, pageInfo: pageInfo(page, edges), totalCount: parent._count[field] }
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
