// Subscriptions against a listening server, with a real graphql-ws client (and SSE): matching
// subscribers get what commits, others do not, and a reconnect with a cursor misses nothing.
import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { pruneChangeLog } from '../../src/live/change-feed.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, listening, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { latestCursor } from '../helpers/live.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let url: string
let editor: Record<string, string>
const clients: Client[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  app = testApp(db)
  url = `${(await listening(app)).slice('http://'.length)}/graphql`
  editor = await asRole('editor')
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()))
  await app?.close()
  await db?.drop()
})

function wsClient(connectionParams?: Record<string, unknown>): Client {
  const client = createClient({
    url: `ws://${url}`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
  })
  clients.push(client)
  return client
}

/** Subscribes and collects every message; `stop` ends the subscription. */
function collect<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: T[] = []
  const errors: unknown[] = []
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (m) => (m.errors ? errors.push(m.errors) : received.push(m.data as T)),
      error: (e) => errors.push(e),
      complete: () => {},
    },
  )
  return { received, errors, stop }
}

const until = (check: () => boolean) => expect.poll(check, { timeout: 10_000, interval: 25 }).toBe(true)

async function mutate(query: string, variables: Record<string, unknown>) {
  const { data, errors } = await app.run(query, variables, editor)
  expect(errors).toBeUndefined()
  return data as Record<string, any>
}

let storyCount = 0
/** An editor creates and publishes a story filed under `tag` (a slug); returns its global id. */
async function publish(tag: string, urgency = 2): Promise<string> {
  const t = await mutate(`query($s: String!) { tag(slug: $s) { id } }`, { s: tag })
  const slug = `live-${++storyCount}-${tag}`
  const created = await mutate(
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } ... on Error { code field message } } }`,
    { input: { slug, headline: `Live story ${storyCount}`, urgency, tagIds: [t.tag.id] } },
  )
  const { id, version } = created.createStory
  await mutate(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, { id, v: version })
  return id
}

const STORY_PUBLISHED = `subscription($filter: LiveStoryFilter, $since: String) {
  storyPublished(filter: $filter, since: $since) { cursor kind story { headline tags { edges { node { slug } } } } }
}`

describe('live subscriptions over WebSocket', () => {
  it('delivers a published story to a matching subscriber, and not to others', async () => {
    // from the newest change on: what commits next reaches them, however late they subscribe
    const since = await latestCursor(db)
    const gaza = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'gaza' }, since })
    const wildlife = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'wildlife' }, since })
    await publish('gaza')
    await publish('wildlife')
    await until(() => gaza.received.length === 1 && wildlife.received.length === 1)
    expect(gaza.received[0].storyPublished).toMatchObject({
      kind: 'story.published',
      story: { tags: { edges: [{ node: { slug: 'gaza' } }] } },
    })
    expect(wildlife.received[0].storyPublished.story.tags.edges[0].node.slug).toBe('wildlife')
    // a later gaza story: had the wildlife one reached the gaza subscriber, it would have come first
    await publish('gaza')
    await until(() => gaza.received.length === 2)
    expect(gaza.received.map((m) => m.storyPublished.story.tags.edges[0].node.slug)).toEqual(['gaza', 'gaza'])
    expect(wildlife.received).toHaveLength(1)
    expect(gaza.errors).toEqual([])
  })

  it('pushes an event status change to eventUpdated', async () => {
    const sub = collect(
      wsClient(),
      `subscription($since: String) { eventUpdated(slug: "gaza-ceasefire-talks-2025", since: $since) { kind cursor event { status } } }`,
      {
        since: await latestCursor(db),
      },
    )
    const { event } = await mutate(`{ event(slug: "gaza-ceasefire-talks-2025") { id version } }`, {})
    await mutate(
      `mutation($e: ID!, $v: Int!) { changeEventStatus(eventId: $e, version: $v, to: RESUMED, note: "Back at the table") { __typename } }`,
      { e: event.id, v: event.version },
    )
    await until(() => sub.received.length === 1)
    expect(sub.received[0].eventUpdated).toMatchObject({ kind: 'event.status_changed', event: { status: 'RESUMED' } })
  })

  it('names, for a story about two events, the event each subscriber asked for', async () => {
    const talks = (await mutate(`{ event(slug: "gaza-ceasefire-talks-2025") { id } }`, {})).event.id
    const { createEvent } = await mutate(
      `mutation($input: CreateEventInput!) { createEvent(input: $input) { ... on Event { id } ... on Error { code message } } }`,
      { input: { slug: 'hostage-exchange-2025', name: 'Hostage exchange' } },
    )
    // after the event's creation: the story's publication is the first change either may receive
    const since = await latestCursor(db)
    const onTalks = collect(
      wsClient(),
      `subscription($since: String) { eventUpdated(slug: "gaza-ceasefire-talks-2025", since: $since) { kind event { slug } story { headline } } }`,
      {
        since,
      },
    )
    const onExchange = collect(
      wsClient(),
      `subscription($id: ID!, $since: String) { eventUpdated(id: $id, since: $since) { kind event { slug } story { headline } } }`,
      {
        id: createEvent.id,
        since,
      },
    )
    const created = await mutate(
      `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } ... on Error { code field message } } }`,
      {
        input: {
          slug: 'talks-and-exchange',
          headline: 'Talks resume as an exchange is agreed',
          events: [{ id: talks }, { id: createEvent.id }],
        },
      },
    )
    await mutate(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, {
      id: created.createStory.id,
      v: created.createStory.version,
    })
    await until(() => onTalks.received.length === 1 && onExchange.received.length === 1)
    expect(onTalks.received[0].eventUpdated).toEqual({
      kind: 'story.published',
      event: { slug: 'gaza-ceasefire-talks-2025' },
      story: { headline: 'Talks resume as an exchange is agreed' },
    })
    expect(onExchange.received[0].eventUpdated).toEqual({
      kind: 'story.published',
      event: { slug: 'hostage-exchange-2025' },
      story: { headline: 'Talks resume as an exchange is agreed' },
    })
  })

  it('after a drop, a resubscription with the last cursor yields every missed change once, in order', async () => {
    const first = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'ceasefire' }, since: await latestCursor(db) })
    await publish('ceasefire')
    await until(() => first.received.length === 1)
    const cursor = first.received[0].storyPublished.cursor
    first.stop()

    const missed = [await publish('ceasefire'), await publish('gaza'), await publish('ceasefire')]
    const resumed = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'ceasefire' }, since: cursor })
    await until(() => resumed.received.length === 2)
    const later = await publish('ceasefire')
    await until(() => resumed.received.length === 3)
    // nothing twice: a duplicate of a replayed change would come before a change published last
    const last = await publish('ceasefire')
    await until(() => resumed.received.length === 4)

    const headlines = resumed.received.map((m) => m.storyPublished.story.headline)
    const ids = await Promise.all(
      [missed[0], missed[2], later, last].map(
        async (id) =>
          (await mutate(`query($id: ID!) { node(id: $id) { ... on Story { headline } } }`, { id })).node.headline,
      ),
    )
    expect(headlines).toEqual(ids)
    const cursors = resumed.received.map((m) => BigInt(m.storyPublished.cursor))
    expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : 1)))
    expect(cursors.every((c) => c > BigInt(cursor))).toBe(true)
  })

  it('lets go of the feed as soon as a subscriber leaves, even while nothing matches', async () => {
    const before = app.feed.subscribers
    const sub = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'no-such-tag' } })
    await until(() => app.feed.subscribers === before + 1)
    sub.stop()
    await until(() => app.feed.subscribers === before)
  })

  it('publishes nothing for a write that failed and was rolled back', async () => {
    const log = collect(wsClient(editor), `subscription($since: String) { changeLog(since: $since) { cursor kind } }`, {
      since: await latestCursor(db),
    })
    const { event } = await mutate(`{ event(slug: "gaza-ceasefire-talks-2025") { id version } }`, {})
    const stale = await app.run(
      `mutation($e: ID!, $v: Int!) { changeEventStatus(eventId: $e, version: $v, to: CANCELLED) { __typename } }`,
      { e: event.id, v: event.version - 1 },
      editor,
    )
    expect(stale.data).toEqual({ changeEventStatus: { __typename: 'Conflict' } })
    await publish('gaza')
    await until(() => log.received.length >= 2)
    expect(log.received.map((m) => m.changeLog.kind)).toEqual(['story.created', 'story.published'])
  })

  it('refuses a cursor older than what the log keeps, and resumes from its horizon', async () => {
    const first = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'health' }, since: await latestCursor(db) })
    await publish('health')
    await publish('health')
    await until(() => first.received.length === 2)
    const [older, newer] = first.received.map((m) => m.storyPublished.cursor)
    // prune everything so far: the newest pruned change is the horizon
    await pruneChangeLog(db.prisma, new Date(Date.now() + 1_000))
    const horizon = (await db.prisma.changeLogHorizon.findUniqueOrThrow({ where: { id: 1 } })).prunedThru
    expect(horizon >= BigInt(newer)).toBe(true)

    const expired = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'health' }, since: older })
    await until(() => expired.errors.length === 1)
    expect(JSON.stringify(expired.errors[0])).toContain('CURSOR_EXPIRED')

    // from the horizon (the log holds nothing after it yet): the next story, whenever it subscribes
    const fromHorizon = collect(wsClient(), STORY_PUBLISHED, { filter: { tag: 'health' }, since: horizon.toString() })
    await publish('health')
    await until(() => fromHorizon.received.length === 1)
    expect(fromHorizon.errors).toEqual([])
  })

  it('refuses a bad cursor with a clear error', async () => {
    const sub = collect(wsClient(), STORY_PUBLISHED, { since: 'yesterday' })
    await until(() => sub.errors.length === 1)
    expect(JSON.stringify(sub.errors[0])).toContain('BAD_USER_INPUT')
  })

  it('refuses a connection with a forged token (4403)', async () => {
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: `ws://${url}`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer not.a.token' },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => {}, // the refusal is what this test expects
        on: { closed: (event) => resolve((event as { code: number }).code) },
      })
      clients.push(client)
    })
    expect(await closed).toBe(4403)
  })
})

describe('live subscriptions over Server-Sent Events', () => {
  it('streams a published story', async () => {
    const controller = new AbortController()
    const response = await fetch(`http://${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: STORY_PUBLISHED,
        variables: { filter: { tag: 'middle-east' }, since: await latestCursor(db) },
      }),
      signal: controller.signal,
    })
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/)
    const reader = response.body!.getReader()
    let text = ''
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        text += new TextDecoder().decode(value)
        if (text.includes('story.published')) return
      }
    })()
    await publish('middle-east')
    await read
    controller.abort()
    expect(text).toMatch(/event: next\ndata: .*"kind":"story.published"/)
  })
})
