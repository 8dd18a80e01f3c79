// remembered (src/server/operation.ts): a check of an operation is run once per document,
// operation name and variables; what `keep` refuses (a check's errors) is run again every time.
import { buildSchema, parse } from 'graphql'
import { describe, expect, it } from 'vitest'
import { remembered } from '../../src/server/operation.js'

const schema = buildSchema('type Query { a(n: Int): Int }')
const document = parse('query A($n: Int) { a(n: $n) } query B { a }')

function counted(answer: (n: unknown) => string | null = () => null) {
  const calls: unknown[] = []
  const check = remembered(
    (_schema, _document, _name, variables: Record<string, unknown> | null | undefined) => (
      calls.push(variables?.n),
      answer(variables?.n)
    ),
    (result) => result === null,
  )
  return { check, calls }
}

describe('remembered', () => {
  it('runs a check once per document, operation name and variables', () => {
    const { check, calls } = counted()
    for (let i = 0; i < 3; i++) expect(check(schema, document, 'A', { n: 1 })).toBeNull()
    check(schema, document, 'A', { n: 2 })
    check(schema, document, 'B', { n: 1 })
    check(schema, parse('query A($n: Int) { a(n: $n) }'), 'A', { n: 1 }) // another document object
    expect(calls).toEqual([1, 2, 1, 1])
  })

  it('keeps the newest 1,000 operations of a document, the oldest going first', () => {
    const { check, calls } = counted()
    for (let n = 0; n <= 1000; n++) check(schema, document, 'A', { n })
    check(schema, document, 'A', { n: 1000 })
    check(schema, document, 'A', { n: 1 })
    expect(calls.length).toBe(1001)
    check(schema, document, 'A', { n: 0 })
    expect(calls.at(-1)).toBe(0)
  })

  it('runs again what keep refuses, for another schema, and for long variables', () => {
    const { check, calls } = counted((n) => (n === 'bad' ? 'error' : null))
    expect(check(schema, document, 'A', { n: 'bad' })).toBe('error')
    expect(check(schema, document, 'A', { n: 'bad' })).toBe('error')
    check(schema, document, 'A', { n: 1 })
    check(buildSchema('type Query { a(n: Int): Int }'), document, 'A', { n: 1 })
    const long = 'x'.repeat(5000)
    check(schema, document, 'A', { n: long })
    check(schema, document, 'A', { n: long })
    expect(calls).toEqual(['bad', 'bad', 1, 1, long, long])
  })
})
