// The cursor rule's own logic (src/resolvers/paging.ts), without a database: a cursor reads back
// as the position it was made of, whatever its keys hold; anything else is refused, naming the
// argument; and the keyset condition picks exactly the rows past a position in the list's order,
// NULLs wherever they sort, forward and backward — checked against a plain comparator on random
// orders, rows and positions.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ListOrder, type KeyValue, type OrderKey } from '../../src/resolvers/paging.js'

const ROLES = ['PARTY', 'MEDIATOR', 'HOST'] as const

const valueOf = (key: OrderKey): fc.Arbitrary<KeyValue> => {
  const kind = key.kind
  const value: fc.Arbitrary<KeyValue> =
    kind === 'time'
      ? fc.integer({ min: 0, max: 5 }).map((h) => new Date(Date.UTC(2025, 0, 1, h)))
      : kind === 'uuid'
        ? fc.constantFrom(
            '01000000-0000-7000-8000-000000000000',
            '02000000-0000-7000-8000-000000000000',
            '0a000000-0000-7000-8000-000000000000',
          )
        : kind === 'int'
          ? fc.integer({ min: -2, max: 3 })
          : kind === 'bigint'
            ? fc.bigInt({ min: 0n, max: 4n })
            : kind === 'float'
              ? fc.constantFrom(0, 0.1, 0.30000001192092896, 1.5, 2)
              : kind === 'text'
                ? fc.constantFrom('a', 'b|c', 'Ö%', '日本', '')
                : fc.constantFrom(...ROLES)
  return key.nulls ? fc.option(value, { nil: null, freq: 3 }) : value
}

const keyArb: fc.Arbitrary<OrderKey> = fc.record({
  kind: fc.constantFrom<OrderKey['kind']>('time', 'uuid', 'int', 'bigint', 'float', 'text', { enum: ROLES }),
  dir: fc.constantFrom('asc' as const, 'desc' as const),
  nulls: fc.constantFrom(undefined, 'first' as const, 'last' as const),
})

const sortable = (v: KeyValue, key: OrderKey): number | string | bigint =>
  v instanceof Date
    ? v.getTime()
    : typeof key.kind === 'object'
      ? key.kind.enum.indexOf(v as string)
      : (v as number | string | bigint)

/** The list's order as a plain comparator. */
function compare(keys: readonly OrderKey[], a: KeyValue[], b: KeyValue[]): number {
  for (const [i, key] of keys.entries()) {
    const [x, y] = [a[i], b[i]]
    if (x === null && y === null) continue
    if (x === null || y === null) return (x === null) === (key.nulls === 'last') ? 1 : -1
    const [p, q] = [sortable(x, key), sortable(y, key)]
    if (p !== q) return (p < q ? -1 : 1) * (key.dir === 'asc' ? 1 : -1)
  }
  return 0
}

/** A Prisma where, as Prisma would read it, on a row whose fields are k0, k1, … (enums by their order). */
function matches(where: any, row: Record<string, KeyValue>, keys: readonly OrderKey[]): boolean {
  if ('OR' in where) return where.OR.some((w: any) => matches(w, row, keys))
  if ('AND' in where) return where.AND.every((w: any) => matches(w, row, keys))
  return Object.entries(where).every(([field, test]: [string, any]) => {
    const key = keys[Number(field.slice(1))]
    const v = row[field]
    const at = (x: KeyValue) => sortable(x, key)
    if (test === null) return v === null
    if (test instanceof Date || typeof test !== 'object') return v !== null && at(v) === at(test)
    if ('not' in test) return v !== null
    if ('in' in test) return v !== null && test.in.includes(v)
    if ('lt' in test) return v !== null && at(v) < at(test.lt)
    return v !== null && at(v) > at(test.gt)
  })
}

describe('ListOrder', () => {
  it('picks exactly the rows past a position, in either direction, and orders them as the list does', () => {
    fc.assert(
      fc.property(
        fc.array(keyArb, { minLength: 1, maxLength: 3 }).chain((keys) =>
          fc.record({
            keys: fc.constant(keys),
            rows: fc.array(fc.tuple(...keys.map(valueOf)), { maxLength: 12 }),
            position: fc.tuple(...keys.map(valueOf)),
            forward: fc.boolean(),
          }),
        ),
        ({ keys, rows, position, forward }) => {
          const order = new ListOrder('test', keys)
          const fields = keys.map((_, i) => `k${i}`)
          const asRow = (values: KeyValue[]) => Object.fromEntries(values.map((v, i) => [`k${i}`, v]))
          const w = { forward, size: 10, cursor: order.parse(order.cursor(position), 'after') }
          const where = order.where(fields, w)!
          for (const row of rows) {
            const past = forward ? compare(keys, row, position) > 0 : compare(keys, row, position) < 0
            expect(matches(where, asRow(row), keys), String([row, position])).toBe(past)
          }
          // the orderBy reads the list in the window's direction
          const orderBy = order.orderBy(fields, w)
          expect(orderBy.map((o) => Object.keys(o)[0])).toEqual(fields)
          orderBy.forEach((o, i) => {
            const spec = Object.values(o)[0] as string | { sort: string; nulls: string }
            const key = keys[i]
            const dir = forward ? key.dir : key.dir === 'asc' ? 'desc' : 'asc'
            if (key.nulls)
              expect(spec).toEqual({ sort: dir, nulls: forward ? key.nulls : key.nulls === 'last' ? 'first' : 'last' })
            else expect(spec).toBe(dir)
          })
        },
      ),
      { numRuns: 500 },
    )
  })

  it('reads back every position it makes a cursor of, as an opaque base64url string', () => {
    fc.assert(
      fc.property(
        fc
          .array(keyArb, { minLength: 1, maxLength: 4 })
          .chain((keys) => fc.tuple(fc.constant(keys), fc.tuple(...keys.map(valueOf)))),
        ([keys, position]) => {
          const order = new ListOrder('test', keys)
          const cursor = order.cursor(position)
          expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
          expect(order.parse(cursor, 'after')).toEqual(position)
        },
      ),
    )
  })

  it('refuses what is not a cursor of its list, naming the argument', () => {
    const order = new ListOrder('stories', [
      { kind: 'time', dir: 'desc', nulls: 'last' },
      { kind: 'uuid', dir: 'desc' },
    ])
    const b64 = (text: string) => Buffer.from(text).toString('base64url')
    const ID = '01000000-0000-7000-8000-000000000000'
    expect(order.parse(b64(`stories||${ID}`), 'after')).toEqual([null, ID])
    for (const cursor of [
      '',
      'garbage!!',
      b64('stories'),
      b64(`search|2025-01-01T00:00:00.000Z|${ID}`),
      b64(`stories|2025-01-01T00:00:00.000Z|${ID}|x`),
      b64(`stories|2025-01-01T00:00:00Z|${ID}`),
      b64(`stories|0000-01-01T00:00:00.000Z|${ID}`),
      b64('stories|2025-01-01T00:00:00.000Z|ABCDEF00-0000-7000-8000-000000000000'),
      b64(`stories|2025-01-01T00:00:00.000Z|`),
      'A'.repeat(20_000),
    ]) {
      for (const field of ['after', 'before'] as const) {
        expect(() => order.parse(cursor, field), cursor).toThrow(
          expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } }),
        )
      }
    }
    const others = new ListOrder('other', [
      { kind: 'int', dir: 'asc' },
      { kind: 'float', dir: 'desc' },
      { kind: 'text', dir: 'asc' },
      { kind: { enum: ROLES }, dir: 'asc' },
      { kind: 'bigint', dir: 'desc' },
    ])
    const good = ['1', '0.5', '=a', 'HOST', '7']
    expect(others.parse(b64(['other', ...good].join('|')), 'after')).toEqual([1, 0.5, 'a', 'HOST', 7n])
    for (const [i, bad] of [
      [0, '2147483648'],
      [0, '1.5'],
      [1, 'NaN'],
      [1, '1e999'],
      [2, 'a'],
      [2, '=%E0%A4%A'],
      [2, '=%00'],
      [2, `=${'x'.repeat(1001)}`],
      [3, 'KING'],
      [4, '99999999999999999999'],
    ] as const) {
      const parts = [...good]
      parts[i] = bad
      expect(() => others.parse(b64(['other', ...parts].join('|')), 'before'), bad).toThrow(
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'before' } }),
      )
    }
  })

  it('refuses a page asked for two ways', () => {
    const order = new ListOrder('test', [{ kind: 'int', dir: 'asc' }])
    const cursor = order.cursor([1])
    for (const [args, field] of [
      [{ first: 1, last: 1 }, 'last'],
      [{ after: cursor, before: cursor }, 'before'],
      [{ after: cursor, last: 1 }, 'last'],
      [{ before: cursor, first: 1 }, 'first'],
      [{ first: 0 }, 'first'],
      [{ last: -1 }, 'last'],
    ] as const) {
      expect(() => order.window(args, 20), JSON.stringify(args)).toThrow(
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } }),
      )
    }
    expect(order.window({ last: 3, before: cursor }, 20)).toEqual({ forward: false, size: 3, cursor: [1] })
    expect(order.window({}, 20)).toEqual({ forward: true, size: 20, cursor: null })
  })
})
