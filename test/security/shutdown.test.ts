// Graceful shutdown of a server process (src/server/shutdown.ts) on SIGTERM, observed from outside
// as a load balancer and clients see it: the listening socket closes at once (a new connection is
// refused) and a readiness probe already on the wire gets 503; WebSockets are closed with 1001
// and SSE streams end; a mutation in flight (held up by a row lock the test holds) still gets its
// whole answer, and its whole write lands; then the process exits 0. And when in-flight work
// outlasts SHUTDOWN_TIMEOUT_MS, the process says what was running and exits 1, its write undone.
import { createConnection, type Socket } from 'node:net'
import { encodeGlobalID } from '@pothos/plugin-relay'
import type { GraphQLFormattedError } from 'graphql'
import { createClient } from 'graphql-ws'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { latestCursor } from '../helpers/live.js'
import { spawnServer, type ServerProcess } from '../helpers/server-process.js'
import { sseStream } from '../helpers/sse.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'

const UPDATE_HEADLINE = `mutation UpdateHeadline($id: ID!, $version: Int!, $headline: String!) {
  updateStory(id: $id, version: $version, input: { headline: $headline }) {
    __typename
    ... on Story { version headline }
    ... on Error { code message }
  }
}`
const CREATE_STORY = `mutation Create($input: StoryInput!) {
  createStory(input: $input) { __typename ... on Story { id version } ... on Error { code field message } }
}`
const PUBLISH_STORY = `mutation Publish($id: ID!, $version: Int!) {
  publishStory(id: $id, version: $version) { __typename ... on Error { code message } }
}`
const STORY_PUBLISHED = `subscription Published($filter: LiveStoryFilter, $since: String) {
  storyPublished(filter: $filter, since: $since) { cursor kind story { id headline } }
}`

interface Body {
  data?: Record<string, any> | null
  errors?: GraphQLFormattedError[]
}

let db: TestDatabase
let holder: pg.Client
let editor: Record<string, string>
let database: string
const servers: ServerProcess[] = []

beforeAll(async () => {
  db = await createTestDatabase('postgres')
  await seedSampleGraph(db.prisma)
  database = new URL(db.url!).pathname.slice(1)
  holder = new pg.Client({ connectionString: db.url })
  holder.on('error', () => {})
  await holder.connect()
  editor = await asRole('editor', 'shutdown-editor')
})
afterEach(async () => {
  await holder.query('ROLLBACK').catch(() => {})
})
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()))
  await holder?.end()
  await db?.drop()
}, 30_000)

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer({
    DATABASE_URL: db.url!,
    SEED_ON_START: 'false',
    LIVE_POLL_MS: '200',
    RATE_LIMIT_PUBLIC_POINTS: '0',
    RATE_LIMIT_EDITOR_POINTS: '0',
    ...env,
  })
  servers.push(server)
  await server.waitForLog((l) => /^news graph ready/.test(l.msg))
  return server
}

async function post(
  origin: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body }
}

/** Holds the story's row lock from the test's connection, so a write to it waits. */
async function lockStory(id: string) {
  await holder.query('BEGIN')
  await holder.query('SELECT id FROM "Story" WHERE id = $1 FOR UPDATE', [id])
}

/** Whether the server's UPDATE of a story is waiting for the lock. */
async function updateWaiting(): Promise<boolean> {
  await holder.query('SELECT pg_stat_clear_snapshot()') // read pg_stat_activity afresh in this transaction
  const { rows } = await holder.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'UPDATE%"Story"%'`,
    [database],
  )
  return rows[0].n === 1
}

/** What a write to the story left: the story, its revisions, audit entries and change-log rows. */
async function trace(storyId: string, requestId: string) {
  return {
    story: await db.prisma.story.findUniqueOrThrow({
      where: { id: storyId },
      select: { headline: true, version: true },
    }),
    revisions: await db.prisma.storyRevision.findMany({
      where: { storyId },
      select: { version: true, requestId: true },
      orderBy: { version: 'asc' },
    }),
    audit: await db.prisma.auditEntry.findMany({ where: { requestId }, select: { operation: true, targetId: true } }),
    changes: await db.prisma.change.findMany({
      where: { objectId: storyId },
      select: { kind: true },
      orderBy: { seq: 'asc' },
    }),
  }
}

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.once('connect', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Everything the server sends on `socket` until it closes it. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    socket.on('data', (chunk) => (text += chunk.toString()))
    socket.on('error', () => {})
    socket.once('close', () => resolve(text))
  })
}

const until = (check: () => Promise<boolean> | boolean, timeout = 10_000) =>
  expect.poll(check, { timeout, interval: 25 }).toBe(true)

describe('SIGTERM', () => {
  it('drains: new connections refused and /ready 503 at once, WebSockets closed 1001, SSE ended, the write in flight answered and whole, then exit 0', async () => {
    const server = await start()
    const tag = (await post(server.origin, '{ tag(slug: "gaza") { id } }')).body.data!.tag.id as string

    // live subscribers, over WebSocket and SSE, shown to be listening by a first publication;
    // from the newest cursor, so that it reaches them however late they subscribe
    const variables = { filter: { tag: 'gaza' }, since: await latestCursor(db) }
    const closes: number[] = []
    const socketErrors: unknown[] = []
    const overSocket: unknown[] = []
    const ws = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    })
    ws.subscribe(
      { query: STORY_PUBLISHED, variables },
      { next: (m) => overSocket.push(m), error: (e) => socketErrors.push(e), complete: () => {} },
    )
    const overSse = sseStream(server.origin, STORY_PUBLISHED, variables)
    const created = await post(
      server.origin,
      CREATE_STORY,
      { input: { slug: 'before-shutdown', headline: 'Before the shutdown', urgency: 2, tagIds: [tag] } },
      editor,
    )
    const { id: publishedId, version: publishedVersion } = created.body.data!.createStory
    expect(
      (await post(server.origin, PUBLISH_STORY, { id: publishedId, version: publishedVersion }, editor)).body.data
        ?.publishStory.__typename,
    ).toBe('Story')
    await until(() => overSocket.length === 1 && overSse.received.length === 1)

    // a mutation in flight: it waits for the story's row lock, which the test holds
    const story = await db.prisma.story.findUniqueOrThrow({ where: { slug: SAMPLE } })
    const requestId = 'shutdown-in-flight-1'
    const before = await trace(story.id, requestId)
    await lockStory(story.id)
    let answered = false
    const inFlight = post(
      server.origin,
      UPDATE_HEADLINE,
      { id: encodeGlobalID('Story', story.id), version: story.version, headline: 'Written across a shutdown' },
      {
        ...editor,
        'x-request-id': requestId,
      },
    ).finally(() => (answered = true))
    await until(updateWaiting)

    // a readiness probe on the wire: connected, its request not yet complete
    const probe = await connectTo(server.port)
    const probeAnswer = readUntilClosed(probe)
    probe.write('GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n')

    const linesBefore = server.lines.length
    server.child.kill('SIGTERM')
    await server.waitForLog((l) => l.msg === 'shutting down' && l.reason === 'SIGTERM', linesBefore)

    // at once: a new connection is refused; the probe already on the wire is told 503
    await expect(connectTo(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    probe.write('\r\n')
    const answer = await probeAnswer
    expect(answer).toMatch(/^HTTP\/1\.1 503 /)
    expect(answer.toLowerCase()).toContain('connection: close')

    // WebSockets closed with 1001 (going away); the SSE stream completed
    await until(() => closes.length === 1)
    expect(closes).toEqual([1001])
    expect(socketErrors).toHaveLength(1)
    await overSse.done
    expect(overSse.ended).toBe(true)
    expect(overSse.error).toBeNull()
    expect(overSse.events.at(-1)).toMatch(/^event: complete/)

    // the mutation is still waiting for the lock, and the process for the mutation
    expect(answered).toBe(false)
    expect(server.child.exitCode).toBeNull()
    await holder.query('ROLLBACK')

    const response = await inFlight
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      data: { updateStory: { __typename: 'Story', version: story.version + 1, headline: 'Written across a shutdown' } },
    })
    expect(response.headers.get('x-request-id')).toBe(requestId)
    expect(response.headers.get('connection')).toBe('close')
    expect(await server.exited).toBe(0)

    // the write is whole: the story, its revision, its audit entry and its change-log row
    expect(await trace(story.id, requestId)).toEqual({
      story: { headline: 'Written across a shutdown', version: story.version + 1 },
      revisions: [...before.revisions, { version: story.version + 1, requestId }],
      audit: [{ operation: 'updateStory', targetId: story.id }],
      changes: [...before.changes, { kind: 'story.updated' }],
    })
    const logged = server.lines.slice(linesBefore).map((l) => l.msg)
    expect(logged).toContain('shut down')
    expect(logged).not.toContain('shutdown timed out; exiting with work still running')
    await ws.dispose()
  }, 60_000)

  it('exits 1 after SHUTDOWN_TIMEOUT_MS, logging what was still running; the unfinished write is undone, not cut in half', async () => {
    const server = await start({ SHUTDOWN_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '120000' })
    const story = await db.prisma.story.findUniqueOrThrow({ where: { slug: SAMPLE } })
    const requestId = 'shutdown-stuck-1'
    const before = await trace(story.id, requestId)
    await lockStory(story.id)
    // its answer never comes: the connection closes with the process
    const outcome = post(
      server.origin,
      UPDATE_HEADLINE,
      { id: encodeGlobalID('Story', story.id), version: story.version, headline: 'Never finished' },
      {
        ...editor,
        'x-request-id': requestId,
      },
    ).catch((error: unknown) => error)
    await until(updateWaiting)

    const linesBefore = server.lines.length
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(1)
    expect(await outcome).toBeInstanceOf(TypeError) // fetch failed
    const timedOut = server.lines
      .slice(linesBefore)
      .find((l) => l.msg === 'shutdown timed out; exiting with work still running')
    expect(timedOut).toMatchObject({ level: 50, timeoutMs: 1500, connections: 1, websockets: 0 })
    expect(timedOut!.operations).toEqual([{ requestId, operation: 'mutation UpdateHeadline', ms: expect.any(Number) }])

    await holder.query('ROLLBACK')
    // its connection went with the process: PostgreSQL rolls the transaction back
    expect(await trace(story.id, requestId)).toEqual(before)
  }, 60_000)
})
