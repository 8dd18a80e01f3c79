// What the public endpoint shows of itself and what it accepts at the HTTP layer, against
// listening servers on PostgreSQL, over HTTP and WebSocket: introspection and GraphiQL (off for the
// public in production, on for editors and in development), "Did you mean" suggestions (hidden in
// production), what a fault shows (only "Unexpected error."), no tracing in responses; CSRF
// prevention, mutations over GET, batching, and request body limits (with and without a
// Content-Length). Each asserts the exact response.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { createClient, type Client, type SubscribePayload } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Config } from '../../src/config.js'
import { asRole } from '../helpers/api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

/** Rate limits off: one address sends every request here; throttling is rate-limit.test.ts's subject. */
const NO_RATE_LIMITS: Partial<Config> = { RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0 }
const PRODUCTION: Partial<Config> = {
  ...NO_RATE_LIMITS,
  NODE_ENV: 'production',
  PUBLIC_INTROSPECTION: false,
  PUBLIC_GRAPHIQL: false,
}
const DEVELOPMENT: Partial<Config> = {
  ...NO_RATE_LIMITS,
  NODE_ENV: 'development',
  PUBLIC_INTROSPECTION: true,
  PUBLIC_GRAPHIQL: true,
}

const INTROSPECTION = '{ __schema { queryType { name } } }'
const INTROSPECTION_REFUSED = {
  errors: [
    {
      message: 'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
    {
      message: 'GraphQL introspection has been disabled, but the requested query contained the field "queryType".',
      locations: [{ line: 1, column: 14 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ],
}
const CSRF_REFUSED = {
  errors: [
    {
      message: 'Required CSRF header(s) not present: send the header X-GraphQL-Yoga-CSRF (any value), or a JSON body.',
      extensions: { code: 'CSRF_HEADER_REQUIRED' },
    },
  ],
}

let editor: Record<string, string>
const clients: Client[] = []

beforeAll(async () => {
  editor = await asRole('editor', 'exposure-editor')
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()))
})

async function post(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

const query = (
  server: TestServer,
  text: string,
  headers: Record<string, string> = {},
  variables?: Record<string, unknown>,
) => post(server, { query: text, variables }, headers)

/** Runs one operation over a graphql-ws socket: what came as `next` messages, and any `error`. */
function overSocket(server: TestServer, payload: SubscribePayload, connectionParams?: Record<string, unknown>) {
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  })
  clients.push(client)
  return new Promise<{ next: unknown[]; error?: unknown }>((resolve) => {
    const next: unknown[] = []
    client.subscribe(payload, {
      next: (message) => next.push(message),
      error: (error) => resolve({ next, error }),
      complete: () => resolve({ next }),
    })
  })
}

const page = (server: TestServer, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}/graphql`, { headers: { accept: 'text/html', ...headers } })

describe('in production, with PUBLIC_INTROSPECTION and PUBLIC_GRAPHIQL off', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(PRODUCTION)
  })
  afterAll(() => server?.close())

  describe('introspection', () => {
    it('is refused to the public over HTTP, before anything runs', async () => {
      expect(await query(server, INTROSPECTION)).toMatchObject({ status: 200, body: INTROSPECTION_REFUSED })
      expect((await query(server, INTROSPECTION)).body).toEqual(INTROSPECTION_REFUSED)
      expect((await query(server, '{ __type(name: "Story") { name } }')).body).toEqual({
        errors: [
          {
            message: 'GraphQL introspection has been disabled, but the requested query contained the field "__type".',
            locations: [{ line: 1, column: 3 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      })
      // __typename is not introspection of the schema
      expect((await query(server, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } })
    })

    it('is answered for an editor, and refused to the public again after (no cached verdict)', async () => {
      expect(await query(server, INTROSPECTION, editor)).toMatchObject({
        status: 200,
        body: { data: { __schema: { queryType: { name: 'Query' } } } },
      })
      expect((await query(server, INTROSPECTION)).body).toEqual(INTROSPECTION_REFUSED)
    })

    it('is refused to the public over WebSocket the same way, and answered for an editor', async () => {
      expect(await overSocket(server, { query: INTROSPECTION })).toEqual({
        next: [],
        error: INTROSPECTION_REFUSED.errors,
      })
      expect(await overSocket(server, { query: INTROSPECTION }, { authorization: editor.authorization })).toEqual({
        next: [{ data: { __schema: { queryType: { name: 'Query' } } } }],
      })
      // GraphiQL's way: the token in the operation's extensions.headers
      expect(await overSocket(server, { query: INTROSPECTION, extensions: { headers: editor } })).toEqual({
        next: [{ data: { __schema: { queryType: { name: 'Query' } } } }],
      })
    })

    it('with a bad token is refused 401 before anything else', async () => {
      expect(await query(server, INTROSPECTION, { authorization: 'Bearer not.a.token' })).toMatchObject({
        status: 401,
        body: {
          errors: [{ message: 'The token is not valid.', extensions: { code: 'UNAUTHENTICATED', reason: 'invalid' } }],
        },
      })
    })
  })

  describe('GraphiQL', () => {
    it('is not served to the public: /graphql answers a browser as an unknown path does (404, empty)', async () => {
      const response = await page(server)
      expect(response.status).toBe(404)
      expect(await response.text()).toBe('')
      const unknown = await fetch(`${server.origin}/nope`, { headers: { accept: 'text/html' } })
      expect(unknown.status).toBe(404)
      expect(await unknown.text()).toBe('')
      // nor with a query in the URL, nor to a bad token (no 401 that would tell it apart)
      const withQuery = await fetch(`${server.origin}/graphql?query=${encodeURIComponent('{__typename}')}`, {
        headers: { accept: 'text/html' },
      })
      expect([withQuery.status, await withQuery.text()]).toEqual([404, ''])
      const badToken = await page(server, { authorization: 'Bearer not.a.token' })
      expect([badToken.status, await badToken.text()]).toEqual([404, ''])
    })

    it('is served to a page request with an editor token, gzipped when the browser takes it', async () => {
      const plain = await page(server, { ...editor, 'accept-encoding': 'identity' })
      expect(plain.status).toBe(200)
      expect(plain.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(plain.headers.get('content-encoding')).toBeNull()
      const html = await plain.text()
      expect(html).toContain('<title>News graph</title>')
      expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(html))

      const gzipped = await page(server, { ...editor, 'accept-encoding': 'gzip, deflate, br' })
      expect(gzipped.status).toBe(200)
      expect(gzipped.headers.get('content-encoding')).toBe('gzip')
      expect(gzipped.headers.get('vary')).toBe('Accept-Encoding, Authorization')
      const sent = Number(gzipped.headers.get('content-length'))
      expect(await gzipped.text()).toBe(html) // fetch inflates it
      expect(sent).toBeLessThan(Buffer.byteLength(html) / 2)
    })
  })

  describe('suggestions', () => {
    it('are hidden from validation errors, over HTTP and WebSocket', async () => {
      const field = {
        message: 'Cannot query field "storie" on type "Query". [Suggestion hidden]',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }
      expect((await query(server, '{ storie { totalCount } }')).body).toEqual({ errors: [field] })
      expect(await overSocket(server, { query: '{ storie { totalCount } }' })).toEqual({ next: [], error: [field] })
      expect((await query(server, '{ stories(orderBy: NEWST) { totalCount } }')).body).toEqual({
        errors: [
          {
            message: 'Value "NEWST" does not exist in "StoryOrder" enum. [Suggestion hidden]',
            locations: [{ line: 1, column: 20 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      })
      expect((await query(server, '{ stories(frist: 1) { totalCount } }')).body).toEqual({
        errors: [
          {
            message: 'Unknown argument "frist" on field "Query.stories". [Suggestion hidden]',
            locations: [{ line: 1, column: 11 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      })
    })

    it('are hidden from the errors of variables, checked as the operation runs', async () => {
      const text = 'query($o: StoryOrder) { stories(orderBy: $o) { totalCount } }'
      const refused = {
        message:
          'Variable "$o" got invalid value "NEWST"; Value "NEWST" does not exist in "StoryOrder" enum. [Suggestion hidden]',
        extensions: { code: 'BAD_USER_INPUT' },
      }
      expect((await query(server, text, {}, { o: 'NEWST' })).body).toEqual({ errors: [refused] })
      expect(await overSocket(server, { query: text, variables: { o: 'NEWST' } })).toEqual({
        next: [{ errors: [refused] }],
      })
    })
  })

  it('adds no tracing or timing to a response', async () => {
    const { status, headers, body } = await query(server, '{ stories(first: 1) { totalCount } }')
    expect(status).toBe(200)
    expect(Object.keys(body)).toEqual(['data'])
    expect(headers.get('server-timing')).toBeNull()
    expect(headers.get('x-powered-by')).toBeNull()
    const socket = await overSocket(server, { query: '{ stories(first: 1) { totalCount } }' })
    expect(socket.next).toHaveLength(1)
    expect(Object.keys(socket.next[0] as object)).toEqual(['data'])
  })

  // A simple request (no preflight) must carry the header when it carries a credential a browser
  // adds by itself (a cookie, HTTP authentication); one with none passes: it acts with no one's
  // rights (src/server/csrf.ts). Until the CDN edge, every simple request needed the header.
  describe('CSRF prevention', () => {
    const url = () => `${server.origin}/graphql?query=${encodeURIComponent('{ __typename }')}`
    const AMBIENT: Record<string, string>[] = [{ cookie: 'session=1' }, { authorization: 'Basic dXNlcjpwYXNz' }]

    it('refuses a GET with a cookie or HTTP authentication but without the header with 403, and answers it with the header', async () => {
      for (const credentials of AMBIENT) {
        const bare = await fetch(url(), { headers: { accept: 'application/json', ...credentials } })
        expect(bare.status).toBe(403)
        expect(await bare.json()).toEqual(CSRF_REFUSED)
      }
      const marked = await fetch(url(), {
        headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', ...AMBIENT[0] },
      })
      expect(marked.status).toBe(200)
      expect(await marked.json()).toEqual({ data: { __typename: 'Query' } })
    })

    it("answers a GET without credentials, or with an editor's bearer token, without the header", async () => {
      for (const headers of [{}, editor]) {
        const response = await fetch(url(), { headers: { accept: 'application/json', ...headers } })
        expect(response.status).toBe(200)
        expect(await response.json()).toEqual({ data: { __typename: 'Query' } })
      }
    })

    it('refuses a form-encoded or plain-text POST with a cookie but without the header with 403; without credentials it is read (or not: 415)', async () => {
      for (const [type, body, status] of [
        ['application/x-www-form-urlencoded', `query=${encodeURIComponent('{ __typename }')}`, 200],
        // no parser reads text/plain: past CSRF prevention, Yoga answers 415
        ['text/plain', JSON.stringify({ query: '{ __typename }' }), 415],
        [
          'multipart/form-data; boundary=x',
          '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--x--\r\n',
          200,
        ],
      ] as const) {
        const send = (headers: Record<string, string>) =>
          fetch(`${server.origin}/graphql`, {
            method: 'POST',
            headers: { 'content-type': type, accept: 'application/json', ...headers },
            body,
          })
        const refused = await send(AMBIENT[0])
        expect(refused.status, type).toBe(403)
        expect(await refused.json(), type).toEqual(CSRF_REFUSED)
        const plain = await send({})
        expect(plain.status, type).toBe(status)
        if (status === 200) expect(await plain.json(), type).toEqual({ data: { __typename: 'Query' } })
        else await plain.arrayBuffer()
      }
    })

    it('lets Server-Sent Events through by GET without credentials (EventSource adds no header) and by POST with JSON (the /ticker page)', async () => {
      const subscription = 'subscription { breakingNews(minUrgency: 3) { cursor } }'
      const requests: { url: string; method?: string; headers: Record<string, string>; body?: string }[] = [
        { url: `${server.origin}/graphql?query=${encodeURIComponent(subscription)}`, headers: {} },
        {
          url: `${server.origin}/graphql?query=${encodeURIComponent(subscription)}`,
          headers: { 'x-graphql-yoga-csrf': '1', ...AMBIENT[0] },
        },
        {
          url: `${server.origin}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...AMBIENT[0] },
          body: JSON.stringify({ query: subscription }),
        },
      ]
      for (const init of requests) {
        const controller = new AbortController()
        const response = await fetch(init.url, {
          ...init,
          headers: { accept: 'text/event-stream', ...init.headers },
          signal: controller.signal,
        })
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
        controller.abort()
      }
      const refused = await fetch(`${server.origin}/graphql?query=${encodeURIComponent(subscription)}`, {
        headers: { accept: 'text/event-stream', ...AMBIENT[0] },
      })
      expect(refused.status).toBe(403)
      await refused.arrayBuffer()
    })
  })

  it('refuses a mutation over GET with 405', async () => {
    const response = await fetch(`${server.origin}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', ...editor },
    })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
    expect(await response.json()).toEqual({
      errors: [
        { message: 'Can only perform a mutation operation from a POST request.', extensions: { code: 'BAD_REQUEST' } },
      ],
    })
  })

  it('refuses a batch (a JSON array of operations) with 400', async () => {
    expect(await post(server, [{ query: '{ __typename }' }, { query: '{ __typename }' }])).toMatchObject({
      status: 400,
      body: { errors: [{ message: 'Batching is not supported.', extensions: { code: 'BAD_REQUEST' } }] },
    })
  })

  describe('request body size', () => {
    const KiB = 1024
    /** A valid operation whose JSON body is `bytes` long (the padding is a variable it ignores). */
    const bodyOf = (bytes: number) => {
      const empty = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } })
      return JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes - empty.length) } })
    }
    const tooLarge = (limit: number, who: string) => ({
      errors: [
        {
          message: `The request body is larger than ${limit} bytes, the most this server reads from ${who}.`,
          extensions: { code: 'REQUEST_TOO_LARGE', limit },
        },
      ],
    })

    it('refuses a public body over 32 KiB with 413 by its Content-Length, and takes one at the limit', async () => {
      const over = await post(server, bodyOf(33 * KiB))
      expect(over).toMatchObject({ status: 413, body: tooLarge(32 * KiB, 'the public') })
      expect(over.headers.get('connection')).toBe('close')
      expect(await post(server, bodyOf(32 * KiB))).toMatchObject({
        status: 200,
        body: { data: { __typename: 'Query' } },
      })
    })

    it('refuses a chunked public body (no Content-Length) as soon as it passes 32 KiB, without waiting for the rest', async () => {
      // 33 KiB sent, and the request left open: the answer comes before the body ends.
      const { response, body, request } = await new Promise<{
        response: IncomingMessage
        body: string
        request: ReturnType<typeof httpRequest>
      }>((resolve, reject) => {
        const request = httpRequest(`${server.origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
        })
        request.on('error', reject)
        request.on('response', (response) => {
          let body = ''
          response.setEncoding('utf8')
          response.on('data', (chunk) => (body += chunk))
          response.on('end', () => resolve({ response, body, request }))
        })
        const text = bodyOf(64 * KiB)
        for (let at = 0; at < 33 * KiB; at += KiB) request.write(text.slice(at, at + KiB))
      })
      request.destroy()
      expect(request.getHeader('content-length')).toBeUndefined()
      expect(response.statusCode).toBe(413)
      expect(response.headers.connection).toBe('close')
      expect(JSON.parse(body)).toEqual(tooLarge(32 * KiB, 'the public'))
    })

    it('takes 1 MiB from an editor, and refuses more than 2 MiB', async () => {
      expect(await post(server, bodyOf(1024 * KiB), editor)).toMatchObject({
        status: 200,
        body: { data: { __typename: 'Query' } },
      })
      expect(await post(server, bodyOf(2048 * KiB + 1), editor)).toMatchObject({
        status: 413,
        body: tooLarge(2048 * KiB, 'an editor'),
      })
    })

    it('refuses a large body with a bad token as unauthenticated (401), unread', async () => {
      expect(await post(server, bodyOf(100 * KiB), { authorization: 'Bearer not.a.token' })).toMatchObject({
        status: 401,
        body: {
          errors: [{ message: 'The token is not valid.', extensions: { code: 'UNAUTHENTICATED', reason: 'invalid' } }],
        },
      })
    })
  })
})

describe('in production, with PUBLIC_GRAPHIQL on and introspection still off', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ ...PRODUCTION, PUBLIC_GRAPHIQL: true })
  })
  afterAll(() => server?.close())

  it('serves GraphiQL to the public, whose introspection is still refused', async () => {
    const response = await page(server)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<title>News graph</title>')
    expect((await query(server, INTROSPECTION)).body).toEqual(INTROSPECTION_REFUSED)
  })

  it('shows a fault as "Unexpected error." only, over HTTP and WebSocket', async () => {
    const tag = '{ tag(slug: "gaza") { name } }'
    expect((await query(server, tag)).body).toEqual({ data: { tag: { name: 'Gaza' } } })
    // Break the schema under the running server (this server's own database only).
    await server.db.prisma.$executeRawUnsafe('ALTER TABLE "Tag" RENAME COLUMN "name" TO "label"')
    const fault = {
      data: { tag: null },
      errors: [{ message: 'Unexpected error.', path: ['tag'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    }
    const http = await query(server, tag)
    expect(http).toMatchObject({ status: 200, body: fault })
    expect(http.body).toEqual(fault)
    expect(await overSocket(server, { query: tag })).toEqual({ next: [fault] })
  })
})

describe('in development', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer(DEVELOPMENT)
  })
  afterAll(() => server?.close())

  it('answers introspection for the public, over HTTP and WebSocket', async () => {
    expect(await query(server, INTROSPECTION)).toMatchObject({
      status: 200,
      body: { data: { __schema: { queryType: { name: 'Query' } } } },
    })
    expect(await overSocket(server, { query: INTROSPECTION })).toEqual({
      next: [{ data: { __schema: { queryType: { name: 'Query' } } } }],
    })
  })

  it('serves GraphiQL to the public', async () => {
    const response = await page(server, { 'accept-encoding': 'identity' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toContain('<title>News graph</title>')
  })

  it('suggests what was meant', async () => {
    expect((await query(server, '{ storie { totalCount } }')).body).toEqual({
      errors: [
        {
          message: 'Cannot query field "storie" on type "Query". Did you mean "stories" or "story"?',
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    })
    expect(
      (await query(server, 'query($o: StoryOrder) { stories(orderBy: $o) { totalCount } }', {}, { o: 'NEWST' })).body,
    ).toEqual({
      errors: [
        {
          message:
            'Variable "$o" got invalid value "NEWST"; Value "NEWST" does not exist in "StoryOrder" enum. Did you mean the enum value "NEWEST"?',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    })
  })
})
