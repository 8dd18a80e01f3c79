// Search in each story's own language: the stored vector is stemmed by the story's language, a
// query is read the same way for each story (or in the language asked for), and the GIN index
// still finds the candidates in the one statement a page of hits costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Prisma } from '../../src/generated/prisma/client.js'
import { searchCountSql, searchPageSql, searchWindow, type SearchArgs } from '../../src/resolvers/search.js'
import { SearchInLanguageDocument, type SearchInLanguageQueryVariables } from '../generated/graphql.js'
import { testApp } from '../helpers/api.js'
import { COUNTING, createTestDatabase, requestStatements, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>

interface StoryText {
  slug: string
  language: string
  headline: string
  lede?: string
  body?: string
}

// Search reads the headline, the lede and the plain body text; nothing else of a story matters here.
const STORIES: StoryText[] = [
  {
    slug: 'sv-hamnavtal',
    language: 'sv',
    headline: 'Förhandlingarna om hamnavtalet drar ut på tiden',
    lede: 'Parterna ses igen på måndag i Göteborg.',
    body: 'Förhandlingarna kan pågå till jul. Inget annat land i Norden har lika många hamnar per invånare. Förbundet har hämtat idéer från Oslo.',
  },
  {
    slug: 'sv-fi-helsingfors',
    language: 'sv-FI',
    headline: 'Helsingfors hamn väntar på besked',
    lede: 'Förhandlingarna mellan staden och rederierna börjar i dag.',
  },
  {
    slug: 'nb-bybane',
    language: 'nb',
    headline: 'Oslo får ny bybane',
    lede: 'Byrådet la fram planene torsdag.',
    body: 'Arbeidet starter neste år.',
  },
  {
    slug: 'de-hafentarif',
    language: 'de-AT',
    headline: 'Die Verhandlungen über den Hafentarif sind vertagt',
    lede: 'Gewerkschaft und Arbeitgeber treffen sich im Januar wieder.',
  },
  {
    slug: 'fr-dockers',
    language: 'fr',
    headline: 'Les négociations portuaires reprennent à Marseille',
    lede: 'Les dockers espèrent un accord avant l’été.',
  },
  {
    slug: 'en-plane',
    language: 'en-GB',
    headline: 'Plane landed safely after an engine warning',
    lede: 'Passengers praised the crew.',
  },
]
const SWEDISH = STORIES[0]

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db, { settings: COUNTING })
  for (const { slug, language, headline, lede, body } of STORIES)
    await db.prisma.story.create({
      data: { slug, language, headline, lede, bodyText: body, status: 'PUBLISHED', firstPublishedAt: new Date() },
    })
})
afterAll(() => db?.drop())

async function search(vars: SearchInLanguageQueryVariables) {
  const { data, errors } = await app.run(SearchInLanguageDocument, vars)
  expect(errors).toBeUndefined()
  return data!.search
}
const slugs = (page: { edges: { node: { slug: string } }[] }) => page.edges.map((e) => e.node.slug)
const sorted = (xs: string[]) => [...xs].sort()

/** Whether text, stemmed by a configuration, matches a query read by that configuration. */
async function matchesIn(config: string, text: string, query: string): Promise<boolean> {
  const [row] = await db.prisma.$queryRaw<{ m: boolean }[]>`
    SELECT to_tsvector(${config}::regconfig, ${text}) @@ websearch_to_tsquery(${config}::regconfig, ${query}) AS m`
  return row.m
}
const wholeText = (s: StoryText) => [s.headline, s.lede, s.body].join(' ')

describe('the language of a story chooses its text-search configuration', () => {
  it('by the primary subtag, simple where PostgreSQL has no stemmer', async () => {
    const expected = {
      sv: 'swedish',
      'sv-FI': 'swedish',
      nb: 'norwegian',
      nn: 'norwegian',
      no: 'norwegian',
      'de-AT': 'german',
      'en-GB': 'english',
      fr: 'french',
      'pt-BR': 'portuguese',
      xx: 'simple',
      'zh-Hant': 'simple',
    }
    const rows = await db.prisma.$queryRaw<{ language: string; config: string }[]>`
      SELECT l AS language, text_search_config(l)::text AS config FROM unnest(${Object.keys(expected)}::text[]) AS l`
    expect(Object.fromEntries(rows.map((r) => [r.language, r.config]))).toEqual(expected)
  })

  it('and the stored vector follows a change of language', async () => {
    await db.prisma.story.create({
      data: {
        slug: 'moved',
        language: 'en',
        headline: 'Hamnförhandlingarna i Malmö',
        lede: 'Förhandlingarna fortsätter.',
        status: 'PUBLISHED',
        firstPublishedAt: new Date(),
      },
    })
    try {
      expect(slugs(await search({ query: 'förhandling', language: 'en' }))).toEqual([])
      await db.prisma.story.update({ where: { slug: 'moved' }, data: { language: 'sv' } })
      expect(slugs(await search({ query: 'förhandling', language: 'sv' }))).toContain('moved')
    } finally {
      await db.prisma.story.delete({ where: { slug: 'moved' } })
    }
  })
})

describe('search in the story’s language', () => {
  it('finds a Swedish "förhandlingarna" by "förhandling", in Sweden and in Finland, marked in the snippet', async () => {
    const page = await search({ query: 'förhandling' })
    expect(sorted(slugs(page))).toEqual(['sv-fi-helsingfors', 'sv-hamnavtal'])
    expect(page.totalCount).toBe(2)
    // cut in Swedish too: English would not see the word as a form of the query
    for (const edge of page.edges) expect(edge.snippet).toContain('<mark>Förhandlingarna</mark>')
    // which English stemming alone could not have found
    expect(await matchesIn('english', wholeText(SWEDISH), 'förhandling')).toBe(false)
  })

  it('finds a German "Verhandlungen" by "Verhandlung"', async () => {
    expect(slugs(await search({ query: 'Verhandlung' }))).toEqual(['de-hafentarif'])
    expect(slugs(await search({ query: 'Verhandlung', language: 'de-AT' }))).toEqual(['de-hafentarif'])
    expect(await matchesIn('english', wholeText(STORIES[3]), 'Verhandlung')).toBe(false)
  })

  it('does not match a Swedish story through an English stem', async () => {
    // English stems "landing" to "land", a Swedish word of the story: read as English, it matched
    expect(await matchesIn('english', wholeText(SWEDISH), 'landing')).toBe(true)
    const page = await search({ query: 'landing' })
    expect(slugs(page)).toEqual(['en-plane'])
    expect(page.totalCount).toBe(1)
    // while the Swedish word itself still finds it
    expect(slugs(await search({ query: 'land', language: 'sv' }))).toEqual(['sv-hamnavtal'])
  })

  it('ranks stories of different languages together, each matched in its own', async () => {
    // Oslo: the headline of a Norwegian story, the body of a Swedish one
    const oslo = await search({ query: 'Oslo' })
    expect(slugs(oslo)).toEqual(['nb-bybane', 'sv-hamnavtal'])
    expect(oslo.edges[0].rank).toBeGreaterThan(oslo.edges[1].rank)
    // one word of each language, each stemmed by its own
    const talks = await search({ query: 'förhandling or Verhandlung or négociation', first: 10 })
    expect(sorted(slugs(talks))).toEqual(['de-hafentarif', 'fr-dockers', 'sv-fi-helsingfors', 'sv-hamnavtal'])
    expect(new Set(talks.edges.map((e) => e.node.language))).toEqual(new Set(['sv', 'sv-FI', 'de-AT', 'fr']))
    const ranks = talks.edges.map((e) => e.rank)
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a))
    expect(talks.totalCount).toBe(4)
  })

  it('with a language, finds only stories in exactly that language', async () => {
    expect(slugs(await search({ query: 'Oslo', language: 'nb' }))).toEqual(['nb-bybane'])
    expect(slugs(await search({ query: 'Oslo', language: 'sv' }))).toEqual(['sv-hamnavtal'])
    const sv = await search({ query: 'förhandling', language: 'sv' })
    expect(slugs(sv)).toEqual(['sv-hamnavtal'])
    expect(sv.totalCount).toBe(1)
    expect(slugs(await search({ query: 'förhandling', language: 'sv-FI' }))).toEqual(['sv-fi-helsingfors'])
    const none = await search({ query: 'förhandling', language: 'en' })
    expect(none).toMatchObject({ totalCount: 0, edges: [] })
    expect(await search({ query: 'Oslo', language: 'xx' })).toMatchObject({ totalCount: 0, edges: [] })
  })

  it('refuses a malformed language, naming the argument, before any SQL', async () => {
    for (const language of ['Swedish', 'x', 'sv_SE', 'sv-']) {
      db.statements.length = 0
      const { data, errors } = await app.run(SearchInLanguageDocument, { query: 'Oslo', language })
      expect(data ?? null).toBeNull()
      expect(errors).toHaveLength(1)
      expect(errors![0].extensions).toEqual({ code: 'VALIDATION_FAILED', field: 'language' })
      expect(requestStatements(db)).toBe(0)
    }
  })

  it('sends the same statements whatever the page size and language, one of them the search', async () => {
    const count = async (vars: SearchInLanguageQueryVariables) => {
      db.statements.length = 0
      expect((await search(vars)).edges.length).toBeGreaterThan(0)
      expect(db.statements.filter((sql) => sql.includes('ts_rank_cd'))).toHaveLength(1)
      return requestStatements(db)
    }
    const counts = [
      await count({ query: 'förhandling or Verhandlung or négociation', first: 1 }),
      await count({ query: 'förhandling or Verhandlung or négociation', first: 4 }),
      await count({ query: 'förhandling', language: 'sv', first: 4 }),
    ]
    // the hits, their stories, and the count
    expect(counts).toEqual([3, 3, 3])
  })
})

describe('the search statements', () => {
  // Enough other stories, in five languages, that scanning them all would cost more than the
  // index: the plans below are the planner's own choice, with no scan method turned off.
  beforeAll(async () => {
    await db.prisma.$executeRaw`
      INSERT INTO "Story" (id, slug, headline, lede, language, status, "firstPublishedAt", "updatedAt")
      SELECT gen_random_uuid(), 'filler-' || i, 'Weather for the coast, day ' || i, 'Wind and rain ' || i,
             (ARRAY['en', 'sv', 'de', 'fr', 'nb'])[1 + i % 5], 'PUBLISHED', now(), now()
      FROM generate_series(1, 2000) AS i`
    await db.prisma.$executeRaw`ANALYZE "Story"`
  })
  afterAll(() => db.prisma.$executeRaw`DELETE FROM "Story" WHERE slug LIKE 'filler-%'`)

  const plan = async (sql: Prisma.Sql) =>
    (await db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN ${sql}`))
      .map((r) => r['QUERY PLAN'])
      .join('\n')

  it('find their candidates through the GIN index, with and without a language', async () => {
    const window = searchWindow({ first: 20 }, 20)
    const cases: SearchArgs[] = [
      { query: 'förhandling or Verhandlung', language: null },
      { query: 'förhandling', language: 'sv' },
    ]
    for (const args of cases) {
      for (const sql of [searchPageSql(null, args, window), searchCountSql(null, args)]) {
        const text = await plan(sql)
        expect(text).toMatch(/Bitmap Index Scan on "Story_searchVector_idx".*\n\s+Index Cond: \(+"searchVector" @@/)
        expect(text).not.toMatch(/Seq Scan on "Story"/)
      }
    }
  })
})
