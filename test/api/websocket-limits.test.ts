// The WebSocket's limits, against listening servers, with raw `ws` clients (subprotocol
// graphql-transport-ws) so a test can send what the graphql-ws client never would: the protocol's
// close codes, the init timeout, keep-alive, the frame size, subscriptions per socket, a slow
// consumer's send buffer, and the same validation, page-size check and auth as over HTTP.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { type WebSocketServer } from 'ws'
import { loadConfig } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { attachWebSocket, WEBSOCKET_DEFAULTS, type WebSocketOptions } from '../../src/server/websocket.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { latestCursor, untilLive } from '../helpers/live.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
/** host:port/graphql of the app's own server (default limits) */
let url: string
let editor: Record<string, string>
const sockets: WebSocket[] = []
const servers: { server: Server; wss: WebSocketServer }[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  app = testApp(db)
  await app.feedStarted
  url = await listen(app.server)
  editor = await asRole('editor')
})
afterAll(async () => {
  for (const socket of sockets) socket.terminate()
  for (const { server, wss } of servers) {
    for (const client of wss.clients) client.terminate()
    await new Promise((resolve) => wss.close(resolve))
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  await app?.close()
  await db?.drop()
})

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `127.0.0.1:${(server.address() as AddressInfo).port}/graphql`
}

/** Another server on the app's Yoga, its socket with these limits. */
async function serverWith(options: WebSocketOptions) {
  const server = createServer(app.yoga)
  const wss = attachWebSocket(server, app.yoga, loadConfig(), options)
  servers.push({ server, wss })
  return { url: await listen(server), wss }
}

interface Raw {
  socket: WebSocket
  /** every message received, parsed */
  messages: any[]
  /** the close code and reason, once closed */
  closed: Promise<{ code: number; reason: string }>
  send(message: unknown): void
}

/** A raw graphql-transport-ws socket; with `init`, connection_init sent and acknowledged. */
async function raw(
  target = url,
  init: false | Record<string, unknown> = {},
  options: WebSocket.ClientOptions = {},
): Promise<Raw> {
  const socket = new WebSocket(`ws://${target}`, 'graphql-transport-ws', options)
  sockets.push(socket)
  const messages: any[] = []
  socket.on('message', (data) => messages.push(JSON.parse(String(data))))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  )
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const r = {
    socket,
    messages,
    closed,
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
  }
  if (init) {
    r.send({ type: 'connection_init', payload: init })
    await until(() => messages.some((m) => m.type === 'connection_ack'))
  }
  return r
}

const until = (check: () => boolean, timeout = 10_000) => expect.poll(check, { timeout, interval: 10 }).toBe(true)
const of = (r: Raw, id: string) => r.messages.filter((m) => m.id === id)
const subscribe = (r: Raw, id: string, query: string, variables: Record<string, unknown> = {}) =>
  r.send({ id, type: 'subscribe', payload: { query, variables } })
/** `since` for a subscription that must get whatever commits from now on, however late its subscribe reaches the server. */
const fromNow = async () => ({ since: await latestCursor(db) })

/** The socket answers a ping: it is open and has handled everything sent before. */
async function stillOpen(r: Raw) {
  const pongs = r.messages.filter((m) => m.type === 'pong').length
  r.send({ type: 'ping' })
  await until(() => r.messages.filter((m) => m.type === 'pong').length === pongs + 1)
  expect(r.socket.readyState).toBe(WebSocket.OPEN)
}

async function mutate(query: string, variables: Record<string, unknown>) {
  const { data, errors } = await app.run(query, variables, editor)
  expect(errors).toBeUndefined()
  return data as Record<string, any>
}

let storyCount = 0
/** An editor creates and publishes a story filed under `tag` (a slug); returns its headline. */
async function publish(tag = 'gaza', lede?: string, paragraphs?: string[]): Promise<string> {
  const t = await mutate(`query($s: String!) { tag(slug: $s) { id } }`, { s: tag })
  const headline = `Socket story ${++storyCount}`
  const created = await mutate(
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } ... on Error { code field message } } }`,
    {
      input: {
        slug: `socket-${storyCount}-${tag}`,
        headline,
        lede,
        urgency: 2,
        tagIds: [t.tag.id],
        sections: paragraphs && [{ paragraphs }],
      },
    },
  )
  const { id, version } = created.createStory
  await mutate(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, { id, v: version })
  return headline
}

const STORY_PUBLISHED = `subscription($since: String) { storyPublished(since: $since) { cursor story { headline } } }`

describe('graphql-ws close codes', () => {
  it('4400 for a message that is not JSON', async () => {
    const r = await raw()
    r.send('{ not json')
    expect((await r.closed).code).toBe(4400)
  })

  it('4400 for a message of an unknown type', async () => {
    const r = await raw()
    r.send({ type: 'hello' })
    expect((await r.closed).code).toBe(4400)
  })

  it('4401 for a subscribe before connection_ack', async () => {
    const r = await raw(url, false)
    subscribe(r, '1', STORY_PUBLISHED)
    expect((await r.closed).code).toBe(4401)
    expect(r.messages).toEqual([])
  })

  it('4403 for a forged token in connection_init', async () => {
    const r = await raw(url, false)
    r.send({ type: 'connection_init', payload: { authorization: 'Bearer not.a.token' } })
    expect((await r.closed).code).toBe(4403)
    expect(r.messages).toEqual([])
  })

  it('4408 when connection_init does not come within initTimeoutMs', async () => {
    const limited = await serverWith({ initTimeoutMs: 200 })
    const started = Date.now()
    const r = await raw(limited.url, false)
    const { code, reason } = await r.closed
    expect(code).toBe(4408)
    expect(reason).toBe('Connection initialisation timeout')
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('4408 after 3 s by default, and not before', async () => {
    // timed on the server's side of the socket: from when it was accepted (before graphql-ws's
    // listener starts the init timer) to when the server closed it, so no client-side clock is
    // involved in "not before"
    const accepted = new Promise<{ at: number; socket: WebSocket }>((resolve) =>
      app.wss.prependOnceListener('connection', (socket) => resolve({ at: Date.now(), socket })),
    )
    const started = Date.now()
    const r = await raw(url, false)
    const server = await accepted
    const serverClosed = new Promise<number>((resolve) => {
      if (server.socket.readyState === WebSocket.CLOSED) resolve(Date.now())
      else server.socket.once('close', () => resolve(Date.now()))
    })
    expect((await r.closed).code).toBe(4408)
    expect((await serverClosed) - server.at).toBeGreaterThanOrEqual(2_990)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_990)
  })

  it('4409 for a subscribe with the id of a running subscription', async () => {
    const r = await raw()
    subscribe(r, 'same', STORY_PUBLISHED)
    subscribe(r, 'same', STORY_PUBLISHED)
    const { code, reason } = await r.closed
    expect(code).toBe(4409)
    expect(reason).toBe('Subscriber for same already exists')
  })

  it('4429 for a second connection_init', async () => {
    const r = await raw()
    r.send({ type: 'connection_init', payload: {} })
    const { code, reason } = await r.closed
    expect(code).toBe(4429)
    expect(reason).toBe('Too many initialisation requests')
  })
})

describe('frames and keep-alive', () => {
  it('accepts a 60 KiB message and closes the socket with 1009 on one over 64 KiB', async () => {
    const r = await raw()
    const padding = (size: number) => ({ type: 'ping', payload: { pad: 'x'.repeat(size) } })
    const near = JSON.stringify(padding(0)).length
    r.send(padding(60 * 1024 - near))
    await until(() => r.messages.some((m) => m.type === 'pong' && m.payload?.pad?.length > 60_000))

    const frame = JSON.stringify(padding(65_536 - near + 1))
    expect(frame.length).toBe(65_537)
    r.send(frame)
    const { code } = await r.closed
    expect(code).toBe(1009) // ws: "Max payload size exceeded"
  })

  it('pings every keepAliveMs, and drops a socket that does not answer', async () => {
    const limited = await serverWith({ keepAliveMs: 100 })
    const answering = await raw(limited.url)
    let pings = 0
    answering.socket.on('ping', () => pings++)
    const silent = await raw(limited.url, {}, { autoPong: false })
    const { code } = await silent.closed
    expect(code).toBe(1006) // terminated, no close frame
    expect(pings).toBeGreaterThanOrEqual(2)
    expect(answering.socket.readyState).toBe(WebSocket.OPEN)
  })

  it('has the documented defaults', () => {
    expect(WEBSOCKET_DEFAULTS).toEqual({
      initTimeoutMs: 3_000,
      keepAliveMs: 12_000,
      maxPayload: 65_536,
      maxSubscriptions: 20,
      sendBufferCap: 1_048_576,
    })
  })
})

describe('subscriptions per socket', () => {
  it('refuses the 21st subscription with an error for its id only; the socket and the 20 others go on', async () => {
    const r = await raw()
    // from the newest change on: the next story reaches each of the 20, however late it subscribes
    const from = await fromNow()
    for (let i = 1; i <= 20; i++) subscribe(r, `s${i}`, STORY_PUBLISHED, from)
    subscribe(r, 's21', STORY_PUBLISHED, from)
    await until(() => of(r, 's21').length === 1)
    expect(of(r, 's21')[0]).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
    })
    expect(of(r, 's21')[0].payload[0].message).toMatch(/At most 20 subscriptions/)
    await stillOpen(r)

    // a query over the socket is not a subscription, and is answered
    r.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } })
    await until(() => of(r, 'q').length === 2)
    expect(of(r, 'q')).toEqual([
      { id: 'q', type: 'next', payload: { data: { __typename: 'Query' } } },
      { id: 'q', type: 'complete' },
    ])

    const headline = await publish()
    await until(() => Array.from({ length: 20 }, (_, i) => of(r, `s${i + 1}`).length).every((n) => n === 1))
    expect(of(r, 's7')[0].payload.data.storyPublished.story.headline).toBe(headline)

    // completing one frees its place, and only one
    r.send({ id: 's1', type: 'complete' })
    const later = await fromNow()
    subscribe(r, 's22', STORY_PUBLISHED, later)
    subscribe(r, 's23', STORY_PUBLISHED, later)
    await until(() => of(r, 's23').length === 1)
    expect(of(r, 's23')[0]).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
    })
    const next = await publish()
    await until(() => of(r, 's22').length === 1 && of(r, 's20').length === 2)
    expect(of(r, 's22')[0].payload.data.storyPublished.story.headline).toBe(next)
    expect(of(r, 's1')).toHaveLength(1)
    await stillOpen(r)
  })

  it('counts a subscription that ended by itself no longer', async () => {
    const r = await raw()
    const from = await fromNow()
    for (let i = 1; i <= 19; i++) subscribe(r, `s${i}`, STORY_PUBLISHED, from)
    // five subscriptions that fail as they start (a bad cursor), one after the other
    for (let i = 1; i <= 5; i++) {
      subscribe(r, `bad${i}`, STORY_PUBLISHED, { since: 'yesterday' })
      await until(() => of(r, `bad${i}`).at(-1)?.type === 'complete')
      expect(JSON.stringify(of(r, `bad${i}`))).toContain('BAD_USER_INPUT')
    }
    subscribe(r, 's20', STORY_PUBLISHED, from)
    subscribe(r, 's21', STORY_PUBLISHED, from)
    await until(() => of(r, 's21').length === 1)
    expect(of(r, 's21')[0]).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
    })
    await publish()
    await until(() => of(r, 's20').length === 1)
    expect(of(r, 's20')[0].type).toBe('next')
  })
})

describe('a slow consumer', () => {
  it('is closed with 1013 once its send buffer passes sendBufferCap, after every message it holds; it resumes by cursor', async () => {
    const cap = 64 * 1024
    const limited = await serverWith({ sendBufferCap: cap })
    const r = await raw(limited.url)
    // one subscription, big messages: each story's body, ten paragraphs of 20 000 characters (~200 kB)
    // (not one field under many aliases: an operation may have 15)
    const paragraphs = Array.from({ length: 10 }, () => 'x'.repeat(20_000))
    subscribe(r, 'slow', `subscription { storyPublished { cursor story { headline body { paragraphs } } } }`)
    // Without a cursor it shares an execution, as most subscribers do (src/live/fan-out.ts), which
    // one with `since` never does: small stories until one arrives show it live before the client
    // stops reading.
    const headlineOf = (m: any) => m?.payload?.data?.storyPublished?.story?.headline
    await untilLive(
      () => publish('gaza'),
      (marker) => headlineOf(of(r, 'slow').at(-1)) === marker,
    )
    const markers = of(r, 'slow').length
    r.socket.pause() // stops reading: the kernel's buffers fill, then the server's send buffer

    const headlines: string[] = []
    const server = [...limited.wss.clients][0]!
    for (let i = 0; i < 100 && server.readyState === WebSocket.OPEN; i++)
      headlines.push(await publish('gaza', undefined, paragraphs))
    await until(() => server.readyState !== WebSocket.OPEN)
    // what waits for the client is bounded: the cap and the one message that passed it
    expect(server.bufferedAmount).toBeGreaterThan(cap)
    expect(server.bufferedAmount).toBeLessThan(cap + 250_000)
    headlines.push(await publish('gaza', undefined, paragraphs)) // after the close

    r.socket.resume()
    const { code, reason } = await r.closed
    expect(code).toBe(1013)
    expect(reason).toBe('Too slow to keep up: reconnect and resume from your last cursor')

    // every message the client got came before the close, in order; resumed with the last cursor,
    // the rest comes, nothing twice
    const got = of(r, 'slow')
      .slice(markers)
      .map((m) => m.payload.data.storyPublished)
    expect(got.length).toBeGreaterThan(0)
    expect(got.map((m: any) => m.story.headline)).toEqual(headlines.slice(0, got.length))
    expect(headlines.length - got.length).toBeGreaterThanOrEqual(2) // the one refused at the cap, the one after the close
    const again = await raw(limited.url)
    subscribe(again, 'resume', STORY_PUBLISHED, { since: got.at(-1).cursor })
    await until(() => of(again, 'resume').length === headlines.length - got.length)
    // nothing twice: a story published last comes after any repeat of the replayed ones
    headlines.push(await publish('gaza'))
    await until(() => of(again, 'resume').length === headlines.length - got.length)
    expect(of(again, 'resume').map((m) => m.payload.data.storyPublished.story.headline)).toEqual(
      headlines.slice(got.length),
    )
  })
})

describe('the same rules as over HTTP', () => {
  it('an unknown field is GRAPHQL_VALIDATION_FAILED', async () => {
    const r = await raw()
    r.send({ id: 'q', type: 'subscribe', payload: { query: '{ nope }' } })
    subscribe(r, 's', 'subscription { storyPublished { nope } }')
    await until(() => of(r, 'q').length === 1 && of(r, 's').length === 1)
    for (const id of ['q', 's']) {
      expect(of(r, id)[0]).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      })
      expect(of(r, id)[0].payload[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' })
    }
    await stillOpen(r)
  })

  it('a syntax error is an error for its operation, not a broken socket', async () => {
    const r = await raw()
    r.send({ id: 'q', type: 'subscribe', payload: { query: '{ stories(' } })
    await until(() => of(r, 'q').length === 1)
    expect(of(r, 'q')[0]).toMatchObject({
      type: 'error',
      payload: [{ message: expect.stringMatching(/Syntax Error/) }],
    })
    await stillOpen(r)
  })

  it('first: 101 is BAD_USER_INPUT, in a query and in a subscription', async () => {
    const r = await raw()
    r.send({ id: 'q', type: 'subscribe', payload: { query: '{ stories(first: 101) { edges { node { slug } } } }' } })
    subscribe(
      r,
      's',
      'subscription($n: Int) { storyPublished { story { tags(first: $n) { edges { node { slug } } } } } }',
      { n: 101 },
    )
    await until(() => of(r, 'q').at(-1)?.type === 'complete' && of(r, 's').at(-1)?.type === 'complete')
    for (const id of ['q', 's']) {
      expect(of(r, id)[0]).toMatchObject({
        type: 'next',
        payload: { errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'first' } }] },
      })
      expect(of(r, id)[0].payload.errors[0].message).toMatch(/between 1 and 100 \(got 101\)/)
    }
    // the control: 100 is accepted, and the subscription runs
    subscribe(
      r,
      'ok',
      'subscription($since: String) { storyPublished(since: $since) { story { headline tags(first: 100) { edges { node { slug } } } } } }',
      await fromNow(),
    )
    const headline = await publish('wildlife')
    await until(() => of(r, 'ok').length === 1)
    expect(of(r, 'ok')[0].payload.data.storyPublished.story).toEqual({
      headline,
      tags: { edges: [{ node: { slug: 'wildlife' } }] },
    })
  })
})

describe('editor-only subscriptions', () => {
  const CHANGE_LOG = 'subscription { changeLog { cursor kind objectType } }'

  it('changeLog without a token is refused as it starts, before any change, and no entry is sent', async () => {
    const r = await raw()
    subscribe(r, 'log', CHANGE_LOG)
    // refused at once: no change has to happen first
    await until(() => of(r, 'log').length >= 1)
    expect(of(r, 'log')[0]).toMatchObject({
      type: 'next',
      payload: { errors: [{ message: 'Sign in as an editor to do this.', extensions: { code: 'FORBIDDEN' } }] },
    })
    expect(of(r, 'log')[0].payload.data ?? null).toBeNull()
    await until(() => of(r, 'log').at(-1)?.type === 'complete')
    // then changes, and none of them comes for `log`: a public subscription on the same socket,
    // live (no cursor: it gets what the feed hands out, as `log` would have), receives a story's
    // publication, which the feed hands out after the story's creation, the first entry `log`
    // would have been sent
    subscribe(r, 'published', 'subscription { storyPublished { story { headline } } }')
    await untilLive(
      () => publish(),
      (headline) => of(r, 'published').at(-1)?.payload?.data?.storyPublished?.story?.headline === headline,
    )
    expect(of(r, 'log').map((m) => m.type)).toEqual(['next', 'complete'])
    await stillOpen(r)
  })

  it('changeLog streams to an editor whose token came in connection_init', async () => {
    const r = await raw(url, editor)
    subscribe(
      r,
      'log',
      'subscription($since: String) { changeLog(since: $since) { cursor kind objectType } }',
      await fromNow(),
    )
    await publish()
    await until(() => of(r, 'log').length >= 2)
    expect(of(r, 'log').map((m) => m.payload.data.changeLog.kind)).toEqual(['story.created', 'story.published'])
    expect(of(r, 'log').every((m) => m.type === 'next' && !m.payload.errors)).toBe(true)
  })
})

describe('a token sent with the operation (how GraphiQL sends its Headers pane)', () => {
  const CHANGE_LOG = 'subscription($since: String) { changeLog(since: $since) { cursor kind } }'

  it('lets an editor follow changeLog, and refuses a forged one for that operation only', async () => {
    const r = await raw()
    const variables = await fromNow()
    r.send({
      id: 'ok',
      type: 'subscribe',
      payload: { query: CHANGE_LOG, variables, extensions: { headers: { Authorization: editor.authorization } } },
    })
    r.send({
      id: 'bad',
      type: 'subscribe',
      payload: { query: CHANGE_LOG, variables, extensions: { headers: { authorization: 'Bearer forged.token.here' } } },
    })
    await until(() => of(r, 'bad').length >= 1)
    expect(of(r, 'bad')[0]).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'UNAUTHENTICATED' } }] })
    await publish()
    await until(() => of(r, 'ok').length >= 1)
    expect(of(r, 'ok')[0]).toMatchObject({ type: 'next', payload: { data: { changeLog: { kind: 'story.created' } } } })
    await stillOpen(r)
  })
})
