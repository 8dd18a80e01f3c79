// Rate limits (src/server/rate-limit.ts) against listening servers on PostgreSQL, over HTTP, Server-
// Sent Events and WebSocket: a budget of cost points per window, per client address for the public
// and per token subject for editors; 429 with Retry-After (HTTP), an `error` message (WebSocket);
// X-Forwarded-For trusted only behind TRUST_PROXY_HOPS proxies; with Redis one budget across
// processes, and counting in memory when Redis is away. Client addresses in X-Forwarded-For are
// documentation addresses (RFC 5737, RFC 3849): strings in a header, never dialled.
import { randomUUID } from 'node:crypto'
import type { GraphQLFormattedError } from 'graphql'
import { createClient, type Client } from 'graphql-ws'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { addressKey, clientAddress } from '../../src/server/client-address.js'
import { asRole } from '../helpers/api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
/** story 1, tags 1, people 1 */
const COSTS_3 = `{ story(slug: "${SAMPLE}") { headline tags { totalCount } people { totalCount } } }`
const COSTS_1 = `{ story(slug: "${SAMPLE}") { headline } }`
const WINDOW = 3600
const REDIS_URL = 'redis://127.0.0.1:6379'

/** 10 points per hour for the public and for each editor; the client's address from the nearest proxy. */
const LIMITED = {
  RATE_LIMIT_PUBLIC_POINTS: 10,
  RATE_LIMIT_EDITOR_POINTS: 10,
  RATE_LIMIT_WINDOW_SECONDS: WINDOW,
  LIVE_POLL_MS: 60_000,
}

const servers: TestServer[] = []
const clients: Client[] = []
async function start(settings: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(settings)
  servers.push(server)
  return server
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()))
  await Promise.all(servers.map((s) => s.close()))
})

interface Body {
  data?: Record<string, any> | null
  errors?: GraphQLFormattedError[]
}

async function overHttp(
  server: TestServer,
  query: string,
  headers: Record<string, string> = {},
  variables: Record<string, unknown> = {},
) {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  })
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Body,
  }
}

/** A graphql-ws client whose upgrade request carries these headers. */
function wsClient(
  server: TestServer,
  headers: Record<string, string> = {},
  connectionParams?: Record<string, unknown>,
) {
  const closed: number[] = []
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers })
      }
    },
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => closed.push((event as { code: number }).code) },
  })
  clients.push(client)
  return { client, closed }
}

/** One operation over a socket: its `error` message, or its result. */
function overWs(client: Client, query: string): Promise<{ error?: GraphQLFormattedError[]; result?: Body }> {
  return new Promise((resolve, reject) => {
    let result: Body | undefined
    client.subscribe(
      { query },
      {
        next: (value) => (result = value as Body),
        error: (error) =>
          Array.isArray(error)
            ? resolve({ error })
            : reject(new Error(`socket failed: ${String((error as { code?: number }).code ?? error)}`)),
        complete: () => resolve({ result }),
      },
    )
  })
}

/** SQL statements the app sent while `run` ran (the change feed's own reads left out). */
async function statementsDuring(server: TestServer, run: () => Promise<unknown>): Promise<string[]> {
  const before = server.db.statements.length
  await run()
  return server.db.statements.slice(before).filter((sql) => !/"Change"/.test(sql))
}

/** Spends `times` × 3 points from the budget these headers draw on, each operation answered. */
async function spend(server: TestServer, headers: Record<string, string>, times = 3) {
  for (let i = 0; i < times; i++) {
    const { status, body } = await overHttp(server, COSTS_3, headers)
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
    expect(status).toBe(200)
  }
}

/** The refusal of an operation costing `cost` from a spent budget of 10 per hour, over HTTP. */
async function expectLimitedOverHttp(server: TestServer, headers: Record<string, string>, query = COSTS_3, cost = 3) {
  let response: Awaited<ReturnType<typeof overHttp>> | undefined
  const statements = await statementsDuring(server, async () => (response = await overHttp(server, query, headers)))
  const retryAfter = Number(response!.retryAfter)
  expect(retryAfter).toBeGreaterThan(WINDOW - 60)
  expect(retryAfter).toBeLessThanOrEqual(WINDOW)
  expect(response).toEqual({
    status: 429,
    retryAfter: String(retryAfter),
    body: {
      errors: [
        {
          message: `Rate limit exceeded: 10 points per ${WINDOW} s, and this operation costs ${cost}; try again in ${retryAfter} s.`,
          extensions: { code: 'RATE_LIMITED', retryAfter, limit: 10, windowSeconds: WINDOW },
        },
      ],
    },
  })
  expect(statements, 'no resolver ran').toEqual([])
}

/** The same refusal as a socket's `error` message for the operation. */
function expectLimitedOverWs(outcome: { error?: GraphQLFormattedError[]; result?: Body }, cost: number) {
  const retryAfter = outcome.error?.[0]?.extensions?.retryAfter as number
  expect(retryAfter).toBeGreaterThan(WINDOW - 60)
  expect(outcome).toEqual({
    error: [
      {
        message: `Rate limit exceeded: 10 points per ${WINDOW} s, and this operation costs ${cost}; try again in ${retryAfter} s.`,
        extensions: { code: 'RATE_LIMITED', retryAfter, limit: 10, windowSeconds: WINDOW },
      },
    ],
  })
}

const from = (address: string) => ({ 'x-forwarded-for': address })

describe('one server behind one trusted proxy (TRUST_PROXY_HOPS 1)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await start({ ...LIMITED, TRUST_PROXY_HOPS: 1 })
  })

  it('answers 429 with Retry-After once the budget is spent, weighing each operation by its cost', async () => {
    const client = from('192.0.2.10')
    await spend(server, client) // 9 of 10 points
    await expectLimitedOverHttp(server, client) // 3 more do not fit
    await expectLimitedOverHttp(server, client, COSTS_1, 1) // the refused ones counted too: spent
  })

  it('refuses over Server-Sent Events with 429 and Retry-After', async () => {
    const client = from('192.0.2.11')
    await spend(server, client)
    expect((await overHttp(server, COSTS_1, client)).status).toBe(200) // 10 of 10
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...client },
      body: JSON.stringify({ query: 'subscription { breakingNews(minUrgency: 3) { cursor } }' }),
    })
    const retryAfter = Number(response.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(WINDOW - 60)
    expect({ status: response.status, text: await response.text() }).toEqual({
      status: 429,
      text:
        ':\n\nevent: next\ndata: {"errors":[{"message":"Rate limit exceeded: 10 points per 3600 s, and this operation costs 1; try again in ' +
        `${retryAfter} s.","extensions":{"code":"RATE_LIMITED","retryAfter":${retryAfter},"limit":10,"windowSeconds":3600}}]}\n\nevent: complete\ndata:\n\n`,
    })
  })

  it('holds the socket to the same budget as HTTP: an `error` message per refused operation, a running subscription left alone', async () => {
    const client = from('192.0.2.12')
    const { client: ws, closed } = wsClient(server, client)
    // a subscription started while the budget lasts (1 point) …
    const received: Body[] = []
    ws.subscribe(
      { query: 'subscription { breakingNews(minUrgency: 3) { kind story { headline } } }' },
      {
        next: (value) => void received.push(value as Body),
        error: () => {},
        complete: () => {},
      },
    )
    // … then the budget spent, over the socket (3) and over HTTP (6)
    expect((await overWs(ws, COSTS_3)).result?.errors).toBeUndefined()
    await spend(server, client, 2)
    let query: Awaited<ReturnType<typeof overWs>> | undefined
    let subscribe: Awaited<ReturnType<typeof overWs>> | undefined
    const statements = await statementsDuring(server, async () => {
      query = await overWs(ws, COSTS_3)
      subscribe = await overWs(ws, 'subscription { storyPublished { cursor } }')
    })
    expectLimitedOverWs(query!, 3)
    expectLimitedOverWs(subscribe!, 1)
    expect(statements, 'no resolver ran').toEqual([])
    await expectLimitedOverHttp(server, client, COSTS_1, 1)

    // the socket is still open, and the subscription that started still delivers
    const writer = await asRole('editor', `writer-${randomUUID()}`)
    const created = await overHttp(
      server,
      `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } } }`,
      writer,
      {
        input: {
          slug: `rate-limit-${randomUUID()}`,
          headline: 'Rate limits hold',
          lede: 'A story for the live test.',
          sections: [{ paragraphs: ['Text.'] }],
          byline: 'TT',
          urgency: 2,
        },
      },
    )
    const { id, version } = created.body.data!.createStory
    const published = await overHttp(
      server,
      'mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }',
      writer,
      { id, v: version },
    )
    expect(published.body).toEqual({ data: { publishStory: { __typename: 'Story' } } })
    await expect
      .poll(() => received, { timeout: 10_000 })
      .toContainEqual({ data: { breakingNews: { kind: 'story.published', story: { headline: 'Rate limits hold' } } } })
    expect(closed).toEqual([])
  })

  it('keeps separate budgets: per address for the public, per token subject for editors', async () => {
    const address = from('192.0.2.13')
    await spend(server, address)
    await expectLimitedOverHttp(server, address)
    // another address still has its budget
    await spend(server, from('192.0.2.14'), 1)
    // an editor from the spent address spends from its own
    const aliceToken = await asRole('editor', 'rate-alice')
    const alice = { ...address, ...aliceToken }
    await spend(server, alice)
    await expectLimitedOverHttp(server, alice)
    // the same subject from another address has spent it too; another subject has not
    await expectLimitedOverHttp(server, { ...from('192.0.2.15'), ...aliceToken }, COSTS_1, 1)
    await spend(server, { ...address, ...(await asRole('admin', 'rate-bob')) })
    // and over the socket the editor is known by the token in connection_init
    const { client: ws } = wsClient(server, from('192.0.2.16'), { authorization: aliceToken.authorization })
    expectLimitedOverWs(await overWs(ws, COSTS_1), 1)
  })

  it('keys an IPv6 client by its /64', async () => {
    await spend(server, from('2001:db8:0:1::a'))
    await expectLimitedOverHttp(server, from('2001:db8:0:1:ffff::b'))
    await spend(server, from('2001:db8:0:2::a'), 1)
  })
})

describe('a server with no trusted proxy (TRUST_PROXY_HOPS 0)', () => {
  it('ignores X-Forwarded-For: a client cannot make itself a new budget', async () => {
    const server = await start(LIMITED)
    await spend(server, from('198.51.100.1'))
    await expectLimitedOverHttp(server, from('198.51.100.2'))
    await expectLimitedOverHttp(server, {})
  })
})

describe('budgets in Redis (REDIS_URL)', () => {
  const prefix = `news-graph-test:${randomUUID()}`
  const redis = new Redis(REDIS_URL, { lazyConnect: true })
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`)
    if (keys.length) await redis.del(...keys)
    redis.disconnect()
  })

  it('is one budget across two processes', async () => {
    const settings = { ...LIMITED, TRUST_PROXY_HOPS: 1, REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix }
    const [one, two] = await Promise.all([start(settings), start(settings)])
    // until its connection is up, a process counts in memory (as while Redis is away)
    for (const server of [one, two])
      await expect.poll(() => server.app.rateLimits.inRedis(), { timeout: 10_000 }).toBe(true)
    const client = from('203.0.113.7')
    await spend(one, client, 2)
    await spend(two, client, 1)
    await expectLimitedOverHttp(two, client)
    await expectLimitedOverHttp(one, client, COSTS_1, 1)
    // kept under the prefix, by address
    expect(await redis.get(`${prefix}:public:ip:203.0.113.7`)).toBe('13')
  })

  it('counts in memory while Redis is away, rather than failing requests', async () => {
    // nothing listens on port 1: every connection is refused at once
    const server = await start({ ...LIMITED, REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_KEY_PREFIX: prefix })
    expect(server.app.rateLimits.store).toBe('redis')
    expect(server.app.rateLimits.inRedis()).toBe(false)
    await spend(server, {})
    await expectLimitedOverHttp(server, {})
  })
})

describe('the client address', () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({
      socket: { remoteAddress },
      headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    }) as Parameters<typeof clientAddress>[0]

  it('is the socket’s peer unless proxies are trusted, then the address the outermost trusted one saw', () => {
    expect(clientAddress(request('10.0.0.2', '192.0.2.1'), 0)).toBe('10.0.0.2')
    expect(clientAddress(request('10.0.0.2', '192.0.2.66, 192.0.2.1'), 1)).toBe('192.0.2.1')
    expect(clientAddress(request('10.0.0.2', '192.0.2.66, 192.0.2.1, 10.0.0.1'), 2)).toBe('192.0.2.1')
    expect(clientAddress(request('10.0.0.2', '192.0.2.1'), 3)).toBe('192.0.2.1')
    expect(clientAddress(request('10.0.0.2'), 1)).toBe('10.0.0.2')
    expect(clientAddress(request('10.0.0.2', 'unknown, 192.0.2.1'), 2)).toBe('192.0.2.1')
    expect(clientAddress(undefined, 1)).toBeUndefined()
  })

  it('is keyed as IPv4, or by its /64 for IPv6', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1')
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:0db8:0000:0001:ffff:0:0:1')).toBe('2001:db8:0:1::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64')
  })
})
