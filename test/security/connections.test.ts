// Open connections per client address (src/server/connection-limits.ts) and idle sockets
// (src/server/socket-lifetime.ts), against listening servers: WebSockets refused with 429 at the
// upgrade or closed with 4429 at connection_init, SSE streams refused with 429, each address
// (or forwarded address, or IPv6 /64) on its own; a flood from two processes of one address that
// leaves /health, and every other address, served; a socket with no operation closed with 4000.
import { fork, type ChildProcess } from 'node:child_process'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type Config } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createApp } from '../../src/server/app.js'
import { asRole, listening } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { attempt, httpStream, rawSocket, type HttpStream, type RawSocket } from '../helpers/live-clients.js'
import { spawnServer, type ServerProcess } from '../helpers/server-process.js'

const STORY_PUBLISHED = 'subscription { storyPublished { cursor story { headline } } }'

let db: TestDatabase
let editor: Record<string, string>
const apps: ReturnType<typeof createApp>[] = []
const sockets: RawSocket[] = []
const streams: HttpStream[] = []

beforeAll(async () => {
  db = await createTestDatabase('postgres')
  await seedSampleGraph(db.prisma)
  editor = await asRole('editor', 'connections-editor')
})
afterAll(async () => {
  for (const r of sockets) r.socket.terminate()
  for (const s of streams) s.close()
  for (const app of apps) await app.close()
  await db?.drop()
})

/** The app on the test database, listening on 127.0.0.1, with these settings. */
async function serve(settings: Partial<Config>) {
  const config = {
    ...loadConfig(),
    RATE_LIMIT_PUBLIC_POINTS: 0,
    RATE_LIMIT_EDITOR_POINTS: 0,
    RESPONSE_CACHE_TTL_MS: 0,
    ...settings,
  }
  const app = createApp({ db, logger: pino({ level: 'silent' }), config, schedule: false })
  apps.push(app)
  const origin = await listening(app)
  return { origin, wsUrl: `${origin.replace('http', 'ws')}/graphql` }
}

/** Opens a socket and sends connection_init: 'acked', 'closed <code>' or 'status <code>'. */
async function open(
  wsUrl: string,
  from: string,
  payload: Record<string, unknown> = {},
  kept?: RawSocket[],
): Promise<string> {
  const { outcome, socket } = await attempt(wsUrl, { from }, payload)
  if (socket) sockets.push(socket)
  if (socket && outcome === 'acked') kept?.push(socket)
  return outcome
}

async function stream(origin: string, from: string, headers: Record<string, string> = {}) {
  const s = await httpStream(origin, { query: STORY_PUBLISHED }, { from, headers })
  streams.push(s)
  return s
}

describe('connections per client address', () => {
  let server: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    server = await serve({ CONNECTION_LIMIT_PUBLIC: 2, CONNECTION_LIMIT_EDITOR: 4 })
  })

  it('refuses a WebSocket with 429 at the upgrade beyond the editors’ limit, and with 4429 at connection_init one beyond the public limit without an editor’s token', async () => {
    const from = '127.0.0.11'
    const kept: RawSocket[] = []
    expect(await open(server.wsUrl, from, {}, kept)).toBe('acked')
    expect(await open(server.wsUrl, from, {}, kept)).toBe('acked')
    // the public limit is reached: the upgrade is let through (an editor's token may follow) …
    const third = await rawSocket(server.wsUrl, { from })
    sockets.push(third)
    expect(await third.init({})).toBe('closed 4429')
    expect((await third.closed).reason).toBe(
      'Too many open connections from your address (at most 2); close one first.',
    )
    // … and an editor's token is let in, up to the editors' limit (editors' sockets count with the address's)
    expect(await open(server.wsUrl, from, editor, kept)).toBe('acked')
    expect(await open(server.wsUrl, from, { Authorization: editor.authorization }, kept)).toBe('acked')
    expect(await open(server.wsUrl, from, editor)).toBe('status 429')
    expect(await open(server.wsUrl, from)).toBe('status 429')
    // another address is not held to this one's connections
    expect(await open(server.wsUrl, '127.0.0.12')).toBe('acked')

    // closing frees places, once the server has seen the closes: three of the four, and the
    // address is under the public limit again
    for (const r of kept.slice(0, 3)) r.socket.close()
    await expect.poll(() => open(server.wsUrl, from), { timeout: 10_000, interval: 50 }).toBe('acked')
  })

  it('counts an SSE stream with the WebSockets of its address, and refuses one beyond its limit with 429', async () => {
    const from = '127.0.0.21'
    expect(await open(server.wsUrl, from)).toBe('acked')
    const first = await stream(server.origin, from)
    expect(first.status).toBe(200)
    const refused = await stream(server.origin, from)
    expect(refused.status).toBe(429)
    await refused.ended
    expect(JSON.parse(refused.text())).toEqual({
      errors: [
        {
          message: 'Too many open connections from your address (at most 2); close one first.',
          extensions: { code: 'TOO_MANY_CONNECTIONS' },
        },
      ],
    })
    // an editor's stream has the editors' limit
    const editors = [await stream(server.origin, from, editor), await stream(server.origin, from, editor)]
    expect(editors.map((s) => s.status)).toEqual([200, 200])
    expect((await stream(server.origin, from, editor)).status).toBe(429)
    expect(await open(server.wsUrl, from, editor)).toBe('status 429')
    // and another address streams
    expect((await stream(server.origin, '127.0.0.22')).status).toBe(200)

    // ended streams free their places
    for (const s of [first, ...editors]) s.close()
    await expect
      .poll(async () => (await stream(server.origin, from)).status, { timeout: 10_000, interval: 50 })
      .toBe(200)
  })

  it('behind a proxy, counts each forwarded address for itself, IPv6 by its /64 (TRUST_PROXY_HOPS)', async () => {
    const proxied = await serve({ CONNECTION_LIMIT_PUBLIC: 1, CONNECTION_LIMIT_EDITOR: 1, TRUST_PROXY_HOPS: 1 })
    const via = async (forwarded: string) => {
      const { outcome, socket } = await attempt(proxied.wsUrl, { headers: { 'x-forwarded-for': forwarded } })
      if (socket) sockets.push(socket)
      return outcome
    }
    expect(await via('203.0.113.7')).toBe('acked')
    expect(await via('203.0.113.7')).toBe('status 429')
    expect(await via('198.51.100.1, 203.0.113.7')).toBe('status 429') // what the client wrote itself is not trusted
    expect(await via('203.0.113.8')).toBe('acked')
    expect(await via('2001:db8:0:5::1')).toBe('acked')
    expect(await via('2001:db8:0:5::2')).toBe('status 429')
    expect(await via('2001:db8:0:6::1')).toBe('acked')
  })
})

describe('a flood from one address', () => {
  let server: ServerProcess
  const flooders: ChildProcess[] = []
  afterAll(async () => {
    for (const child of flooders) child.kill()
    await server?.kill()
  })

  it('is held to its limit by two processes at once, while /health, /ready and other addresses are served', async () => {
    server = await spawnServer({
      DATABASE_URL: db.url!,
      SEED_ON_START: 'false',
      CONNECTION_LIMIT_PUBLIC: '20',
      CONNECTION_LIMIT_EDITOR: '20',
      RATE_LIMIT_PUBLIC_POINTS: '0',
    })
    await server.waitForLog((l) => /^news graph ready/.test(l.msg))

    // /health and /ready from this process (127.0.0.1) all along
    const health: number[] = []
    let flooding = true
    const probing = (async () => {
      for (let i = 0; flooding; i++)
        health.push(
          await fetch(`${server.origin}/${i % 2 ? 'ready' : 'health'}`).then(
            (r) => r.status,
            () => 0,
          ),
        )
    })()

    type Tally = { acked: number; refused: number; closed: string[]; failed: string[] }
    const reports = ['a', 'b'].map(
      () =>
        new Promise<Tally>((resolve, reject) => {
          const child = fork('test/helpers/flood.ts', [server.wsUrl, '50', '127.0.0.31'], {
            execArgv: ['--import', 'tsx'],
            stdio: 'inherit',
          })
          flooders.push(child)
          child.once('message', (tally) => resolve(tally as Tally))
          child.once('exit', (code) => reject(new Error(`a flooder exited (${code}) before reporting`)))
        }),
    )
    const [a, b] = await Promise.all(reports)
    // the server said so itself
    await server.waitForLog(
      (l) =>
        l.msg === 'connection limit reached; refusing more connections from this address' && l.address === '127.0.0.31',
    )

    // while the 20 are held: another address connects, this one cannot, not over SSE either
    expect(await open(server.wsUrl, '127.0.0.32')).toBe('acked')
    expect(await open(server.wsUrl, '127.0.0.31')).toBe('status 429')
    expect((await stream(server.origin, '127.0.0.31')).status).toBe(429)
    flooding = false
    await probing

    expect({
      acked: a.acked + b.acked,
      refused: a.refused + b.refused,
      closed: [...a.closed, ...b.closed],
      failed: [...a.failed, ...b.failed],
    }).toEqual({
      acked: 20,
      refused: 80,
      closed: [],
      failed: [],
    })
    expect(health.length).toBeGreaterThan(0)
    expect(health.every((status) => status === 200)).toBe(true)

    // the flood gone, the address connects again
    for (const child of flooders) child.disconnect()
    await expect.poll(() => open(server.wsUrl, '127.0.0.31'), { timeout: 10_000, interval: 50 }).toBe('acked')
  })
})

describe('an idle socket', () => {
  it('is closed with 4000 after SOCKET_IDLE_TIMEOUT_MS without an operation; one with a subscription is not', async () => {
    const server = await serve({ SOCKET_IDLE_TIMEOUT_MS: 400 })
    const since = Date.now()
    const [idle, busy] = [await rawSocket(server.wsUrl), await rawSocket(server.wsUrl)]
    sockets.push(idle, busy)
    expect(await idle.init()).toBe('acked')
    expect(await busy.init()).toBe('acked')
    busy.send({ id: 's', type: 'subscribe', payload: { query: STORY_PUBLISHED } })

    const { code, reason, at } = await idle.closed
    expect({ code, reason }).toEqual({ code: 4000, reason: 'Idle: no operation for 0.4 s' })
    expect(at - since).toBeGreaterThanOrEqual(400)
    // a socket opened as that one closed goes idle in turn; the subscribed one, older, outlives it
    const later = await rawSocket(server.wsUrl)
    sockets.push(later)
    expect((await later.closed).code).toBe(4000)
    await busy.stillOpen()
    // and goes idle once its subscription completes
    busy.send({ id: 's', type: 'complete' })
    expect((await busy.closed).code).toBe(4000)
  })
})
