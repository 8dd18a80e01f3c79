// A connection over a Prisma relation of a prisma object, paged by position (src/resolvers/paging.ts)
// rather than by row id: for lists whose rows can leave or move (replaced by an update, re-parented,
// re-dated, renamed). Like Pothos' relatedConnection it is loaded with its parent, in the parent's
// statement, and its schema is the same: `<Type><Field>Connection`, `<Type><Field>ConnectionEdge`,
// `totalCount` (of the rows `where` lets through).
/* eslint-disable @typescript-eslint/no-explicit-any -- Pothos cannot type a field builder or a parent passed by value between object types */
import type { Context } from '../context.js'
import {
  DEFAULT_PAGE_SIZE,
  keysetPage,
  ListOrder,
  pageInfo,
  type OrderKey,
  type Position,
} from '../resolvers/paging.js'

export interface KeysetRelation {
  /** the relation of the parent's model */
  relation: string
  /** the object type of its rows */
  type: string
  /** the connection's type name is this with "Connection" (its edge's with "ConnectionEdge") */
  name: string
  description?: string
  /** the list's order: its keys, and the scalar fields of the related model holding them */
  keys: readonly OrderKey[]
  fields: readonly string[]
  /** which rows the viewer may see, if not all */
  where?: (ctx: Context) => object
  /** more options of the field (authScopes) */
  options?: Record<string, unknown>
}

type Row = Record<string, any>

/** The order of every relation list here: by one field of its rows, the id breaking ties. */
export const orderedBy = (field: string, key: OrderKey): Pick<KeysetRelation, 'keys' | 'fields'> => ({
  keys: [key, { kind: 'uuid', dir: 'asc' }],
  fields: [field, 'id'],
})

/** The field, for a prisma object's `fields: (t) => …` (or builder.prismaObjectField). */
export function keysetRelation(
  t: any,
  { relation, type, name, description, keys, fields, where, options }: KeysetRelation,
) {
  const order = new ListOrder(name, keys)
  const position = (row: Row): Position => fields.map((f) => row[f])
  return t.connection(
    {
      ...options,
      type,
      ...(description ? { description } : {}),
      select: (args: any, ctx: Context, nested: any) => {
        const w = order.window(args, DEFAULT_PAGE_SIZE)
        const visible = where?.(ctx)
        const past = order.where(fields, w)
        const node = nested({ select: Object.fromEntries(fields.map((f) => [f, true])) }, ['edges', 'node'])
        const conditions = [visible, past].filter((c): c is object => c !== undefined)
        return {
          [relation]: {
            ...(typeof node === 'object' ? node : {}),
            ...(conditions.length ? { where: conditions.length === 1 ? conditions[0] : { AND: conditions } } : {}),
            orderBy: order.orderBy(fields, w),
            // one more than the page: it says whether there is more
            take: w.size + 1,
          },
          _count: { select: { [relation]: visible ? { where: visible } : true } },
        }
      },
      resolve: (parent: any, args: any) => {
        const page = keysetPage<Row>(parent[relation], order.window(args, DEFAULT_PAGE_SIZE))
        const edges = page.items.map((row) => ({ cursor: order.cursor(position(row)), node: row }))
        return { edges, pageInfo: pageInfo(page, edges), totalCount: parent._count[relation] }
      },
    },
    {
      name: `${name}Connection`,
      // as Pothos' relatedConnection has it (schema.graphql unchanged)
      fields: (c: any) => ({ totalCount: c.int({ resolve: (parent: { totalCount: number }) => parent.totalCount }) }),
    },
    { name: `${name}ConnectionEdge` },
  )
}
