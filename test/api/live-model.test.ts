// A model-based test of the live streams: random sequences of editor operations (stories created,
// edited, published now or later, corrected, retracted, withdrawn; an event's status and schedule;
// tags and people renamed), while subscribers of every subscription kind, with varied filters,
// listen. Each subscriber has a twin that never drops; the subscriber itself drops its socket and
// resumes with `since` at random points. At the end every resumed stream must equal its twin
// element by element, and equal a replay of the whole log; and no public stream may carry a change
// the model says the public could not see when it committed.
//
// On PostgreSQL the subscribers are split between two processes, the writer's and a second server
// process, which hears of commits through Redis.
import fc from 'fast-check'
import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { asRole, listening, testApp } from '../helpers/api.js'
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js'
import { latestCursor } from '../helpers/live.js'
import { editorOpArb, Newsroom, type EditorOp } from '../helpers/newsroom-model.js'
import { spawnServer, type ServerProcess } from '../helpers/server-process.js'

const REDIS_URL = 'redis://127.0.0.1:6379'
const crossProcess = TEST_DB === 'postgres'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let other: ServerProcess | null = null
let editor: Record<string, string>
const urls: string[] = []
const clients = new Set<Client>()

let newsroom: Newsroom

async function write(query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const { data, errors } = await app.run<Record<string, any>, Record<string, unknown>>(query, variables, editor)
  expect(errors, JSON.stringify(errors)).toBeUndefined()
  return Object.values(data!)[0] as Record<string, any>
}

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db, { settings: crossProcess ? { REDIS_URL } : {} })
  urls.push(`${(await listening(app)).replace('http', 'ws')}/graphql`)
  editor = await asRole('editor')
  newsroom = await new Newsroom(db, write).open()
  if (crossProcess) {
    other = await spawnServer({ DATABASE_URL: db.url!, REDIS_URL, SEED_ON_START: 'false', LIVE_POLL_MS: '60000' })
    urls.push(other.wsUrl)
  }
}, 90_000)

afterAll(async () => {
  await Promise.all([...clients].map((c) => c.dispose()))
  await other?.kill()
  await app?.close()
  await db?.drop()
})

// ---------------------------------------------------------------------------------------------
// Subscribers

interface Spec {
  name: string
  query: string
  variables: Record<string, unknown>
  /** the editor's token, or none for the public */
  editor?: boolean
  /** may carry withdrawals of stories the public had read */
  notices?: boolean
}

const STORY_FACTS = `cursor kind statusChange { from to } urgency language withdrawalReason correctionKind scheduledFor`
const specs = (target: string): Spec[] => [
  {
    name: 'breakingNews',
    query: `subscription($since: String) { breakingNews(minUrgency: 3, since: $since) { ${STORY_FACTS} } }`,
    variables: {},
  },
  {
    name: 'breakingNews tags',
    query: `subscription($since: String) { breakingNews(minUrgency: 9, tags: ["model-b"], since: $since) { ${STORY_FACTS} } }`,
    variables: {},
  },
  {
    name: 'breakingNews sv',
    query: `subscription($since: String) { breakingNews(minUrgency: 9, language: "sv", since: $since) { ${STORY_FACTS} } }`,
    variables: {},
  },
  {
    name: 'storyPublished',
    query: `subscription($since: String) { storyPublished(since: $since) { ${STORY_FACTS} } }`,
    variables: {},
  },
  {
    name: 'storyPublished tag',
    query: `subscription($since: String) { storyPublished(filter: { tag: "model-a" }, since: $since) { ${STORY_FACTS} } }`,
    variables: {},
  },
  {
    name: 'storyUpdated',
    query: `subscription($id: ID!, $since: String) { storyUpdated(id: $id, since: $since) { ${STORY_FACTS} } }`,
    variables: { id: target },
    notices: true,
  },
  {
    name: 'correctionPublished',
    query: `subscription($since: String) { correctionPublished(since: $since) { ${STORY_FACTS} } }`,
    variables: {},
    notices: true,
  },
  {
    name: 'correctionPublished person',
    query: `subscription($since: String) { correctionPublished(filter: { person: "model-person" }, since: $since) { ${STORY_FACTS} } }`,
    variables: {},
    notices: true,
  },
  {
    name: 'eventUpdated',
    query: `subscription($since: String) { eventUpdated(slug: "model-talks", since: $since) { cursor kind statusChange { from to note at expectedStart { from to precision } } scheduleChange { from { expectedStart { from to precision } startAt } to { expectedStart { from to precision } startAt } } } }`,
    variables: {},
  },
  {
    name: 'eventTimeline',
    query: `subscription($since: String) { eventTimeline(slug: "model-talks", since: $since) { cursor kind } }`,
    variables: {},
  },
  {
    name: 'changeLog (editor)',
    query: `subscription($since: String) { changeLog(since: $since) { cursor kind objectId topics facts } }`,
    variables: {},
    editor: true,
  },
  {
    name: 'breakingNews (editor)',
    query: `subscription($since: String) { breakingNews(minUrgency: 9, since: $since) { ${STORY_FACTS} } }`,
    variables: {},
    editor: true,
  },
]

/** One subscription, on its own socket; `drop` closes the socket, `resume` reconnects with the last cursor. */
class Subscriber {
  received: Record<string, any>[] = []
  errors: unknown[] = []
  private client: Client | null = null

  constructor(
    readonly spec: Spec,
    private readonly url: string,
    private readonly since: string,
  ) {}

  get cursor(): string {
    const last = this.received.at(-1)
    return last ? (Object.values(last)[0] as { cursor: string }).cursor : this.since
  }

  get connected() {
    return this.client !== null
  }

  async connect() {
    const client = createClient({
      url: this.url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: this.spec.editor ? { authorization: editor.authorization } : undefined,
    })
    clients.add(client)
    this.client = client
    // a message the dropped socket still delivers is not this subscription's: it resumes after
    // the last one it had when it reconnected
    const mine = () => this.client === client
    client.subscribe(
      { query: this.spec.query, variables: { ...this.spec.variables, since: this.cursor } },
      {
        next: (m) =>
          mine() && (m.errors ? this.errors.push(m.errors) : this.received.push(m.data as Record<string, any>)),
        error: (e) => mine() && this.errors.push(e),
        complete: () => {},
      },
    )
  }

  async drop() {
    const client = this.client!
    this.client = null
    clients.delete(client)
    await client.dispose()
  }
}

// ---------------------------------------------------------------------------------------------
// The operations: the editor's (test/helpers/newsroom-model.ts), and subscribers dropping and resuming

type Drop = { kind: 'drop' | 'resume'; subscriber: number }
type Op = EditorOp | Drop
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: editorOpArb },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('drop' as const, 'resume' as const), subscriber: fc.nat() }),
  },
)

const isDrop = (op: Op): op is Drop => op.kind === 'drop' || op.kind === 'resume'

async function apply(op: Op, subscribers: Subscriber[]) {
  if (!isDrop(op)) return newsroom.apply(op)
  const s = subscribers[op.subscriber % subscribers.length]!
  if (op.kind === 'drop' && s.connected) await s.drop()
  if (op.kind === 'resume' && !s.connected) await s.connect()
}

// ---------------------------------------------------------------------------------------------

/** The cursor of each message a stream got. */
const cursors = (s: Subscriber) => s.received.map((m) => (Object.values(m)[0] as { cursor: string }).cursor)

async function runSequence(ops: Op[]) {
  const run = newsroom
  await run.begin()
  // the story storyUpdated follows, public from the start
  const target = await run.create(
    { kind: 'create', urgency: 2, sv: false, tags: [true, true], person: true, event: true },
    true,
  )
  await run.apply({ kind: 'publish', story: 0, urgency: 2 })
  const start = await latestCursor(db)
  const all = specs(target.id)
  const twins = all.map((spec, i) => new Subscriber(spec, urls[i % urls.length]!, start))
  const droppers = all.map((spec, i) => new Subscriber(spec, urls[(i + 1) % urls.length]!, start))
  for (const s of [...twins, ...droppers]) await s.connect()
  // the in-process server's twins are live before the first write (the others resume from `start`)
  await expect
    .poll(() => app.feed.subscribers, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(Math.ceil(all.length / urls.length) * 2)

  for (const op of ops) await apply(op, droppers)
  for (const s of droppers) if (!s.connected) await s.connect()

  // the end: a correction of the target, then a story every other stream hears of, published and corrected
  await run.apply({ kind: 'correct', story: run.stories.indexOf(target), urgency: 1 })
  const targetCorrected = await latestCursor(db)
  const marker = await run.create({
    kind: 'create',
    urgency: 1,
    sv: true,
    tags: [true, true],
    person: true,
    event: true,
  })
  await run.apply({ kind: 'publish', story: run.stories.indexOf(marker), urgency: 1 })
  const published = await latestCursor(db)
  await run.apply({ kind: 'correct', story: run.stories.indexOf(marker), urgency: 1 })
  const end = await latestCursor(db)
  const lastFor: Record<string, string> = {
    breakingNews: end,
    'breakingNews tags': end,
    'breakingNews sv': end,
    storyPublished: published,
    'storyPublished tag': published,
    storyUpdated: targetCorrected,
    correctionPublished: end,
    'correctionPublished person': end,
    eventUpdated: published,
    eventTimeline: end,
    'changeLog (editor)': end,
    'breakingNews (editor)': end,
  }
  // a replay of the whole log, opened now
  const replays = all.map((spec, i) => new Subscriber(spec, urls[i % urls.length]!, start))
  for (const s of replays) await s.connect()

  for (const [i, spec] of all.entries()) {
    const want = lastFor[spec.name]!
    for (const s of [twins[i]!, droppers[i]!, replays[i]!]) {
      await expect
        .poll(() => s.cursor, { timeout: 20_000, message: `${spec.name}: the stream reaches the end marker` })
        .toBe(want)
      expect(s.errors, spec.name).toEqual([])
    }
    expect(droppers[i]!.received, `${spec.name}: resumed = never dropped`).toEqual(twins[i]!.received)
    expect(replays[i]!.received, `${spec.name}: replay = live`).toEqual(twins[i]!.received)
    if (!spec.editor) {
      const allowed = new Set([...run.publicSeqs, ...(spec.notices ? run.noticeSeqs : [])])
      for (const [j, cursor] of cursors(twins[i]!).entries()) {
        const message = Object.values(twins[i]!.received[j]!)[0] as { kind: string }
        if (message.kind.startsWith('event.')) continue
        expect(allowed.has(cursor), `${spec.name}: ${message.kind} at ${cursor} was not public when it committed`).toBe(
          true,
        )
      }
    }
  }
  for (const s of [...twins, ...droppers, ...replays]) await s.drop()
}

describe('live streams, resumed at random points', () => {
  it('equal the never-dropped stream, and carry nothing the public could not see', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 30 }), async (ops) => runSequence(ops)),
      { numRuns: 4, seed: 1206, endOnFailure: true },
    )
  }, 300_000)

  it('a draft edited before its publication: the resumed stream holds the publication only, as the live one', async () => {
    const run = newsroom
    await run.begin()
    const start = await latestCursor(db)
    const spec = specs('')[0]!
    const live = new Subscriber(spec, urls[0]!, start)
    await live.connect()
    const story = await run.create({
      kind: 'create',
      urgency: 1,
      sv: false,
      tags: [false, false],
      person: false,
      event: false,
    })
    await run.apply({ kind: 'edit', story: 0, urgency: 1 })
    await run.apply({ kind: 'publish', story: 0, urgency: 1 })
    await run.apply({ kind: 'withdraw', story: 0, urgency: 1 })
    const resumed = new Subscriber(spec, urls[urls.length - 1]!, start)
    await resumed.connect()
    await expect.poll(() => resumed.received.length, { timeout: 15_000 }).toBe(1)
    await expect.poll(() => live.received.length, { timeout: 15_000 }).toBe(1)
    expect(resumed.received).toEqual(live.received)
    expect(resumed.received[0]!.breakingNews).toMatchObject({
      kind: 'story.published',
      statusChange: { from: 'DRAFT', to: 'PUBLISHED' },
    })
    // the publication withdrawn since: still there, followed by its withdrawal, for those that strike
    const corrections = new Subscriber(specs(story.id)[5]!, urls[0]!, start)
    await corrections.connect()
    await expect
      .poll(() => corrections.received.map((m) => m.storyUpdated.kind), { timeout: 15_000 })
      .toEqual(['story.published', 'story.withdrawn'])
    expect(corrections.received[1]!.storyUpdated).toMatchObject({
      statusChange: { from: 'PUBLISHED', to: 'WITHDRAWN' },
      withdrawalReason: expect.stringMatching(/^Reason/),
    })
    for (const s of [live, resumed, corrections]) await s.drop()
  })
})
