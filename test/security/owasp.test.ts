// The OWASP GraphQL Cheat Sheet items the other security suites do not cover, against a listening
// server on PostgreSQL, over HTTP and over WebSocket (graphql-ws): page-size bounds, authorisation
// on nodes, edges, counts, search and subscription payloads, access to every mutation, injection
// through filters and search, malformed and circular operations, and that no error leaks a stack,
// SQL or Prisma's words. The in-process twins of some of these (test/api/visibility.test.ts,
// bad-input.test.ts) check the resolvers; these check what a client on a socket receives.
import { readFileSync } from 'node:fs'
import { buildSchema, type GraphQLFormattedError } from 'graphql'
import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { mintToken } from '../../src/auth/token.js'
import { asRole } from '../helpers/api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const SCHEMA = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'))
const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'

let server: TestServer
let editor: Record<string, string>

beforeAll(async () => {
  // Rate limits off: this suite sends hundreds of requests from one address, and throttling is
  // rate-limit.test.ts's subject.
  server = await startTestServer({ RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0 })
  editor = await asRole('editor', 'owasp-editor')
})
afterAll(async () => {
  await Promise.all(clients.map((c) => Promise.resolve(c.dispose()).catch(() => {})))
  await server?.close()
})

// ---------------------------------------------------------------------------------------------
// Transports, each checking every error it receives for leaks

interface Body {
  data?: Record<string, any> | null
  errors?: GraphQLFormattedError[]
}

/** What must never reach a client in an error: stacks, source positions, SQL, Prisma's words. */
const LEAK =
  /prisma|invocation|\bstack\b|exception|node_modules|\.[cm]?[jt]s:\d|\bselect\b|\binsert\b|\bupdate\s+"|\bfrom\s+"|sqlstate|\bpg_|syntax error at or near|invalid input syntax|invalid byte sequence|duplicate key|violates|relation "|column "|tsquery/i
let errorsScanned = 0

function expectNoLeak(errors: readonly unknown[] | undefined) {
  for (const error of errors ?? []) {
    errorsScanned++
    const text = JSON.stringify(error)
    expect(text, 'an error leaks internals').not.toMatch(LEAK)
    const { message, extensions } = error as GraphQLFormattedError
    expect(message, 'an unexpected fault').not.toBe('Unexpected error.')
    expect(extensions?.code, `an unexpected fault: ${text}`).not.toBe('INTERNAL_SERVER_ERROR')
    for (const key of Object.keys(error as object))
      expect(['message', 'locations', 'path', 'extensions']).toContain(key)
  }
}

async function overHttp(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  })
  const body = (await response.json()) as Body
  expect(response.status, JSON.stringify(body)).toBeLessThan(500)
  expectNoLeak(body.errors)
  return { status: response.status, body }
}

const clients: Client[] = []
function wsClient(connectionParams?: Record<string, unknown>): Client {
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  })
  clients.push(client)
  return client
}
let publicWs: Client
let editorWs: Client
beforeAll(() => {
  publicWs = wsClient()
  editorWs = wsClient({ authorization: editor.authorization })
})

/** One query or mutation over a socket: its result, or the `error` message (the operation's
 *  errors, or the close event) that ended it. */
function overWs(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ result?: Body; error?: unknown }> {
  return new Promise((resolve) => {
    let result: Body | undefined
    client.subscribe<Record<string, any>>(
      { query, variables },
      {
        next: (value) => {
          result = value as Body
          expectNoLeak(result.errors)
        },
        error: (error) => {
          if (Array.isArray(error)) expectNoLeak(error)
          resolve({ error })
        },
        complete: () => resolve({ result }),
      },
    )
  })
}

/** The same operation over either transport, as the public or as an editor: its body. */
type Transport = 'http' | 'ws'
async function run(
  transport: Transport,
  who: 'public' | 'editor',
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Body> {
  if (transport === 'http') return (await overHttp(query, variables, who === 'editor' ? editor : {})).body
  const { result, error } = await overWs(who === 'editor' ? editorWs : publicWs, query, variables)
  if (error) return { errors: error as GraphQLFormattedError[] }
  return result!
}

/** An editor's operation that must succeed (over HTTP). */
async function asEditor(query: string, variables: Record<string, unknown> = {}) {
  const { body } = await overHttp(query, variables, editor)
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
  return body.data!
}

/** Rows in every table of the database: what a refused write must leave as it was. */
async function rowCounts(): Promise<Record<string, number>> {
  const prisma = server.db.prisma
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`
  const counts: Record<string, number> = {}
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${name.replaceAll('"', '""')}"`,
    )
    counts[name] = row.n
  }
  return counts
}

const TRANSPORTS: Transport[] = ['http', 'ws']

// ---------------------------------------------------------------------------------------------
// Page sizes

describe.each(TRANSPORTS)('page-size bounds over %s', (transport) => {
  it.each([
    ['first', 101],
    ['first', -1],
    ['last', 0],
  ] as const)('refuses %s: %s on a list, written in the query', async (arg, n) => {
    expect(await run(transport, 'public', `{ stories(${arg}: ${n}) { totalCount edges { node { slug } } } }`)).toEqual({
      errors: [
        {
          message: `${arg} must be between 1 and 100 (got ${n}) on stories`,
          extensions: { code: 'BAD_USER_INPUT', field: arg },
        },
      ],
    })
  })

  it.each([
    ['first', 101],
    ['first', -1],
    ['last', 0],
  ] as const)('refuses %s: %s on a nested connection, in a variable', async (arg, n) => {
    const query = `query($n: Int) { story(slug: "${SAMPLE}") { people(${arg}: $n) { totalCount } } }`
    expect(await run(transport, 'public', query, { n })).toEqual({
      errors: [
        {
          message: `${arg} must be between 1 and 100 (got ${n}) on people`,
          extensions: { code: 'BAD_USER_INPUT', field: arg },
        },
      ],
    })
  })

  it('accepts the bounds (the control)', async () => {
    const body = await run(
      transport,
      'public',
      '{ a: stories(first: 100) { totalCount } b: stories(last: 1) { totalCount } c: stories(first: 1) { totalCount } }',
    )
    expect(body.errors).toBeUndefined()
    expect(body.data!.a.totalCount).toBeGreaterThan(0)
  })
})

it('refuses first: 101 in a subscription over the socket before it starts', async () => {
  expect(
    await run('ws', 'public', 'subscription { storyPublished { story { tags(first: 101) { totalCount } } } }'),
  ).toEqual({
    errors: [
      {
        message: 'first must be between 1 and 100 (got 101) on tags',
        extensions: { code: 'BAD_USER_INPUT', field: 'first' },
      },
    ],
  })
})

// ---------------------------------------------------------------------------------------------
// Authorisation on nodes, edges, counts, search and subscriptions

/** A word no seeded story uses: only the stories written below contain it. */
const WORD = 'xylophonist'
const TAG = 'owasp-hidden'
const EVENT = 'owasp-summit'
const FUTURE = '2099-01-01T00:00:00.000Z'

const CREATE = `mutation($input: StoryInput!) { createStory(input: $input) { __typename ... on Story { id version } ... on Error { code field message } } }`
const PUBLISH = `mutation($id: ID!, $v: Int!, $at: DateTime) { publishStory(id: $id, version: $v, at: $at) { __typename ... on Story { id version status } ... on Error { code field message } } }`
const WITHDRAW = `mutation($id: ID!, $v: Int!, $r: String!) { withdrawStory(id: $id, version: $v, reason: $r) { __typename ... on Story { id version } ... on Error { code message } } }`
const UPDATE = `mutation($id: ID!, $v: Int!, $input: StoryUpdateInput!) { updateStory(id: $id, version: $v, input: $input) { __typename ... on Story { id version } ... on Error { code field message } } }`

interface Written {
  id: string
  version: number
  slug: string
}

const links = { tagId: '', eventId: '' }

async function writeStory(key: string, urgency = 2): Promise<Written> {
  const slug = `owasp-${key}`
  const { createStory } = await asEditor(CREATE, {
    input: {
      slug,
      headline: `The ${WORD} ${key} report`,
      lede: `A ${WORD} (${key}) played at dawn.`,
      sections: [{ paragraphs: [`Secret ${key} text about the ${WORD}.`] }],
      urgency,
      tagIds: [links.tagId],
      events: [{ id: links.eventId, relation: 'ABOUT' }],
    },
  })
  expect(createStory.__typename, JSON.stringify(createStory)).toBe('Story')
  return { id: createStory.id, version: createStory.version, slug }
}

async function publish(story: Written, at?: string): Promise<Written> {
  const { publishStory } = await asEditor(PUBLISH, { id: story.id, v: story.version, at })
  expect(publishStory.status, JSON.stringify(publishStory)).toBe(at ? 'SCHEDULED' : 'PUBLISHED')
  return { ...story, version: publishStory.version }
}

describe('authorisation: hidden stories', () => {
  /** written by an editor: each hidden from the public in its own way, and one it may read */
  const stories: Record<'draft' | 'withdrawn' | 'scheduled' | 'published', Written> = {} as never

  beforeAll(async () => {
    const { upsertTag } = await asEditor(
      `mutation { upsertTag(input: { slug: "${TAG}", name: "OWASP hidden" }) { ... on Tag { id } } }`,
    )
    const { createEvent } = await asEditor(
      `mutation { createEvent(input: { slug: "${EVENT}", name: "OWASP summit" }) { ... on Event { id } } }`,
    )
    links.tagId = upsertTag.id
    links.eventId = createEvent.id
    stories.draft = await writeStory('draft')
    const withdrawn = await publish(await writeStory('withdrawn'))
    const { withdrawStory } = await asEditor(WITHDRAW, { id: withdrawn.id, v: withdrawn.version, r: 'Legal advice' })
    stories.withdrawn = { ...withdrawn, version: withdrawStory.version }
    stories.scheduled = await publish(await writeStory('scheduled'), FUTURE)
    stories.published = await publish(await writeStory('published'))
  })

  const STORY = 'slug headline lede body { paragraphs } withdrawal { reason }'
  const full = (key: keyof typeof stories) => ({
    slug: `owasp-${key}`,
    headline: `The ${WORD} ${key} report`,
    lede: `A ${WORD} (${key}) played at dawn.`,
    body: [{ paragraphs: [`Secret ${key} text about the ${WORD}.`] }],
    withdrawal: key === 'withdrawn' ? { reason: 'Legal advice' } : null,
  })
  /** what the public gets of a withdrawn story: the notice, its text held back */
  const notice = {
    slug: 'owasp-withdrawn',
    headline: `The ${WORD} withdrawn report`,
    lede: null,
    body: [],
    withdrawal: { reason: 'Legal advice' },
  }
  const PUBLIC_VIEW = { draft: null, scheduled: null, withdrawn: notice, published: full('published') }
  const KEYS = ['draft', 'withdrawn', 'scheduled', 'published'] as const

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it('story(slug:) is null for the public for a draft and a scheduled story, a notice for a withdrawn one; an editor reads all', async () => {
      for (const key of KEYS) {
        const variables = { slug: stories[key].slug }
        expect(
          await run(transport, 'public', `query($slug: String!) { story(slug: $slug) { ${STORY} } }`, variables),
          key,
        ).toEqual({
          data: { story: PUBLIC_VIEW[key] },
        })
        expect(
          await run(transport, 'editor', `query($slug: String!) { story(slug: $slug) { ${STORY} } }`, variables),
          key,
        ).toEqual({
          data: { story: full(key) },
        })
      }
    })

    it('node(id:) and nodes(ids:) give the public the same as story(slug:)', async () => {
      for (const key of KEYS) {
        expect(
          await run(transport, 'public', `query($id: ID!) { node(id: $id) { ... on Story { ${STORY} } } }`, {
            id: stories[key].id,
          }),
          key,
        ).toEqual({
          data: { node: PUBLIC_VIEW[key] },
        })
      }
      const ids = KEYS.map((k) => stories[k].id)
      const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Story { ${STORY} } } }`
      expect(await run(transport, 'public', NODES, { ids })).toEqual({
        data: { nodes: KEYS.map((k) => PUBLIC_VIEW[k]) },
      })
      expect(await run(transport, 'editor', NODES, { ids })).toEqual({ data: { nodes: KEYS.map(full) } })
    })

    it('lists, counts, search and entity edges hold only the published story for the public', async () => {
      const LISTS = `query($tag: String!, $event: String!, $word: String!) {
        stories(filter: { tag: $tag }) { totalCount edges { node { slug } } }
        drafts: stories(filter: { tag: $tag, status: DRAFT }) { totalCount edges { node { slug } } }
        scheduled: stories(filter: { tag: $tag, status: SCHEDULED }) { totalCount edges { node { slug } } }
        withdrawn: stories(filter: { tag: $tag, status: WITHDRAWN }) { totalCount edges { node { slug } } }
        search(query: $word) { totalCount edges { node { slug } } }
        tag(slug: $tag) { stories { totalCount edges { node { slug } } } }
        event(slug: $event) { stories { totalCount edges { node { slug } } } }
      }`
      const variables = { tag: TAG, event: EVENT, word: WORD }
      const page = (...keys: (keyof typeof stories)[]) => ({
        totalCount: keys.length,
        edges: keys.map((k) => ({ node: { slug: `owasp-${k}` } })),
      })
      const only = page('published')
      expect(await run(transport, 'public', LISTS, variables)).toEqual({
        data: {
          stories: only,
          drafts: page(),
          scheduled: page(),
          withdrawn: page(),
          search: only,
          tag: { stories: only },
          event: { stories: only },
        },
      })

      const seen = (await run(transport, 'editor', LISTS, variables)).data!
      const slugs = (conn: { edges: { node: { slug: string } }[] }) => conn.edges.map((e) => e.node.slug).sort()
      const all = KEYS.map((k) => `owasp-${k}`).sort()
      expect([seen.stories, seen.drafts, seen.scheduled, seen.withdrawn].map(slugs)).toEqual([
        ['owasp-published'],
        ['owasp-draft'],
        ['owasp-scheduled'],
        ['owasp-withdrawn'],
      ])
      expect([seen.search, seen.tag.stories, seen.event.stories].map(slugs)).toEqual([all, all, all])
      expect([seen.search.totalCount, seen.tag.stories.totalCount, seen.event.stories.totalCount]).toEqual([4, 4, 4])
    })
  })

  it('subscription payloads carry no hidden change to the public; an editor gets every one', async () => {
    // Subjects, hidden when the subscriptions start: a draft and a story scheduled for later.
    const draft = await writeStory('live-draft', 1)
    const scheduled = await publish(await writeStory('live-scheduled', 1), FUTURE)
    // Subscribe from the current end of the change log: whatever commits after it is delivered,
    // however long the subscriptions take to reach the server.
    const { _max } = await server.db.prisma.change.aggregate({ _max: { seq: true } })
    const since = _max.seq!.toString()

    const SUBSCRIPTIONS = {
      draftUpdated: [
        `subscription($id: ID!, $since: String) { storyUpdated(id: $id, since: $since) { kind story { slug headline } } }`,
        { id: draft.id },
      ],
      scheduledUpdated: [
        `subscription($id: ID!, $since: String) { storyUpdated(id: $id, since: $since) { kind story { slug headline } } }`,
        { id: scheduled.id },
      ],
      published: [
        `subscription($tag: String!, $since: String) { storyPublished(filter: { tag: $tag }, since: $since) { kind story { slug headline } } }`,
        { tag: TAG },
      ],
      breaking: [
        `subscription($tag: String!, $since: String) { breakingNews(minUrgency: 9, tags: [$tag], since: $since) { kind story { slug headline } } }`,
        { tag: TAG },
      ],
      event: [
        `subscription($slug: String!, $since: String) { eventUpdated(slug: $slug, since: $since) { kind story { slug headline } } }`,
        { slug: EVENT },
      ],
    } as const
    type Name = keyof typeof SUBSCRIPTIONS
    const received = { public: {} as Record<Name, unknown[]>, editor: {} as Record<Name, unknown[]> }
    const stops: (() => void)[] = []
    for (const who of ['public', 'editor'] as const) {
      for (const [name, [query, variables]] of Object.entries(SUBSCRIPTIONS) as [
        Name,
        (typeof SUBSCRIPTIONS)[Name],
      ][]) {
        const list: unknown[] = (received[who][name] = [])
        stops.push(
          (who === 'editor' ? editorWs : publicWs).subscribe(
            { query, variables: { ...variables, since } },
            {
              next: (message) => {
                expectNoLeak(message.errors)
                list.push(message.errors ? { errors: message.errors } : Object.values(message.data!)[0])
              },
              error: (error) => list.push({ error }),
              complete: () => {},
            },
          ),
        )
      }
    }
    try {
      // Hidden changes: the draft and the scheduled story are revised, another story is scheduled.
      const revise = async (story: Written, headline: string) => {
        const { updateStory } = await asEditor(UPDATE, { id: story.id, v: story.version, input: { headline } })
        expect(updateStory.__typename).toBe('Story')
        return { ...story, version: updateStory.version }
      }
      const revisedDraft = await revise(draft, `The ${WORD} draft, revised`)
      const revisedScheduled = await revise(scheduled, `The ${WORD} schedule, revised`)
      await publish(await writeStory('live-later', 1), FUTURE)
      // Then both are published now: the first changes of theirs the public may see. Each
      // subscription delivers in commit order, so a hidden change would have come before these.
      await publish(revisedDraft)
      await publish(revisedScheduled)

      const D = { slug: 'owasp-live-draft', headline: `The ${WORD} draft, revised` }
      const S = { slug: 'owasp-live-scheduled', headline: `The ${WORD} schedule, revised` }
      const change = (kind: string, story: typeof D) => ({ kind, story })
      const expected = {
        public: {
          draftUpdated: [change('story.published', D)],
          scheduledUpdated: [change('story.published', S)],
          published: [change('story.published', D), change('story.published', S)],
          breaking: [change('story.published', D), change('story.published', S)],
          event: [change('story.published', D), change('story.published', S)],
        },
        editor: {
          draftUpdated: [change('story.updated', D), change('story.published', D)],
          scheduledUpdated: [change('story.updated', S), change('story.published', S)],
          published: [change('story.published', D), change('story.published', S)],
          breaking: [
            change('story.updated', D),
            change('story.updated', S),
            change('story.published', D),
            change('story.published', S),
          ],
          event: [change('story.published', D), change('story.published', S)],
        },
      }
      for (const who of ['public', 'editor'] as const) {
        for (const name of Object.keys(SUBSCRIPTIONS) as Name[]) {
          await expect
            .poll(() => received[who][name].length, { timeout: 15_000, message: `${who} ${name}` })
            .toBeGreaterThanOrEqual(expected[who][name].length)
          expect(received[who][name], `${who} ${name}`).toEqual(expected[who][name])
        }
      }
    } finally {
      for (const stop of stops) stop()
    }
  })

  it('the change log, drafts and all, is refused to the public over the socket', async () => {
    expect(await overWs(publicWs, 'subscription { changeLog { cursor kind objectId } }')).toEqual({
      result: {
        errors: [
          { message: 'Sign in as an editor to do this.', path: ['changeLog'], extensions: { code: 'FORBIDDEN' } },
        ],
      },
    })
  })
})

// ---------------------------------------------------------------------------------------------
// Mutations

/** Arguments an editor's call of each mutation succeeds with, read afresh for each call (versions
 *  move on). A mutation the schema gains must be added here, or the test below fails. */
const VALID_ARGUMENTS: Record<string, () => Promise<Record<string, unknown>>> = {
  createStory: async () => ({ input: { slug: `owasp-access-${++serial}`, headline: 'Access check' } }),
  updateStory: async () => ({ ...(await target()), input: { headline: `Access check ${++serial}` } }),
  publishStory: async () => target(),
  withdrawStory: async () => ({ ...(await target('withdrawable')), reason: 'Access check' }),
  addCorrection: async () => ({ storyId: (await target()).id, kind: 'CLARIFICATION', text: 'Access check.' }),
  restoreRevision: async () => {
    const { id, version } = await target()
    const { node } = await asEditor(
      `query($id: ID!) { node(id: $id) { ... on Story { revisions(last: 1) { edges { node { id } } } } } }`,
      { id },
    )
    return { revisionId: node.revisions.edges[0].node.id, version }
  },
  createEvent: async () => ({ input: { slug: `owasp-access-event-${++serial}`, name: 'Access check' } }),
  updateEvent: async () => ({ ...(await eventTarget()), input: { name: `Access check ${++serial}` } }),
  changeEventStatus: async () => {
    const { id, version, status } = await eventTarget()
    return { eventId: id, version, to: status === 'SCHEDULED' ? 'CONFIRMED' : 'SCHEDULED' }
  },
  upsertTag: async () => ({ input: { slug: `owasp-access-tag-${++serial}`, name: 'Access check' } }),
  upsertPerson: async () => ({ input: { slug: `owasp-access-person-${++serial}`, name: 'Access check' } }),
  upsertOrganisation: async () => ({ input: { slug: `owasp-access-org-${++serial}`, name: 'Access check' } }),
  upsertPlace: async () => ({ input: { slug: `owasp-access-place-${++serial}`, name: 'Access check' } }),
  linkEdition: async () => {
    const { id, version } = await target()
    return { storyId: id, version, input: { kind: 'TRANSLATION', sourceUri: `urn:owasp:access:${++serial}` } }
  },
  unlinkEdition: async () => {
    // a story of its own, made an edition first: only an edition can be unlinked
    const { id, version } = await target('edition')
    const { linkEdition } = await asEditor(
      `mutation($id: ID!, $v: Int!) { linkEdition(storyId: $id, version: $v, input: { kind: ADAPTATION, sourceUri: "urn:owasp:access" }) { ... on Story { version } } }`,
      { id, v: version },
    )
    return { storyId: id, version: linkEdition.version }
  },
  importNinjs: async () => ({
    document: {
      uri: `https://example.org/owasp/${++serial}`,
      type: 'text',
      headlines: [{ role: 'main', value: 'Access check' }],
    },
  }),
  // admins only; registered inactive, so that nothing is ever sent (nor a lease taken) for them
  createWebhook: async () => ({ input: { url: `https://receiver.example.org/owasp/${++serial}`, active: false } }),
  updateWebhook: async () => ({ id: await webhookTarget(), input: { description: `Access check ${++serial}` } }),
  rotateWebhookSecret: async () => ({ id: await webhookTarget(), overlapSeconds: 0 }),
  deleteWebhook: async () => ({ id: await webhookTarget() }),
}
let serial = 0

/** The mutations only admins may call: editors are refused them too. */
const ADMINS_ONLY = new Set(['createWebhook', 'updateWebhook', 'rotateWebhookSecret', 'deleteWebhook'])

/** An inactive webhook an admin registered for these checks; its id. */
async function webhookTarget(): Promise<string> {
  const { body } = await overHttp(
    `mutation($input: WebhookInput!) { createWebhook(input: $input) { ... on WebhookSecret { webhook { id } } } }`,
    { input: { url: `https://receiver.example.org/owasp-target/${++serial}`, active: false } },
    await asRole('admin', 'owasp-admin'),
  )
  return body.data!.createWebhook.webhook.id
}

/** A story an editor wrote for these checks, with its current version. */
async function target(which: 'main' | 'withdrawable' | 'edition' = 'main'): Promise<{ id: string; version: number }> {
  const slug = `owasp-access-target-${which}-${which === 'main' ? 0 : ++serial}`
  const { story } = await asEditor(`query($slug: String!) { story(slug: $slug) { id version } }`, { slug })
  if (story) return story
  const { createStory } = await asEditor(CREATE, {
    input: { slug, headline: `Access target ${which}`, sections: [{ paragraphs: ['Text.'] }] },
  })
  return { id: createStory.id, version: createStory.version }
}
async function eventTarget(): Promise<{ id: string; version: number; status: string }> {
  const found = await asEditor(`{ event(slug: "owasp-access-target-event") { id version status } }`)
  if (found.event) return found.event
  const { createEvent } = await asEditor(
    `mutation { createEvent(input: { slug: "owasp-access-target-event", name: "Access target" }) { ... on Event { id version status } } }`,
  )
  return createEvent
}

/** The mutation as a document: every argument a variable of its declared type. */
function mutationDocument(name: string): string {
  const field = SCHEMA.getMutationType()!.getFields()[name]
  const variables = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ')
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ')
  return `mutation${variables ? `(${variables})` : ''} { ${name}${args ? `(${args})` : ''} { __typename ... on Error { code field message } } }`
}

describe('mutations', () => {
  const NAMES = Object.keys(SCHEMA.getMutationType()!.getFields())

  it('every mutation in the schema has arguments to check it with', () => {
    expect(Object.keys(VALID_ARGUMENTS).sort()).toEqual([...NAMES].sort())
  })

  it.each(TRANSPORTS)('are each refused to the public over %s with Forbidden, writing nothing', async (transport) => {
    const calls = []
    for (const name of NAMES) calls.push({ name, variables: await VALID_ARGUMENTS[name]() })
    const before = await rowCounts()
    for (const { name, variables } of calls) {
      expect(await run(transport, 'public', mutationDocument(name), variables), name).toEqual({
        data: {
          [name]: {
            __typename: 'Forbidden',
            code: 'FORBIDDEN',
            field: null,
            message: 'Sign in as an editor to do this.',
          },
        },
      })
    }
    expect(await rowCounts()).toEqual(before)
  })

  it('are each refused with 401 UNAUTHENTICATED for a forged, an expired or a role-less token, writing nothing', async () => {
    const settings = server.config
    const forged = await mintToken(
      { ...settings, JWT_SECRET: 'not-the-server-key-but-long-enough-to-sign-with' },
      { sub: 'mallory', role: 'editor' },
    )
    const expired = await mintToken(settings, { sub: 'late', role: 'editor' }, '-1m')
    const roleless = await mintToken(settings, { sub: 'reader', role: 'reader' as never })
    const tokens = [
      [forged, 'The token is not valid.', 'invalid'],
      [expired, 'The token has expired.', 'expired'],
      [roleless, 'The token names no known role.', 'invalid'],
    ] as const
    const calls = []
    for (const name of NAMES) calls.push({ name, variables: await VALID_ARGUMENTS[name]() })
    const before = await rowCounts()
    for (const [token, message, reason] of tokens) {
      for (const { name, variables } of calls) {
        const { status, body } = await overHttp(mutationDocument(name), variables, { authorization: `Bearer ${token}` })
        expect(status, name).toBe(401)
        expect(body, name).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED', reason } }] })
      }
    }
    expect(await rowCounts()).toEqual(before)
  })

  it('refuse a socket whose connection_init carries a forged token (4403), before any operation', async () => {
    const forged = await mintToken(
      { ...server.config, JWT_SECRET: 'not-the-server-key-but-long-enough-to-sign-with' },
      { sub: 'mallory', role: 'editor' },
    )
    const before = await rowCounts()
    const { result, error } = await overWs(
      wsClient({ authorization: `Bearer ${forged}` }),
      mutationDocument('createStory'),
      await VALID_ARGUMENTS.createStory(),
    )
    expect(result).toBeUndefined()
    expect(error).toMatchObject({ code: 4403, reason: 'Forbidden' })
    expect(await rowCounts()).toEqual(before)
  })

  it.each(TRANSPORTS)(
    'each succeed for an editor over %s (the control), but for the admins’ own',
    async (transport) => {
      for (const name of NAMES) {
        const body = await run(transport, 'editor', mutationDocument(name), await VALID_ARGUMENTS[name]())
        expect(body.errors, name).toBeUndefined()
        if (ADMINS_ONLY.has(name)) {
          expect(body.data![name], name).toMatchObject({
            __typename: 'Forbidden',
            message: 'Your role may not do this.',
          })
          continue
        }
        expect(
          ['Story', 'Event', 'Tag', 'Person', 'Organisation', 'Place', 'NinjsImport'],
          `${name}: ${JSON.stringify(body)}`,
        ).toContain(body.data![name].__typename)
      }
    },
  )

  it('the admins’ own each succeed for an admin (the control)', async () => {
    const admin = await asRole('admin', 'owasp-admin')
    for (const name of ADMINS_ONLY) {
      const { body } = await overHttp(mutationDocument(name), await VALID_ARGUMENTS[name](), admin)
      expect(body.errors, name).toBeUndefined()
      expect(['WebhookSecret', 'Webhook', 'WebhookDeleted'], `${name}: ${JSON.stringify(body)}`).toContain(
        body.data![name].__typename,
      )
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Injection through filters and search

const NASTY: [string, string][] = [
  ['a quote', "'"],
  ['a double quote', '"'],
  ['SQL to drop a table', `'; DROP TABLE "Story"; --`],
  ['a tautology', `' OR '1'='1`],
  ['a tautology in double quotes', `" OR 1=1 --`],
  ['a comment', '/* */ --'],
  ['a LIKE wildcard', '%'],
  ['a single-character wildcard', '_'],
  ['wildcards around a letter', '%a%_'],
  ['a backslash', '\\'],
  ['an escaped quote', "\\'"],
  ['backslashes', '\\\\\\'],
  ['tsquery operators', 'ceasefire & | ! <-> :* talks'],
  ['a tsquery prefix', 'cease:*'],
  ['tsquery negation only', '!!!'],
  ['a tsquery phrase operator', 'a <2> b'],
  ['unbalanced parentheses', '((ceasefire'],
  ['closing parentheses', 'talks))'],
  ['an unbalanced quote', '"ceasefire talks'],
  ['a positional parameter', '$1'],
  ['a JSON operator', '{"$gt": ""}'],
  ['a NUL byte alone', '\u0000'],
  ['a NUL byte inside', 'cease\u0000fire'],
  ['10 KB', 'x'.repeat(10_240)],
  ['10 KB of quotes', "'".repeat(10_240)],
  ['Japanese', '停戦協議'],
  ['emoji', '🕊️🔥'],
  ['a right-to-left override', '\u202eevil'],
  ['combining marks', 'Z̸̢͎a̷l̴g̶o'],
  ['a lone surrogate', '\ud800'],
  ['blank', '   '],
  ['empty', ''],
]

/** Text the database cannot store: refused before execution (src/server/storable-text.ts). */
const unstorable = (text: string) => text.includes('\u0000') || Buffer.from(text).toString() !== text
/** The error such text gets, at the argument path given. */
const refusal = (text: string, field: string) => ({
  message: text.includes('\u0000')
    ? `${field} must not contain the NUL character (U+0000)`
    : `${field} must be well-formed Unicode: it holds a lone surrogate`,
  extensions: { code: 'BAD_USER_INPUT', field },
})

describe('injection', () => {
  let pristine: { counts: Record<string, number>; page: Body }
  const PAGE = `{ story(slug: "${SAMPLE}") { id headline lede body { paragraphs } tags { totalCount } } stories(first: 100) { totalCount edges { node { slug headline } } } }`

  beforeAll(async () => {
    pristine = { counts: await rowCounts(), page: (await overHttp(PAGE)).body }
    expect(pristine.page.data!.stories.totalCount).toBeGreaterThan(0)
  })

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it.each(NASTY)('in search: %s', async (_, text) => {
      const body = await run(
        transport,
        'public',
        `query($q: String!) { search(query: $q) { totalCount edges { node { slug } } } }`,
        { q: text },
      )
      const trimmed = text.trim()
      if (unstorable(text)) expect(body).toEqual({ errors: [refusal(text, 'query')] })
      else if (trimmed === '')
        expect(body).toMatchObject({
          data: null,
          errors: [
            {
              message: 'search query must not be empty',
              path: ['search'],
              extensions: { code: 'BAD_USER_INPUT', field: 'query' },
            },
          ],
        })
      else if (trimmed.length > 200)
        expect(body).toMatchObject({
          data: null,
          errors: [
            {
              message: 'search query must be at most 200 characters',
              path: ['search'],
              extensions: { code: 'BAD_USER_INPUT', field: 'query' },
            },
          ],
        })
      else {
        expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
        expect(body.data!.search.totalCount).toBe(body.data!.search.edges.length)
      }
    })

    it.each(NASTY)('in every filter and slug lookup: %s', async (_, text) => {
      const FILTERS = ['tag', 'person', 'organisation', 'place', 'event', 'language'] as const
      const LOOKUPS = ['story', 'tag', 'person', 'organisation', 'place', 'event'] as const
      for (const filter of FILTERS) {
        const body = await run(
          transport,
          'public',
          `query($s: String!) { stories(filter: { ${filter}: $s }) { totalCount edges { node { slug } } } }`,
          { s: text },
        )
        // an empty string is no condition: the whole list
        if (text === '') expect(body.data!.stories.totalCount, filter).toBe(pristine.page.data!.stories.totalCount)
        else
          expect(body, filter).toEqual(
            unstorable(text)
              ? { errors: [refusal(text, `filter.${filter}`)] }
              : { data: { stories: { totalCount: 0, edges: [] } } },
          )
      }
      for (const lookup of LOOKUPS) {
        const body = await run(transport, 'public', `query($s: String!) { ${lookup}(slug: $s) { slug } }`, { s: text })
        expect(body, lookup).toEqual(
          unstorable(text) ? { errors: [refusal(text, 'slug')] } : { data: { [lookup]: null } },
        )
      }
    })

    it.each(NASTY)('as an id and a cursor: %s', async (_, text) => {
      for (const query of [
        `query($s: ID!) { node(id: $s) { id } }`,
        `query($s: String) { stories(first: 2, after: $s) { totalCount } }`,
        `query($s: String) { search(query: "ceasefire", after: $s) { totalCount } }`,
        `query($s: String) { tag(slug: "gaza") { stories(before: $s, last: 2) { totalCount } } }`,
      ]) {
        const body = await run(transport, 'public', query, { s: text })
        // a typed refusal, or (an empty cursor is none) an answer
        for (const error of body.errors ?? [])
          expect(error.extensions?.code, `${query}: ${JSON.stringify(error)}`).toBe('BAD_USER_INPUT')
        if (!body.errors)
          expect(Object.values(body.data!)[0] === null || typeof Object.values(body.data!)[0] === 'object').toBe(true)
      }
    })
  })

  it.each(NASTY)('in an editor’s search, and stored verbatim by an editor’s write: %s', async (_, text) => {
    const search = (await overHttp(`query($q: String!) { search(query: $q) { totalCount } }`, { q: text }, editor)).body
    if (unstorable(text)) expect(search).toEqual({ errors: [refusal(text, 'query')] })
    else if (text.trim() === '' || text.trim().length > 200)
      expect(search.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'query' }])
    else expect(search.errors).toBeUndefined()

    const slug = `owasp-injection-${++serial}`
    const written = (
      await overHttp(
        `mutation($input: StoryInput!) { createStory(input: $input) { __typename ... on Story { headline lede } ... on Error { code field } } }`,
        { input: { slug, headline: `Headline ${text}`, lede: text } },
        editor,
      )
    ).body
    if (unstorable(text)) expect(written).toEqual({ errors: [refusal(text, 'input.headline')] })
    else if (text.length > 2000)
      expect(written).toEqual({
        data: { createStory: { __typename: 'ValidationError', code: 'VALIDATION_FAILED', field: 'input.headline' } },
      })
    else
      expect(written).toEqual({
        data: { createStory: { __typename: 'Story', headline: `Headline ${text}`.trim(), lede: text } },
      })
  })

  it('leaves the data as it was', async () => {
    const counts = await rowCounts()
    // only the editor's writes above added rows (stories, their revisions, audit and change log)
    for (const [table, n] of Object.entries(pristine.counts)) {
      if (['Story', 'StoryRevision', 'StorySection', 'AuditEntry', 'Change'].includes(table))
        expect(counts[table], table).toBeGreaterThanOrEqual(n)
      else expect(counts[table], table).toBe(n)
    }
    expect((await overHttp(PAGE)).body).toEqual(pristine.page)
  })
})

// ---------------------------------------------------------------------------------------------
// Ids and cursors that are well formed but wrong (found by test/security/fuzz.test.ts)

const cursorOf = (text: string) => Buffer.from(text).toString('base64')

describe.each(TRANSPORTS)('ids and cursors from elsewhere, over %s', (transport) => {
  it('a cursor of another list is BAD_USER_INPUT, whatever its type', async () => {
    const { stories, auditLog } = await asEditor(
      '{ stories(first: 1) { edges { cursor } } auditLog(first: 1) { edges { cursor } } }',
    )
    const storyCursor = stories.edges[0].cursor
    const auditCursor = auditLog.edges[0].cursor
    // a cursor holds a position in its own list's order (src/resolvers/paging.ts): any other is refused
    // before a query runs, naming the argument
    const refused = (field: string) => ({
      data: null,
      errors: [
        {
          message: 'after must be a cursor from this list',
          path: [field],
          extensions: { code: 'BAD_USER_INPUT', field: 'after' },
        },
      ],
    })
    const AUDIT = `query($c: String) { auditLog(after: $c) { edges { cursor } } }`
    const STORIES = `query($c: String) { stories(after: $c) { edges { cursor } } }`
    expect(await run(transport, 'editor', AUDIT, { c: storyCursor })).toEqual(refused('auditLog'))
    expect(await run(transport, 'editor', AUDIT, { c: cursorOf('GPC:N:1e400') })).toEqual(refused('auditLog'))
    expect(await run(transport, 'public', STORIES, { c: auditCursor })).toEqual(refused('stories'))
    expect(await run(transport, 'public', STORIES, { c: cursorOf('GPC:T:["S:a","S:b"]') })).toEqual(refused('stories'))
    expect(await run(transport, 'public', STORIES, { c: cursorOf('GPC:J:{"a":1}') })).toEqual(refused('stories'))
    // the control: its own cursor
    expect((await run(transport, 'public', STORIES, { c: storyCursor })).errors).toBeUndefined()
  })

  it('several malformed global ids in one request are each BAD_USER_INPUT, none a fault', async () => {
    const bad = (text: string) => Buffer.from(`Story:${text}`).toString('base64')
    const body = await run(
      transport,
      'public',
      `query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }`,
      { a: bad('oz#O"7!'), b: bad('"') },
    )
    const invalid = (path: string) => ({
      message: 'Invalid global id: the id inside it is malformed.',
      path: [path],
      extensions: { code: 'BAD_USER_INPUT' },
    })
    expect(body).toEqual({ data: { a: null, b: null }, errors: [invalid('a'), invalid('b')] })
    expect(
      await run(transport, 'public', `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [bad('x'), bad('y')] }),
    ).toEqual({ data: null, errors: [invalid('nodes')] })
  })

  it('a variable that is null where required, or missing, is BAD_USER_INPUT', async () => {
    const QUERY = `query($slug: String!) { story(slug: $slug) { slug } }`
    const nullBody = await run(transport, 'public', QUERY, { slug: null })
    expect(nullBody.errors?.map((e) => [e.message, e.extensions])).toEqual([
      ['Variable "$slug" of non-null type "String!" must not be null.', { code: 'BAD_USER_INPUT' }],
    ])
    const missing = await run(transport, 'public', QUERY, {})
    expect(missing.errors?.map((e) => [e.message, e.extensions])).toEqual([
      ['Variable "$slug" of required type "String!" was not provided.', { code: 'BAD_USER_INPUT' }],
    ])
  })
})

it('a subscription refused for a bad argument is an error for it alone: the socket goes on', async () => {
  const client = wsClient()
  expect(await overWs(client, `subscription { storyUpdated(id: "nope") { cursor } }`)).toEqual({
    result: {
      errors: [
        {
          message: 'id: must be the id of a Story',
          path: ['storyUpdated'],
          extensions: { code: 'VALIDATION_FAILED', field: 'id' },
        },
      ],
    },
  })
  expect(
    await overWs(
      client,
      `subscription { eventUpdated(id: "${Buffer.from(`Story:${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`).toString('base64')}") { cursor } }`,
    ),
  ).toEqual({
    result: {
      errors: [
        {
          message: 'id: must be the id of a Event',
          path: ['eventUpdated'],
          extensions: { code: 'VALIDATION_FAILED', field: 'id' },
        },
      ],
    },
  })
  expect(await overWs(client, '{ tag(slug: "gaza") { slug } }')).toEqual({
    result: { data: { tag: { slug: 'gaza' } } },
  })
})

// ---------------------------------------------------------------------------------------------
// Malformed and circular operations

describe('malformed operations', () => {
  const PARSE = {
    errors: [
      {
        message: 'Syntax Error: Unexpected <EOF>.',
        locations: [{ line: 1, column: 18 }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ],
  }

  it('a syntax error is GRAPHQL_PARSE_FAILED over HTTP: 200 for application/json, 400 for graphql-response+json', async () => {
    expect(await overHttp('{ stories(first: ')).toEqual({ status: 200, body: PARSE })
    expect(await overHttp('{ stories(first: ', {}, { accept: 'application/graphql-response+json' })).toEqual({
      status: 400,
      body: PARSE,
    })
  })

  it('a syntax error is GRAPHQL_PARSE_FAILED over the socket, which stays open', async () => {
    expect(await overWs(publicWs, '{ stories(first: ')).toEqual({ error: PARSE.errors })
    expect(await overWs(publicWs, '{ tag(slug: "gaza") { slug } }')).toEqual({
      result: { data: { tag: { slug: 'gaza' } } },
    })
  })

  it('a body that is not JSON is BAD_REQUEST, without the parser’s own words', async () => {
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ tag(slug: \\"gaza\\") { slug } }",',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    })
  })

  const CIRCULAR = 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'
  const CIRCULAR_ERRORS = [
    {
      message: 'Cannot spread fragment "A" within itself via "B".',
      locations: [
        { line: 1, column: 38 },
        { line: 1, column: 67 },
      ],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ]
  const SELF = `query { story(slug: "${SAMPLE}") { ...S } } fragment S on Story { sourceStory { ...S } }`
  const SELF_ERRORS = [
    {
      message: 'Cannot spread fragment "S" within itself.',
      locations: [{ line: 1, column: 119 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ]

  it('circular fragments are GRAPHQL_VALIDATION_FAILED over HTTP', async () => {
    expect(await overHttp(CIRCULAR)).toEqual({ status: 200, body: { errors: CIRCULAR_ERRORS } })
    expect(await overHttp(SELF)).toEqual({ status: 200, body: { errors: SELF_ERRORS } })
  })

  it('circular fragments are GRAPHQL_VALIDATION_FAILED over the socket', async () => {
    expect(await overWs(publicWs, CIRCULAR)).toEqual({ error: CIRCULAR_ERRORS })
    expect(await overWs(publicWs, SELF)).toEqual({ error: SELF_ERRORS })
    expect(await overWs(publicWs, `subscription { ...L } fragment L on Subscription { ...L }`)).toEqual({
      error: [
        {
          message: 'Cannot spread fragment "L" within itself.',
          locations: [{ line: 1, column: 52 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    })
  })
})

// ---------------------------------------------------------------------------------------------

describe('error leaks', () => {
  it('none of the errors above carried a stack, an exception, SQL or Prisma’s words', () => {
    // every response of this file went through expectNoLeak; this says it saw a good many
    expect(errorsScanned).toBeGreaterThan(200)
  })
})
