// A request's parameters (src/server/params.ts) against a listening server on PostgreSQL, over
// HTTP (POST, GET) and WebSocket: variables nested too deep or holding too many values are refused
// with their own code before anything walks them (no SQL, no fault), and each refusal spends from
// the client's rate limit; JSON a GET's query string cannot parse is a 400, as a POST body's is.
import type { GraphQLFormattedError } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { VARIABLE_LIMITS } from '../../src/server/params.js'
import { asRole } from '../helpers/api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const SEARCH = 'query($q: String!) { search(query: $q, first: 1) { totalCount } }'
const TYPENAME = 'query { __typename }'
const WINDOW = 3600

/** `[[[…"x"…]]]`, as JSON text: `depth` lists deep. */
const lists = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`
/** `{"a":{"a":…1…}}`, as JSON text: `depth` objects deep. */
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
/** A list of `count` values, the list itself one of them. */
const values = (count: number) => `[${Array.from({ length: count - 1 }, () => '0').join(',')}]`

const TOO_DEEP = {
  message: `Variables may nest lists and objects at most ${VARIABLE_LIMITS.depth} deep.`,
  extensions: { code: 'VARIABLES_TOO_DEEP', limit: VARIABLE_LIMITS.depth },
}
const TOO_LARGE = {
  message: `Variables may hold at most ${VARIABLE_LIMITS.values} values.`,
  extensions: { code: 'VARIABLES_TOO_LARGE', limit: VARIABLE_LIMITS.values },
}

let server: TestServer
const sockets: WebSocket[] = []
beforeAll(async () => {
  // a budget of 3 points an hour per address, the address from the nearest proxy (each test its own)
  server = await startTestServer({
    RATE_LIMIT_PUBLIC_POINTS: 3,
    RATE_LIMIT_WINDOW_SECONDS: WINDOW,
    TRUST_PROXY_HOPS: 1,
    LIVE_POLL_MS: 60_000,
  })
})
afterAll(async () => {
  for (const socket of sockets) socket.terminate()
  await server?.close()
})

interface Answer {
  status: number
  body: { data?: unknown; errors?: GraphQLFormattedError[] }
}

let address = 0
/** Headers that make the next requests another client's (a documentation address, RFC 5737). */
const newClient = () => ({ 'x-forwarded-for': `192.0.2.${++address}` })

async function post(query: string, variablesJson: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`,
  })
  return { status: response.status, body: (await response.json()) as Answer['body'] }
}

async function get(search: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${server.origin}/graphql?${search}`, {
    headers: { 'x-graphql-yoga-csrf': '1', ...headers },
  })
  return { status: response.status, body: (await response.json()) as Answer['body'] }
}

/** One operation over a socket whose upgrade request carries `headers`, its variables sent as
 *  written (graphql-ws' client checks what it sends, and JSON.stringify cannot nest 10,000 deep):
 *  the operation's `error` message, or its result. */
function overWs(
  headers: Record<string, string>,
  query: string,
  variablesJson: string,
): Promise<{ error?: GraphQLFormattedError[]; next?: unknown }> {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { headers })
  sockets.push(socket)
  return new Promise((resolve, reject) => {
    let next: unknown
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })))
    socket.on('close', (code) => reject(new Error(`socket closed: ${code}`)))
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown }
      if (message.type === 'connection_ack')
        socket.send(
          `{"id":"1","type":"subscribe","payload":{"query":${JSON.stringify(query)},"variables":${variablesJson}}}`,
        )
      else if (message.type === 'next') next = message.payload
      else if (message.type === 'error') resolve({ error: message.payload as GraphQLFormattedError[] })
      else if (message.type === 'complete') resolve({ next })
    })
  })
}

/** SQL statements sent while `run` ran (the change feed's own reads left out). */
async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const before = server.db.statements.length
  await run()
  return server.db.statements.slice(before).filter((sql) => !/"Change"/.test(sql))
}

describe('variables nested too deep', () => {
  it('refuses 10,000 lists deep (20 KB) with VARIABLES_TOO_DEEP over POST, GET and WebSocket, before any SQL', async () => {
    const deep = `{"q":${lists(10_000)}}`
    const answers: unknown[] = []
    const statements = await statementsDuring(async () => {
      answers.push(await post(SEARCH, deep, newClient()))
      // (a query string is held to 16 KB by Node's limit on the request head)
      answers.push(
        await get(
          `query=${encodeURIComponent(SEARCH)}&variables=${encodeURIComponent(`{"q":${lists(1_000)}}`)}`,
          newClient(),
        ),
      )
      answers.push(await overWs(newClient(), SEARCH, deep))
    })
    expect(answers).toEqual([
      { status: 400, body: { errors: [TOO_DEEP] } },
      { status: 400, body: { errors: [TOO_DEEP] } },
      { error: [TOO_DEEP] },
    ])
    expect(statements, 'nothing ran').toEqual([])
  })

  it('holds objects to the same depth, and accepts the limit itself', async () => {
    const limit = VARIABLE_LIMITS.depth
    expect(await post(TYPENAME, `{"v":${objects(limit + 1)}}`, newClient())).toEqual({
      status: 400,
      body: { errors: [TOO_DEEP] },
    })
    expect(await post(TYPENAME, `{"v":${lists(limit + 1)}}`, newClient())).toEqual({
      status: 400,
      body: { errors: [TOO_DEEP] },
    })
    // variables the operation does not declare are left alone by graphql-js: these reach execution
    expect(await post(TYPENAME, `{"v":${objects(limit)}}`, newClient())).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    })
    expect(await overWs(newClient(), TYPENAME, `{"v":${lists(limit)}}`)).toEqual({
      next: { data: { __typename: 'Query' } },
    })
  })
})

describe('variables holding too many values', () => {
  it('refuses one value more than the limit over POST and WebSocket, and accepts the limit', async () => {
    const limit = VARIABLE_LIMITS.values
    expect(await post(TYPENAME, `{"v":${values(limit + 1)}}`, newClient())).toEqual({
      status: 400,
      body: { errors: [TOO_LARGE] },
    })
    expect(await overWs(newClient(), TYPENAME, `{"v":${values(limit + 1)}}`)).toEqual({ error: [TOO_LARGE] })
    expect(await post(TYPENAME, `{"v":${values(limit)}}`, newClient())).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    })
  })

  it('lets an editor send more (a long story, an agency document), up to a limit of its own', async () => {
    const editor = { ...newClient(), ...(await asRole('editor')) }
    const limit = VARIABLE_LIMITS.editorValues
    expect(await post(TYPENAME, `{"v":${values(VARIABLE_LIMITS.values + 1)}}`, editor)).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    })
    expect(await post(TYPENAME, `{"v":${values(limit + 1)}}`, editor)).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: `Variables may hold at most ${limit} values.`,
            extensions: { code: 'VARIABLES_TOO_LARGE', limit },
          },
        ],
      },
    })
  })
})

describe('a refusal spends from the rate limit (3 points an hour here)', () => {
  it('counts each refused request as one point, over HTTP and WebSocket alike, then answers 429', async () => {
    const client = newClient()
    const deep = `{"v":${lists(100)}}`
    expect(await post(TYPENAME, deep, client)).toEqual({ status: 400, body: { errors: [TOO_DEEP] } })
    expect(await overWs(client, TYPENAME, deep)).toEqual({ error: [TOO_DEEP] })
    expect(await post(TYPENAME, deep, client)).toEqual({ status: 400, body: { errors: [TOO_DEEP] } })
    // the budget is spent: refused for the rate, whatever is sent
    for (const answer of [await post(TYPENAME, deep, client), await post(TYPENAME, '{}', client)]) {
      expect(answer.status).toBe(429)
      expect(answer.body.errors).toMatchObject([
        { extensions: { code: 'RATE_LIMITED', limit: 3, windowSeconds: WINDOW } },
      ])
    }
    expect((await overWs(client, TYPENAME, deep)).error).toMatchObject([{ extensions: { code: 'RATE_LIMITED' } }])
  })
})

describe('JSON a query string cannot parse', () => {
  it.each([
    ['variables', `query=${encodeURIComponent(TYPENAME)}&variables={bad`],
    ['extensions', `query=${encodeURIComponent(TYPENAME)}&extensions=${encodeURIComponent('{"persistedQuery":')}`],
  ])('is 400 BAD_REQUEST for `%s` over GET, as over POST', async (name, search) => {
    expect(await get(search, newClient())).toEqual({
      status: 400,
      body: {
        errors: [{ message: `The \`${name}\` parameter is not valid JSON.`, extensions: { code: 'BAD_REQUEST' } }],
      },
    })
    const postBody = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...newClient() },
      body: '{bad',
    })
    expect({
      status: postBody.status,
      code: ((await postBody.json()) as Answer['body']).errors?.[0]?.extensions?.code,
    }).toEqual({ status: 400, code: 'BAD_REQUEST' })
  })

  it('is 400 BAD_REQUEST in a form POST too', async () => {
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-graphql-yoga-csrf': '1', ...newClient() },
      body: `query=${encodeURIComponent(TYPENAME)}&variables={bad`,
    })
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'The `variables` or `extensions` parameter is not valid JSON.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    })
  })
})
