// The public edge over real HTTP (src/edge, docs/edge.md): trusted documents by GET (documentId and
// Apollo's APQ hash), CSRF only where a credential could ride along, 400 for answers without data
// under application/graphql-response+json, and the caching headers: Cache-Control, ETag and 304,
// the keys (Surrogate-Key, xkey, Cache-Tag) with the in-memory cache off and on, Vary; private for
// editors, errors and mutations; no draft in any public answer's keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashOf, persistedQuery } from '../../src/clients/documents.js'
import type { Config } from '../../src/config.js'
import { parseCacheRules } from '../../src/edge/rules.js'
import { loadTrustedDocuments } from '../../src/server/trusted-documents.js'
import {
  FrontPageDocument,
  HeadlinesDocument,
  SearchDocument,
  StoryBySlugDocument,
  StoryPageDocument,
} from '../../src/generated/clients/graphql.js'
import { asRole, listening, testApp } from '../helpers/api.js'
import { get, post, storyKey, type Answer } from '../helpers/edge.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
const NO_RATE_LIMITS: Partial<Config> = { RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0 }
const documents = loadTrustedDocuments()
const byId = (document: Parameters<typeof hashOf>[0], variables?: Record<string, unknown>) => ({
  documentId: `sha256:${hashOf(document)}`,
  ...(variables && { variables }),
})
const STORY = byId(StoryBySlugDocument, { slug: SAMPLE })

let server: TestServer
let editor: Record<string, string>
const apps: ReturnType<typeof testApp>[] = []

/** Another app on the same database with other settings, listening; its origin. */
async function variant(settings: Partial<Config>) {
  const app = testApp(server.db, { settings: { ...NO_RATE_LIMITS, ...settings } })
  apps.push(app)
  return { app, origin: await listening(app) }
}

beforeAll(async () => {
  server = await startTestServer(NO_RATE_LIMITS)
  editor = await asRole('editor', 'edge-editor')
})
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()))
  await server?.close()
})

/** An answer no cache may keep: private, no-store, with no keys and no validator. */
function expectPrivate(answer: Answer) {
  expect(answer.headers.get('cache-control')).toBe('private, no-store')
  for (const name of ['surrogate-key', 'xkey', 'cache-tag', 'etag']) expect(answer.headers.get(name), name).toBeNull()
  expect(answer.headers.get('vary')).toMatch(/\bAccept\b.*\bAuthorization\b/)
}

describe('trusted documents by GET', () => {
  it('answers by documentId (with or without sha256:) and by APQ hash what POST answers for the text', async () => {
    const text = documents.get(hashOf(FrontPageDocument))!
    const byText = await post(server.origin, { query: text })
    expect(byText.body!.data.stories.edges.length).toBeGreaterThan(0)
    for (const params of [
      byId(FrontPageDocument),
      { documentId: hashOf(FrontPageDocument) },
      { extensions: persistedQuery(FrontPageDocument) },
    ]) {
      const byHash = await get(server.origin, params)
      expect(byHash.status, JSON.stringify(params)).toBe(200)
      expect(byHash.text).toBe(byText.text)
    }
    expect((await post(server.origin, byId(FrontPageDocument))).text).toBe(byText.text)
  })

  it('takes the variables with the hash', async () => {
    const answer = await get(server.origin, STORY)
    expect(answer.status).toBe(200)
    expect(answer.body!.data.story).toMatchObject({ slug: SAMPLE, headline: expect.any(String) })
    expect(answer.text).toBe(
      (await post(server.origin, { query: documents.get(hashOf(StoryBySlugDocument)), variables: { slug: SAMPLE } }))
        .text,
    )
  })

  it('is all the public may run by GET with TRUSTED_DOCUMENTS_ONLY', async () => {
    const { origin } = await variant({ TRUSTED_DOCUMENTS_ONLY: true })
    const listed = await get(origin, STORY)
    expect([listed.status, listed.headers.get('cache-control')]).toEqual([200, expect.stringMatching(/^public, /)])
    const other = await get(origin, { query: '{ story(slug: "x") { headline } }' })
    expect(other.status).toBe(403)
    expect(other.body!.errors!.map((e) => e.extensions?.code)).toEqual(['TRUSTED_DOCUMENT_REQUIRED'])
    expectPrivate(other)
  })

  it('refuses an unknown hash with 400 PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const params of [
      { documentId: `sha256:${'ab'.repeat(32)}` },
      { documentId: `md5:${hashOf(FrontPageDocument)}` },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } },
    ]) {
      const answer = await get(server.origin, params)
      expect(answer.status).toBe(400)
      expect(answer.body!.errors!.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND'])
      expectPrivate(answer)
    }
  })

  it('never runs a mutation by GET (405), not even an editor’s', async () => {
    const answer = await get(server.origin, { query: 'mutation { __typename }' }, editor)
    expect(answer.status).toBe(405)
    expect(answer.headers.get('allow')).toBe('POST')
    expectPrivate(answer)
  })

  it('needs no CSRF header without credentials; with a cookie it does', async () => {
    expect((await get(server.origin, byId(FrontPageDocument))).status).toBe(200)
    const withCookie = await get(server.origin, byId(FrontPageDocument), { cookie: 'session=1' })
    expect(withCookie.status).toBe(403)
    expect(withCookie.body!.errors!.map((e) => e.extensions?.code)).toEqual(['CSRF_HEADER_REQUIRED'])
    const marked = await get(server.origin, byId(FrontPageDocument), {
      cookie: 'session=1',
      'x-graphql-yoga-csrf': '1',
    })
    expect(marked.status).toBe(200)
  })
})

describe('the status of an answer without data', () => {
  const refused = [
    ['a page too large', { query: '{ stories(first: 101) { totalCount } }' }, 'BAD_USER_INPUT'],
    ['a field that does not exist', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable of the wrong type', byId(StoryBySlugDocument, { slug: 5 }), 'BAD_USER_INPUT'],
  ] as const

  it.each(refused)(
    'is 400 for application/graphql-response+json, 200 for application/json: %s',
    async (_, params, code) => {
      const spec = await get(server.origin, params)
      expect(spec.status).toBe(400)
      expect(spec.body).not.toHaveProperty('data')
      expect(spec.body!.errors!.map((e) => e.extensions?.code)).toEqual([code])
      expectPrivate(spec)
      for (const accept of ['application/json', '*/*']) {
        const legacy = await get(server.origin, params, { accept })
        expect({ accept, status: legacy.status }).toEqual({ accept, status: 200 })
        expect(legacy.body).toEqual(spec.body)
        expectPrivate(legacy)
      }
    },
  )

  it('is 200 for an answer with data, null included', async () => {
    const answer = await get(server.origin, byId(StoryBySlugDocument, { slug: 'no-such-story' }))
    expect([answer.status, answer.body]).toEqual([200, { data: { story: null } }])
    expect(answer.keys).toEqual(['all', 'missing'])
  })
})

describe('a public answer', () => {
  it('may be kept: Cache-Control from the settings, a strong ETag, its keys in three headers, Vary', async () => {
    const answer = await get(server.origin, STORY)
    const { EDGE_MAX_AGE_SECONDS: maxAge, EDGE_S_MAXAGE_SECONDS: sMaxAge } = server.config
    expect(answer.headers.get('cache-control')).toBe(
      `public, max-age=${maxAge}, s-maxage=${sMaxAge}, stale-while-revalidate=${server.config.EDGE_STALE_WHILE_REVALIDATE_SECONDS}`,
    )
    expect(answer.headers.get('etag')).toMatch(/^"[\w-]{27}"$/)
    expect(answer.headers.get('vary')).toMatch(/\bAccept\b.*\bAuthorization\b/)
    expect(answer.keys![0]).toBe('all')
    expect(answer.keys).toContain(storyKey(answer.body!.data.story.id))
    expect(answer.headers.get('xkey')).toBe(answer.keys!.join(' '))
    expect(answer.headers.get('cache-tag')).toBe(answer.keys!.join(','))
    // a POST of the same query says the same (only GET is ever answered 304)
    const byPost = await post(server.origin, STORY, { 'if-none-match': answer.headers.get('etag')! })
    expect(byPost.status).toBe(200)
    for (const name of ['cache-control', 'etag', 'surrogate-key'])
      expect(byPost.headers.get(name), name).toBe(answer.headers.get(name))
  })

  it('is 304 without a body for a GET whose If-None-Match holds its ETag', async () => {
    const first = await get(server.origin, STORY)
    const etag = first.headers.get('etag')!
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get(server.origin, STORY, { 'if-none-match': header })
      expect([again.status, again.text], header).toEqual([304, ''])
      for (const name of ['etag', 'cache-control', 'surrogate-key', 'vary'])
        expect(again.headers.get(name), name).toBe(first.headers.get(name))
    }
    expect((await get(server.origin, STORY, { 'if-none-match': '"other"' })).status).toBe(200)
    // another media type is another representation
    const json = await get(server.origin, STORY, { accept: 'application/json', 'if-none-match': etag })
    expect(json.status).toBe(200)
    expect(json.headers.get('etag')).not.toBe(etag)
  })

  it('of the front page is filed under list:stories and the stories it shows', async () => {
    const answer = await get(server.origin, byId(FrontPageDocument))
    expect(answer.keys).toEqual(expect.arrayContaining(['all', 'list:stories']))
    expect(answer.keys!.filter((key) => key.startsWith('Story-')).length).toBe(answer.body!.data.stories.edges.length)
  })

  it('has the same keys with the in-memory cache on, on a miss and on a hit', async () => {
    const { app, origin } = await variant({ RESPONSE_CACHE_TTL_MS: 60_000 })
    for (const params of [STORY, byId(FrontPageDocument), byId(SearchDocument)]) {
      const off = await get(server.origin, params)
      const hits = app.cacheStats!.hits
      const miss = await get(origin, params)
      const hit = await get(origin, params)
      expect(app.cacheStats!.hits).toBe(hits + 1)
      expect(off.keys!.length).toBeGreaterThan(1)
      for (const answer of [miss, hit]) {
        expect(answer.text).toBe(off.text)
        expect(answer.keys).toEqual(off.keys)
        expect(answer.headers.get('etag')).toBe(off.headers.get('etag'))
      }
    }
  })

  it('takes the lowest lifetimes of the rules its root fields and types match (EDGE_CACHE_RULES)', async () => {
    const { origin } = await variant({
      EDGE_MAX_AGE_SECONDS: 20,
      EDGE_S_MAXAGE_SECONDS: 600,
      EDGE_STALE_WHILE_REVALIDATE_SECONDS: 60,
      EDGE_CACHE_RULES: parseCacheRules('search=max-age:5,s-maxage:30;Event=s-maxage:300;story=s-maxage:400'),
    })
    const control = async (params: Record<string, unknown>) => (await get(origin, params)).headers.get('cache-control')
    expect(await control(byId(SearchDocument))).toBe('public, max-age=5, s-maxage=30, stale-while-revalidate=60')
    // the story page shows events: Event's 300 is lower than story's 400
    expect(await control(byId(StoryPageDocument))).toBe('public, max-age=20, s-maxage=300, stale-while-revalidate=60')
    // no rule matches: the defaults
    expect(await control({ query: `{ tag(slug: "no-such-tag") { name } }` })).toBe(
      'public, max-age=20, s-maxage=600, stale-while-revalidate=60',
    )
  })

  it('is private, no-store for everyone with EDGE_CACHE off', async () => {
    const { origin } = await variant({ EDGE_CACHE: false })
    const answer = await get(origin, STORY)
    expect(answer.status).toBe(200)
    expectPrivate(answer)
  })
})

describe('an answer no cache may keep', () => {
  it("is an editor's, with or without an error", async () => {
    const answer = await get(server.origin, STORY, editor)
    expect(answer.body!.data.story.slug).toBe(SAMPLE)
    expectPrivate(answer)
    expectPrivate(await get(server.origin, { query: '{ stories(first: 101) { totalCount } }' }, editor))
  })

  it('is one with a bad token (401), an error, or a mutation’s', async () => {
    const badToken = await get(server.origin, STORY, { authorization: 'Bearer nope' })
    expect(badToken.status).toBe(401)
    expectPrivate(badToken)
    expectPrivate(await get(server.origin, { query: '{ stories(first: 101) { totalCount } }' }))
    const mutation = 'mutation { publishStory(id: "U3Rvcnk6bm9uZQ==", version: 1) { __typename } }'
    expectPrivate(await post(server.origin, { query: mutation }))
    expectPrivate(await post(server.origin, { query: mutation }, editor))
  })

  it('leaves an event stream as it is', async () => {
    const controller = new AbortController()
    const response = await fetch(`${server.origin}/graphql?documentId=sha256:${hashOf(HeadlinesDocument)}`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(response.headers.get('cache-control')).not.toMatch(/public/)
    expect(response.headers.get('surrogate-key')).toBeNull()
    controller.abort()
  })
})

describe('drafts', () => {
  it('are in no public answer nor its keys; an editor’s answer about one is private', async () => {
    const tags = (await get(server.origin, STORY)).body!.data.story.tags.edges.map((e: any) => e.node.slug)
    const tag = (await post(server.origin, { query: `{ tag(slug: "${tags[0]}") { id } }` })).body!.data.tag.id
    const created = await post(
      server.origin,
      {
        query: `mutation($input: StoryInput!) { createStory(input: $input) { __typename ... on Story { id status } } }`,
        variables: { input: { slug: 'edge-draft', headline: 'An edge draft', urgency: 1, tagIds: [tag] } },
      },
      editor,
    )
    expect(created.body!.data.createStory).toMatchObject({ __typename: 'Story', status: 'DRAFT' })
    const draftKey = storyKey(created.body!.data.createStory.id)

    const tagPage = `{ tag(slug: "${tags[0]}") { stories(first: 50) { totalCount edges { node { slug } } } } }`
    for (const params of [byId(FrontPageDocument), byId(SearchDocument), STORY, { query: tagPage }]) {
      const answer = await get(server.origin, params)
      expect(answer.status).toBe(200)
      expect(answer.keys, JSON.stringify(params)).not.toContain(draftKey)
      expect(answer.text).not.toContain('edge-draft')
      expect(answer.text).not.toContain('An edge draft')
    }
    const lookup = await get(server.origin, byId(StoryBySlugDocument, { slug: 'edge-draft' }))
    expect([lookup.body, lookup.keys]).toEqual([{ data: { story: null } }, ['all', 'missing']])
    const editors = await get(server.origin, byId(StoryBySlugDocument, { slug: 'edge-draft' }), editor)
    expect(editors.body!.data.story.headline).toBe('An edge draft')
    expectPrivate(editors)
  })
})
