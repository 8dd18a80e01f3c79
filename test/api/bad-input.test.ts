// Bad input and server faults: every refusal carries a code a client can branch on (and the field
// at fault where the API names one), and nothing of the server's insides (stack, Prisma, SQL)
// reaches the client. Faults are real: a schema broken under the server, a closed database,
// connections killed by PostgreSQL.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import type { GraphQLFormattedError } from 'graphql'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedSampleGraph } from '../../src/seed/seed.js'
import {
  NodeByIdDocument,
  PagedStoriesDocument,
  PagedStoryTagsDocument,
  SearchDocument,
  StoryPageDocument,
  TagNameOnlyDocument,
} from '../generated/graphql.js'
import { testApp, type Result } from '../helpers/api.js'
import { ADMIN_URL, createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js'

const SLUG = 'hamas-israel-ceasefire-talks-expected-to-resume'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const base64 = (text: string) => Buffer.from(text).toString('base64')

// What must never reach a client: Prisma's call-site report, stacks, source positions, SQL.
const LEAK =
  /prisma|invocation|stack|node_modules|\.[cm]?[jt]s:\d|\bselect\b|\binsert\b|\bfrom\s+"|"t0"|\bt0\.|sqlstate|pg_|syntax error at or near/i

function expectNothingLeaks(errors: readonly GraphQLFormattedError[]) {
  expect(JSON.stringify(errors)).not.toMatch(LEAK)
  for (const error of errors) {
    for (const key of Object.keys(error)) expect(['message', 'locations', 'path', 'extensions']).toContain(key)
    for (const key of Object.keys(error.extensions ?? {})) expect(['code', 'field']).toContain(key)
  }
}

/** The one error of a refused operation, checked for its code (and field) and for leaks. */
function refusal(result: Result<unknown>, code: string, field?: string): GraphQLFormattedError {
  expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1)
  const [error] = result.errors!
  expect(error.extensions?.code, error.message).toBe(code)
  if (field !== undefined) expect(error.extensions?.field).toBe(field)
  expectNothingLeaks(result.errors!)
  return error
}

let db: TestDatabase
let app: ReturnType<typeof testApp>
let storyId: string

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  app = testApp(db)
  const { data, errors } = await app.run(StoryPageDocument, { slug: SLUG })
  expect(errors).toBeUndefined()
  storyId = data!.story!.id
})
afterAll(() => db?.drop())

/** Runs an operation that must be refused before any resolver runs: no data, no SQL. */
async function refusedBeforeExecution<T, V>(document: TypedDocumentNode<T, V> | string, variables?: V) {
  db.statements.length = 0
  const result = await app.run(document, variables)
  expect(result.data ?? null).toBeNull()
  expect(db.statements).toEqual([])
  return result
}

describe('a slug that does not exist', () => {
  it('is null, not an error', async () => {
    const result = await app.run(StoryPageDocument, { slug: 'no-such-story' })
    expect(result.errors).toBeUndefined()
    expect(result.data).toEqual({ story: null })
  })
})

describe('a malformed global id', () => {
  it('resolves when well formed (the control)', async () => {
    const { data, errors } = await app.run(NodeByIdDocument, { id: storyId })
    expect(errors).toBeUndefined()
    expect(data?.node).toMatchObject({ __typename: 'Story', id: storyId, slug: SLUG })
  })

  it.each([
    ['not base64 at all', 'not-base64!!'],
    ['a type name without a colon', base64('Story')],
    ['a type name and no id', base64('Story:')],
    ['an id that is not a UUID', base64('Story:not-a-uuid')],
  ])('is BAD_USER_INPUT: %s', async (_, id) => {
    const result = await app.run(NodeByIdDocument, { id })
    expect(result.status).toBe(200)
    expect(result.data).toEqual({ node: null })
    const error = refusal(result, 'BAD_USER_INPUT')
    expect(error.message).toMatch(/invalid/i)
    expect(error.message).not.toBe('Unexpected error.')
    expect(error.path).toEqual(['node'])
  })

  it('is BAD_USER_INPUT when written into the query', async () => {
    const result = await app.run('{ node(id: "not-base64!!") { id } }')
    expect(result.data).toEqual({ node: null })
    expect(refusal(result, 'BAD_USER_INPUT').message).toMatch(/invalid global id/i)
  })
})

describe('an unknown enum value', () => {
  it('fails validation', async () => {
    const result = await refusedBeforeExecution('{ stories(filter: { type: NOPE }) { totalCount } }')
    expect(refusal(result, 'GRAPHQL_VALIDATION_FAILED').message).toMatch(/NOPE/)
  })
})

describe('a time PostgreSQL cannot hold', () => {
  // RFC 3339 allows year 0000; PostgreSQL has no year 0
  it('is BAD_USER_INPUT, written into the query or as a variable', async () => {
    const written = await refusedBeforeExecution(
      '{ stories(filter: { publishedAfter: "0000-06-01T00:00:00Z" }) { totalCount } }',
    )
    expect(refusal(written, 'BAD_USER_INPUT').message).toMatch(/DateTime must lie in the years 1 to 9999/)
    const variable = await app.run(
      'query ($at: DateTime) { stories(filter: { publishedAfter: $at }) { totalCount } }',
      { at: '0000-06-01T00:00:00Z' },
    )
    expect(variable.data ?? null).toBeNull()
    expect(refusal(variable, 'BAD_USER_INPUT').message).toMatch(/DateTime must lie in the years 1 to 9999/)
  })
})

describe('a search query', () => {
  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['500 characters', 'ceasefire '.repeat(50)],
    ['one character too long', 'x'.repeat(201)],
  ])('is BAD_USER_INPUT on "query" when %s', async (_, query) => {
    const result = await app.run(SearchDocument, { query })
    expect(result.data ?? null).toBeNull()
    expect(refusal(result, 'BAD_USER_INPUT', 'query').path).toEqual(['search'])
  })

  it('of exactly 200 characters is accepted (the control)', async () => {
    const result = await app.run(SearchDocument, { query: 'x'.repeat(200) })
    expect(result.errors).toBeUndefined()
    expect(result.data?.search.totalCount).toBe(0)
  })
})

describe('a page size out of range', () => {
  it.each([
    ['first', 0],
    ['first', 101],
    ['last', 0],
    ['last', 101],
    ['first', -1],
  ] as const)('is BAD_USER_INPUT on %s when %s is written into the query', async (arg, n) => {
    const result = await refusedBeforeExecution(`{ stories(${arg}: ${n}) { totalCount edges { node { slug } } } }`)
    expect(refusal(result, 'BAD_USER_INPUT', arg).message).toMatch(/between 1 and 100/)
  })

  it.each([
    ['first', 0],
    ['first', 101],
    ['last', 0],
    ['last', 101],
  ] as const)('is BAD_USER_INPUT on %s when %s comes in a variable', async (arg, n) => {
    const result = await refusedBeforeExecution(PagedStoriesDocument, arg === 'first' ? { first: n } : { last: n })
    expect(refusal(result, 'BAD_USER_INPUT', arg).message).toMatch(/between 1 and 100/)
  })

  it('is BAD_USER_INPUT on a nested connection, written into the query', async () => {
    const result = await refusedBeforeExecution(
      `{ story(slug: "${SLUG}") { slug tags(first: 500) { edges { node { name } } } } }`,
    )
    expect(refusal(result, 'BAD_USER_INPUT', 'first').message).toMatch(/500/)
  })

  it.each([
    ['first', 500],
    ['last', 0],
  ] as const)('is BAD_USER_INPUT on a nested connection when %s is %s in a variable', async (arg, n) => {
    const result = await refusedBeforeExecution(
      PagedStoryTagsDocument,
      arg === 'first' ? { slug: SLUG, first: n } : { slug: SLUG, last: n },
    )
    refusal(result, 'BAD_USER_INPUT', arg)
  })

  it('is accepted at the bounds (the control)', async () => {
    for (const [variables, size] of [
      [{ first: 1 }, 1],
      [{ last: 1 }, 1],
      [{ first: 100 }, 100],
      [{ last: 100 }, 100],
    ] as const) {
      const { data, errors } = await app.run(PagedStoriesDocument, variables)
      expect(errors).toBeUndefined()
      expect(data!.stories.edges).toHaveLength(Math.min(size, data!.stories.totalCount))
    }
    const nested = await app.run(PagedStoryTagsDocument, { slug: SLUG, first: 100 })
    expect(nested.errors).toBeUndefined()
    expect(nested.data!.story!.tags.edges.length).toBeGreaterThan(0)
  })
})

describe('a malformed cursor', () => {
  it('from a real page leads to the next one (the control)', async () => {
    const first = await app.run(PagedStoriesDocument, { first: 2 })
    const next = await app.run(PagedStoriesDocument, { first: 2, after: first.data!.stories.edges[1].cursor })
    expect(next.errors).toBeUndefined()
    expect(next.data!.stories.edges[0].node.slug).not.toBe(first.data!.stories.edges[0].node.slug)
  })

  it.each([
    ['not base64', 'garbage!!'],
    ['base64 of nonsense', base64('nope')],
    ['a cursor whose id is not a UUID', base64('GPC:S:not-a-uuid')],
  ])('is BAD_USER_INPUT in `after`: %s', async (_, after) => {
    const result = await app.run(PagedStoriesDocument, { first: 2, after })
    expect(result.data ?? null).toBeNull()
    const error = refusal(result, 'BAD_USER_INPUT')
    expect(error.message).not.toBe('Unexpected error.')
    expect(error.path).toEqual(['stories'])
  })

  it('is BAD_USER_INPUT in `after` of search', async () => {
    const result = await app.run(SearchDocument, { query: 'ceasefire', after: 'garbage!!' })
    expect(result.data ?? null).toBeNull()
    refusal(result, 'BAD_USER_INPUT')
  })

  it('is BAD_USER_INPUT in `after` of a nested connection', async () => {
    const result = await app.run(`{ tag(slug: "gaza") { stories(after: "garbage!!") { totalCount } } }`)
    refusal(result, 'BAD_USER_INPUT')
  })
})

describe('a syntax error', () => {
  it('is GRAPHQL_PARSE_FAILED', async () => {
    const result = await refusedBeforeExecution('{ stories(first: ')
    expect(refusal(result, 'GRAPHQL_PARSE_FAILED').message).toMatch(/syntax error/i)
  })
})

describe("what is logged of a client's mistakes", () => {
  /** The log lines written while `send` ran, and its response. */
  async function logged(send: () => Response | Promise<Response>) {
    const before = app.logLines.length
    const response = await send()
    const body = (await response.json()) as { errors?: GraphQLFormattedError[] }
    return {
      status: response.status,
      body,
      requestId: response.headers.get('x-request-id'),
      lines: app.logLines.slice(before),
    }
  }
  const post = (body: string) => () =>
    app.yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const get = (search: string) => () =>
    app.yoga.fetch(`http://test/graphql?${search}`, { headers: { 'x-graphql-yoga-csrf': '1' } })
  const SEARCH = JSON.stringify('query($q: String!) { search(query: $q, first: 1) { totalCount } }')

  it.each([
    // 10,000 lists deep (20 KB): what once overflowed the stack (a 500, its stack logged each time)
    [
      'variables 10,000 deep',
      post(`{"query":${SEARCH},"variables":{"q":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`),
      400,
      'VARIABLES_TOO_DEEP',
    ],
    [
      'variables a GET cannot parse',
      get(`query=${encodeURIComponent('{ __typename }')}&variables={bad`),
      400,
      'BAD_REQUEST',
    ],
    ['a variable of the wrong type', post(`{"query":${SEARCH},"variables":{"q":5}}`), 200, 'BAD_USER_INPUT'],
    ['a page too large', post(`{"query":"{ stories(first: 101) { totalCount } }"}`), 200, 'BAD_USER_INPUT'],
  ])('logs %s once, at info, with its code and without a stack', async (_, send, status, code) => {
    const { status: got, body, requestId, lines } = await logged(send)
    expect({ status: got, codes: body.errors?.map((e) => e.extensions?.code) }).toEqual({ status, codes: [code] })
    expect(
      lines.filter((line) => (line.level as number) >= 40),
      JSON.stringify(lines),
    ).toEqual([])
    expect(JSON.stringify(lines)).not.toMatch(/"stack"|\bat .*:\d+:\d+/)
    expect(lines.filter((line) => line.requestId === requestId)).toMatchObject([
      { level: 30, codes: [code], errors: 1 },
    ])
  })
})

describe('an unexpected server fault', () => {
  let broken: TestDatabase
  let brokenApp: ReturnType<typeof testApp>

  beforeAll(async () => {
    broken = await createTestDatabase()
    await broken.prisma.tag.create({ data: { slug: 'gaza', name: 'Gaza' } })
    brokenApp = testApp(broken)
  })
  afterAll(() => broken?.drop())

  it('is "Unexpected error." for the client, and its cause is logged with the request id', async () => {
    const before = await brokenApp.run(TagNameOnlyDocument, { slug: 'gaza' })
    expect(before.errors).toBeUndefined()
    expect(before.data?.tag?.name).toBe('Gaza')

    // Break the schema under the running server (this throwaway database only).
    await broken.prisma.$executeRawUnsafe('ALTER TABLE "Tag" RENAME COLUMN "name" TO "label"')
    const result = await brokenApp.run(TagNameOnlyDocument, { slug: 'gaza' })
    const error = refusal(result, 'INTERNAL_SERVER_ERROR')
    expect(error.message).toBe('Unexpected error.')
    expect(result.data).toEqual({ tag: null })

    const requestId = result.headers.get('x-request-id')
    expect(requestId).toMatch(UUID)
    const logged = brokenApp.logLines.filter((line) => line.requestId === requestId)
    expect(logged).toHaveLength(1)
    const err = logged[0].err as { type?: string; message?: string; stack?: string }
    expect(logged[0].level).toBe(50)
    expect(err.type).toBe('PrismaClientKnownRequestError')
    expect(err.message).toMatch(/column .* does not exist/)
    expect(err.stack).toBeTruthy()
  })

  it('logs under the id the caller sent', async () => {
    const result = await brokenApp.run(TagNameOnlyDocument, { slug: 'gaza' }, { 'x-request-id': 'fault-report-42' })
    expect(refusal(result, 'INTERNAL_SERVER_ERROR').message).toBe('Unexpected error.')
    expect(result.headers.get('x-request-id')).toBe('fault-report-42')
    const logged = brokenApp.logLines.filter((line) => line.requestId === 'fault-report-42')
    expect(logged).toHaveLength(1)
    expect((logged[0].err as { message: string }).message).toMatch(/does not exist/)
  })
})

describe('a database that goes away', () => {
  let gone: TestDatabase
  let goneApp: ReturnType<typeof testApp>

  beforeAll(async () => {
    gone = await createTestDatabase()
    await gone.prisma.tag.create({ data: { slug: 'gaza', name: 'Gaza' } })
    goneApp = testApp(gone)
  })
  afterAll(() => gone?.drop().catch(() => {})) // closed already: the embedded one cannot close twice

  it('is SERVICE_UNAVAILABLE once closed, and the cause is logged', async () => {
    const before = await goneApp.run(TagNameOnlyDocument, { slug: 'gaza' })
    expect(before.data?.tag?.name).toBe('Gaza')

    await gone.close()
    const result = await goneApp.run(TagNameOnlyDocument, { slug: 'gaza' })
    const error = refusal(result, 'SERVICE_UNAVAILABLE')
    expect(error.message).toMatch(/not available/i)
    const requestId = result.headers.get('x-request-id')
    const logged = goneApp.logLines.filter((line) => line.requestId === requestId)
    expect(logged).toHaveLength(1)
    expect((logged[0].err as { message: string }).message).toMatch(/closed|end on the pool/i)
  })
})

// Only PostgreSQL has connections for a server to terminate.
if (TEST_DB === 'postgres') {
  describe('connections terminated by PostgreSQL', () => {
    let flaky: TestDatabase
    let flakyApp: ReturnType<typeof testApp>
    let admin: pg.Client
    let name: string

    beforeAll(async () => {
      flaky = await createTestDatabase()
      name = new URL(flaky.url!).pathname.slice(1)
      await flaky.prisma.tag.create({ data: { slug: 'gaza', name: 'Gaza' } })
      flakyApp = testApp(flaky)
      admin = new pg.Client({ connectionString: ADMIN_URL })
      await admin.connect()
    })
    afterAll(async () => {
      await admin?.end()
      await flaky?.drop()
    })

    const terminate = async (sparePid = 0) =>
      (
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND pid <> $2',
          [name, sparePid],
        )
      ).rowCount

    it('while idle: the next query answers or fails cleanly, and a later one recovers', async () => {
      expect((await flakyApp.run(TagNameOnlyDocument, { slug: 'gaza' })).data?.tag?.name).toBe('Gaza')
      expect(await terminate()).toBeGreaterThan(0)

      const next = await flakyApp.run(TagNameOnlyDocument, { slug: 'gaza' })
      // pg's pool usually notices the dead idle connection first and opens a new one.
      if (next.errors) refusal(next, 'SERVICE_UNAVAILABLE')
      else expect(next.data?.tag?.name).toBe('Gaza')

      // The pool may still hold other connections PostgreSQL ended (up to its 5): each fails its
      // query cleanly once and is dropped; then one answers.
      let later = await flakyApp.run(TagNameOnlyDocument, { slug: 'gaza' })
      for (let dead = 0; later.errors && dead < 5; dead++) {
        refusal(later, 'SERVICE_UNAVAILABLE')
        later = await flakyApp.run(TagNameOnlyDocument, { slug: 'gaza' })
      }
      expect(later.errors).toBeUndefined()
      expect(later.data?.tag?.name).toBe('Gaza')
    })

    it('mid-query: the query fails with SERVICE_UNAVAILABLE, and the next one recovers', async () => {
      // Hold a lock the query must wait for, so it is surely in flight when its connection dies.
      const locker = new pg.Client({ connectionString: flaky.url })
      await locker.connect()
      try {
        const lockerPid = (await locker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
        await locker.query('BEGIN')
        await locker.query('LOCK TABLE "Tag" IN ACCESS EXCLUSIVE MODE')
        const pending = flakyApp.run(TagNameOnlyDocument, { slug: 'gaza' })
        await expect
          .poll(
            async () =>
              (
                await admin.query(
                  `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
                  [name],
                )
              ).rows[0].n,
            { timeout: 15_000 },
          )
          .toBeGreaterThan(0)
        expect(await terminate(lockerPid)).toBeGreaterThan(0)

        const result = await pending
        expect(refusal(result, 'SERVICE_UNAVAILABLE').message).toMatch(/not available/i)
        const logged = flakyApp.logLines.filter((line) => line.requestId === result.headers.get('x-request-id'))
        expect((logged[0]?.err as { message?: string })?.message).toMatch(/57P01|terminat/)
      } finally {
        await locker.query('ROLLBACK').catch(() => {})
        await locker.end()
      }

      // The pool may still hold other connections PostgreSQL ended (up to its 5): each fails its
      // query cleanly once and is dropped; then one answers.
      let later = await flakyApp.run(TagNameOnlyDocument, { slug: 'gaza' })
      for (let dead = 0; later.errors && dead < 5; dead++) {
        refusal(later, 'SERVICE_UNAVAILABLE')
        later = await flakyApp.run(TagNameOnlyDocument, { slug: 'gaza' })
      }
      expect(later.errors).toBeUndefined()
      expect(later.data?.tag?.name).toBe('Gaza')
    })
  })
}
