// The shipped VCL (deploy/varnish/default.vcl) in a real Varnish in front of a real server: it keeps
// the public's GET answers (the second fetch a HIT), passes editors, drops exactly what a PURGE's
// xkey names (and a committed change's keys, src/edge/keys.ts purgeKeys, bring its news), and
// purges only for the addresses of its ACL.
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashOf } from '../../src/clients/documents.js'
import { purgeKeys } from '../../src/edge/keys.js'
import { StoryBySlugDocument, StoryPageDocument } from '../../src/generated/clients/graphql.js'
import type { ChangeEntry } from '../../src/live/changes.js'
import { asRole } from '../helpers/api.js'
import { get, post, startBehindVarnish, storyKey, type Answer } from '../helpers/edge.js'
import type { TestServer } from '../helpers/server.js'
import type { Varnish } from '../helpers/varnish.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
const STORY = { documentId: `sha256:${hashOf(StoryBySlugDocument)}`, variables: { slug: SAMPLE } }
const STORY_PAGE = { documentId: `sha256:${hashOf(StoryPageDocument)}` }

let edge: Awaited<ReturnType<typeof startBehindVarnish>>
let server: TestServer
let varnish: Varnish
let editor: Record<string, string>

beforeAll(async () => {
  edge = await startBehindVarnish()
  ;({ server, varnish } = edge)
  editor = await asRole('editor', 'varnish-editor')
})
afterAll(async () => {
  await edge?.close()
})

const cache = (answer: Answer) => answer.headers.get('x-cache')

/** A PURGE to Varnish from `localAddress`: its status, the count it reports, its body. */
function purge(headers: Record<string, string>, localAddress = '127.0.0.1') {
  return new Promise<{ status: number; purged: string | null; text: string }>((resolve, reject) => {
    const req = request(`${varnish.origin}/`, { method: 'PURGE', headers, localAddress }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode!, purged: (res.headers['xkey-purged'] as string) ?? null, text }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

/** Fetches through Varnish until it serves the answer from its cache (the first fetch fills it). */
async function cached(params: Record<string, unknown>) {
  const first = await get(varnish.origin, params)
  expect(first.status).toBe(200)
  const again = await get(varnish.origin, params)
  expect(cache(again)).toBe('HIT')
  return again
}

describe('Varnish with the shipped VCL', () => {
  it('keeps a public story page: MISS, then HIT with the same body, the keys not shown', async () => {
    const first = await get(varnish.origin, STORY)
    expect([first.status, cache(first)]).toEqual([200, 'MISS'])
    const second = await get(varnish.origin, STORY)
    expect([second.status, cache(second)]).toEqual([200, 'HIT'])
    expect(second.text).toBe(first.text)
    expect(second.text).toBe((await get(server.origin, STORY)).text)
    for (const name of ['xkey', 'surrogate-key', 'cache-tag']) expect(second.headers.get(name), name).toBeNull()
    expect(second.headers.get('cache-control')).toMatch(/^public, /)
  })

  it("passes an editor's requests to the server, and keeps none of them", async () => {
    for (const _ of [1, 2]) {
      const answer = await get(varnish.origin, STORY, editor)
      expect([answer.status, cache(answer)]).toEqual([200, 'PASS'])
      expect(answer.headers.get('cache-control')).toBe('private, no-store')
    }
    // nor any answer to a request with a cookie
    const withCookie = await get(varnish.origin, STORY, { cookie: 'session=1', 'x-graphql-yoga-csrf': '1' })
    expect(cache(withCookie)).toBe('PASS')
  })

  it('drops what a PURGE names in xkey, and keeps what does not depend on it', async () => {
    const story = await cached(STORY)
    const tagOnly = { query: '{ tag(slug: "no-such-tag") { name } }' }
    await cached(tagOnly)
    const purged = await purge({ xkey: storyKey(story.body!.data.story.id) })
    expect(purged.status).toBe(200)
    expect(Number(purged.purged)).toBeGreaterThanOrEqual(1)
    expect(purged.text).toBe(`Purged ${purged.purged} objects\n`)
    expect(cache(await get(varnish.origin, STORY))).toBe('MISS')
    expect(cache(await get(varnish.origin, tagOnly))).toBe('HIT')
  })

  it('brings a change once its keys are purged (purgeKeys of the committed change), not before', async () => {
    const before = await cached(STORY_PAGE)
    const { story } = (await get(server.origin, STORY)).body!.data
    const changes: ChangeEntry[] = []
    const stop = server.app.feed.observe((change) => changes.push(change))
    const version = (
      await post(server.origin, { query: `{ node(id: "${story.id}") { ... on Story { version } } }` }, editor)
    ).body!.data.node.version
    const updated = await post(
      server.origin,
      {
        query: `mutation($id: ID!, $v: Int!, $input: StoryUpdateInput!) { updateStory(id: $id, version: $v, input: $input) { __typename } }`,
        variables: { id: story.id, v: version, input: { headline: 'Talks resume, the edge learns of it' } },
      },
      editor,
    )
    stop()
    expect(updated.body!.data.updateStory.__typename).toBe('Story')
    // the edge still holds the old page: that is what purges are for
    const stale = await get(varnish.origin, STORY_PAGE)
    expect([cache(stale), stale.text]).toEqual(['HIT', before.text])
    const keys = purgeKeys(changes[0])
    expect(keys).toContain(storyKey(story.id))
    expect((await purge({ xkey: keys.join(' ') })).status).toBe(200)
    const fresh = await get(varnish.origin, STORY_PAGE)
    expect(cache(fresh)).toBe('MISS')
    expect(fresh.body!.data.story.headline).toBe('Talks resume, the edge learns of it')
  })

  it('refuses a PURGE from outside its ACL (403) and purges nothing; without keys it is a 400', async () => {
    const story = await cached(STORY)
    const refused = await purge({ xkey: storyKey(story.body!.data.story.id) }, '127.0.0.2')
    expect([refused.status, refused.purged]).toEqual([403, null])
    expect(cache(await get(varnish.origin, STORY))).toBe('HIT')
    expect((await purge({})).status).toBe(400)
    expect(cache(await get(varnish.origin, STORY))).toBe('HIT')
  })
})
