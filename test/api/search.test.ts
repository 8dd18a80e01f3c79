// Full-text search over published stories: ranking by where a word matches, stemming, web-style
// queries, HTML-safe snippets, paging, and queries made only of stop-words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoryStatus } from '../../src/generated/prisma/enums.js'
import { readingStats } from '../../src/resolvers/reading.js'
import { SearchPageDocument, type SearchPageQueryVariables } from '../generated/graphql.js'
import { testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>

const T0 = Date.parse('2025-05-01T06:00:00.000Z')
const hours = (h: number) => new Date(T0 + h * 3_600_000)

interface StoryText {
  slug: string
  headline: string
  lede?: string
  /** one paragraph of body */
  body?: string
  status?: StoryStatus
  at?: Date
}

/** Writes a story the way the app does: sections, and the plain body text search reads. */
async function makeStory({ slug, headline, lede, body, status = 'PUBLISHED', at = hours(0) }: StoryText) {
  const sections = body ? [{ heading: null, paragraphs: [body] }] : []
  await db.prisma.story.create({
    data: {
      slug,
      headline,
      lede,
      status,
      firstPublishedAt: status === 'DRAFT' ? null : at,
      ...readingStats({ lede, sections }),
      sections: { create: sections.map((s, position) => ({ position, ...s })) },
    },
  })
}

const NEIGHBOURS = 'Neighbours gathered on the pier to wave goodbye.'
const SCRIPT_BODY =
  'Inspectors say the harbour authority web form printed <script>alert("x")</script> & a "quoted" warning to visitors.'

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db)

  // "lighthouse" once each: in the headline, the lede or the body only. The body match is the
  // newest and the headline match the oldest, so only the rank can put them in the right order.
  await makeStory({
    slug: 'lighthouse-headline',
    headline: 'Lighthouse keeper retires after forty years',
    lede: 'A quiet farewell on the northern cape.',
    body: NEIGHBOURS,
    at: hours(0),
  })
  await makeStory({
    slug: 'lighthouse-lede',
    headline: 'Farewell on the northern cape',
    lede: 'The old lighthouse keeper has retired after forty years.',
    body: NEIGHBOURS,
    at: hours(1),
  })
  await makeStory({
    slug: 'lighthouse-body',
    headline: 'Cape news in brief',
    lede: 'Several stories from along the coast.',
    body: 'Among them: the keeper of the lighthouse has retired.',
    at: hours(2),
  })
  for (const status of ['DRAFT', 'WITHDRAWN', 'SCHEDULED'] as const)
    await makeStory({
      slug: `lighthouse-${status.toLowerCase()}`,
      headline: 'Lighthouse sold to developer',
      lede: 'The lighthouse will become flats.',
      status,
      at: hours(3),
    })

  // talk, talks, ceasefire, football
  await makeStory({
    slug: 'talk-singular',
    headline: 'Union ready to talk',
    lede: 'Leaders meet ministers on Monday.',
    body: 'Pay is the main question.',
    at: hours(4),
  })
  await makeStory({
    slug: 'ceasefire-talks',
    headline: 'Ceasefire talks resume in Doha',
    lede: 'Mediators return to the table.',
    at: hours(5),
  })
  await makeStory({
    slug: 'talks-apart',
    headline: 'Talks on a ceasefire stall',
    lede: 'No date is set for a new round.',
    at: hours(6),
  })
  await makeStory({
    slug: 'talks-football',
    headline: 'Ceasefire talks overshadowed',
    lede: 'The football final drew more viewers.',
    at: hours(7),
  })
  await makeStory({ slug: 'talks-draft', headline: 'Ceasefire talks: a draft', status: 'DRAFT' })

  // markup in stored text
  await makeStory({
    slug: 'harbour-script',
    headline: 'Inspection report published',
    lede: 'A routine check turned up an oddity.',
    body: SCRIPT_BODY,
    at: hours(8),
  })

  // seven regatta stories to page through, and a draft that must not be counted
  for (let k = 1; k <= 7; k++)
    await makeStory({
      slug: `regatta-${k}`,
      headline: `Regatta day ${k}`,
      lede: k % 2 ? 'Boats on the bay.' : 'The regatta draws crowds to the bay.',
      at: hours(10 + k),
    })
  await makeStory({ slug: 'regatta-draft', headline: 'Regatta cancelled', status: 'DRAFT' })
})
afterAll(() => db?.drop())

async function search(vars: SearchPageQueryVariables) {
  const { data, errors } = await app.run(SearchPageDocument, vars)
  expect(errors).toBeUndefined()
  return data!.search
}
const slugs = (page: { edges: { node: { slug: string } }[] }) => page.edges.map((e) => e.node.slug)
const sorted = (xs: string[]) => [...xs].sort()
const withoutMarks = (snippet: string) => snippet.replaceAll('<mark>', '').replaceAll('</mark>', '')
/** Decodes the entities an HTML-escaped text may use. */
const unescapeHtml = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(
      /&(lt|gt|quot|apos|amp);/g,
      (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!,
    )

describe('search', () => {
  it('ranks a headline match above a lede match above a body-only match', async () => {
    const page = await search({ query: 'lighthouse' })
    expect(slugs(page)).toEqual(['lighthouse-headline', 'lighthouse-lede', 'lighthouse-body'])
    const [headline, lede, body] = page.edges.map((e) => e.rank)
    expect(headline).toBeGreaterThan(lede)
    expect(lede).toBeGreaterThan(body)
    expect(body).toBeGreaterThan(0)
    // the body match shows its passage with the word marked
    expect(page.edges[2].snippet).toContain('<mark>lighthouse</mark>')
  })

  it('finds published stories only', async () => {
    const page = await search({ query: 'lighthouse', first: 100 })
    expect(page.totalCount).toBe(3)
    expect(page.edges.every((e) => e.node.status === 'PUBLISHED')).toBe(true)
    for (const slug of ['lighthouse-draft', 'lighthouse-withdrawn', 'lighthouse-scheduled'])
      expect(slugs(page)).not.toContain(slug)

    const regatta = await search({ query: 'regatta', first: 100 })
    expect(regatta.totalCount).toBe(7)
    expect(slugs(regatta)).not.toContain('regatta-draft')
    expect(slugs(await search({ query: 'developer flats' }))).toEqual([]) // words only unpublished stories hold
  })

  it('stems words: "talks" finds "talk", and "talking" finds both', async () => {
    const talks = await search({ query: 'talks', first: 100 })
    expect(sorted(slugs(talks))).toEqual(['ceasefire-talks', 'talk-singular', 'talks-apart', 'talks-football'])
    expect(talks.totalCount).toBe(4)
    expect(talks.edges.find((e) => e.node.slug === 'talk-singular')!.node.headline).not.toMatch(/talks/i)
    expect(sorted(slugs(await search({ query: 'talking', first: 100 })))).toEqual(sorted(slugs(talks)))
  })

  it('understands web-style phrases, negation and "or"', async () => {
    expect(slugs(await search({ query: '"ceasefire talks" -football' }))).toEqual(['ceasefire-talks'])
    expect(sorted(slugs(await search({ query: '"ceasefire talks"' })))).toEqual(['ceasefire-talks', 'talks-football'])
    expect(sorted(slugs(await search({ query: 'ceasefire -football' })))).toEqual(['ceasefire-talks', 'talks-apart'])
    expect(sorted(slugs(await search({ query: 'doha or union' })))).toEqual(['ceasefire-talks', 'talk-singular'])
    const phrase = await search({ query: '"ceasefire talks" -football' })
    expect(phrase.totalCount).toBe(1)
  })

  it('returns snippets as HTML: stored text escaped, matches in <mark>', async () => {
    const page = await search({ query: 'harbour' })
    expect(slugs(page)).toEqual(['harbour-script'])
    const snippet = page.edges[0].snippet
    expect(snippet).toContain('<mark>harbour</mark>')
    // no markup but the marks; every & starts an entity
    expect(withoutMarks(snippet)).not.toMatch(/[<>]/)
    expect(withoutMarks(snippet)).not.toMatch(/&(?!(#\d+|#x[0-9a-f]+|[a-z]+);)/i)
    // and the stored text, markup included, is all there once unescaped
    expect(snippet).toMatch(/&(lt|#60|#x3c);script&(gt|#62|#x3e);/i)
    expect(unescapeHtml(withoutMarks(snippet))).toContain('printed <script>alert("x")</script> & a "quoted" warning')
    // the snippet is cut from the lede and body, as stored
    expect(`A routine check turned up an oddity. ${SCRIPT_BODY}`).toContain(unescapeHtml(withoutMarks(snippet)))
  })

  it('pages with first/after, with totalCount on every page', async () => {
    const all = await search({ query: 'regatta', first: 100 })
    expect(all.edges).toHaveLength(7)
    const ranks = all.edges.map((e) => e.rank)
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a))

    const seen: string[] = []
    let after: string | null | undefined
    for (const expectedSize of [3, 3, 1]) {
      const page = await search({ query: 'regatta', first: 3, after })
      expect(page.totalCount).toBe(7)
      expect(page.edges).toHaveLength(expectedSize)
      expect(page.pageInfo.hasNextPage).toBe(expectedSize === 3)
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor)
      if (!after) expect(page.pageInfo.hasPreviousPage).toBe(false)
      seen.push(...slugs(page))
      after = page.pageInfo.endCursor
    }
    expect(seen).toEqual(slugs(all)) // in order, no duplicates, no gaps
    expect(new Set(seen).size).toBe(7)
  })

  it('pages backwards with last/before', async () => {
    const all = await search({ query: 'regatta', first: 100 })
    const tail = await search({ query: 'regatta', last: 3 })
    expect(slugs(tail)).toEqual(slugs(all).slice(4))
    expect(tail.totalCount).toBe(7)
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false })
    const middle = await search({ query: 'regatta', last: 3, before: all.edges[5].cursor })
    expect(slugs(middle)).toEqual(slugs(all).slice(2, 5))
    expect(middle.pageInfo.hasPreviousPage).toBe(true)
    const head = await search({ query: 'regatta', last: 3, before: tail.pageInfo.startCursor })
    expect(slugs(head)).toEqual(slugs(all).slice(1, 4))
  })

  it('answers a query of only stop-words with an empty connection, not an error', async () => {
    for (const query of ['the', 'The', 'to be or not to be']) {
      const { data, errors } = await app.run(SearchPageDocument, { query })
      expect(errors).toBeUndefined()
      expect(data!.search).toMatchObject({
        totalCount: 0,
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false },
      })
    }
    // while "the" is in nearly every story
    expect(
      await db.prisma.story.count({
        where: { status: 'PUBLISHED', OR: [{ lede: { contains: 'the' } }, { bodyText: { contains: 'the' } }] },
      }),
    ).toBeGreaterThan(5)
  })
})
