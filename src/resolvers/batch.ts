// Batching across the rows of a list. GraphQL resolves a field once per parent; when the parents
// are the rows of one list, those calls come in the same tick. A DataLoader per request (keyed on
// the request's context) and per batch key gathers them and answers all of them with one
// statement, so the SQL a request sends does not grow with its page size.
import DataLoader from 'dataloader'
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql'
import type { Context } from '../context.js'

const loadersByContext = new WeakMap<object, Map<string, unknown>>()

/**
 * `load(key)` for one of the parents; every call with the same `batchKey` in the same tick is
 * answered by one call of `fetch` (the first caller's) with all their keys. `fetch` returns what
 * it found by key; a key it did not find resolves to undefined. Nothing is cached between batches:
 * a subscription's context lives for many events, and each must read afresh.
 */
export function batched<K, V>(
  ctx: object,
  batchKey: string,
  key: K,
  fetch: (keys: K[]) => Promise<Map<K, V>>,
): Promise<V | undefined> {
  let loaders = loadersByContext.get(ctx)
  if (!loaders) loadersByContext.set(ctx, (loaders = new Map()))
  let loader = loaders.get(batchKey) as DataLoader<K, V | undefined> | undefined
  if (!loader) {
    loader = new DataLoader<K, V | undefined>(
      async (keys) => {
        const found = await fetch([...keys])
        return keys.map((k) => found.get(k))
      },
      { cache: false },
    )
    loaders.set(batchKey, loader)
  }
  return loader.load(key)
}

/** Where a field sits in the operation, list indices left out: the same for every row of a list. */
export function fieldPosition(info: GraphQLResolveInfo): string {
  const keys: (string | number)[] = []
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev)
    if (typeof p.key === 'string') keys.push(p.key)
  return `${info.parentType.name}:${keys.reverse().join('.')}`
}

/** Whether the field at `info` selects `name` among its own fields (through fragments too). */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((node) =>
      node.kind === Kind.FIELD
        ? node.name.value === name
        : node.kind === Kind.INLINE_FRAGMENT
          ? inSet(node.selectionSet)
          : inSet(info.fragments[node.name.value]?.selectionSet),
    ) ?? false
  return info.fieldNodes.some((node) => inSet(node.selectionSet))
}

type ById = 'story' | 'person' | 'organisation' | 'place' | 'event' | 'tag' | 'correction' | 'eventStatusChange'

/**
 * Rows by id with the selection Pothos planned for the field at `info` (`query`), for every row of
 * the list at once: one findMany per field position. Rows come back in the order of `ids`; an id
 * not found is left out.
 */
export async function loadByIds<T>(
  ctx: Context,
  info: GraphQLResolveInfo,
  model: ById,
  ids: readonly string[],
  query: object,
): Promise<T[]> {
  // Every row's field is handed the same selection and the batch runs the first one's; copying
  // each tells Pothos (which watches for a query left unused) that every one was taken.
  const selection = { ...query }
  const rows = await Promise.all(
    ids.map((id) =>
      batched<string, T>(ctx, `rows:${model}:${fieldPosition(info)}`, id, async (all) => {
        const q = selection as { select?: Record<string, unknown> }
        // the id is needed to hand each row to its caller
        const withId = q.select ? { ...q, select: { ...q.select, id: true } } : selection
        const delegate = ctx.prisma[model] as unknown as { findMany(args: object): Promise<(T & { id: string })[]> }
        const found = await delegate.findMany({ ...withId, where: { id: { in: all } } })
        return new Map(found.map((row) => [row.id, row as T]))
      }),
    ),
  )
  return rows.filter((row): row is Awaited<T> => row !== undefined) as T[]
}

export async function loadById<T>(
  ctx: Context,
  info: GraphQLResolveInfo,
  model: ById,
  id: string | null | undefined,
  query: object,
): Promise<T | null> {
  const [row] = await loadByIds<T>(ctx, info, model, id ? [id] : [], query)
  return row ?? null
}
