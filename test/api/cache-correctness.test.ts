// The response cache never answers what the engine would not: after every commit of a random
// sequence of editor operations (test/helpers/newsroom-model.ts), made either by the cached
// process itself or by another one (whose commit it learns of by reading the change log), every
// public query asked of the cached app answers exactly what the same query answers with the cache
// off. Each query is asked twice, so the second is a hit whenever the cache kept the first.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { editorOpArb, Newsroom, type EditorOp } from '../helpers/newsroom-model.js'

type App = ReturnType<typeof testApp>

let db: TestDatabase
let cached: App
let plain: App
let editor: Record<string, string>
let newsroom: Newsroom
/** which app carries out the next write: the cached one (its own commit) or the other */
let writer: App

const STORY = `id slug headline lede status urgency language withdrawal { reason } corrections { totalCount edges { node { kind text } } }
  tags { edges { node { slug name } } } people { edges { node { slug name } } } events { edges { node { slug name status } } }`

/** The public's queries: lists, lookups (found and not), search, related, an event and its timeline. */
function queries(): { query: string; variables?: Record<string, unknown> }[] {
  const slugs = newsroom.stories.map((s) => s.slug)
  return [
    { query: `{ stories(first: 20) { totalCount edges { node { ${STORY} } } } }` },
    { query: `{ stories(first: 10, filter: { tag: "model-a" }) { totalCount edges { node { slug headline } } } }` },
    {
      query: `{ tag(slug: "model-b") { name stories(first: 10) { totalCount edges { node { slug headline urgency } } } } }`,
    },
    { query: `{ person(slug: "model-person") { name stories(first: 10) { totalCount edges { node { slug } } } } }` },
    { query: `{ search(query: "Lede", first: 10) { totalCount edges { node { slug } } } }` },
    {
      query: `{ event(slug: "model-talks") { name status statusHistory(first: 5) { totalCount } timeline(first: 20) { totalCount edges { node { __typename } } }
        stories(first: 10) { totalCount edges { node { slug } } } } }`,
    },
    ...slugs.map((slug) => ({
      query: `query($slug: String!) { story(slug: $slug) { ${STORY} related(first: 5) { totalCount edges { reason node { slug headline } } } } }`,
      variables: { slug },
    })),
    ...newsroom.stories.map((s) => ({
      query: `query($id: ID!) { node(id: $id) { ... on Story { slug headline status } } }`,
      variables: { id: s.id },
    })),
  ]
}

async function ask(app: App, q: { query: string; variables?: Record<string, unknown> }) {
  const { data, errors } = await app.run<any, any>(q.query, q.variables)
  expect(errors, q.query).toBeUndefined()
  return data
}

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  // the change log is polled only every minute: the cached app learns of the other's commits
  // when the test has its feed read them (readNow), as it would at a poll or a Redis notice
  cached = testApp(db, {
    settings: { RESPONSE_CACHE_TTL_MS: 600_000, RESPONSE_CACHE_MAX_ENTRIES: 5_000, LIVE_POLL_MS: 60_000 },
  })
  plain = testApp(db, { settings: { LIVE_POLL_MS: 60_000 } })
  await Promise.all([cached.feedStarted, plain.feedStarted])
  editor = await asRole('editor')
  writer = cached
  const write = async (query: string, variables: Record<string, unknown>) => {
    const { data, errors } = await writer.run<Record<string, any>, Record<string, unknown>>(query, variables, editor)
    expect(errors, JSON.stringify(errors)).toBeUndefined()
    return Object.values(data!)[0] as Record<string, any>
  }
  newsroom = await new Newsroom(db, write).open()
})
afterAll(async () => {
  await cached?.close()
  await plain?.close()
  await db?.drop()
})

describe('the public response cache', () => {
  it('answers after every commit exactly what the engine answers without it', async () => {
    const hitsBefore = cached.cacheStats!.hits
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(editorOpArb, fc.boolean()), { minLength: 8, maxLength: 20 }),
        async (steps: [EditorOp, boolean][]) => {
          await newsroom.begin()
          for (const [i, [op, elsewhere]] of steps.entries()) {
            writer = elsewhere ? plain : cached
            await newsroom.apply(op)
            // the cached process has read the commit (its own, at once; another's, at its next read)
            await cached.feed.readNow()
            for (const q of queries()) {
              const want = await ask(plain, q)
              expect(
                await ask(cached, q),
                `step ${i} (${op.kind}${elsewhere ? ', elsewhere' : ''}): ${q.query.slice(0, 80)}`,
              ).toEqual(want)
              expect(await ask(cached, q), `step ${i}, asked again: ${q.query.slice(0, 80)}`).toEqual(want)
            }
          }
        },
      ),
      { numRuns: 5, seed: 61206, endOnFailure: true },
    )
    // the cache was used, not bypassed
    expect(cached.cacheStats!.hits - hitsBefore).toBeGreaterThan(100)
  }, 300_000)
})
