// Webhook deliveries through real faults: the server as its own process on PostgreSQL, killed with
// SIGKILL once mid-run and started again on the same database; a receiver that fails half the
// attempts at random and is itself restarted once; another that always answers 200; and a third
// that never answers (each attempt times out). Across 200 changes made through the API:
// - every change reaches the flaky receiver at least once, and the first successful receipts come
//   in order, each change once, none missing;
// - every request carries a signature that verifies with its endpoint's secret;
// - the always-200 endpoint gets all 200 while the hanging one is still stuck on the first: one
//   endpoint's failures never hold up another's deliveries.
// Retries are quick (WEBHOOK_RETRY_*) and the retry window long, so nothing is marked failing.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken } from '../../src/auth/token.js'
import { loadConfig } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { until } from '../helpers/poll.js'
import { startReceiver, verifies, type Receiver } from '../helpers/receiver.js'
import { spawnServer, type ServerProcess } from '../helpers/server-process.js'

const JWT_SECRET = 'webhook-delivery-test-secret-at-least-32-chars'
const CHANGES = 200
const LONG = { timeoutMs: 150_000 }

let db: TestDatabase
let server: ServerProcess | undefined
let admin: string
let editor: string
let flaky: Receiver
let steady: Receiver
let hanging: Receiver

async function start(): Promise<ServerProcess> {
  const started = await spawnServer({
    DATABASE_URL: db.url!,
    JWT_SECRET,
    SEED_ON_START: 'false',
    LIVE_POLL_MS: '200',
    OUTBOUND_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_BASE_MS: '20',
    WEBHOOK_RETRY_MAX_MS: '200',
    WEBHOOK_RETRY_FOR_MS: '600000',
    RATE_LIMIT_EDITOR_POINTS: '0',
  })
  await started.waitForLog((line) => /ready/.test(line.msg ?? ''), 0, 60_000)
  return started
}

async function gql(query: string, variables: object, token: string): Promise<any> {
  const response = await fetch(`${server!.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  })
  const { data, errors } = (await response.json()) as { data: any; errors?: unknown }
  expect(errors).toBeUndefined()
  return data
}

async function register(to: Receiver) {
  const { createWebhook } = await gql(
    `mutation($input: WebhookInput!) { createWebhook(input: $input) { ... on WebhookSecret { secret webhook { id } } } }`,
    { input: { url: to.url, includeDrafts: true } },
    admin,
  )
  return { id: createWebhook.webhook.id as string, secret: createWebhook.secret as string }
}

let stories = 0
/** Two changes: a story created (a draft), then published. */
async function twoChanges() {
  stories += 1
  const { createStory } = await gql(
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } } }`,
    { input: { slug: `delivery-${stories}`, headline: `Delivery ${stories}` } },
    editor,
  )
  const { publishStory } = await gql(
    `mutation($id: ID!, $version: Int!) { publishStory(id: $id, version: $version) { __typename } }`,
    createStory,
    editor,
  )
  expect(publishStory.__typename).toBe('Story')
}

const attemptErrors = async (id: string): Promise<string[]> =>
  (
    await gql(
      `query($id: ID!) { webhook(id: $id) { attempts(first: 100) { edges { node { error } } } } }`,
      { id },
      admin,
    )
  ).webhook.attempts.edges.map((e: any) => e.node.error ?? '')

beforeAll(async () => {
  db = await createTestDatabase('postgres')
  await seedSampleGraph(db.prisma)
  const config = loadConfig({ JWT_SECRET })
  admin = await mintToken(config, { sub: 'delivery-admin', role: 'admin' })
  editor = await mintToken(config, { sub: 'delivery-editor', role: 'editor' })
  flaky = await startReceiver(() => (Math.random() < 0.5 ? 500 : 200))
  steady = await startReceiver(() => 200)
  hanging = await startReceiver(() => 'hang')
  server = await start()
}, 90_000)

afterAll(async () => {
  await server?.kill()
  await Promise.all([flaky, steady, hanging].map((r) => r?.close()))
  await db?.drop()
})

describe('webhook deliveries through a crash, a flaky receiver and a hanging one', () => {
  it('delivers every change at least once, in order, signed; the hanging endpoint holds up nobody', async () => {
    const endpoints = new Map<Receiver, { id: string; secret: string }>()
    for (const to of [flaky, steady, hanging]) endpoints.set(to, await register(to))
    const first = (await db.prisma.change.aggregate({ _max: { seq: true } }))._max.seq ?? 0n

    // the first half, with the flaky receiver restarted on its port halfway through it
    const pairs = CHANGES / 2
    for (let i = 0; i < pairs / 4; i++) await twoChanges()
    await flaky.close()
    await twoChanges()
    await until('a delivery refused while the receiver is down', async () =>
      (await attemptErrors(endpoints.get(flaky)!.id)).some((e) => /ECONNREFUSED/.test(e)) ? true : undefined,
    )
    await flaky.restart()
    for (let i = pairs / 4 + 1; i < pairs / 2; i++) await twoChanges()

    // the server dies mid-run, with deliveries still to make, and comes back on the same database
    await until('deliveries under way', () => (flaky.delivered().length >= 20 ? true : undefined), LONG)
    await server!.kill()
    // attempts the dead process recorded: from here on, only the new one records any
    const hangingId = decodeGlobalID(endpoints.get(hanging)!.id).id
    const stuckBefore = await db.prisma.webhookAttempt.count({ where: { endpointId: hangingId } })
    server = await start()
    for (let i = pairs / 2; i < pairs; i++) await twoChanges()

    const expected = Array.from({ length: CHANGES }, (_, i) => (first + BigInt(i + 1)).toString())
    await until(
      'every change at the always-200 receiver',
      () => (steady.delivered().length >= CHANGES ? true : undefined),
      LONG,
    )
    // the hanging endpoint has yet to get past the first change
    await until('the first change at the hanging receiver', () => (hanging.received.length > 0 ? true : undefined))
    expect(new Set(hanging.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([expected[0]]))
    expect(steady.delivered()).toEqual(expected)
    // the new process took the stuck endpoint over (once the dead one's lease ran out), and tries again
    await until('the stuck change tried by the new process', async () =>
      (await db.prisma.webhookAttempt.count({ where: { endpointId: hangingId } })) > stuckBefore ? true : undefined,
    )

    await until(
      'every change at the flaky receiver',
      () => (flaky.delivered().length >= CHANGES ? true : undefined),
      LONG,
    )
    // first successful receipts: increasing, complete, each once
    expect(flaky.delivered()).toEqual(expected)
    expect(flaky.received.some((r) => r.answer === 500)).toBe(true)

    for (const [to, { secret }] of endpoints) {
      for (const request of to.received) expect(verifies(secret, request)).toBe(true)
      // no other endpoint's secret verifies its requests
      for (const [other, { secret: theirs }] of endpoints)
        if (other !== to && to.received[0]) expect(verifies(theirs, to.received[0])).toBe(false)
    }
  }, 240_000)
})
