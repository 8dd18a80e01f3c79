// Two server processes on one PostgreSQL database, told of each other's commits through Redis
// (REDIS_URL): a subscriber on one process gets what another process published, at once, and a
// Redis outage loses nothing — the change log is the source of truth and a notice is only a hint.
//
// Both processes poll the change log only every 60 s (LIVE_POLL_MS), so what arrives within
// seconds came by a Redis notice, or by the read each process makes when its Redis subscription
// comes back after an outage. This file starts its own redis-server on a free port.
import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection, createServer } from 'node:net'
import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { mintToken } from '../../src/auth/token.js'
import { loadConfig } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { untilLive } from '../helpers/live.js'

const JWT_SECRET = 'scale-out-test-secret-at-least-32-characters'
const POLL_MS = 60_000

interface ServerProcess {
  name: string
  child: ChildProcess
  port: number
  /** every JSON log line the process printed */
  lines: Record<string, any>[]
  output: string[]
}

let redis: ChildProcess | null = null
let redisPort: number
let db: TestDatabase
let a: ServerProcess
let b: ServerProcess
/** before the processes started: neither polls the change log until POLL_MS after this */
let startedAt: number
let editor: string
const clients: Client[] = []
const servers: ServerProcess[] = []

beforeAll(async () => {
  redisPort = await freePort()
  redis = await startRedis(redisPort)
  db = await createTestDatabase('postgres')
  await seedSampleGraph(db.prisma)
  editor = await mintToken(loadConfig({ JWT_SECRET }), { sub: 'scale-out-editor', role: 'editor' })
  startedAt = Date.now()
  ;[a, b] = await Promise.all([startServer('a'), startServer('b')])
  // both processes publish and listen through Redis before the tests begin
  for (const p of [a, b])
    for (const role of ['publish', 'subscribe'])
      await waitForLog(p, (l) => l.redis === role && /connected to Redis/.test(l.msg))
}, 90_000)

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()))
  await Promise.all(servers.map((p) => stop(p.child)))
  if (redis) await stop(redis)
  await db?.drop()
}, 30_000)

describe('two processes, one database, notices through Redis', () => {
  it('a subscriber on process B receives a story published through process A', async () => {
    const sub = collect(wsClient(b), STORY_PUBLISHED, { filter: { tag: 'gaza' } })
    const markers = await liveOnB(sub, 'gaza')
    const sent = Date.now()
    const id = await publish(a, 'gaza')
    await until(() => sub.received.length === markers + 1)
    // B polls only every minute: this came through Redis
    expect(Date.now() - sent).toBeLessThan(5_000)
    expect(sub.received.at(-1).storyPublished).toMatchObject({ kind: 'story.published', story: { id } })
    expect(sub.errors).toEqual([])
  })

  it('a Redis outage loses nothing: B catches up once Redis is back, every change once and in order', async () => {
    const sub = collect(wsClient(b), STORY_PUBLISHED, { filter: { tag: 'wildlife' } })
    const markers = await liveOnB(sub, 'wildlife')
    const before = await publish(a, 'wildlife')
    await until(() => sub.received.length === markers + 1)
    const cursor = sub.received.at(-1).storyPublished.cursor as string

    // Redis goes away; both processes notice and keep serving
    const aLines = a.lines.length
    const bLines = b.lines.length
    await stop(redis!, 'SIGKILL')
    redis = null
    await waitForLog(a, (l) => l.redis === 'publish' && /Redis unavailable/.test(l.msg), aLines)
    await waitForLog(b, (l) => l.redis === 'subscribe' && /Redis unavailable/.test(l.msg), bLines)

    const during: string[] = []
    for (let i = 0; i < 3; i++) {
      const t = Date.now()
      during.push(await publish(a, 'wildlife'))
      expect(Date.now() - t).toBeLessThan(3_000) // publishing a notice fails fast; the write does not wait
    }
    const read = await graphql(
      b,
      `
        {
          stories(first: 1) {
            totalCount
          }
        }
      `,
    )
    expect(read.errors).toBeUndefined()
    expect(a.child.exitCode).toBeNull()
    expect(b.child.exitCode).toBeNull()
    // The three notices were lost, and B's first poll is a minute after it started: B has not
    // seen the stories yet. This wait stays: it is what is tested (that nothing brings them
    // within a second), and a slow machine can make it show less, never fail it, since the check
    // is made only while B's poll is still sure to be ahead.
    await sleep(1_000)
    if (Date.now() - startedAt < POLL_MS - 10_000) expect(sub.received.length).toBe(markers + 1)

    // Redis comes back on the same port: B resubscribes, and reads the log it may have missed
    const aBack = a.lines.length
    redis = await startRedis(redisPort)
    await until(() => sub.received.length === markers + 4, 15_000)
    // and A's notices reach B again
    await waitForLog(a, (l) => l.redis === 'publish' && /connected to Redis/.test(l.msg), aBack)
    const after = await publish(a, 'wildlife')
    await until(() => sub.received.length === markers + 5)
    // nothing more arrives, no change twice: a story published last comes after any repeat
    const last = await publish(a, 'wildlife')
    await until(() => sub.received.length === markers + 6)

    const expected = [before, ...during, after, last]
    expect(sub.received.slice(markers).map((m) => m.storyPublished.story.id)).toEqual(expected)
    const cursors = sub.received.map((m) => BigInt(m.storyPublished.cursor))
    expect(cursors).toEqual([...cursors].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)))
    expect(new Set(cursors).size).toBe(cursors.length)
    expect(sub.errors).toEqual([])

    // a subscriber that reconnects to B with its last cursor from before the outage gets the same
    const resumed = collect(wsClient(b), STORY_PUBLISHED, { filter: { tag: 'wildlife' }, since: cursor })
    await until(() => resumed.received.length === expected.length - 1)
    // nothing twice at the seam between what it missed and what is live: a story published last
    // comes after any repeat
    const final = await publish(a, 'wildlife')
    await until(() => resumed.received.length === expected.length)
    expect(resumed.received.map((m) => m.storyPublished.story.id)).toEqual([...expected.slice(1), final])
  }, 60_000)
})

// ——— the processes ———

async function startServer(name: string): Promise<ServerProcess> {
  // node with tsx's loader, not the tsx CLI: one process, so its pid is the server's own
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LIVE_POLL_MS: String(POLL_MS),
      SEED_ON_START: 'false',
      LOG_LEVEL: 'info',
      JWT_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const p: ServerProcess = { name, child, port: 0, lines: [], output: [] }
  servers.push(p)
  let rest = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    rest += chunk.toString()
    const parts = rest.split('\n')
    rest = parts.pop()!
    for (const line of parts) {
      p.output.push(line)
      try {
        p.lines.push(JSON.parse(line))
      } catch {
        // not a log line
      }
    }
  })
  child.stderr!.on('data', (chunk: Buffer) => p.output.push(chunk.toString()))
  const ready = await waitForLog(p, (l) => typeof l.port === 'number' && /ready/.test(l.msg), 0, 60_000)
  p.port = ready.port
  return p
}

/** Waits for a log line (from index `from` on) that satisfies `match`, and returns it. */
async function waitForLog(p: ServerProcess, match: (line: Record<string, any>) => boolean, from = 0, timeout = 15_000) {
  const deadline = Date.now() + timeout
  for (;;) {
    const line = p.lines.slice(from).find(match)
    if (line) return line
    if (p.child.exitCode !== null)
      throw new Error(`process ${p.name} exited (${p.child.exitCode}):\n${p.output.join('\n')}`)
    if (Date.now() > deadline)
      throw new Error(`process ${p.name}: no such log line in ${timeout} ms:\n${p.output.join('\n')}`)
    await sleep(25)
  }
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  const deadline = Date.now() + 10_000
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`)
    if (Date.now() > deadline) throw new Error('redis-server did not start')
    await sleep(50)
  }
  return child
}

/** SIGTERM (or `signal`), then SIGKILL after five seconds. */
async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

// ——— GraphQL against a process ———

async function graphql(p: ServerProcess, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`http://127.0.0.1:${p.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` },
    body: JSON.stringify({ query, variables }),
  })
  return (await response.json()) as { data?: Record<string, any>; errors?: unknown[] }
}

async function mutate(p: ServerProcess, query: string, variables: Record<string, unknown>) {
  const { data, errors } = await graphql(p, query, variables)
  expect(errors).toBeUndefined()
  return data!
}

let storyCount = 0
/** An editor creates and publishes, through process `p`, a story filed under `tag`; returns its id. */
async function publish(p: ServerProcess, tag: string): Promise<string> {
  const t = await mutate(p, `query($s: String!) { tag(slug: $s) { id } }`, { s: tag })
  const n = ++storyCount
  const created = await mutate(
    p,
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } ... on Error { code field message } } }`,
    { input: { slug: `scale-out-${n}-${tag}`, headline: `Scale-out story ${n}`, urgency: 2, tagIds: [t.tag.id] } },
  )
  const { id, version } = created.createStory
  expect(id).toBeTruthy()
  await mutate(p, `mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, {
    id,
    v: version,
  })
  return id
}

const STORY_PUBLISHED = `subscription($filter: LiveStoryFilter, $since: String) {
  storyPublished(filter: $filter, since: $since) { cursor kind story { id headline } }
}`

/**
 * Resolves once `sub`, on process B, is live, with how many messages it has by then: stories
 * published through B itself (whose feed reads its own commits at once) until one arrives. Not
 * with `since`: a subscription with a cursor reads the log as it starts, so it could get A's
 * story without any notice, and prove nothing about Redis.
 */
async function liveOnB(sub: { received: any[] }, tag: string): Promise<number> {
  await untilLive(
    () => publish(b, tag),
    (id) => sub.received.at(-1)?.storyPublished.story.id === id,
  )
  return sub.received.length
}

function wsClient(p: ServerProcess): Client {
  const client = createClient({
    url: `ws://127.0.0.1:${p.port}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
  })
  clients.push(client)
  return client
}

function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: any[] = []
  const errors: unknown[] = []
  const stop = client.subscribe<any>(
    { query, variables },
    {
      next: (m) => (m.errors ? errors.push(m.errors) : received.push(m.data)),
      error: (e) => errors.push(e),
      complete: () => {},
    },
  )
  return { received, errors, stop }
}

const until = (check: () => boolean, timeout = 10_000) => expect.poll(check, { timeout, interval: 25 }).toBe(true)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
