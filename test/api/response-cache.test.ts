// The public response cache (src/server/response-cache.ts): a repeated public query sends no SQL
// and answers the very same bytes; the change log moving (a commit here, or another process's
// read by this one's feed) makes the next one run again; editors' results are never cached nor
// served from it; results with errors are not cached; a hit still spends rate-limit points; and
// RESPONSE_CACHE_TTL_MS=0 turns it off.
//
// Statements are counted at the driver (test/helpers/database.ts). Every app here polls the change
// log only every minute, and the tests wait for a feed to have read what was committed before
// they count, so what a count sees is the request's own SQL; the change feed's reads of the
// change log are left out all the same.
import { print } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/db/database.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { FrontPageDocument, StoryPageDocument } from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { settled as settledFeed } from '../helpers/live.js'
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
const FRONT_PAGE = print(FrontPageDocument)
const STORY_PAGE = print(StoryPageDocument)
/** a minute: nothing polls the change log while a test counts */
const CACHED: Partial<Config> = { RESPONSE_CACHE_TTL_MS: 60_000, LIVE_POLL_MS: 60_000 }

type App = ReturnType<typeof testApp>

let db: TestDatabase
let cached: App
/** the same app without the cache (testApp's default), on the same database */
let plain: App
let editor: Record<string, string>
const apps: App[] = []

/** An app on `database`, its change feed positioned and its first read (which prunes the log) done. */
async function start(database: Database, settings: Partial<Config>): Promise<App> {
  const app = testApp(database, { settings })
  apps.push(app)
  await app.feedStarted
  await app.feed.readNow()
  return app
}

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  editor = await asRole('editor', 'cache-editor')
  cached = await start(db, CACHED)
  plain = await start(db, { LIVE_POLL_MS: 60_000 })
})
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()))
  await db?.drop()
})

interface Sent {
  status: number
  /** the response body as sent */
  text: string
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }
  /** the SQL statements sent meanwhile, but the change feed's reads of the change log */
  statements: string[]
}

/** One request to `app`, with the SQL it sent (counted on `statements`, the database's list). */
async function send(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  statements: string[] = db.statements,
): Promise<Sent> {
  statements.length = 0
  const response = await app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  })
  const text = await response.text()
  const sent = statements.filter((sql) => !/"Change"|"ChangeLogHorizon"/.test(sql))
  return { status: response.status, text, body: JSON.parse(text), statements: sent }
}

/** Waits until the app's feed has read every change committed so far. */
const settled = (app: App) => settledFeed(db, app.feed)

async function mutate(app: App, query: string, variables: Record<string, unknown>) {
  const { body } = await send(app, query, variables, editor)
  expect(body.errors).toBeUndefined()
  return body.data
}

const STORY_VERSION = `query($slug: String!) { story(slug: $slug) { id version headline } }`
const UPDATE_HEADLINE = `mutation($id: ID!, $version: Int!, $headline: String!) {
  updateStory(id: $id, version: $version, input: { headline: $headline }) { __typename ... on Story { version headline } ... on Error { code message } }
}`
const CREATE_DRAFT = `mutation($input: StoryInput!) {
  createStory(input: $input) { __typename ... on Story { id } ... on Error { code message } }
}`

describe('a repeated public query', () => {
  it('is answered from the cache: no SQL, and the very bytes the uncached server sends', async () => {
    for (const [query, variables] of [
      [FRONT_PAGE, { first: 20 }],
      [STORY_PAGE, { slug: SAMPLE }],
    ] as const) {
      const uncached = await send(plain, query, variables)
      expect(uncached.body.errors).toBeUndefined()
      const miss = await send(cached, query, variables)
      const hit = await send(cached, query, variables)
      // the miss ran as without the cache (its added `__typename`s cost no SQL, and are taken out)
      expect(miss.statements.length).toBe(uncached.statements.length)
      expect(miss.statements.length).toBeGreaterThan(0)
      expect(hit.statements).toEqual([])
      expect(miss.text).toBe(uncached.text)
      expect(hit.text).toBe(uncached.text)
      expect(hit.text).not.toMatch(/__responseCache|responseCache/)
    }
  })

  it("runs again when the cache is off (RESPONSE_CACHE_TTL_MS=0, the test apps' default)", async () => {
    const first = await send(plain, FRONT_PAGE, { first: 20 })
    const second = await send(plain, FRONT_PAGE, { first: 20 })
    expect(second.statements.length).toBe(first.statements.length)
    expect(second.statements.length).toBeGreaterThan(0)
    expect(second.text).toBe(first.text)
  })
})

describe('a write', () => {
  it('makes the very next public query run again and show it, in the same process', async () => {
    await settled(cached)
    const before = await send(cached, STORY_PAGE, { slug: SAMPLE })
    expect((await send(cached, STORY_PAGE, { slug: SAMPLE })).statements).toEqual([])
    const { story } = await mutate(cached, STORY_VERSION, { slug: SAMPLE })
    const generation = cached.feed.generation
    const { updateStory } = await mutate(cached, UPDATE_HEADLINE, {
      id: story.id,
      version: story.version,
      headline: 'Truce talks to restart on Monday',
    })
    expect(updateStory).toMatchObject({ __typename: 'Story', headline: 'Truce talks to restart on Monday' })
    // moved at the commit, before the feed has read it
    expect(cached.feed.generation).toBeGreaterThan(generation)
    // The feed's own read of that commit moves the generation once more. A request that took its
    // key between the two moves has its entry dropped, and the check below that the page is
    // cached again would race that read (it lost whenever the mutation's answer came back before
    // the read did): the next query is sent once the feed has read the commit.
    await settled(cached)

    const after = await send(cached, STORY_PAGE, { slug: SAMPLE })
    expect(after.body.data.story.headline).toBe('Truce talks to restart on Monday')
    expect(after.statements.length).toBeGreaterThanOrEqual(before.statements.length)
    // and it is cached again, now with the new headline
    await settled(cached)
    const again = await send(cached, STORY_PAGE, { slug: SAMPLE })
    expect(again.statements).toEqual([])
    expect(again.body.data.story.headline).toBe('Truce talks to restart on Monday')
    // the public front page (cached above) moved too
    const front = await send(cached, FRONT_PAGE, { first: 20 })
    expect(front.statements.length).toBeGreaterThan(0)
    expect(front.body.data.stories.edges.map((e: any) => e.node.headline)).toContain('Truce talks to restart on Monday')
  })

  it('moves the cache on at its commit, before the change feed has read it', async () => {
    const app = await start(db, CACHED)
    const generation = app.feed.generation
    // what runMutation does right after its commit: the generation moves at once, the read follows
    const read = app.feed.poke()
    expect(app.feed.generation).toBe(generation + 1)
    await read
  })

  it('is off while the change feed does not follow the log (here: stopped, as when draining)', async () => {
    const app = await start(db, CACHED)
    const slug = 'hippo-overturns-boat-ivory-coast-eleven-missing'
    await send(app, STORY_PAGE, { slug })
    expect((await send(app, STORY_PAGE, { slug })).statements).toEqual([])
    // other processes' commits would no longer move its generation: every request runs
    await app.feed.stop()
    for (let i = 0; i < 2; i++) expect((await send(app, STORY_PAGE, { slug })).statements.length).toBeGreaterThan(0)
  })
})

describe("an editor's query", () => {
  it('is never cached, and never answered from the public cache', async () => {
    const slug = 'cache-draft'
    const created = await mutate(cached, CREATE_DRAFT, { input: { slug, headline: 'A draft only editors see' } })
    expect(created.createStory.__typename).toBe('Story')
    await settled(cached)

    // the public first: null; then the editor, asking the same, sees the draft (run, not the public's answer)
    const publicFirst = await send(cached, STORY_PAGE, { slug })
    expect(publicFirst.body).toEqual({ data: { story: null } })
    expect((await send(cached, STORY_PAGE, { slug })).statements).toEqual([])
    for (let i = 0; i < 2; i++) {
      const asEditor = await send(cached, STORY_PAGE, { slug }, editor)
      expect(asEditor.body.data.story.headline).toBe('A draft only editors see')
      expect(asEditor.statements.length).toBeGreaterThan(0)
    }
    // and the public still gets its own answer, from the cache: the editor's was not stored
    const publicAgain = await send(cached, STORY_PAGE, { slug })
    expect(publicAgain.body).toEqual({ data: { story: null } })
    expect(publicAgain.statements).toEqual([])

    // the editor first (the front page of drafts), then the public: it runs, and finds none
    const variables = { first: 50, filter: { status: 'DRAFT' } }
    const editorsPage = await send(cached, FRONT_PAGE, variables, editor)
    expect(editorsPage.body.data.stories.edges.map((e: any) => e.node.slug)).toContain(slug)
    const publicPage = await send(cached, FRONT_PAGE, variables)
    expect(publicPage.statements.length).toBeGreaterThan(0)
    expect(publicPage.body.data.stories.edges).toEqual([])
    expect(publicPage.text).toBe((await send(plain, FRONT_PAGE, variables)).text)
    expect((await send(cached, FRONT_PAGE, variables)).statements).toEqual([])
  })
})

describe('a result with errors', () => {
  it('is not cached', async () => {
    await settled(cached)
    // one field answers (with SQL), the other fails on its id: data and errors
    const query = `{ stories(first: 1) { totalCount } node(id: "not-a-global-id") { id } }`
    const first = await send(cached, query)
    expect(first.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT')
    expect(first.body.data.stories.totalCount).toBeGreaterThan(0)
    expect(first.statements.length).toBeGreaterThan(0)
    const second = await send(cached, query)
    expect(second.statements.length).toBe(first.statements.length)
    expect(second.text).toBe(first.text)
  })
})

describe('a hit', () => {
  it('still spends its cost from the rate limit, and is refused once the budget is spent', async () => {
    // cost 3 (story, tags, people) from a budget of 10: three requests, then refused (were a hit
    // not costed, it would spend 1, and the fourth would pass)
    const app = await start(db, { ...CACHED, RATE_LIMIT_PUBLIC_POINTS: 10, RATE_LIMIT_WINDOW_SECONDS: 3600 })
    const query = `{ story(slug: "${SAMPLE}") { headline tags { totalCount } people { totalCount } } }`
    const miss = await send(app, query)
    expect(miss.body.errors).toBeUndefined()
    expect(miss.statements.length).toBeGreaterThan(0)
    for (let i = 0; i < 2; i++) {
      const hit = await send(app, query)
      expect(hit.statements).toEqual([])
      expect(hit.text).toBe(miss.text)
    }
    const refused = await send(app, query)
    expect(refused.status).toBe(429)
    expect(refused.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED')
    expect(refused.body.data).toBeUndefined()
  })
})

// Two processes on one PostgreSQL database, told of each other's commits through Redis.
describe('GET /cache-stats (RESPONSE_CACHE_STATS)', () => {
  const stats = (app: App, headers: Record<string, string> = {}) =>
    app.yoga.fetch('http://test/cache-stats', { headers })

  it("answers editors the cache's counts, which a miss and a hit move", async () => {
    const app = await start(db, { ...CACHED, RESPONSE_CACHE_STATS: true })
    const read = async () =>
      (await stats(app, editor)).json() as Promise<{ hits: number; misses: number; invalidations: number }>
    const before = await read()
    const slug = 'hippo-overturns-boat-ivory-coast-eleven-missing'
    for (let i = 0; i < 2; i++) await send(app, STORY_PAGE, { slug })
    const after = await read()
    expect(after.misses - before.misses).toBe(1)
    expect(after.hits - before.hits).toBe(1)
    expect(after.invalidations).toBeGreaterThanOrEqual(before.invalidations)
  })

  it('is an unknown path to the public, and to everyone when the setting is off (its default)', async () => {
    const on = await start(db, { ...CACHED, RESPONSE_CACHE_STATS: true })
    expect((await stats(on)).status).toBe(404)
    expect((await stats(on, { authorization: 'Bearer not-a-token' })).status).toBe(404)
    expect((await stats(cached, editor)).status).toBe(404)
  })
})

if (TEST_DB === 'postgres') {
  describe('two processes sharing Redis', () => {
    const REDIS_URL = 'redis://127.0.0.1:6379'
    let other: Database
    const otherStatements: string[] = []
    let a: App
    let b: App

    beforeAll(async () => {
      other = await openDatabase({
        DATABASE_URL: db.url,
        DATA_DIR: 'memory://',
        DATABASE_POOL_MAX: 2,
        DATABASE_CONNECT_TIMEOUT_MS: 3_000,
        onStatement: (sql) => otherStatements.push(sql),
      })
      // each polls the change log only every minute: what B learns within seconds came through Redis
      a = await start(db, { ...CACHED, REDIS_URL })
      b = await start(other, { ...CACHED, REDIS_URL })
    })
    afterAll(() => other?.close())

    it("a change committed through A is in B's next public query once B's feed has read it", async () => {
      const connected = (app: App, role: string) =>
        app.logLines.some((l) => l.redis === role && /connected to Redis/.test(String(l.msg)))
      await expect.poll(() => connected(a, 'publish') && connected(b, 'subscribe'), { timeout: 10_000 }).toBe(true)
      const slug = 'surfer-killed-large-shark-sydney'
      const page = () => send(b, STORY_PAGE, { slug }, {}, otherStatements)
      const first = await page()
      expect(first.body.data.story.headline).toBeTruthy()
      expect((await page()).statements).toEqual([])

      const generation = b.feed.generation
      const { story } = await mutate(a, STORY_VERSION, { slug })
      const { updateStory } = await mutate(a, UPDATE_HEADLINE, {
        id: story.id,
        version: story.version,
        headline: 'Changed through process A',
      })
      expect(updateStory.__typename).toBe('Story')
      await expect.poll(() => b.feed.generation, { timeout: 10_000, interval: 10 }).toBeGreaterThan(generation)

      const after = await page()
      expect(after.body.data.story.headline).toBe('Changed through process A')
      expect(after.statements.length).toBe(first.statements.length)
      expect((await page()).statements).toEqual([])
    })
  })
}
