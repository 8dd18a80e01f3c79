// Faults: requests that run too long, clients that go away, a pool that runs dry, a database that
// is not there when the server starts or goes away while it runs. Against real PostgreSQL: a test
// makes a request slow for real by holding a row or table lock from its own connection, and takes
// the database away from a server process by stopping a TCP proxy between the two.
import { readdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay'
import type { GraphQLFormattedError } from 'graphql'
import { createClient, type Client } from 'graphql-ws'
import pg from 'pg'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { loadConfig } from '../../src/config.js'
import { openDatabase, STATEMENT_TIMEOUT_MARGIN_MS } from '../../src/db/database.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createApp } from '../../src/server/app.js'
import { asRole, testApp } from '../helpers/api.js'
import { ADMIN_URL, createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { untilLive } from '../helpers/live.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { spawnServer, type ServerProcess } from '../helpers/server-process.js'
import { sseStream } from '../helpers/sse.js'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
const GRAPHQL_RESPONSE = 'application/graphql-response+json'
const NO_RATE_LIMITS = { RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0 }

const UPDATE_HEADLINE = `mutation UpdateHeadline($id: ID!, $version: Int!, $headline: String!) {
  updateStory(id: $id, version: $version, input: { headline: $headline }) {
    __typename
    ... on Story { version headline }
    ... on Error { code message }
  }
}`

interface Body {
  data?: Record<string, any> | null
  errors?: GraphQLFormattedError[]
}

async function post(
  origin: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal,
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body }
}

/** A connection of the test's own, to hold locks with and to watch the server's statements. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  await client.connect()
  return client
}

/**
 * How many statements of the database like `pattern` are waiting for a lock. Read afresh each
 * time: inside the watcher's transaction, pg_stat_activity would stay as it was first read.
 */
async function waitingOnLocks(watcher: pg.Client, database: string, pattern: string): Promise<number> {
  await watcher.query('SELECT pg_stat_clear_snapshot()')
  const { rows } = await watcher.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE $2 AND pid <> pg_backend_pid()`,
    [database, pattern],
  )
  return rows[0].n
}

const until = (check: () => Promise<boolean> | boolean, timeout = 10_000) =>
  expect.poll(check, { timeout, interval: 25 }).toBe(true)

/** What a write leaves: the story, its revisions, audit entries and change-log rows. */
async function storyTrace(db: TestDatabase, storyId: string, requestIds: string[]) {
  const story = await db.prisma.story.findUniqueOrThrow({
    where: { id: storyId },
    select: { headline: true, version: true },
  })
  return {
    story,
    revisions: await db.prisma.storyRevision.count({ where: { storyId } }),
    audit: await db.prisma.auditEntry.count({ where: { requestId: { in: requestIds } } }),
    changes: await db.prisma.change.count({ where: { objectId: storyId } }),
  }
}

// ---------------------------------------------------------------------------------------------

describe('a request that runs past REQUEST_TIMEOUT_MS', () => {
  const TIMEOUT_MS = 1_000
  let server: TestServer
  let editor: Record<string, string>
  let holder: pg.Client
  let database: string
  let storyId: string
  let gid: string

  beforeAll(async () => {
    server = await startTestServer({ ...NO_RATE_LIMITS, REQUEST_TIMEOUT_MS: TIMEOUT_MS })
    editor = await asRole('editor', 'timeout-editor')
    database = new URL(server.db.url!).pathname.slice(1)
    holder = await connect(server.db.url!)
    storyId = (await server.db.prisma.story.findUniqueOrThrow({ where: { slug: SAMPLE } })).id
    gid = encodeGlobalID('Story', storyId)
  })
  afterAll(async () => {
    await holder?.end()
    await server?.close()
  })

  const version = async () => (await server.db.prisma.story.findUniqueOrThrow({ where: { id: storyId } })).version

  it('is answered REQUEST_TIMEOUT (200 for application/json, 504 for graphql-response+json), and its blocked write is cancelled at once and never lands', async () => {
    const before = await version()
    const ids = ['timeout-row-1', 'timeout-row-2']
    const trace = await storyTrace(server.db, storyId, ids)
    await holder.query('BEGIN')
    await holder.query('SELECT id FROM "Story" WHERE id = $1 FOR UPDATE', [storyId])
    try {
      const json = await post(
        server.origin,
        UPDATE_HEADLINE,
        { id: gid, version: before, headline: 'Never saved' },
        { ...editor, 'x-request-id': ids[0] },
      )
      expect(json.status).toBe(200)
      expect(json.body).toEqual({
        errors: [
          {
            message: `The request did not finish within ${TIMEOUT_MS} ms and was cancelled.`,
            extensions: { code: 'REQUEST_TIMEOUT', timeoutMs: TIMEOUT_MS },
          },
        ],
      })
      expect(json.headers.get('x-request-id')).toBe(ids[0])

      const spec = await post(
        server.origin,
        UPDATE_HEADLINE,
        { id: gid, version: before, headline: 'Never saved either' },
        {
          ...editor,
          accept: GRAPHQL_RESPONSE,
          'x-request-id': ids[1],
        },
      )
      expect(spec.status).toBe(504)
      expect(spec.body.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT'])

      // cancelled in the database, not left waiting for the lock: with the lock still held
      await until(async () => (await waitingOnLocks(holder, database, 'UPDATE%"Story"%')) === 0)
    } finally {
      await holder.query('ROLLBACK')
    }
    // The lock is gone; a write that had only been abandoned would land now. None did: the story
    // is as it was, and an update from the version read before succeeds.
    expect(await storyTrace(server.db, storyId, ids)).toEqual(trace)
    const after = await post(
      server.origin,
      UPDATE_HEADLINE,
      { id: gid, version: before, headline: 'Saved after the timeout' },
      editor,
    )
    expect(after.body).toEqual({
      data: { updateStory: { __typename: 'Story', version: before + 1, headline: 'Saved after the timeout' } },
    })
    expect(await storyTrace(server.db, storyId, ids)).toEqual({
      story: { headline: 'Saved after the timeout', version: before + 1 },
      revisions: trace.revisions + 1,
      audit: 0,
      changes: trace.changes + 1,
    })
  })

  it('cancels a blocked publish (the write and its record in one statement) at once: it never lands, even once the lock goes', async () => {
    const before = await version()
    const id = 'timeout-publish-1'
    const trace = await storyTrace(server.db, storyId, [id])
    await holder.query('BEGIN')
    await holder.query('SELECT id FROM "Story" WHERE id = $1 FOR UPDATE', [storyId])
    let released = false
    try {
      const timedOut = await post(
        server.origin,
        PUBLISH_STORY,
        { id: gid, version: before },
        { ...editor, 'x-request-id': id },
      )
      expect(timedOut.body.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT'])
      // the lock goes at once: a statement only abandoned (left to statement_timeout) would land now
      await holder.query('ROLLBACK')
      released = true
    } finally {
      if (!released) await holder.query('ROLLBACK')
    }
    await until(async () => {
      await holder.query('SELECT pg_stat_clear_snapshot()')
      const { rows } = await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND state <> 'idle' AND query LIKE '%UPDATE "Story"%' AND pid <> pg_backend_pid()`,
        [database],
      )
      return rows[0].n === 0
    })
    expect(await storyTrace(server.db, storyId, [id])).toEqual(trace)
  })

  it('leaves nothing of a write that had changed its story when it timed out: the story, revision, audit entry and change row go together', async () => {
    const before = await version()
    const id = 'timeout-change-log-1'
    const trace = await storyTrace(server.db, storyId, [id])
    const revisionsBefore = await server.db.prisma.storyRevision.count()
    // the mutation updates the story and writes its revision and audit entry, then waits here, at
    // the change-log row, the last write of its transaction
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE "Change" IN ACCESS EXCLUSIVE MODE')
    try {
      const timedOut = await post(
        server.origin,
        UPDATE_HEADLINE,
        { id: gid, version: before, headline: 'Half a write' },
        { ...editor, 'x-request-id': id },
      )
      expect(timedOut.body.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT'])
      await until(async () => (await waitingOnLocks(holder, database, 'INSERT INTO %"Change"%')) === 0)
      // what it had written is gone already: rolled back, not waiting for the lock
      expect(
        await server.db.prisma.story.findUniqueOrThrow({
          where: { id: storyId },
          select: { headline: true, version: true },
        }),
      ).toEqual(trace.story)
      expect(await server.db.prisma.storyRevision.count()).toBe(revisionsBefore)
      expect(await server.db.prisma.auditEntry.count({ where: { requestId: id } })).toBe(0)
    } finally {
      await holder.query('ROLLBACK')
    }
    expect(await storyTrace(server.db, storyId, [id])).toEqual(trace)
    const after = await post(
      server.origin,
      UPDATE_HEADLINE,
      { id: gid, version: before, headline: 'A whole write' },
      editor,
    )
    expect(after.body.data?.updateStory).toEqual({
      __typename: 'Story',
      version: before + 1,
      headline: 'A whole write',
    })
  })

  it('is answered REQUEST_TIMEOUT when a read is blocked, while other requests keep being answered', async () => {
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE "Story" IN ACCESS EXCLUSIVE MODE')
    try {
      const blocked = post(server.origin, '{ stories(first: 1) { totalCount } }')
      const other = await post(server.origin, '{ tag(slug: "gaza") { name } }')
      expect(other.body).toEqual({ data: { tag: { name: 'Gaza' } } })
      const timedOut = await blocked
      expect(timedOut.status).toBe(200)
      expect(timedOut.body).toEqual({
        errors: [
          {
            message: `The request did not finish within ${TIMEOUT_MS} ms and was cancelled.`,
            extensions: { code: 'REQUEST_TIMEOUT', timeoutMs: TIMEOUT_MS },
          },
        ],
      })
      expect((await fetch(`${server.origin}/ready`)).status).toBe(200)
    } finally {
      await holder.query('ROLLBACK')
    }
    expect((await post(server.origin, '{ stories(first: 1) { totalCount } }')).body.errors).toBeUndefined()
  })

  it('applies over WebSocket too', async () => {
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: editor,
    })
    await holder.query('BEGIN')
    await holder.query('SELECT id FROM "Story" WHERE id = $1 FOR UPDATE', [storyId])
    try {
      const current = await version()
      const result = await new Promise<any>((resolve, reject) => {
        let got: unknown
        client.subscribe(
          { query: UPDATE_HEADLINE, variables: { id: gid, version: current, headline: 'Over the socket' } },
          { next: (value) => (got = value), error: reject, complete: () => resolve(got) },
        )
      })
      expect(result).toEqual({
        errors: [
          {
            message: `The request did not finish within ${TIMEOUT_MS} ms and was cancelled.`,
            extensions: { code: 'REQUEST_TIMEOUT', timeoutMs: TIMEOUT_MS },
          },
        ],
      })
      await until(async () => (await waitingOnLocks(holder, database, 'UPDATE%"Story"%')) === 0)
    } finally {
      await holder.query('ROLLBACK')
      await client.dispose()
    }
  })
})

describe('a client that goes away', () => {
  let server: TestServer
  let editor: Record<string, string>
  let holder: pg.Client

  beforeAll(async () => {
    // a timeout far away: what cancels here is the client leaving
    server = await startTestServer({ ...NO_RATE_LIMITS, REQUEST_TIMEOUT_MS: 120_000 })
    editor = await asRole('editor', 'leaving-editor')
    holder = await connect(server.db.url!)
  })
  afterAll(async () => {
    await holder?.end()
    await server?.close()
  })

  it('cancels its write: the statement stops waiting, and nothing lands once the lock is gone', async () => {
    const database = new URL(server.db.url!).pathname.slice(1)
    const story = await server.db.prisma.story.findUniqueOrThrow({ where: { slug: SAMPLE } })
    const gid = encodeGlobalID('Story', story.id)
    const id = 'leaving-1'
    const trace = await storyTrace(server.db, story.id, [id])
    await holder.query('BEGIN')
    await holder.query('SELECT id FROM "Story" WHERE id = $1 FOR UPDATE', [story.id])
    try {
      const leaving = new AbortController()
      const request = post(
        server.origin,
        UPDATE_HEADLINE,
        { id: gid, version: story.version, headline: 'Left behind' },
        { ...editor, 'x-request-id': id },
        leaving.signal,
      )
      await until(async () => (await waitingOnLocks(holder, database, 'UPDATE%"Story"%')) === 1)
      leaving.abort()
      await expect(request).rejects.toThrow()
      await until(async () => (await waitingOnLocks(holder, database, 'UPDATE%"Story"%')) === 0)
    } finally {
      await holder.query('ROLLBACK')
    }
    expect(await storyTrace(server.db, story.id, [id])).toEqual(trace)
    const after = await post(
      server.origin,
      UPDATE_HEADLINE,
      { id: gid, version: story.version, headline: 'Saved instead' },
      editor,
    )
    expect(after.body.data?.updateStory).toEqual({
      __typename: 'Story',
      version: story.version + 1,
      headline: 'Saved instead',
    })
  })
})

describe('the pool', () => {
  it('has a statement_timeout a little above the request timeout: PostgreSQL ends a runaway statement', async () => {
    const scratch = await createTestDatabase('postgres')
    const db = await openDatabase({
      DATABASE_URL: scratch.url,
      DATA_DIR: 'memory://',
      DATABASE_POOL_MAX: 2,
      DATABASE_CONNECT_TIMEOUT_MS: 1_000,
      REQUEST_TIMEOUT_MS: 500,
    })
    try {
      expect(await db.prisma.$queryRaw`SHOW statement_timeout`).toEqual([
        { statement_timeout: `${500 + STATEMENT_TIMEOUT_MARGIN_MS}ms` },
      ])
      await expect(db.prisma.$queryRaw`SELECT pg_sleep(30)::text`).rejects.toThrow(/statement timeout/)
      expect(await db.prisma.$queryRaw`SELECT 1::int AS one`).toEqual([{ one: 1 }])
    } finally {
      await db.close()
      await scratch.drop()
    }
  })

  it('run dry by requests waiting on a lock fails the next request fast, and is whole again once they time out', async () => {
    const db = await createTestDatabase('postgres', { DATABASE_POOL_MAX: 1, DATABASE_CONNECT_TIMEOUT_MS: 300 })
    await seedSampleGraph(db.prisma)
    const app = createApp({
      db,
      logger: pino({ level: 'silent' }),
      config: { ...loadConfig(), ...NO_RATE_LIMITS, REQUEST_TIMEOUT_MS: 1_500 },
      schedule: false,
    })
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const holder = await connect(db.url!)
    try {
      const editor = await asRole('editor', 'pool-editor')
      const story = await db.prisma.story.findUniqueOrThrow({ where: { slug: SAMPLE } })
      await holder.query('BEGIN')
      await holder.query('SELECT id FROM "Story" WHERE id = $1 FOR UPDATE', [story.id])
      // the pool's one connection waits in the blocked mutation's transaction
      const blocked = post(
        origin,
        UPDATE_HEADLINE,
        { id: encodeGlobalID('Story', story.id), version: story.version, headline: 'Blocked' },
        editor,
      )
      const database = new URL(db.url!).pathname.slice(1)
      await until(async () => (await waitingOnLocks(holder, database, 'UPDATE%"Story"%')) === 1)
      const dry = await post(origin, '{ tag(slug: "gaza") { name } }')
      expect(dry.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['SERVICE_UNAVAILABLE', 'The database is not available right now; try again shortly.'],
      ])
      expect((await blocked).body.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT'])
      // the timed-out transaction gave its connection back, though the lock is still held
      await until(async () => (await post(origin, '{ tag(slug: "gaza") { name } }')).body.data?.tag?.name === 'Gaza')
    } finally {
      await holder.query('ROLLBACK').catch(() => {})
      await holder.end()
      await app.close()
      await db.drop()
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The database away: a server process behind a TCP proxy to PostgreSQL that the test takes down.

const STORY_PUBLISHED = `subscription Published($filter: LiveStoryFilter) {
  storyPublished(filter: $filter) { cursor kind story { id headline } }
}`
const UNAVAILABLE = {
  message: 'The database is not available right now; try again shortly.',
  extensions: { code: 'SERVICE_UNAVAILABLE' },
}

describe('the database away', () => {
  let admin: pg.Client
  let name: string
  let direct: string
  let proxy: TcpProxy
  let server: ServerProcess
  let editor: Record<string, string>
  const clients: Client[] = []

  beforeAll(async () => {
    // an empty database: the server migrates and seeds it itself, once it can reach it
    name = `news_faults_${Math.random().toString(16).slice(2, 10)}`
    admin = await connect(ADMIN_URL)
    await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(ADMIN_URL)
    url.pathname = `/${name}`
    direct = url.toString()
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
    await proxy.down()
    editor = await asRole('editor', 'outage-editor')
    server = await spawnServer({
      DATABASE_URL: proxy.via(direct),
      SEED_ON_START: 'true',
      LIVE_POLL_MS: '200',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      ...Object.fromEntries(Object.entries(NO_RATE_LIMITS).map(([k, v]) => [k, String(v)])),
    })
  }, 90_000)
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()))
    await server?.kill()
    await proxy?.close()
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin?.end()
  }, 30_000)

  it('at start: the server listens anyway, /ready is 503 and operations SERVICE_UNAVAILABLE; it becomes ready by itself once the database answers', async () => {
    expect((await fetch(`${server.origin}/health`)).status).toBe(200)
    expect((await fetch(`${server.origin}/ready`)).status).toBe(503)
    const query = await post(server.origin, `{ story(slug: "${SAMPLE}") { headline } }`)
    expect(query.status).toBe(200)
    expect(query.body).toEqual({ errors: [UNAVAILABLE] })
    // nothing ran, so no `data`: 503 where GraphQL over HTTP's own media type is accepted
    const spec = await post(
      server.origin,
      `{ story(slug: "${SAMPLE}") { headline } }`,
      {},
      { accept: GRAPHQL_RESPONSE },
    )
    expect(spec.status).toBe(503)
    expect(spec.body).toEqual({ errors: [UNAVAILABLE] })
    const write = await post(server.origin, UPDATE_HEADLINE, { id: 'x', version: 1, headline: 'x' }, editor)
    expect(write.body).toEqual({ errors: [UNAVAILABLE] })
    const subscription = sseStream(server.origin, STORY_PUBLISHED)
    await subscription.done
    expect(subscription.received).toEqual([{ errors: [UNAVAILABLE] }])
    await server.waitForLog((l) => l.msg === 'database not ready; retrying' && l.level === 40)

    await proxy.up()
    await until(async () => (await fetch(`${server.origin}/ready`)).status === 200, 30_000)
    const migrations = readdirSync(new URL('../../prisma/migrations', import.meta.url), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
    expect((await server.waitForLog((l) => l.msg === 'migrations applied')).applied).toEqual(migrations)
    await server.waitForLog((l) => l.msg === 'sample graph seeded')
    await server.waitForLog((l) => /^news graph ready/.test(l.msg))
    expect((await post(server.origin, `{ story(slug: "${SAMPLE}") { headline } }`)).body).toEqual({
      data: { story: { headline: 'Hamas says truce talks with Israel should restart next week' } },
    })
  }, 60_000)

  it('mid-run: /ready is 503 and operations SERVICE_UNAVAILABLE (logged under the request id) while it is away; subscriptions stay and get, once and in order, what committed meanwhile; the scheduler resumes', async () => {
    const tag = (await post(server.origin, '{ tag(slug: "gaza") { id } }')).body.data!.tag.id as string
    const variables = { filter: { tag: 'gaza' } }
    const ws = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 })
    clients.push(ws)
    const overSocket: any[] = []
    const socketErrors: unknown[] = []
    ws.subscribe(
      { query: STORY_PUBLISHED, variables },
      { next: (m) => overSocket.push(m), error: (e) => socketErrors.push(e), complete: () => {} },
    )
    const overSse = sseStream(server.origin, STORY_PUBLISHED, variables)

    const publishThroughServer = async (n: number | string) => {
      const created = await post(
        server.origin,
        CREATE_STORY,
        { input: { slug: `outage-${n}`, headline: `Outage story ${n}`, urgency: 2, tagIds: [tag] } },
        editor,
      )
      const { id, version } = created.body.data!.createStory
      const published = await post(server.origin, PUBLISH_STORY, { id, version }, editor)
      expect(published.body.data?.publishStory.__typename).toBe('Story')
      return id as string
    }
    // Both subscribers are listening once they have a story published after they subscribed:
    // stories until one reaches both (untilLive). Not with `since`: these must be following the
    // feed when the database goes, not reading the log as they start.
    const markers: string[] = []
    const idOf = (m: any) => m?.data?.storyPublished?.story?.id
    await untilLive(
      async () => (markers.push(await publishThroughServer(`first-${markers.length + 1}`)), markers.at(-1)!),
      (id) => idOf(overSocket.at(-1)) === id && idOf(overSse.received.at(-1)) === id,
    )
    // what each had by then: the last of the markers, and any before it that reached it
    const had = { socket: overSocket.length, sse: overSse.received.length }

    const linesBefore = server.lines.length
    await proxy.down()
    await until(async () => (await fetch(`${server.origin}/ready`)).status === 503)
    expect((await fetch(`${server.origin}/health`)).status).toBe(200)
    let away: Awaited<ReturnType<typeof post>> | null = null
    await until(async () => {
      away = await post(
        server.origin,
        `{ story(slug: "${SAMPLE}") { headline } }`,
        {},
        { 'x-request-id': `outage-read-${server.lines.length}` },
      )
      return away.body.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE'
    })
    expect(away!.body).toEqual({ data: { story: null }, errors: [{ ...UNAVAILABLE, path: ['story'] }] })
    // the log has the cause, under the id the response carried
    const requestId = away!.headers.get('x-request-id')
    const logged = await server.waitForLog((l) => l.requestId === requestId, linesBefore)
    expect(logged).toMatchObject({
      level: 50,
      msg: UNAVAILABLE.message,
      err: { message: expect.stringMatching(/Can't reach database server/) },
    })
    await server.waitForLog((l) => l.component === 'change-feed' && /cannot read/.test(l.msg), linesBefore)

    // meanwhile another server (this test, on the database directly, its scheduler off) publishes
    // one story, and schedules another for a moment later: the server's scheduler publishes that
    // one once it can
    const writerDb = await openDatabase({
      DATABASE_URL: direct,
      DATA_DIR: 'memory://',
      DATABASE_POOL_MAX: 2,
      DATABASE_CONNECT_TIMEOUT_MS: 1_000,
    })
    const writer = testApp(writerDb)
    let second: string
    let scheduled: string
    let at = new Date()
    try {
      const created = await writer.run(
        CREATE_STORY,
        { input: { slug: 'outage-2', headline: 'Outage story 2', urgency: 2, tagIds: [tag] } },
        editor,
      )
      const { id, version } = (created.data as any).createStory
      expect((await writer.run(PUBLISH_STORY, { id, version }, editor)).errors).toBeUndefined()
      second = id
      const later = await writer.run(
        CREATE_STORY,
        { input: { slug: 'outage-scheduled', headline: 'Scheduled in the outage', urgency: 2, tagIds: [tag] } },
        editor,
      )
      const story = (later.data as any).createStory
      at = new Date(Date.now() + 1_000)
      const publishing = await writer.run(
        PUBLISH_AT,
        { id: story.id, version: story.version, at: at.toISOString() },
        editor,
      )
      expect(publishing.data).toEqual({ publishStory: { __typename: 'Story', status: 'SCHEDULED' } })
      scheduled = story.id
    } finally {
      await writer.close()
      await writerDb.close()
    }
    expect(overSocket).toHaveLength(had.socket)
    await until(() => Date.now() > at.getTime())

    await proxy.up()
    await until(async () => (await fetch(`${server.origin}/ready`)).status === 200, 30_000)
    await until(() => overSocket.length === had.socket + 2 && overSse.received.length === had.sse + 2)
    await server.waitForLog((l) => l.component === 'change-feed' && /reading again/.test(l.msg), linesBefore)
    const reader = await connect(direct)
    try {
      const { rows } = await reader.query(
        `SELECT actor FROM "AuditEntry" WHERE "targetId" = $1 AND operation = 'publishScheduledStory'`,
        [decodeGlobalID(scheduled).id],
      )
      expect(rows).toEqual([{ actor: 'system:scheduler' }])
    } finally {
      await reader.end()
    }
    const third = await publishThroughServer(3)
    await until(() => overSocket.length === had.socket + 3 && overSse.received.length === had.sse + 3)

    for (const [received, before] of [
      [overSocket, had.socket],
      [overSse.received, had.sse],
    ] as const) {
      // the markers it got (the last `before` of them: once listening, it got every later one),
      // then the rest, each once and in order
      const expected = [...markers.slice(markers.length - before), second!, scheduled!, third]
      expect(received.map((m) => m.data.storyPublished.story.id)).toEqual(expected)
      const cursors = received.map((m) => BigInt(m.data.storyPublished.cursor))
      expect([...cursors].sort((a, b) => (a < b ? -1 : 1))).toEqual(cursors)
    }
    expect(socketErrors).toEqual([])
    expect(overSse.ended).toBe(false)
    expect(overSse.error).toBeNull()
    expect(server.child.exitCode).toBeNull()
    overSse.close()
  }, 90_000)
})

const CREATE_STORY = `mutation Create($input: StoryInput!) {
  createStory(input: $input) { __typename ... on Story { id version } ... on Error { code field message } }
}`
const PUBLISH_AT = `mutation PublishAt($id: ID!, $version: Int!, $at: DateTime) {
  publishStory(id: $id, version: $version, at: $at) { __typename ... on Story { status } ... on Error { code message } }
}`
const PUBLISH_STORY = `mutation Publish($id: ID!, $version: Int!) {
  publishStory(id: $id, version: $version) { __typename ... on Error { code message } }
}`
