// What the webhook suites share: an app on a seeded database with the settings given, real
// receivers (closed after each test, with every endpoint deleted), the admin's operations, and
// changes made as an editor, each with its cursor.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type { Config } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, testApp } from './api.js'
import { createTestDatabase, type TestDatabase } from './database.js'
import { until } from './poll.js'
import { startReceiver, type Receiver } from './receiver.js'

export const FAILURE = `__typename ... on Error { code field message } ... on ValidationError { issues { field message } }`
const SECRET = `... on WebhookSecret { secret webhook { id url kinds includeDrafts active description filter { tag language } } }`

export const CREATE = `mutation($input: WebhookInput!) { createWebhook(input: $input) { ${FAILURE} ${SECRET} } }`
export const UPDATE = `mutation($id: ID!, $input: WebhookUpdateInput!) { updateWebhook(id: $id, input: $input) {
  ${FAILURE} ... on Webhook { id url kinds includeDrafts active failing failingReason } } }`
export const ROTATE = `mutation($id: ID!, $overlapSeconds: Int!) {
  rotateWebhookSecret(id: $id, overlapSeconds: $overlapSeconds) { ${FAILURE} ${SECRET} } }`
export const DELETE = `mutation($id: ID!) { deleteWebhook(id: $id) { ${FAILURE} ... on WebhookDeleted { id } } }`

const WEBHOOK = `query($id: ID!) { webhook(id: $id) {
  id url kinds active failing failingSince failingReason cursor lag previousSecretValidUntil
  attempts(first: 20) { totalCount edges { node { cursor at status responseCode error durationMs nextTryAt } } }
} }`

/** Registers the suite's hooks; the helpers, bound to its app. */
export function webhookSuite(settings: Partial<Config> = {}) {
  let db: TestDatabase
  let app: ReturnType<typeof testApp>
  let admin: Record<string, string>
  let editor: Record<string, string>
  const receivers: Receiver[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    await seedSampleGraph(db.prisma)
    app = testApp(db, { settings })
    await app.feedStarted
    admin = await asRole('admin')
    editor = await asRole('editor')
  })
  afterEach(async () => {
    const { webhooks } = await gql<{ webhooks: { edges: { node: { id: string } }[] } }>(
      `{ webhooks(first: 100) { edges { node { id } } } }`,
    )
    for (const { node } of webhooks.edges)
      await gql(`mutation($id: ID!) { deleteWebhook(id: $id) { __typename } }`, node)
    await Promise.all(receivers.splice(0).map((r) => r.close()))
  })
  afterAll(async () => {
    await app?.close()
    await db?.drop()
  })

  async function gql<T = any>(query: string, variables?: object, headers = admin): Promise<T> {
    const { data, errors } = await app.run<T, object | undefined>(query, variables, headers)
    expect(errors).toBeUndefined()
    return data!
  }

  async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
    const r = await startReceiver(answer)
    receivers.push(r)
    return r
  }

  /** Registers an endpoint for `to`; its id and secret. */
  async function register(to: Receiver, input: object = {}) {
    const { createWebhook } = await gql(CREATE, { input: { url: to.url, ...input } })
    expect(createWebhook.__typename).toBe('WebhookSecret')
    return { id: createWebhook.webhook.id as string, secret: createWebhook.secret as string }
  }

  const webhook = async (id: string) => (await gql(WEBHOOK, { id })).webhook

  /** The cursor of the newest change in the log. */
  const newest = async () =>
    (await db.prisma.change.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }))!.seq.toString()

  /** Waits until the endpoint is done with every change so far (delivered or passed over). */
  async function caughtUp(id: string) {
    const last = await newest()
    await until(`webhook ${id} at ${last}`, async () => ((await webhook(id)).cursor === last ? true : undefined))
  }

  let stories = 0
  /** A draft story (story.created), as an editor; its id, version and the change's cursor. */
  async function draft(tags: string[] = []) {
    const tagIds = await Promise.all(
      tags.map(async (slug) => encodeGlobalID('Tag', (await db.prisma.tag.findUniqueOrThrow({ where: { slug } })).id)),
    )
    stories += 1
    const input = { slug: `webhook-story-${stories}`, headline: `Webhook story ${stories}`, tagIds }
    const { createStory } = await gql(
      `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } } }`,
      { input },
      editor,
    )
    return { id: createStory.id as string, version: createStory.version as number, cursor: await newest() }
  }

  /** Publishes a story (story.published); the change's cursor. */
  async function publish(story: { id: string; version: number }) {
    const { publishStory } = await gql(
      `mutation($id: ID!, $version: Int!) { publishStory(id: $id, version: $version) { __typename ... on Story { version } } }`,
      story,
      editor,
    )
    expect(publishStory.__typename).toBe('Story')
    story.version = publishStory.version
    return newest()
  }

  /** A published story: the cursors of its creation (a draft) and its publication. */
  async function published(tags: string[] = []) {
    const story = await draft(tags)
    return { story, created: story.cursor, published: await publish(story) }
  }

  const arrived = (r: Receiver, cursor: string) =>
    until(`delivery of ${cursor}`, () => (r.delivered().includes(cursor) ? true : undefined))

  const requestFor = (r: Receiver, cursor: string) => r.received.find((q) => q.headers['webhook-id'] === cursor)!

  /** The changeLog subscription's message for one change (subscribed from just before it). */
  async function changeLogEntry(cursor: string) {
    const since = (BigInt(cursor) - 1n).toString()
    const response = await app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...editor },
      body: JSON.stringify({
        query: `subscription($since: String) { changeLog(since: $since) { cursor kind at objectType objectId topics facts } }`,
        variables: { since },
      }),
    })
    const reader = response.body!.getReader()
    let text = ''
    while (!/event: next\ndata: (.*)\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value)
    await reader.cancel()
    return JSON.parse(/event: next\ndata: (.*)\n/.exec(text)![1]!).data as { changeLog: Record<string, any> }
  }

  return {
    get db() {
      return db
    },
    get app() {
      return app
    },
    get admin() {
      return admin
    },
    get editor() {
      return editor
    },
    gql,
    receiver,
    register,
    webhook,
    newest,
    caughtUp,
    draft,
    publish,
    published,
    arrived,
    requestFor,
    changeLogEntry,
  }
}
