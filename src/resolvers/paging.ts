// The one home of the cursor rule, for every connection of the API.
//
// A cursor holds a POSITION in its list's order — the values of the list's sort keys at an item,
// e.g. (firstPublishedAt, id) for a list of stories — never a reference to a row. A page is the
// items past that position (`first`/`after`) or before it (`last`/`before`), read with a keyset
// condition on the sort keys. So the next page continues right after the last item a client saw,
// whatever happened to that item since (withdrawn, deleted, re-dated, unpublished, unlinked), and
// items added or removed elsewhere in the list never shift a page: nothing that stays in the list
// is skipped or repeated. (A row-id cursor, as Prisma's `cursor:` takes it, needs the row still to
// be in the list: take it out and the next page comes back empty.)
//
// Every list declares its order once, as a ListOrder: its name (a cursor of another list is
// refused) and its keys, each with its kind, direction and where NULLs sort. The order gives the
// cursor's encoding (base64url of "name|part|part…", opaque to clients), the checks of a cursor a
// client sends (anything malformed or foreign is BAD_USER_INPUT naming `after` or `before`), the
// ORDER BY (as Prisma orderBy or SQL) and the keyset condition (as a Prisma where or SQL).
// Statements stay one per page, whatever its size, and the ORDER BY stays the one the lists'
// indexes were made for (stories: firstPublishedAt DESC NULLS LAST, id DESC).
//
// A cursor says no more than its list shows: it is made from an item on the page the viewer was
// given, so a public cursor never holds a hidden story; a cursor an editor got, sent by anyone, is
// a position and nothing else (the page read from it holds only what that viewer may see).
//
// Every connection of the API pages this way (no Pothos row-id cursor is left), connection by
// connection, with why a row-id cursor would not do:
// - Query.stories (each order), every entity's stories, search, Story.related, coMentioned: a
//   story leaves them when it is withdrawn, unpublished, deleted or unlinked, moves in them when
//   re-dated or rewritten (rank), and a ranked list's scores change with what stories share.
// - a story's people, organisations, places, events and tags (src/schema/links.ts),
//   Story.contributors, Event.participants, Person.affiliations, Organisation.people: updates
//   replace them whole (rows deleted and written anew).
// - Event.children, Organisation.children, Place.children, Place.events: updates re-parent,
//   rename, move and re-date their rows.
// - Event.timeline and eventsExpected: keyset from the start (stories come and go, events move).
// - Story.corrections (createdAt, id), Story.revisions (version), Event.statusHistory (at, id),
//   Query.auditLog (sequence number): their rows are only ever added — no mutation edits or
//   deletes one, the audit log's trigger refuses it, and the key is set once — and a story's
//   corrections leave the public's list only all at once (the story stops being public). A
//   row-id cursor would be safe on them; they use positions too, so that every cursor behaves,
//   and is refused (BAD_USER_INPUT naming `after` or `before`), the same way.
// - Query.webhooks, Webhook.attempts: endpoints are deleted and attempts pruned, rows and all.
import { Prisma } from '../generated/prisma/client.js'
import { badInput } from '../errors.js'
import { storableTime } from './times.js'

/** Page sizes of every connection: `first`/`last` outside 1..MAX_PAGE_SIZE are refused. */
export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100

export interface PageArgs {
  first?: number | null
  after?: string | null
  last?: number | null
  before?: string | null
}

export type CursorField = 'after' | 'before'

export interface KeysetWindow<P> {
  forward: boolean
  size: number
  /** the position to read past, if any */
  cursor: P | null
}

export interface KeysetPage<T> {
  items: T[]
  hasNextPage: boolean
  hasPreviousPage: boolean
}

/**
 * The window `args` ask for: forward (`first`, `after`) or backward (`last`, `before`), its size
 * and the position parsed from the cursor. `first` with `last`, `after` with `before`, `after` with
 * `last` and `before` with `first` are refused: each pair asks for two different pages.
 */
export function keysetWindow<P>(
  args: PageArgs,
  defaultSize: number,
  parse: (cursor: string, field: CursorField) => P,
): KeysetWindow<P> {
  if (args.first != null && args.last != null) throw badInput('give first or last, not both', 'last')
  if (args.after != null && args.before != null) throw badInput('give after or before, not both', 'before')
  if (args.after != null && args.last != null)
    throw badInput('last reads back from before (or the end): give first with after', 'last')
  if (args.before != null && args.first != null)
    throw badInput('first reads on from after (or the start): give last with before', 'first')
  const forward = args.last == null && args.before == null
  // the operation's check (src/server/page-size.ts) has refused sizes out of range; this one
  // keeps a negative take, which Prisma reads as "backwards", from ever reaching a query
  for (const name of ['first', 'last'] as const) {
    const size = args[name]
    if (size != null && (!Number.isInteger(size) || size < 1)) throw badInput(`${name} must be at least 1`, name)
  }
  return forward
    ? { forward, size: args.first ?? defaultSize, cursor: args.after != null ? parse(args.after, 'after') : null }
    : { forward, size: args.last ?? defaultSize, cursor: args.before != null ? parse(args.before, 'before') : null }
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

/** A connection's page info from the cursors of its edges. */
export function pageInfo(
  page: Pick<KeysetPage<unknown>, 'hasNextPage' | 'hasPreviousPage'>,
  edges: { cursor: string }[],
) {
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  }
}

// ---------------------------------------------------------------------------------------------
// A list's order, and the cursors of its positions

/** What a key holds; an enum's values in its order (PostgreSQL sorts enums in declaration order). */
export type KeyKind = 'time' | 'uuid' | 'int' | 'bigint' | 'float' | 'text' | { enum: readonly string[] }

export interface OrderKey {
  kind: KeyKind
  dir: 'asc' | 'desc'
  /** for a key that may be null: where NULLs sort in the list's order */
  nulls?: 'first' | 'last'
}

export type KeyValue = Date | string | number | bigint | null
export type Position = KeyValue[]

// room for the longest text key (a name of up to MAX_TEXT_PART characters, each escaped to up to 12)
const MAX_CURSOR_LENGTH = 16_384
const MAX_TEXT_PART = 1000
const INT4 = 2 ** 31
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const INT = /^-?\d{1,10}$/
const BIGINT = /^-?\d{1,19}$/
const FLOAT = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i
const NAME = /^[A-Za-z][\w.-]*$/

const SQL_TYPE: Record<Exclude<KeyKind, { enum: readonly string[] }>, string> = {
  time: 'timestamp(3)',
  uuid: 'uuid',
  int: 'int',
  bigint: 'bigint',
  float: 'float8',
  text: 'text',
}

const foreign = (field: CursorField) => badInput(`${field} must be a cursor from this list`, field)

/** One term of a keyset condition: key `key` compared with the cursor's value. */
interface Term {
  key: number
  op: 'eq' | 'lt' | 'gt' | 'null' | 'notNull'
}

export class ListOrder {
  constructor(
    /** says which list a cursor is of: a cursor of another list is refused */
    readonly list: string,
    readonly keys: readonly OrderKey[],
  ) {
    if (!NAME.test(list)) throw new Error(`a list's name must be a word: ${list}`)
    if (keys.length === 0) throw new Error(`the order of ${list} needs a key`)
  }

  /** The cursor of the position `values` (one per key). */
  cursor(values: Position): string {
    if (values.length !== this.keys.length) throw new Error(`a position of ${this.list} has ${this.keys.length} values`)
    const parts = values.map((v, i) => this.part(v, this.keys[i]))
    return Buffer.from([this.list, ...parts].join('|')).toString('base64url')
  }

  private part(value: KeyValue, key: OrderKey): string {
    if (value === null) {
      if (!key.nulls) throw new Error(`a key of ${this.list} cannot be null`)
      return ''
    }
    if (value instanceof Date) return value.toISOString()
    // a name may hold "|" and may be empty: text is escaped, after a mark ("=", which escaping
    // never leaves) that tells an empty one from a NULL; numbers print so that they read back exactly
    if (key.kind === 'text') return `=${encodeURIComponent(String(value))}`
    return String(value)
  }

  /** The position a client's cursor holds; one that is not a cursor of this list is BAD_USER_INPUT. */
  parse(cursor: string, field: CursorField): Position {
    if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]*={0,2}$/.test(cursor))
      throw foreign(field)
    const parts = Buffer.from(cursor, 'base64url').toString().split('|')
    if (parts.length !== this.keys.length + 1 || parts[0] !== this.list) throw foreign(field)
    return this.keys.map((key, i) => this.value(parts[i + 1], key, field))
  }

  private value(part: string, key: OrderKey, field: CursorField): KeyValue {
    if (part === '' && key.nulls) return null
    const kind = key.kind
    if (kind === 'time') {
      const at = new Date(part)
      if (!ISO_TIME.test(part) || !storableTime(at)) throw foreign(field)
      return at
    }
    if (kind === 'uuid') {
      if (!UUID.test(part)) throw foreign(field)
      return part
    }
    if (kind === 'int') {
      const n = Number(part)
      if (!INT.test(part) || n < -INT4 || n >= INT4) throw foreign(field)
      return n
    }
    if (kind === 'bigint') {
      if (!BIGINT.test(part)) throw foreign(field)
      const n = BigInt(part)
      if (n < -(2n ** 63n) || n >= 2n ** 63n) throw foreign(field)
      return n
    }
    if (kind === 'float') {
      const n = Number(part)
      if (!FLOAT.test(part) || !Number.isFinite(n)) throw foreign(field)
      return n
    }
    if (kind === 'text') {
      let text: string
      try {
        if (!part.startsWith('=')) throw new URIError()
        text = decodeURIComponent(part.slice(1))
      } catch {
        throw foreign(field)
      }
      // PostgreSQL holds no NUL in text; a longer value than any stored one is no position
      if (text.length > MAX_TEXT_PART || text.includes('\u0000')) throw foreign(field)
      return text
    }
    if (!kind.enum.includes(part)) throw foreign(field)
    return part
  }

  /** The window `args` ask for, with the position of its cursor. */
  window(args: PageArgs, defaultSize: number): KeysetWindow<Position> {
    return keysetWindow(args, defaultSize, (cursor, field) => this.parse(cursor, field))
  }

  /** Each key's direction and NULLs as read in the window's direction: backward is the list reversed. */
  private reading(forward: boolean) {
    return this.keys.map((k) => ({
      ...k,
      dir: forward ? k.dir : k.dir === 'asc' ? ('desc' as const) : ('asc' as const),
      nulls: k.nulls && (forward ? k.nulls : k.nulls === 'last' ? ('first' as const) : ('last' as const)),
    }))
  }

  /**
   * The rows past `position` when reading in the direction `forward`, as a disjunction of
   * conjunctions: the first keys equal to the position's and the next one past it. A NULL sorts
   * where the key says (after every value when last); nothing sorts past a NULL that sorts last.
   */
  private past(position: Position, forward: boolean): Term[][] {
    const keys = this.reading(forward)
    const terms: Term[][] = []
    const equal: Term[] = []
    keys.forEach((k, key) => {
      const v = position[key]
      const beyond: Term[] =
        v === null
          ? k.nulls === 'first'
            ? [{ key, op: 'notNull' }]
            : []
          : [{ key, op: k.dir === 'asc' ? 'gt' : 'lt' }, ...(k.nulls === 'last' ? [{ key, op: 'null' } as Term] : [])]
      for (const term of beyond) terms.push([...equal, term])
      equal.push(v === null ? { key, op: 'null' } : { key, op: 'eq' })
    })
    return terms
  }

  /**
   * The keyset condition of window `w` as a Prisma where on a model whose fields `fields` hold the
   * keys (in order); undefined without a cursor.
   */
  where(fields: readonly string[], w: KeysetWindow<Position>): Record<string, unknown> | undefined {
    if (!w.cursor) return undefined
    const position = w.cursor
    const condition = (t: Term) => {
      const field = fields[t.key]
      const v = position[t.key]
      const kind = this.keys[t.key].kind
      // Prisma compares no enums: the values before or after, in the enum's (PostgreSQL's) order
      const values = typeof kind === 'object' ? kind.enum : null
      switch (t.op) {
        case 'eq':
          return { [field]: v }
        case 'lt':
          return { [field]: values ? { in: values.slice(0, values.indexOf(v as string)) } : { lt: v } }
        case 'gt':
          return { [field]: values ? { in: values.slice(values.indexOf(v as string) + 1) } : { gt: v } }
        case 'null':
          return { [field]: null }
        case 'notNull':
          return { [field]: { not: null } }
      }
    }
    // an empty OR matches nothing, as it should: nothing lies past the end
    return {
      OR: this.past(position, w.forward).map((terms) =>
        terms.length === 1 ? condition(terms[0]) : { AND: terms.map(condition) },
      ),
    }
  }

  /** The order of window `w` as a Prisma orderBy over `fields` ("relation.field" reaches into a relation). */
  orderBy(fields: readonly string[], w: { forward: boolean }): Record<string, unknown>[] {
    return this.reading(w.forward).map((k, i) => {
      const path = fields[i].split('.')
      let order: unknown = k.nulls ? { sort: k.dir, nulls: k.nulls } : k.dir
      for (const name of path.reverse()) order = { [name]: order }
      return order as Record<string, unknown>
    })
  }

  /** The keyset condition of window `w` in SQL, on the expressions `exprs` holding the keys; TRUE without a cursor. */
  sqlPast(exprs: readonly Prisma.Sql[], w: KeysetWindow<Position>): Prisma.Sql {
    if (!w.cursor) return Prisma.sql`TRUE`
    const position = w.cursor
    const value = (key: number) => {
      const kind = this.keys[key].kind
      if (typeof kind === 'object') throw new Error(`${this.list}: an enum key is compared through Prisma only`)
      return Prisma.sql`${position[key]}::${Prisma.raw(SQL_TYPE[kind])}`
    }
    const condition = (t: Term) => {
      const e = exprs[t.key]
      switch (t.op) {
        case 'eq':
          return Prisma.sql`${e} = ${value(t.key)}`
        case 'lt':
          return Prisma.sql`${e} < ${value(t.key)}`
        case 'gt':
          return Prisma.sql`${e} > ${value(t.key)}`
        case 'null':
          return Prisma.sql`${e} IS NULL`
        case 'notNull':
          return Prisma.sql`${e} IS NOT NULL`
      }
    }
    const terms = this.past(position, w.forward)
    if (terms.length === 0) return Prisma.sql`FALSE`
    return Prisma.sql`(${Prisma.join(
      terms.map((ands) => Prisma.sql`(${Prisma.join(ands.map(condition), ' AND ')})`),
      ' OR ',
    )})`
  }

  /** Window `w`'s rows, and one more to tell whether another page follows: WHERE, ORDER BY, LIMIT. */
  sqlWindow(exprs: readonly Prisma.Sql[], w: KeysetWindow<Position>): Prisma.Sql {
    return Prisma.sql`WHERE ${this.sqlPast(exprs, w)} ORDER BY ${this.sqlOrder(exprs, w)} LIMIT ${w.size + 1}`
  }

  /** The order of window `w` as an SQL ORDER BY list over `exprs`. */
  sqlOrder(exprs: readonly Prisma.Sql[], w: { forward: boolean }): Prisma.Sql {
    return Prisma.join(
      this.reading(w.forward).map(
        (k, i) =>
          Prisma.sql`${exprs[i]} ${Prisma.raw(k.dir.toUpperCase())}${Prisma.raw(k.nulls ? ` NULLS ${k.nulls.toUpperCase()}` : '')}`,
      ),
      ', ',
    )
  }
}

// ---------------------------------------------------------------------------------------------
// The orders of the lists of stories

/** Story lists, newest first: Query.stories (NEWEST), every entity's stories. Ties by id. */
export const NEWEST_STORIES: readonly OrderKey[] = [
  { kind: 'time', dir: 'desc', nulls: 'last' },
  { kind: 'uuid', dir: 'desc' },
]

/** Query.stories(orderBy: OLDEST). */
export const OLDEST_STORIES: readonly OrderKey[] = [
  { kind: 'time', dir: 'asc', nulls: 'last' },
  { kind: 'uuid', dir: 'asc' },
]

/** The position of a story in a list of stories ordered by NEWEST_STORIES or OLDEST_STORIES. */
export const storyPosition = (s: { firstPublishedAt: Date | null; id: string }): Position => [s.firstPublishedAt, s.id]
