// The edge end to end: a real Varnish with the shipped VCL (deploy/varnish/default.vcl) in front
// of a real server, and the purger following the change log and purging Varnish by xkey. Editors
// write through the API; readers read through Varnish by GET. A correction reaches the readers
// within a second of the mutation's answer, an unrelated edit leaves the page cached, and a new
// story tagged `gaza` refreshes the front page and the `gaza` list.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashOf } from '../../src/clients/documents.js'
import { createPurger, type Purger } from '../../src/edge/purger.js'
import { FrontPageDocument, StoryBySlugDocument, TagStoriesDocument } from '../../src/generated/clients/graphql.js'
import { asRole } from '../helpers/api.js'
import { get, post, startBehindVarnish } from '../helpers/edge.js'
import { until } from '../helpers/poll.js'
import type { TestServer } from '../helpers/server.js'
import type { Varnish } from '../helpers/varnish.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
const byHash = (document: Parameters<typeof hashOf>[0], variables?: Record<string, unknown>) => ({
  documentId: `sha256:${hashOf(document)}`,
  ...(variables && { variables }),
})
const STORY = byHash(StoryBySlugDocument, { slug: SAMPLE })
const FRONT_PAGE = byHash(FrontPageDocument)
const GAZA = byHash(TagStoriesDocument, { tag: 'gaza' })

let edge: Awaited<ReturnType<typeof startBehindVarnish>>
let server: TestServer
let varnish: Varnish
let purger: Purger
let editor: Record<string, string>

beforeAll(async () => {
  edge = await startBehindVarnish()
  ;({ server, varnish } = edge)
  // the app's own purger, pointed at this Varnish (its port is known only now)
  purger = createPurger({
    prisma: server.db.prisma,
    log: pino({ level: 'silent' }),
    config: { ...server.config, PURGE_VARNISH_URLS: [varnish.origin], LIVE_POLL_MS: 60_000 },
    feed: server.app.feed,
  })!
  purger.start()
  await until('the purger has its cursor', async () =>
    (await server.db.prisma.purgeCursor.count()) ? true : undefined,
  )
  editor = await asRole('editor', 'cdn-editor')
})
afterAll(async () => {
  await purger?.stop()
  await edge?.close()
})

/** Through Varnish; what it answered and whether it came from its cache. */
async function read(params: Record<string, unknown>) {
  const answer = await get(varnish.origin, params)
  expect(answer.status).toBe(200)
  return { data: answer.body!.data, cache: answer.headers.get('x-cache') }
}

/** Reads until Varnish serves it from its cache (the first read fills it). */
async function cachedRead(params: Record<string, unknown>) {
  await read(params)
  const again = await read(params)
  expect(again.cache).toBe('HIT')
  return again.data
}

/** An editor's mutation; its data, which must have no errors. */
async function mutate(query: string, variables: Record<string, unknown>) {
  const answer = await post(server.origin, { query, variables }, editor)
  expect(answer.body!.errors).toBeUndefined()
  return answer.body!.data
}

/** Waits until every change committed so far is purged at Varnish (its cursor reached the log's end). */
async function purged() {
  const { seq } = await server.db.prisma.change.findFirstOrThrow({ orderBy: { seq: 'desc' } })
  await until('the purger to reach the newest change', async () =>
    (await server.db.prisma.purgeCursor.findFirstOrThrow()).seq >= seq ? true : undefined,
  )
}

const version = async (id: string) =>
  (await mutate(`query($id: ID!) { node(id: $id) { ... on Story { version } } }`, { id })).node.version as number

describe('behind Varnish, purged by the change log', () => {
  it('keeps a story page: the second fetch is a hit', async () => {
    const first = await read(STORY)
    const second = await read(STORY)
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT'])
    expect(second.data).toEqual(first.data)
  })

  it("shows an editor's correction within 1 s of the mutation's answer", async () => {
    const { story } = await cachedRead(STORY)
    await mutate(
      `mutation($id: ID!, $text: String!) { addCorrection(storyId: $id, kind: CORRECTION, text: $text) { __typename } }`,
      { id: story.id, text: 'An earlier version misnamed the mediators.' },
    )
    const answered = Date.now()
    // the page through Varnish, asked until it shows the correction: within the second, not after
    const shown = await until(
      'the correction through Varnish',
      async () => {
        const answer = await get(varnish.origin, byHash(StoryBySlugDocument, { slug: SAMPLE }))
        const texts = answer.body!.data.story.corrections.edges.map((e: { node: { text: string } }) => e.node.text)
        return texts.includes('An earlier version misnamed the mediators.') ? Date.now() : undefined
      },
      { timeoutMs: 1000, everyMs: 20 },
    )
    expect(shown - answered).toBeLessThanOrEqual(1000)
  })

  it('leaves the page a hit when an unrelated story is edited', async () => {
    // a story of the sample that the page neither shows nor lists among its related stories
    const { story } = await cachedRead(STORY)
    const shown = new Set([story.slug, ...story.related.edges.map((e: { node: { slug: string } }) => e.node.slug)])
    const other = await server.db.prisma.story.findFirstOrThrow({
      where: { slug: { notIn: [...shown] }, status: 'PUBLISHED' },
      select: { id: true },
    })
    const id = encodeGlobalID('Story', other.id)
    await mutate(
      `mutation($id: ID!, $v: Int!) { updateStory(id: $id, version: $v, input: { headline: "An unrelated edit" }) { __typename } }`,
      { id, v: await version(id) },
    )
    await purged()
    expect((await read(STORY)).cache).toBe('HIT')
  })

  it('refreshes the front page and the gaza list when a story tagged gaza is published', async () => {
    await cachedRead(FRONT_PAGE)
    const before = await cachedRead(GAZA)
    const gaza = await server.db.prisma.tag.findUniqueOrThrow({ where: { slug: 'gaza' }, select: { id: true } })
    const headline = 'Aid convoy reaches northern Gaza'
    const created = await mutate(
      `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } } }`,
      {
        input: {
          headline,
          slug: 'aid-convoy-reaches-northern-gaza',
          byline: 'Desk',
          lede: 'The first convoy in weeks.',
          tagIds: [encodeGlobalID('Tag', gaza.id)],
        },
      },
    )
    const { id, version: v } = created.createStory
    await mutate(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, { id, v })
    await purged()
    const front = await read(FRONT_PAGE)
    const list = await read(GAZA)
    expect([front.cache, list.cache]).toEqual(['MISS', 'MISS'])
    expect(front.data.stories.edges[0].node.headline).toBe(headline)
    expect(list.data.stories.edges[0].node.headline).toBe(headline)
    expect(list.data.stories.edges.length).toBe(Math.min(10, before.stories.edges.length + 1))
  })
})
