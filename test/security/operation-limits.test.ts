// Operation limits (src/server/operation-limits.ts) against a listening server on PostgreSQL, over
// HTTP and over WebSocket (graphql-ws): depth, aliases (`__typename`'s too), directives, tokens,
// characters, root fields, introspection depth and cost, each refused with its own code before
// anything runs — no SQL statement is sent, no row written — and each accepted at its bound. The
// README's example queries and the front page fit the public budget.
import { readFileSync } from 'node:fs'
import { getIntrospectionQuery, Kind, parse, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql'
import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { schema } from '../../src/schema/index.js'
import { EXAMPLE_QUERY } from '../../src/server/example-query.js'
import { operationCost } from '../../src/server/operation-limits.js'
import { asRole } from '../helpers/api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { docsText } from '../helpers/docs.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
const GRAPHQL_RESPONSE = 'application/graphql-response+json'

let server: TestServer
let editor: Record<string, string>

beforeAll(async () => {
  server = await startTestServer({
    // rate limits are rate-limit.test.ts's subject; the change feed's polls would be statements too
    RATE_LIMIT_PUBLIC_POINTS: 0,
    RATE_LIMIT_EDITOR_POINTS: 0,
    LIVE_POLL_MS: 60_000,
    PUBLIC_INTROSPECTION: true,
  })
  editor = await asRole('editor', 'limits-editor')
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()))
  await server?.close()
})

interface Body {
  data?: Record<string, any> | null
  errors?: GraphQLFormattedError[]
}

async function overHttp(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
    body: JSON.stringify({ query, variables }),
  })
  return { status: response.status, body: (await response.json()) as Body }
}

const clients: Client[] = []
function wsClient(connectionParams?: Record<string, unknown>): Client {
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  })
  clients.push(client)
  return client
}

/** One operation over a socket: the operation's `error` message, or what it sent before completing. */
function overWs(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ error?: GraphQLFormattedError[]; next?: Body[] }> {
  return new Promise((resolve, reject) => {
    const next: Body[] = []
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          next.push(value as Body)
          // a subscription that started: one message is proof enough
          if (/^\s*subscription/.test(query)) {
            dispose()
            resolve({ next })
          }
        },
        error: (error) =>
          Array.isArray(error)
            ? resolve({ error })
            : reject(new Error(`socket failed: ${String((error as { code?: number }).code ?? error)}`)),
        complete: () => resolve({ next }),
      },
    )
  })
}

/** SQL statements the app sent while `run` ran (the change feed's own reads left out). */
async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const before = server.db.statements.length
  await run()
  return server.db.statements.slice(before).filter((sql) => !/"Change"/.test(sql))
}

/** An operation refused with one error, over HTTP (400) and over the socket (an `error` message),
 *  without a statement sent. */
async function expectRefused(
  query: string,
  error: GraphQLFormattedError,
  {
    headers = {},
    connectionParams,
  }: { headers?: Record<string, string>; connectionParams?: Record<string, unknown> } = {},
) {
  let http: Awaited<ReturnType<typeof overHttp>> | undefined
  let ws: Awaited<ReturnType<typeof overWs>> | undefined
  const client = wsClient(connectionParams)
  const statements = await statementsDuring(async () => {
    http = await overHttp(query, {}, headers)
    ws = await overWs(client, query)
  })
  expect(http).toEqual({ status: 400, body: { errors: [error] } })
  expect(ws).toEqual({ error: [error] })
  expect(statements, 'no resolver ran').toEqual([])
}

/** An operation answered without errors over both transports, with SQL sent (the control). */
async function expectAccepted(
  query: string,
  {
    headers = {},
    connectionParams,
  }: { headers?: Record<string, string>; connectionParams?: Record<string, unknown> } = {},
) {
  const client = wsClient(connectionParams)
  const statements = await statementsDuring(async () => {
    const http = await overHttp(query, {}, headers)
    expect(http.body.errors, JSON.stringify(http.body.errors)).toBeUndefined()
    expect(http.status).toBe(200)
    const ws = await overWs(client, query)
    expect(ws.error, JSON.stringify(ws.error)).toBeUndefined()
    expect(ws.next?.[0]?.errors, JSON.stringify(ws.next)).toBeUndefined()
    expect(ws.next?.[0]?.data).toEqual(http.body.data)
  })
  return statements
}

/** Values for an operation's required variables: the ids and versions it needs are not looked at
 *  for cost (page sizes are), but they must be there for the cost to be counted. */
function placeholders(operation: OperationDefinitionNode): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const { variable, type } of operation.variableDefinitions ?? []) {
    if (type.kind !== Kind.NON_NULL_TYPE || type.type.kind !== Kind.NAMED_TYPE) continue
    values[variable.name.value] = type.type.name.value === 'Int' ? 1 : 'placeholder'
  }
  return values
}

const repeat = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i + 1)).join(' ')

// ---------------------------------------------------------------------------------------------
// Depth

/** `related` nested three times: depth 10 ending in `cursor`, 11 ending in `node { headline }`. */
const nested = (leaf: string) =>
  `{ story(slug: "${SAMPLE}") { related(first: 1) { edges { node { related(first: 1) { edges { node { related(first: 1) { edges { ${leaf} } } } } } } } } } }`

describe('depth (10)', () => {
  it('refuses depth 11', async () => {
    await expectRefused(nested('node { headline }'), {
      message: 'Query depth limit of 10 exceeded, found 11.',
      extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 10 },
    })
  })

  it('counts fields, not fragments: depth 11 through fragments is refused too', async () => {
    const query = `{ story(slug: "${SAMPLE}") { ...A } }
      fragment A on Story { related(first: 1) { edges { node { ...B } } } }
      fragment B on Story { related(first: 1) { edges { node { related(first: 1) { edges { node { ... on Story { headline } } } } } } } }`
    await expectRefused(query, {
      message: 'Query depth limit of 10 exceeded, found 11.',
      extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 10 },
    })
  })

  it('accepts depth 10', async () => {
    expect((await expectAccepted(nested('cursor'))).length).toBeGreaterThan(0)
  })
})

// ---------------------------------------------------------------------------------------------
// Aliases, directives, root fields

describe('aliases (15)', () => {
  it('refuses 16 aliases', async () => {
    await expectRefused(`{ story(slug: "${SAMPLE}") { ${repeat(16, (i) => `a${i}: headline`)} } }`, {
      message: 'Aliases limit of 15 exceeded, found 16.',
      extensions: { code: 'ALIAS_LIMIT_EXCEEDED', limit: 15 },
    })
  })

  it('refuses 101 aliases of __typename (Armor lets any number through by default)', async () => {
    await expectRefused(`{ story(slug: "${SAMPLE}") { ${repeat(101, (i) => `t${i}: __typename`)} } }`, {
      message: 'Aliases limit of 15 exceeded, found 101.',
      extensions: { code: 'ALIAS_LIMIT_EXCEEDED', limit: 15 },
    })
  })

  it('accepts 15 aliases', async () => {
    await expectAccepted(`{ story(slug: "${SAMPLE}") { ${repeat(15, (i) => `a${i}: headline`)} } }`)
  })
})

describe('directives (5 per operation)', () => {
  it.each([6, 10])('refuses %i directives', async (n) => {
    await expectRefused(`{ story(slug: "${SAMPLE}") { ${repeat(n, () => 'headline @include(if: true)')} } }`, {
      message: `Directives limit of 5 exceeded, found ${n}.`,
      extensions: { code: 'DIRECTIVE_LIMIT_EXCEEDED', limit: 5 },
    })
  })

  it('counts the directives in fragments', async () => {
    const query = `{ story(slug: "${SAMPLE}") { ...F @include(if: true) } } fragment F on Story { ${repeat(5, () => 'headline @skip(if: false)')} }`
    await expectRefused(query, {
      message: 'Directives limit of 5 exceeded, found 6.',
      extensions: { code: 'DIRECTIVE_LIMIT_EXCEEDED', limit: 5 },
    })
  })

  it('accepts 5 directives', async () => {
    await expectAccepted(`{ story(slug: "${SAMPLE}") { ${repeat(5, () => 'headline @include(if: true)')} } }`)
  })
})

describe('root fields (10)', () => {
  it('refuses 11 root fields', async () => {
    await expectRefused(`{ ${repeat(11, (i) => `s${i}: story(slug: "${SAMPLE}") { headline }`)} }`, {
      message: 'Root field limit of 10 exceeded, found 11.',
      extensions: { code: 'ROOT_FIELD_LIMIT_EXCEEDED', limit: 10 },
    })
  })

  it('counts the root fields that fragments bring', async () => {
    const query = `{ ...Q ... on Query { tag(slug: "gaza") { name } } } fragment Q on Query { ${repeat(10, (i) => `s${i}: story(slug: "${SAMPLE}") { headline }`)} }`
    await expectRefused(query, {
      message: 'Root field limit of 10 exceeded, found 11.',
      extensions: { code: 'ROOT_FIELD_LIMIT_EXCEEDED', limit: 10 },
    })
  })

  it('refuses 11 root mutations, writing nothing', async () => {
    const before = await server.db.prisma.change.count()
    const auditBefore = await server.db.prisma.auditEntry.count()
    const mutation = `mutation { ${repeat(11, (i) => `t${i}: upsertTag(input: { slug: "limits-${i}", name: "Limits ${i}" }) { __typename }`)} }`
    await expectRefused(
      mutation,
      {
        message: 'Root field limit of 10 exceeded, found 11.',
        extensions: { code: 'ROOT_FIELD_LIMIT_EXCEEDED', limit: 10 },
      },
      {
        headers: editor,
        connectionParams: { authorization: editor.authorization },
      },
    )
    expect(await server.db.prisma.change.count()).toBe(before)
    expect(await server.db.prisma.auditEntry.count()).toBe(auditBefore)
  })

  it('accepts 10 root fields', async () => {
    await expectAccepted(`{ ${repeat(10, (i) => `s${i}: story(slug: "${SAMPLE}") { headline }`)} }`)
  })
})

// ---------------------------------------------------------------------------------------------
// A refusal is the whole answer

describe('a limit that refuses ends validation: one error, however large the attack', () => {
  it('answers ten unknown directives with the directive limit alone', async () => {
    await expectRefused(`{ __typename ${repeat(10, (i) => `@unknown${i}`)} }`, {
      message: 'Directives limit of 5 exceeded, found 10.',
      extensions: { code: 'DIRECTIVE_LIMIT_EXCEEDED', limit: 5 },
    })
  })

  it('answers depth 11 of unknown fields with the depth limit alone', async () => {
    await expectRefused(`{ ${'a { '.repeat(10)}b${' }'.repeat(10)} }`, {
      message: 'Query depth limit of 10 exceeded, found 11.',
      extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 10 },
    })
  })

  it('answers 16 aliases of unknown fields with the alias limit alone', async () => {
    await expectRefused(`{ ${repeat(16, (i) => `a${i}: nope${i}`)} }`, {
      message: 'Aliases limit of 15 exceeded, found 16.',
      extensions: { code: 'ALIAS_LIMIT_EXCEEDED', limit: 15 },
    })
  })

  it('still reports every ordinary validation error when no limit refuses', async () => {
    const { status, body } = await overHttp(`{ __typename ${repeat(3, (i) => `@unknown${i}`)} }`)
    expect(status).toBe(400)
    expect(body.errors?.map((e) => e.message)).toEqual([
      'Unknown directive "@unknown1".',
      'Unknown directive "@unknown2".',
      'Unknown directive "@unknown3".',
    ])
  })
})

// ---------------------------------------------------------------------------------------------
// Tokens and characters

describe('document size', () => {
  it('refuses more than 1,000 tokens', async () => {
    // `{ story(slug: "…") {` is 8 tokens, `} }` 2: 991 fields make 1,001
    const query = `{ story(slug: "${SAMPLE}") { ${repeat(991, () => 'headline')} } }`
    expect(query.length).toBeLessThan(15_000)
    await expectRefused(query, {
      message: 'Token limit of 1000 exceeded.',
      extensions: { code: 'TOKEN_LIMIT_EXCEEDED', limit: 1000 },
    })
  })

  it('accepts 1,000 tokens', async () => {
    // 8 + 1 + 491 × 2 + 2, and 7 for the fragment (spreads, not 990 fields: graphql-js' own budget for
    // comparing fields that must merge refuses that many of one name)
    const query = `{ story(slug: "${SAMPLE}") { headline ${repeat(491, () => '...F')} } } fragment F on Story { headline }`
    await expectAccepted(query)
    const { body } = await overHttp(query.replace('{ headline', '{ headline headline'))
    expect(body.errors?.[0]?.extensions?.code, 'one token more').toBe('TOKEN_LIMIT_EXCEEDED')
  })

  it('refuses more than 15,000 characters, even in few tokens', async () => {
    const query = `# ${'x'.repeat(15_000)}\n{ __typename }`
    await expectRefused(query, {
      message: `Character limit of 15000 exceeded, found ${query.length}.`,
      extensions: { code: 'CHARACTER_LIMIT_EXCEEDED', limit: 15_000 },
    })
  })

  it('accepts 15,000 characters', async () => {
    const tail = `\n{ story(slug: "${SAMPLE}") { headline } }`
    await expectAccepted(`# ${'x'.repeat(15_000 - tail.length - 2)}${tail}`)
  })
})

// ---------------------------------------------------------------------------------------------
// Introspection

describe('introspection', () => {
  it('refuses a circular introspection query', async () => {
    await expectRefused('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }', {
      message:
        'Maximum introspection depth exceeded: `fields`, `inputFields`, `interfaces` and `possibleTypes` may nest at most twice.',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'INTROSPECTION_DEPTH_EXCEEDED' },
    })
  })

  it('refuses one through __type and fragments, with the depth limit not even reached', async () => {
    const query =
      '{ __type(name: "Story") { ...T } } fragment T on __Type { fields { type { interfaces { possibleTypes { name } } } } }'
    await expectRefused(query, {
      message:
        'Maximum introspection depth exceeded: `fields`, `inputFields`, `interfaces` and `possibleTypes` may nest at most twice.',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'INTROSPECTION_DEPTH_EXCEEDED' },
    })
  })

  it.each([
    ['graphql-js’s standard query', getIntrospectionQuery()],
    ['GraphiQL’s', getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true })],
    [
      'every option on',
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    ],
  ])('accepts %s', async (_name, query) => {
    const { status, body } = await overHttp(query)
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
    expect(status).toBe(200)
    expect(body.data!.__schema.queryType).toMatchObject({ name: 'Query' })
    const ws = await overWs(wsClient(), query)
    expect(ws.next?.[0]).toEqual(body)
  })
})

// ---------------------------------------------------------------------------------------------
// Cost

/** 1 for `stories`, and 5 connections for each of its 100 stories: 501. */
const COST_501 = `{ stories(first: 100) { edges { node { slug
  tags { edges { node { name } } } people { edges { node { name } } } events { edges { node { name } } }
  organisations { edges { node { name } } } places { edges { node { name } } } } } } }`

describe('cost', () => {
  it('refuses an operation over the public budget, saying its cost and the limit', async () => {
    await expectRefused(COST_501, {
      message:
        'This operation costs 501, more than the limit of 500; ask for smaller pages (first/last) or fewer nested lists.',
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost: 501, limit: 500 },
    })
  })

  it('answers a client that accepts only application/json with 200, as for validation errors', async () => {
    const { status, body } = await overHttp(COST_501, {}, { accept: 'application/json' })
    expect({ status, code: body.errors?.[0]?.extensions?.code }).toEqual({ status: 200, code: 'COST_LIMIT_EXCEEDED' })
  })

  it('accepts the same operation from an editor (limit 5,000)', async () => {
    const { status, body } = await overHttp(COST_501, {}, editor)
    expect(body.errors).toBeUndefined()
    expect(status).toBe(200)
    expect(body.data!.stories.edges.length).toBeGreaterThan(0)
    const ws = await overWs(wsClient({ authorization: editor.authorization }), COST_501)
    expect(ws.next?.[0]).toEqual(body)
  })

  it('refuses an editor over the editor budget', async () => {
    const query =
      '{ stories(first: 100) { edges { node { people(first: 100) { edges { node { stories(first: 100) { totalCount } } } } } } } }'
    await expectRefused(
      query,
      {
        message:
          'This operation costs 10101, more than the limit of 5000; ask for smaller pages (first/last) or fewer nested lists.',
        extensions: { code: 'COST_LIMIT_EXCEEDED', cost: 10101, limit: 5000 },
      },
      { headers: editor, connectionParams: { authorization: editor.authorization } },
    )
  })

  it('counts page sizes from variables, and nested connections without one at the default page size (20)', () => {
    const query = parse(
      'query($n: Int) { stories(first: $n) { edges { node { people { edges { node { stories { totalCount } } } } } } } }',
    )
    expect(operationCost(schema, query, undefined, { n: 10 }, {})).toBe(1 + 10 * (1 + 20 * 1))
    expect(operationCost(schema, query, undefined, {}, {})).toBe(1 + 20 * (1 + 20 * 1))
  })

  it('leaves __typename out: clients that add it everywhere pay nothing for it', () => {
    const plain = parse('{ stories(first: 100) { edges { node { tags { edges { node { name } } } } } } }')
    const typed = parse(
      '{ stories(first: 100) { __typename edges { __typename node { __typename tags { __typename edges { __typename node { __typename name } } } } } } }',
    )
    expect(operationCost(schema, typed, undefined, {}, {})).toBe(operationCost(schema, plain, undefined, {}, {}))
  })

  it('costs subscriptions too: over the socket, before one starts', async () => {
    const query = `subscription { storyPublished { story { related(first: 100) { edges { node {
      tags { edges { node { name } } } people { edges { node { name } } } events { edges { node { name } } }
      organisations { edges { node { name } } } places { edges { node { name } } } } } } } } }`
    expect(await overWs(wsClient(), query)).toEqual({
      error: [
        {
          message:
            'This operation costs 502, more than the limit of 500; ask for smaller pages (first/last) or fewer nested lists.',
          extensions: { code: 'COST_LIMIT_EXCEEDED', cost: 502, limit: 500 },
        },
      ],
    })
  })

  it('costs subscriptions over Server-Sent Events too', async () => {
    const query = `subscription { storyPublished { story { related(first: 100) { edges { node {
      tags { edges { node { name } } } people { edges { node { name } } } events { edges { node { name } } }
      organisations { edges { node { name } } } places { edges { node { name } } } } } } } } }`
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
    })
    // Yoga answers an event stream with 200 and the error as its one event
    expect({
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    }).toEqual({
      status: 200,
      type: 'text/event-stream',
      text:
        ':\n\nevent: next\ndata: {"errors":[{"message":"This operation costs 502, more than the limit of 500; ask for smaller pages (first/last) or fewer nested lists.",' +
        '"extensions":{"code":"COST_LIMIT_EXCEEDED","cost":502,"limit":500}}]}\n\nevent: complete\ndata:\n\n',
    })
  })
})

describe('the README and the front page fit the public budget', () => {
  const readme = docsText()
  const operations = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap(([, block]) => {
    const document = parse(block)
    return document.definitions.flatMap((d) =>
      d.kind === Kind.OPERATION_DEFINITION
        ? [{ document, name: d.name?.value, text: block, variables: placeholders(d) }]
        : [],
    )
  })

  it('costs every README operation within 500', () => {
    expect(operations.length).toBeGreaterThanOrEqual(8)
    for (const { document, name, variables } of operations) {
      const cost = operationCost(schema, document, name, variables, {})
      expect(cost, name ?? 'an anonymous operation').toBeGreaterThanOrEqual(1)
      expect(cost, name ?? 'an anonymous operation').toBeLessThanOrEqual(500)
    }
    const costs = Object.fromEntries(
      operations.map(({ document, name, variables }) => [
        name ?? 'anonymous',
        operationCost(schema, document, name, variables, {}),
      ]),
    )
    expect(costs).toMatchObject({ StoryPage: 66, FindTalks: 2, CreateDraft: 1, Publish: 1, Correct: 2, ResumeTalks: 2 })
  })

  it('runs the README story page and GraphiQL’s opening query as the public', async () => {
    const storyPage = operations.find((o) => o.name === 'StoryPage')!
    for (const query of [storyPage.text, EXAMPLE_QUERY]) {
      const { status, body } = await overHttp(query)
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
      expect(status).toBe(200)
    }
  })

  it('runs the front page, 100 stories with their tags, people and events, as the public', async () => {
    const frontPage = readFileSync(new URL('../documents/front-page.graphql', import.meta.url), 'utf8')
    expect(operationCost(schema, parse(frontPage), 'FrontPage', { first: 100 }, {})).toBe(301)
    const { status, body } = await overHttp(frontPage, { first: 100 })
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
    expect(status).toBe(200)
    expect(body.data!.stories.totalCount).toBeGreaterThan(0)
  })
})
