// Paging for lists read with hand-written SQL. Keyset paging (the event timeline, events
// expected): the cursor holds the sort key of an item, and a page is the items past it, so a page
// never shifts when items are added before it; `first`/`after` read forward, `last`/`before`
// backward. Offset paging (lists ranked by a computed score: co-mentions, related stories): the
// cursor holds a place in the ranking, as Pothos' offset connections make them.
import { cursorToOffset, offsetForArgs, offsetToCursor } from '@pothos/plugin-relay'
import { badInput } from '../errors.js'
import { storableTime } from './times.js'

export interface PageArgs {
  first?: number | null
  after?: string | null
  last?: number | null
  before?: string | null
}

export interface KeysetWindow<P> {
  forward: boolean
  size: number
  /** the sort key of the item to read past, if any */
  cursor: P | null
}

export interface KeysetPage<T> {
  items: T[]
  hasNextPage: boolean
  hasPreviousPage: boolean
}

export function keysetWindow<P>(args: PageArgs, defaultSize: number, parse: (cursor: string, field: 'after' | 'before') => P): KeysetWindow<P> {
  if (args.first != null && args.last != null) throw badInput('give first or last, not both', 'last')
  if (args.after != null && args.before != null) throw badInput('give after or before, not both', 'before')
  const forward = args.last == null && args.before == null
  return forward
    ? { forward, size: args.first ?? defaultSize, cursor: args.after != null ? parse(args.after, 'after') : null }
    : { forward, size: args.last ?? args.first ?? defaultSize, cursor: args.before != null ? parse(args.before, 'before') : null }
}

/**
 * The page from `rows`, read in the window's direction with one row more than the page holds (that
 * one says whether there is more). The page reads in the list's order either way.
 */
export function keysetPage<T>(rows: T[], w: KeysetWindow<unknown>): KeysetPage<T> {
  const more = rows.length > w.size
  const items = rows.slice(0, w.size)
  if (!w.forward) items.reverse()
  return {
    items,
    hasNextPage: w.forward ? more : w.cursor !== null,
    hasPreviousPage: w.forward ? w.cursor !== null : more,
  }
}

/** An opaque cursor: `parts` joined and base64url-encoded under a name saying which list it is of. */
export function encodeCursor(list: string, parts: string[]): string {
  return Buffer.from([list, ...parts].join('|')).toString('base64url')
}

/** The parts of a cursor of `list`, checked by `pattern` (one capture per part); a bad one is BAD_USER_INPUT. */
export function decodeCursor(list: string, cursor: string, pattern: RegExp, field: string): string[] {
  const text = Buffer.from(cursor, 'base64url').toString()
  const match = text.startsWith(`${list}|`) ? pattern.exec(text.slice(list.length + 1)) : null
  if (!match) throw badInput(`${field} must be a cursor from this list`, field)
  return match.slice(1)
}

export const ISO_TIME = String.raw`(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)`
export const UUID = String.raw`([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`

/** A time taken from a cursor: one that does not read as a date is refused like a malformed cursor. */
export function cursorTime(iso: string, field: string): Date {
  const at = new Date(iso)
  if (!storableTime(at)) throw badInput(`${field} must be a cursor from this list`, field)
  return at
}

/**
 * The offsets a page of a ranked list covers (Pothos' offsetForArgs), after checking that its
 * cursors are places such a list can have: a cursor read as no number, a negative one or one past
 * what SQL counts in is BAD_USER_INPUT rather than a failing statement.
 */
export function offsetWindow(args: PageArgs, defaultSize: number, maxSize: number) {
  for (const field of ['after', 'before'] as const) {
    const cursor = args[field]
    if (cursor == null) continue
    let offset: number
    try {
      offset = cursorToOffset(cursor)
    } catch {
      offset = Number.NaN
    }
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > 2 ** 31 - 1) throw badInput(`${field} must be a cursor from this list`, field)
  }
  return offsetForArgs({ args, defaultSize, maxSize })
}

export type OffsetWindow = ReturnType<typeof offsetWindow>

/** A page of a ranked list as SQL reads it: one row more than the page when there is a next one. */
export interface RankedPage<R extends { id: string; rank: number }> {
  rows: R[]
  total: number
}

/** The rows of a ranked page that a connection shows (without the one read to know of a next page). */
export function shownRows<R extends { id: string; rank: number }>(window: OffsetWindow, page: RankedPage<R>): R[] {
  return page.rows.slice(0, window.expectedSize)
}

/** A ranked page as a connection: each shown row whose node was found (one may have gone since
 *  the ranking was read) becomes an edge holding its node and, under `key`, the row its edge's own
 *  fields read; with the page's info and the list's count. */
export function rankedConnection<R extends { id: string; rank: number }, N extends { id: string }, K extends string>(
  window: OffsetWindow,
  page: RankedPage<R>,
  nodes: N[],
  key: K,
) {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const edges = shownRows(window, page)
    .filter((row) => byId.has(row.id))
    .map((row) => ({ cursor: offsetToCursor(row.rank - 1), node: byId.get(row.id)!, [key]: row }) as { cursor: string; node: N } & Record<K, R>)
  return {
    edges,
    pageInfo: {
      hasPreviousPage: window.hasPreviousPage,
      hasNextPage: window.hasNextPage(page.rows.length),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: page.total,
  }
}
