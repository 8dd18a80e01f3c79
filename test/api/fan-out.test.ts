// Efficient fan-out (src/live/fan-out.ts): subscribers holding the same subscription share one
// execution of it. Against a listening server with real graphql-ws clients, the SQL sent to build
// a payload is the same for 50 subscribers as for one; two groups with different filters execute
// once each; a subscriber that leaves does not stop the others. Then the plugin on its own, with a
// stand-in subscribe: errors pass through, `since` is never shared, slow subscribers are cut off.
import { parse, type ExecutionResult } from 'graphql'
import { createClient, type Client } from 'graphql-ws'
import { envelop, type Plugin } from 'graphql-yoga'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { pino } from 'pino'
import { readChanges } from '../../src/live/change-feed.js'
import { shareKey, stableJson, useSharedSubscriptions } from '../../src/live/fan-out.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createApp } from '../../src/server/app.js'
import { asRole, listening } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { untilLive } from '../helpers/live.js'

let db: TestDatabase
let app: ReturnType<typeof createApp>
let url: string
let editor: Record<string, string>
let clients: Client[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  // The feed's poll is pushed out of the way: a change is read when a write pokes the feed, and
  // the count below holds that poke back until it starts counting.
  app = createApp({ db, logger: pino({ level: 'silent' }), live: { pollMs: 3_600_000, retentionDays: 7 } })
  url = `${(await listening(app)).slice('http://'.length)}/graphql`
  editor = await asRole('editor')
})
afterEach(async () => {
  await Promise.all(clients.map((c) => c.dispose()))
  clients = []
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

function wsClient(): Client {
  const client = createClient({ url: `ws://${url}`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false })
  clients.push(client)
  return client
}

interface Subscriber {
  received: any[]
  errors: unknown[]
  stop: () => void
}

function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Subscriber {
  const received: any[] = []
  const errors: unknown[] = []
  const stop = client.subscribe(
    { query, variables },
    {
      next: (m) => (m.errors ? errors.push(m.errors) : received.push(m.data)),
      error: (e) => errors.push(e),
      complete: () => {},
    },
  )
  return { received, errors, stop }
}

const until = (check: () => boolean) => expect.poll(check, { timeout: 20_000, interval: 20 }).toBe(true)

async function mutate(query: string, variables: Record<string, unknown>) {
  const response = await app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...editor },
    body: JSON.stringify({ query, variables }),
  })
  const { data, errors } = (await response.json()) as { data?: Record<string, any>; errors?: unknown }
  expect(errors).toBeUndefined()
  return data!
}

const ids = new Map<string, string>()
async function idOf(kind: 'tag' | 'person', slug: string): Promise<string> {
  const key = `${kind}:${slug}`
  if (!ids.has(key))
    ids.set(key, (await mutate(`query($s: String!) { ${kind}(slug: $s) { id } }`, { s: slug }))[kind].id)
  return ids.get(key)!
}

let storyCount = 0
/** An editor creates and publishes a story filed under `tags`, mentioning Donald Trump. */
async function publish(tags: string[]): Promise<string> {
  const tagIds = await Promise.all(tags.map((t) => idOf('tag', t)))
  const people = [{ id: await idOf('person', 'donald-trump'), relation: 'MENTIONS' }]
  const n = ++storyCount
  const created = await mutate(
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } ... on Error { code field message } } }`,
    { input: { slug: `fan-out-${n}`, headline: `Fan-out story ${n}`, urgency: 3, tagIds, people } },
  )
  const { id, version } = created.createStory
  await mutate(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, { id, v: version })
  return id
}

const STORY_PUBLISHED = `subscription Wire($filter: LiveStoryFilter) {
  storyPublished(filter: $filter) {
    cursor kind
    story { id headline tags { edges { node { slug } } } people { edges { relation node { slug name } } } }
  }
}`

/** The feed's own statements: reading the change log (and the state of the stories in it), pruning it. */
let feedSql: Set<string> | null = null
async function learnFeedSql(): Promise<Set<string>> {
  if (feedSql) return feedSql
  const lastStoryChange = await db.prisma.change.findFirst({ where: { objectType: 'Story' }, orderBy: { seq: 'desc' } })
  const start = db.statements.length
  await readChanges(db.prisma, lastStoryChange!.seq - 1n)
  feedSql = new Set(db.statements.slice(start))
  return feedSql
}
const isFeeds = (sql: string) => feedSql!.has(sql) || /"Change"/.test(sql)

/**
 * Publishes a story under `tags` and returns the SQL sent to build the payloads, from the moment
 * the publication has committed until every subscriber in `groups` has received it. The feed's
 * poke is held back while the story is written (and its poll is an hour away), so nothing the
 * publication sets off is sent before the count starts; the feed's own reads of the change log
 * are left out.
 */
async function payloadStatements(tags: string[], groups: Subscriber[][]): Promise<string[]> {
  await learnFeedSql()
  const before = groups.map((g) => g.map((s) => s.received.length))
  const held = vi.spyOn(app.feed, 'poke').mockResolvedValue()
  let headline: string
  try {
    const id = await publish(tags)
    headline = (await mutate(`query($id: ID!) { node(id: $id) { ... on Story { headline } } }`, { id })).node.headline
  } finally {
    held.mockRestore()
  }
  const start = db.statements.length
  void app.feed.poke()
  await until(() => groups.every((g, i) => g.every((s, j) => s.received.length === before[i][j] + 1)))
  const window = db.statements.slice(start)
  for (const group of groups) {
    for (const s of group) expect(s.received.at(-1).storyPublished.story.headline).toBe(headline)
  }
  return window.filter((sql) => !isFeeds(sql))
}

/** `n` subscribers on `filter`. */
const subscribe = (n: number, filter: Record<string, unknown>) =>
  Array.from({ length: n }, () => collect(wsClient(), STORY_PUBLISHED, { filter }))

/**
 * Publishes under `tags` until every subscriber's latest message is the story just published:
 * then each is subscribed, and nothing published earlier is still on its way (a subscription
 * delivers in order). Tells without a clock that all subscriptions have reached the server; they
 * share executions, so they cannot subscribe with `since` (../helpers/live.ts).
 */
async function settle(subs: Subscriber[], tags: string[]): Promise<void> {
  await untilLive(
    () => publish(tags),
    (id) => subs.every((s) => s.received.at(-1)?.storyPublished.story.id === id),
  )
  for (const s of subs) expect(s.errors).toEqual([])
}

// Each scenario has tags of its own, so that no group left over from an earlier one (whose source
// may still be winding down) matches what a later one publishes and counts.
describe('efficient fan-out over WebSocket', () => {
  let single = 0

  it('builds the payload once for 50 subscribers: the same statements as for one', async () => {
    const one = subscribe(1, { tag: 'gaza' })
    await settle(one, ['gaza'])
    const alone = await payloadStatements(['gaza'], [one])

    const fifty = subscribe(50, { tag: 'wildlife' })
    await settle(fifty, ['wildlife'])
    const shared = await payloadStatements(['wildlife'], [fifty])

    console.info(`payload statements: 1 subscriber ${alone.length}, 50 subscribers ${shared.length}`)
    expect(alone.length).toBeGreaterThan(0)
    expect(shared).toEqual(alone)
    single = alone.length

    const message = fifty[0].received.at(-1).storyPublished
    expect(message).toMatchObject({
      kind: 'story.published',
      story: {
        tags: { edges: [{ node: { slug: 'wildlife' } }] },
        people: { edges: [{ relation: 'MENTIONS', node: { slug: 'donald-trump' } }] },
      },
    })
    for (const s of fifty) expect(s.received.at(-1).storyPublished).toEqual(message)
  })

  it('executes once per group when two groups hold different filters', async () => {
    const ukraine = subscribe(10, { tag: 'ukraine' })
    const defence = subscribe(10, { tag: 'defence' })
    await settle([...ukraine, ...defence], ['ukraine', 'defence'])
    const statements = await payloadStatements(['ukraine', 'defence'], [ukraine, defence])
    console.info(`payload statements: 2 groups of 10 ${statements.length}`)
    expect(single).toBeGreaterThan(0)
    expect(statements.length).toBe(2 * single)
  })

  it('keeps serving the others when a subscriber leaves, the one that started the group too', async () => {
    const subs = subscribe(4, { tag: 'elections' })
    await settle(subs, ['elections'])
    const [first, second, ...rest] = subs
    first.stop() // the shared execution runs with the context of the subscriber that started it
    second.stop()
    const left = [first.received.length, second.received.length]
    await payloadStatements(['elections'], [rest])
    expect([first.received.length, second.received.length]).toEqual(left)
    for (const s of rest) s.stop()

    // once all have left, a newcomer on the same subscription is served
    const newcomer = subscribe(1, { tag: 'elections' })
    await settle(newcomer, ['elections'])
    expect(newcomer[0].errors).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// The plugin on its own

/** A source of results the test pushes, and whether it was closed. */
function source() {
  const pending: ((r: IteratorResult<ExecutionResult>) => void)[] = []
  const queued: ExecutionResult[] = []
  const state = { calls: 0, returned: false }
  const iterator: AsyncGenerator<ExecutionResult> = {
    next: () =>
      queued.length
        ? Promise.resolve({ value: queued.shift()!, done: false })
        : new Promise((resolve) => pending.push(resolve)),
    return: async () => {
      state.returned = true
      for (const resolve of pending.splice(0)) resolve({ value: undefined, done: true })
      return { value: undefined, done: true }
    },
    throw: async (e: unknown) => Promise.reject(e),
    [Symbol.asyncIterator]() {
      return this
    },
  } as unknown as AsyncGenerator<ExecutionResult>
  const push = (n: number, result: ExecutionResult = { data: { n } }) => {
    const resolve = pending.shift()
    if (resolve) resolve({ value: result, done: false })
    else queued.push(result)
  }
  return { iterator, push, state }
}

function harness(subscribe: (args: any) => unknown, maxQueue?: number) {
  const engine: Plugin = { onSubscribe: ({ setSubscribeFn }) => setSubscribeFn(subscribe as any) }
  const getEnveloped = envelop({ plugins: [engine, useSharedSubscriptions({ maxQueue }) as Plugin] })
  const document = parse(
    `subscription($since: String, $tag: String) { storyPublished(since: $since, filter: { tag: $tag }) { cursor } }`,
  )
  return (
    variables: Record<string, unknown> = {},
    viewer: { role: string } | null = null,
    sendSerialized?: (json: string) => void,
  ) =>
    getEnveloped().subscribe({
      schema: null as any,
      document,
      variableValues: variables,
      contextValue: { viewer, sendSerialized },
    }) as Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>
}

describe('useSharedSubscriptions', () => {
  it('keys by document, operation, variables (in any order) and role; never with a since cursor', () => {
    const doc = parse(
      `subscription S($since: String, $f: LiveStoryFilter) { storyPublished(since: $since, filter: $f) { cursor } }`,
    )
    const key = (vars: Record<string, unknown>, role?: string) =>
      shareKey(doc, 'S', vars, { viewer: role ? { sub: 'x', role: role as any } : null })
    expect(key({ f: { tag: 'a', language: 'en' } })).toBe(key({ f: { language: 'en', tag: 'a' } }))
    expect(key({ f: { tag: 'a' } })).not.toBe(key({ f: { tag: 'b' } }))
    expect(key({}, 'editor')).not.toBe(key({}))
    expect(key({ since: null })).not.toBeNull()
    expect(key({ since: '12' })).toBeNull()
    expect(shareKey(parse(`subscription { storyPublished(since: "12") { cursor } }`), null, {}, null)).toBeNull()
    expect(
      shareKey(parse(`subscription($s: String = "12") { storyPublished(since: $s) { cursor } }`), null, {}, null),
    ).toBeNull()
    expect(stableJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}')
  })

  it('multicasts one source, and closes it when the last subscriber leaves', async () => {
    const sources = [source(), source()]
    let calls = 0
    const subscribe = harness(() => sources[calls++].iterator)
    const a = (await subscribe({ tag: 'x' })) as AsyncGenerator<ExecutionResult>
    const b = (await subscribe({ tag: 'x' })) as AsyncGenerator<ExecutionResult>
    const editor = (await subscribe({ tag: 'x' }, { role: 'editor' })) as AsyncGenerator<ExecutionResult>
    expect(calls).toBe(2) // the editor's is a group of its own
    const [s, editors] = sources
    s.push(1)
    expect((await a.next()).value).toEqual({ data: { n: 1 } })
    expect((await b.next()).value).toEqual({ data: { n: 1 } })
    await a.return(undefined)
    s.push(2)
    expect((await b.next()).value).toEqual({ data: { n: 2 } })
    expect(s.state.returned).toBe(false)
    await b.return(undefined)
    expect(s.state.returned).toBe(true)
    expect(editors.state.returned).toBe(false)
    await editor.return(undefined)
    expect(editors.state.returned).toBe(true)
  })

  it('passes an error result to each subscriber as it is, and does not share a since cursor', async () => {
    const refused = { errors: [{ message: 'since must be a cursor' }] } as unknown as ExecutionResult
    let calls = 0
    const subscribe = harness(() => (calls++, refused))
    expect(await subscribe({ since: 'yesterday' })).toBe(refused)
    expect(await subscribe({ since: 'yesterday' })).toBe(refused)
    expect(calls).toBe(2)
    const [x, y] = await Promise.all([subscribe({}), subscribe({})])
    expect([x, y]).toEqual([refused, refused])
    expect(calls).toBe(3)
  })

  it('serialises a result once for the subscribers whose transport takes it serialised; errors, and what follows them, go the ordinary way', async () => {
    const s = source()
    const subscribe = harness(() => s.iterator)
    const sent: [string[], string[]] = [[], []]
    const sockets = (await Promise.all(
      sent.map((into) => subscribe({}, null, (json) => into.push(json))),
    )) as AsyncGenerator<ExecutionResult>[]
    const plain = (await subscribe()) as AsyncGenerator<ExecutionResult>
    const stringify = vi.spyOn(JSON, 'stringify')
    s.push(1)
    expect((await plain.next()).value).toEqual({ data: { n: 1 } })
    expect(stringify).toHaveBeenCalledTimes(1) // once, for both sockets
    stringify.mockRestore()
    expect(sent).toEqual([['{"data":{"n":1}}'], ['{"data":{"n":1}}']])
    // a subscriber that left is sent nothing more
    await sockets[1].return(undefined)
    s.push(2)
    expect((await plain.next()).value).toEqual({ data: { n: 2 } })
    expect(sent).toEqual([['{"data":{"n":1}}', '{"data":{"n":2}}'], ['{"data":{"n":1}}']])
    // a result with errors goes through the iterator (the envelope's hooks mask errors); after it,
    // that subscriber's results keep to the iterator, so none overtakes it
    const failed = { errors: [{ message: 'boom' }] } as unknown as ExecutionResult
    s.push(0, failed)
    s.push(3)
    expect((await sockets[0].next()).value).toBe(failed)
    expect((await sockets[0].next()).value).toEqual({ data: { n: 3 } })
    expect((await plain.next()).value).toBe(failed)
    expect(sent[0]).toEqual(['{"data":{"n":1}}', '{"data":{"n":2}}'])
    await Promise.all([plain.return(undefined), sockets[0].return(undefined)])
    expect(s.state.returned).toBe(true)
  })

  it('ends a subscriber that falls more than maxQueue results behind, and only that one', async () => {
    const s = source()
    const subscribe = harness(() => s.iterator, 3)
    const slow = (await subscribe()) as AsyncGenerator<ExecutionResult>
    const fast = (await subscribe()) as AsyncGenerator<ExecutionResult>
    for (let n = 1; n <= 4; n++) {
      s.push(n)
      expect((await fast.next()).value).toEqual({ data: { n } })
    }
    const cut = await slow.next()
    expect(JSON.stringify(cut.value)).toContain('SLOW_SUBSCRIBER')
    expect(await slow.next()).toEqual({ value: undefined, done: true })
    s.push(5)
    expect((await fast.next()).value).toEqual({ data: { n: 5 } })
    await fast.return(undefined)
    expect(s.state.returned).toBe(true)
  })
})
