// Relay connections, story filters and lookups, on a small graph this file writes itself: thirty
// published stories an hour apart (three of them in the same instant), a few that are not
// published, and the people, organisations, places, events and tags they link to.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EntityRelation, StoryStatus, StoryType } from '../../src/generated/prisma/enums.js'
import {
  EventConnectionsDocument,
  LookupsDocument,
  NodeByIdDocument,
  OrganisationConnectionsDocument,
  PersonStoriesDocument,
  PlaceConnectionsDocument,
  StoryListDocument,
  TagStoriesDocument,
  type StoryFilter,
  type StoryListQueryVariables,
} from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>

// ---------------------------------------------------------------------------------------------
// The graph

const T0 = Date.parse('2025-03-01T08:00:00.000Z')
const hours = (h: number) => new Date(T0 + h * 3_600_000)
const iso = (h: number) => hours(h).toISOString()

type Links = Record<string, EntityRelation>

/** A story as written, kept so expectations can be computed from it. */
interface Made {
  id: string
  slug: string
  status: StoryStatus
  type: StoryType
  language: string
  at: Date | null
  tags: string[]
  people: Links
  organisations: Links
  places: Links
  events: Links
}

const made: Made[] = []
const ids = {
  tag: {} as Record<string, string>,
  person: {} as Record<string, string>,
  organisation: {} as Record<string, string>,
  place: {} as Record<string, string>,
  event: {} as Record<string, string>,
}

async function makeStory(s: Omit<Made, 'id'>): Promise<Made> {
  const links = (map: Links, key: string, idsOf: Record<string, string>) =>
    Object.entries(map).map(([slug, relation]) => ({ [key]: idsOf[slug], relation }))
  const row = await db.prisma.story.create({
    data: {
      slug: s.slug,
      headline: `Headline of ${s.slug}`,
      status: s.status,
      type: s.type,
      language: s.language,
      firstPublishedAt: s.at,
      tags: { create: s.tags.map((t) => ({ tagId: ids.tag[t] })) },
      people: { create: links(s.people, 'personId', ids.person) as { personId: string; relation: EntityRelation }[] },
      organisations: {
        create: links(s.organisations, 'organisationId', ids.organisation) as {
          organisationId: string
          relation: EntityRelation
        }[],
      },
      places: { create: links(s.places, 'placeId', ids.place) as { placeId: string; relation: EntityRelation }[] },
      events: { create: links(s.events, 'eventId', ids.event) as { eventId: string; relation: EntityRelation }[] },
    },
    select: { id: true },
  })
  const story = { ...s, id: row.id }
  made.push(story)
  return story
}

const TIE = [12, 13, 14] // published in the same instant

/** Published story i: attributes follow from i, so every filter picks a different subset. */
function publishedStory(i: number): Omit<Made, 'id'> {
  const links = (pairs: [boolean, string, EntityRelation][]): Links =>
    Object.fromEntries(pairs.filter(([on]) => on).map(([, slug, relation]) => [slug, relation]))
  return {
    slug: `story-${String(i).padStart(2, '0')}`,
    status: 'PUBLISHED',
    type: (['ANALYSIS', 'OPINION', 'ARTICLE', 'ARTICLE'] as const)[i % 4],
    language: i % 3 === 0 ? 'sv' : 'en',
    at: hours(TIE.includes(i) ? TIE[0] : i),
    tags: [...(i % 2 === 0 ? ['economy'] : []), ...(i % 5 === 0 ? ['climate'] : [])],
    people: {
      ...links([
        [i % 6 === 0, 'ada-lovelace', 'ABOUT'],
        [i % 6 === 3, 'ada-lovelace', 'MENTIONS'],
      ]),
      ...links([[i % 10 === 1, 'alan-turing', 'MENTIONS']]),
    },
    organisations: links([
      [i % 7 === 0, 'acme-corp', 'ABOUT'],
      [i % 7 === 3, 'globex', 'MENTIONS'],
    ]),
    places: links([
      [i % 4 === 2, 'atlantis', 'ABOUT'],
      [i % 9 === 4, 'el-dorado', 'MENTIONS'],
    ]),
    events: links([
      [i >= 20 && i % 2 === 0, 'summit-2025', 'ABOUT'],
      [i === 13 || i === 25, 'summit-2025', 'MENTIONS'],
      [i >= 7 && i <= 9, 'trade-talks', 'ABOUT'],
    ]),
  }
}

// Stories that are not published. They link only to alan-turing, globex, el-dorado, trade-talks
// and the climate tag, so the filters on those must leave them out; the entity pages tested
// below (ada-lovelace, acme-corp, atlantis, summit-2025, economy) hold published stories only.
const UNPUBLISHED: Omit<Made, 'id'>[] = [
  {
    slug: 'draft-a',
    status: 'DRAFT',
    type: 'ANALYSIS',
    language: 'en',
    at: null,
    tags: ['climate'],
    people: { 'alan-turing': 'ABOUT' },
    organisations: {},
    places: {},
    events: { 'trade-talks': 'ABOUT' },
  },
  {
    slug: 'draft-b',
    status: 'DRAFT',
    type: 'OPINION',
    language: 'sv',
    at: null,
    tags: [],
    people: {},
    organisations: { globex: 'MENTIONS' },
    places: {},
    events: {},
  },
  {
    slug: 'draft-c',
    status: 'DRAFT',
    type: 'ARTICLE',
    language: 'en',
    at: null,
    tags: [],
    people: {},
    organisations: {},
    places: { 'el-dorado': 'ABOUT' },
    events: {},
  },
  {
    slug: 'withdrawn-a',
    status: 'WITHDRAWN',
    type: 'ANALYSIS',
    language: 'sv',
    at: hours(5.5),
    tags: ['climate'],
    people: { 'alan-turing': 'ABOUT' },
    organisations: {},
    places: {},
    events: {},
  },
  {
    slug: 'scheduled-a',
    status: 'SCHEDULED',
    type: 'ARTICLE',
    language: 'en',
    at: hours(40),
    tags: [],
    people: {},
    organisations: {},
    places: { 'el-dorado': 'MENTIONS' },
    events: {},
  },
]

async function makeGraph() {
  for (const slug of ['economy', 'climate'])
    ids.tag[slug] = (await db.prisma.tag.create({ data: { slug, name: slug } })).id
  for (const slug of ['ada-lovelace', 'alan-turing', 'grace-hopper', 'katherine-johnson'])
    ids.person[slug] = (await db.prisma.person.create({ data: { slug, name: slug } })).id
  for (const slug of ['acme-corp', 'globex'])
    ids.organisation[slug] = (await db.prisma.organisation.create({ data: { slug, name: slug, type: 'COMPANY' } })).id
  for (const slug of ['atlantis', 'el-dorado'])
    ids.place[slug] = (await db.prisma.place.create({ data: { slug, name: slug } })).id
  const events: [string, string, Date | null][] = [
    ['summit-2025', 'atlantis', hours(50)],
    ['trade-talks', 'atlantis', hours(100)],
    ['atlantis-festival', 'atlantis', null],
    ['el-dorado-fair', 'el-dorado', hours(70)],
  ]
  for (const [slug, place, startAt] of events)
    ids.event[slug] = (
      await db.prisma.event.create({ data: { slug, name: slug, startAt, locationId: ids.place[place] } })
    ).id

  for (let i = 0; i < 30; i++) await makeStory(publishedStory(i))
  for (const s of UNPUBLISHED) await makeStory(s)

  // acme-corp's people: two dated affiliations, one older, one undated; katherine also at globex
  await db.prisma.affiliation.createMany({
    data: [
      {
        personId: ids.person['ada-lovelace'],
        organisationId: ids.organisation['acme-corp'],
        role: 'Chief Executive',
        startDate: new Date('2020-01-01'),
      },
      { personId: ids.person['grace-hopper'], organisationId: ids.organisation['acme-corp'], role: 'Adviser' },
      {
        personId: ids.person['alan-turing'],
        organisationId: ids.organisation['acme-corp'],
        role: 'Chief Technology Officer',
        startDate: new Date('2022-06-01'),
      },
      {
        personId: ids.person['katherine-johnson'],
        organisationId: ids.organisation['acme-corp'],
        role: 'Engineer',
        startDate: new Date('2018-03-01'),
      },
      {
        personId: ids.person['katherine-johnson'],
        organisationId: ids.organisation['globex'],
        role: 'Consultant',
        startDate: new Date('2023-01-01'),
      },
    ],
  })

  const summit = ids.event['summit-2025']
  await db.prisma.eventParticipant.createMany({
    data: [
      { eventId: summit, role: 'PARTY', organisationId: ids.organisation['acme-corp'] },
      { eventId: summit, role: 'PARTY', organisationId: ids.organisation['globex'] },
      { eventId: summit, role: 'MEDIATOR', personId: ids.person['ada-lovelace'] },
      { eventId: summit, role: 'OBSERVER', personId: ids.person['katherine-johnson'] },
      { eventId: ids.event['trade-talks'], role: 'HOST', organisationId: ids.organisation['globex'] },
    ],
  })
  // written out of order: the history must come back by time, not by insertion
  const story = (slug: string) => made.find((s) => s.slug === slug)!.id
  for (const change of [
    { at: hours(45), fromStatus: 'CONFIRMED', toStatus: 'POSTPONED', note: 'postponed' },
    {
      at: hours(48),
      fromStatus: 'POSTPONED',
      toStatus: 'UNDERWAY',
      note: 'under way',
      reportedById: story('story-24'),
    },
    { at: hours(30), fromStatus: null, toStatus: 'CONFIRMED', note: 'confirmed', reportedById: story('story-20') },
  ] as const) {
    await db.prisma.eventStatusChange.create({ data: { eventId: summit, ...change } })
  }
  await db.prisma.eventStatusChange.create({
    data: { eventId: ids.event['trade-talks'], at: hours(1), toStatus: 'CONFIRMED' },
  })
}

let editor: Record<string, string>

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db)
  editor = await asRole('editor')
  await makeGraph()
})
afterAll(() => db?.drop())

// ---------------------------------------------------------------------------------------------
// Helpers

/** Runs an operation that must succeed, and returns its data. */
async function ok<T, V>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  headers: Record<string, string> = {},
): Promise<T> {
  const { data, errors } = await app.run(document, variables, headers)
  expect(errors).toBeUndefined()
  return data!
}

interface Page<E> {
  totalCount: number
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null }
  edges: E[]
}

/** Follows `first`/`after` to the end, checking each page's pageInfo; returns every edge in order. */
async function pageForward<E extends { cursor: string }>(
  size: number,
  fetch: (first: number, after?: string) => Promise<Page<E>>,
) {
  const edges: E[] = []
  const totals = new Set<number>()
  let after: string | undefined
  for (let n = 0; ; n++) {
    expect(n, 'too many pages').toBeLessThan(200)
    const page = await fetch(size, after)
    totals.add(page.totalCount)
    expect(page.edges.length).toBeGreaterThan(0)
    expect(page.edges.length).toBeLessThanOrEqual(size)
    expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor)
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor)
    if (n === 0) expect(page.pageInfo.hasPreviousPage).toBe(false)
    edges.push(...page.edges)
    if (!page.pageInfo.hasNextPage) break
    expect(page.edges).toHaveLength(size) // only the last page may be short
    after = page.pageInfo.endCursor!
  }
  expect([...totals]).toEqual([edges.length]) // the same totalCount on every page, and it is right
  return edges
}

/** Follows `last`/`before` back to the start; returns every edge in list order. */
async function pageBackward<E extends { cursor: string }>(
  size: number,
  fetch: (last: number, before?: string) => Promise<Page<E>>,
) {
  const edges: E[] = []
  const totals = new Set<number>()
  let before: string | undefined
  for (let n = 0; ; n++) {
    expect(n, 'too many pages').toBeLessThan(200)
    const page = await fetch(size, before)
    totals.add(page.totalCount)
    expect(page.edges.length).toBeGreaterThan(0)
    expect(page.edges.length).toBeLessThanOrEqual(size)
    expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor)
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor)
    if (n === 0) expect(page.pageInfo.hasNextPage).toBe(false)
    edges.unshift(...page.edges)
    if (!page.pageInfo.hasPreviousPage) break
    expect(page.edges).toHaveLength(size)
    before = page.pageInfo.startCursor!
  }
  expect([...totals]).toEqual([edges.length])
  return edges
}

const published = () => made.filter((s) => s.status === 'PUBLISHED')
const bySlug = (slug: string) => made.find((s) => s.slug === slug)!
const timeOf = (slug: string) => bySlug(slug).at!.getTime()
const sorted = (xs: string[]) => [...xs].sort()

/**
 * `actual` holds exactly the `expected` stories, newest (or oldest) first. Stories published in
 * the same instant may come in any order here; the tests on ties pin that order down.
 */
function expectInOrder(actual: string[], expected: Made[], order: 'NEWEST' | 'OLDEST' = 'NEWEST') {
  expect(sorted(actual)).toEqual(sorted(expected.map((s) => s.slug)))
  const times = expected.map((s) => s.at!.getTime()).sort((a, b) => (order === 'NEWEST' ? b - a : a - b))
  expect(actual.map(timeOf)).toEqual(times)
}

/** What `stories(filter:)` must return, from the schema's description of each condition. */
function matching(f: StoryFilter): Made[] {
  return made.filter(
    (s) =>
      s.status === (f.status ?? 'PUBLISHED') &&
      (!f.tag || s.tags.includes(f.tag)) &&
      (!f.person || f.person in s.people) &&
      (!f.organisation || f.organisation in s.organisations) &&
      (!f.place || f.place in s.places) &&
      (!f.event || f.event in s.events) &&
      (!f.type || s.type === f.type) &&
      (!f.language || s.language === f.language) &&
      (!f.publishedAfter || (s.at !== null && s.at >= new Date(f.publishedAfter))) &&
      (!f.publishedBefore || (s.at !== null && s.at < new Date(f.publishedBefore))),
  )
}

/** Lists stories; asking for a status other than PUBLISHED takes an editor, so it goes as one. */
const storyList = async (vars: StoryListQueryVariables) => {
  const status = (vars.filter as { status?: string } | null | undefined)?.status
  const headers = status && status !== 'PUBLISHED' ? editor : {}
  return ok(StoryListDocument, vars, headers).then((d) => d.stories)
}
const publicStoryList = (vars: StoryListQueryVariables) => ok(StoryListDocument, vars).then((d) => d.stories)
const slugs = (page: { edges: { node: { slug: string } }[] }) => page.edges.map((e) => e.node.slug)
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')

// ---------------------------------------------------------------------------------------------

describe('stories: paging', () => {
  it('gives 20 stories by default, newest first, with the total of all published stories', async () => {
    const page = await storyList({})
    expect(page.totalCount).toBe(30)
    expect(page.edges).toHaveLength(20)
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
    expectInOrder(slugs(page), [...published()].sort((a, b) => b.at!.getTime() - a.at!.getTime()).slice(0, 20))
    expect(slugs(page)[0]).toBe('story-29')

    // the rest, with the default size again
    const rest = await storyList({ after: page.pageInfo.endCursor })
    expect(rest.totalCount).toBe(30)
    expect(rest.edges).toHaveLength(10)
    expect(rest.pageInfo.hasNextPage).toBe(false)
    expect(slugs(rest).at(-1)).toBe('story-00')
    expect(slugs(rest).filter((s) => slugs(page).includes(s))).toEqual([])
  })

  it('walks every story with first/after, without duplicates or gaps, whatever the page size', async () => {
    for (const size of [1, 4, 7, 20, 30]) {
      const edges = await pageForward(size, (first, after) => storyList({ first, after }))
      const got = edges.map((e) => e.node.slug)
      expect(new Set(got).size).toBe(got.length)
      expectInOrder(got, published())
    }
  })

  it('walks every story backwards with last/before', async () => {
    const forward = (await storyList({ first: 100 })).edges.map((e) => e.node.slug)
    for (const size of [1, 3, 8, 30]) {
      const edges = await pageBackward(size, (last, before) => storyList({ last, before }))
      const got = edges.map((e) => e.node.slug)
      expect(new Set(got).size).toBe(got.length)
      expect(got).toEqual(forward)
    }
    // the last page holds the oldest stories
    const tail = await storyList({ last: 2 })
    expect(slugs(tail)).toEqual(['story-01', 'story-00'])
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false })
  })

  it('pages back from the middle to exactly the stories before the cursor', async () => {
    const all = (await storyList({ first: 100 })).edges
    const page = await storyList({ last: 5, before: all[10].cursor })
    expect(page.edges.map((e) => e.cursor)).toEqual(all.slice(5, 10).map((e) => e.cursor))
    expect(page.pageInfo.hasPreviousPage).toBe(true)
    const start = await storyList({ last: 5, before: all[3].cursor })
    expect(start.edges.map((e) => e.cursor)).toEqual(all.slice(0, 3).map((e) => e.cursor))
    expect(start.pageInfo.hasPreviousPage).toBe(false)
  })

  it('sets hasNextPage only while stories remain', async () => {
    expect((await storyList({ first: 29 })).pageInfo.hasNextPage).toBe(true)
    expect((await storyList({ first: 30 })).pageInfo.hasNextPage).toBe(false)
    expect((await storyList({ first: 100 })).pageInfo.hasNextPage).toBe(false)
    const empty = await storyList({ filter: { tag: 'no-such-tag' } })
    expect(empty).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false } })
  })

  it('orders OLDEST first on request', async () => {
    const oldest = await storyList({ first: 100, orderBy: 'OLDEST' })
    expectInOrder(slugs(oldest), published(), 'OLDEST')
    expect(slugs(oldest)[0]).toBe('story-00')
    expect(slugs(oldest).at(-1)).toBe('story-29')
    const newest = await storyList({ first: 100, orderBy: 'NEWEST' })
    expectInOrder(slugs(newest), published(), 'NEWEST')
    expect(slugs(newest)).toEqual(slugs(await storyList({ first: 100 }))) // NEWEST is the default

    const edges = await pageForward(4, (first, after) => storyList({ first, after, orderBy: 'OLDEST' }))
    expect(edges.map((e) => e.node.slug)).toEqual(slugs(oldest))
  })

  it('keeps stories published in the same instant in one stable order, across pages and directions', async () => {
    const tied = TIE.map((i) => `story-${i}`)
    for (const orderBy of ['NEWEST', 'OLDEST'] as const) {
      const whole = slugs(await storyList({ first: 100, orderBy }))
      expect(slugs(await storyList({ first: 100, orderBy }))).toEqual(whole)
      // the tied stories sit together, between the stories an hour either side
      const at = Math.min(...tied.map((s) => whole.indexOf(s)))
      expect(sorted(whole.slice(at, at + 3))).toEqual(tied)
      expect(whole[at - 1]).toBe(orderBy === 'NEWEST' ? 'story-15' : 'story-11')
      expect(whole[at + 3]).toBe(orderBy === 'NEWEST' ? 'story-11' : 'story-15')
      for (const size of [1, 2]) {
        const forward = await pageForward(size, (first, after) => storyList({ first, after, orderBy }))
        expect(forward.map((e) => e.node.slug)).toEqual(whole)
        const backward = await pageBackward(size, (last, before) => storyList({ last, before, orderBy }))
        expect(backward.map((e) => e.node.slug)).toEqual(whole)
      }
    }
  })
})

describe('stories: filters', () => {
  const cases: [string, StoryFilter][] = [
    ['tag', { tag: 'economy' }],
    ['tag (unpublished stories also filed under it)', { tag: 'climate' }],
    ['person', { person: 'ada-lovelace' }],
    ['person (unpublished stories also about them)', { person: 'alan-turing' }],
    ['organisation', { organisation: 'acme-corp' }],
    ['organisation (a draft also mentions it)', { organisation: 'globex' }],
    ['place', { place: 'atlantis' }],
    ['place (a draft and a scheduled story also name it)', { place: 'el-dorado' }],
    ['event', { event: 'summit-2025' }],
    ['event (a draft also reports it)', { event: 'trade-talks' }],
    ['type', { type: 'ANALYSIS' }],
    ['type OPINION', { type: 'OPINION' }],
    ['language', { language: 'sv' }],
    ['publishedAfter (inclusive)', { publishedAfter: iso(10) }],
    ['publishedBefore (exclusive)', { publishedBefore: iso(20) }],
    ['publishedAfter and publishedBefore', { publishedAfter: iso(10), publishedBefore: iso(20) }],
    ['tag, person and type', { tag: 'economy', person: 'ada-lovelace', type: 'ANALYSIS' }],
    ['language, place and publishedAfter', { language: 'sv', place: 'atlantis', publishedAfter: iso(5) }],
    [
      'event, organisation and publishedBefore',
      { event: 'summit-2025', organisation: 'globex', publishedBefore: iso(28) },
    ],
    ['status DRAFT', { status: 'DRAFT' }],
    ['status WITHDRAWN', { status: 'WITHDRAWN' }],
    ['status SCHEDULED', { status: 'SCHEDULED' }],
    ['status PUBLISHED, given', { status: 'PUBLISHED' }],
    ['status DRAFT and organisation', { status: 'DRAFT', organisation: 'globex' }],
  ]

  it.each(cases)('%s', async (_name, filter) => {
    const expected = matching(filter)
    // every case picks some stories but not all of them, so the filter did something
    expect(expected.length).toBeGreaterThan(0)
    expect(expected.length).toBeLessThan(made.length)
    const page = await storyList({ first: 100, filter })
    expect(page.totalCount).toBe(expected.length)
    if (filter.status && filter.status !== 'PUBLISHED') {
      expect(sorted(slugs(page))).toEqual(sorted(expected.map((s) => s.slug)))
    } else {
      expectInOrder(slugs(page), expected)
    }
    expect(page.edges.every((e) => e.node.status === (filter.status ?? 'PUBLISHED'))).toBe(true)
  })

  it('lists no unpublished story unless asked for its status', async () => {
    const all = slugs(await storyList({ first: 100 }))
    for (const s of UNPUBLISHED) expect(all).not.toContain(s.slug)
    // draft-a and withdrawn-a are the only climate stories about alan-turing
    expect(await storyList({ filter: { tag: 'climate', person: 'alan-turing' } })).toMatchObject({
      totalCount: 0,
      edges: [],
    })
    expect(slugs(await storyList({ filter: { tag: 'climate', person: 'alan-turing', status: 'DRAFT' } }))).toEqual([
      'draft-a',
    ])
  })

  it('gives the public nothing for any status but PUBLISHED, as if there were none', async () => {
    for (const status of ['DRAFT', 'SCHEDULED', 'WITHDRAWN'] as const) {
      expect(await publicStoryList({ first: 100, filter: { status } })).toMatchObject({ totalCount: 0, edges: [] })
    }
  })

  it('takes publishedAfter as "at or after" and publishedBefore as "strictly before"', async () => {
    const after = slugs(await storyList({ first: 100, filter: { publishedAfter: iso(10) } }))
    expect(after).toContain('story-10')
    expect(after).not.toContain('story-09')
    expect(after).not.toContain('scheduled-a')
    const before = slugs(await storyList({ first: 100, filter: { publishedBefore: iso(20) } }))
    expect(before).toContain('story-19')
    expect(before).not.toContain('story-20')
    expect(before).not.toContain('withdrawn-a')
    const both = await storyList({ first: 100, filter: { publishedAfter: iso(10), publishedBefore: iso(20) } })
    expect(sorted(slugs(both))).toEqual(sorted(Array.from({ length: 10 }, (_, k) => `story-${10 + k}`)))
  })

  it('keeps totalCount at the filtered count on every page', async () => {
    const filter = { tag: 'economy' }
    const expected = matching(filter)
    const first = await storyList({ first: 2, filter })
    const later = await storyList({ first: 2, after: first.pageInfo.endCursor, filter })
    const backwards = await storyList({ last: 3, filter })
    for (const page of [first, later, backwards]) expect(page.totalCount).toBe(expected.length)
    const edges = await pageForward(4, (f, after) => storyList({ first: f, after, filter }))
    expectInOrder(
      edges.map((e) => e.node.slug),
      expected,
    )
    const oldest = await pageBackward(4, (last, before) => storyList({ last, before, filter, orderBy: 'OLDEST' }))
    expectInOrder(
      oldest.map((e) => e.node.slug),
      expected,
      'OLDEST',
    )
  })

  it('finds nothing for a slug that names nothing', async () => {
    for (const filter of [
      { tag: 'nope' },
      { person: 'nope' },
      { organisation: 'nope' },
      { place: 'nope' },
      { event: 'nope' },
      { language: 'xx' },
    ]) {
      expect(await storyList({ filter })).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } })
    }
  })
})

describe('connections on entity pages', () => {
  const linked = (key: 'people' | 'organisations' | 'places' | 'events', slug: string) =>
    published().filter((s) => slug in s[key])

  it('person: stories newest first, each with its relation', async () => {
    const expected = linked('people', 'ada-lovelace')
    const person = (await ok(PersonStoriesDocument, { slug: 'ada-lovelace', first: 100 })).person!
    expect(person.slug).toBe('ada-lovelace')
    expect(person.stories.totalCount).toBe(expected.length)
    expect(person.stories.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false })
    expectInOrder(slugs(person.stories), expected)
    for (const edge of person.stories.edges) expect(edge.relation).toBe(bySlug(edge.node.slug).people['ada-lovelace'])
    expect(new Set(person.stories.edges.map((e) => e.relation))).toEqual(new Set(['ABOUT', 'MENTIONS']))

    const fetch = (vars: { first?: number; after?: string; last?: number; before?: string }) =>
      ok(PersonStoriesDocument, { slug: 'ada-lovelace', ...vars }).then((d) => d.person!.stories)
    const forward = await pageForward(3, (first, after) => fetch({ first, after }))
    expect(forward.map((e) => e.node.slug)).toEqual(slugs(person.stories))
    expect(forward.map((e) => e.relation)).toEqual(person.stories.edges.map((e) => e.relation))
    const backward = await pageBackward(3, (last, before) => fetch({ last, before }))
    expect(backward.map((e) => e.node.slug)).toEqual(slugs(person.stories))
  })

  it('organisation: its people, most recent affiliation first, and its stories', async () => {
    const org = (await ok(OrganisationConnectionsDocument, { slug: 'acme-corp', first: 100 })).organisation!
    expect(org.people.totalCount).toBe(4)
    expect(org.people.edges.map((e) => `${e.node.person.slug}: ${e.node.role}`)).toEqual([
      'alan-turing: Chief Technology Officer',
      'ada-lovelace: Chief Executive',
      'katherine-johnson: Engineer',
      'grace-hopper: Adviser',
    ])
    expect(org.people.edges.every((e) => e.node.organisation.slug === 'acme-corp')).toBe(true)
    expect(org.people.edges.map((e) => e.node.startDate?.slice(0, 10) ?? null)).toEqual([
      '2022-06-01',
      '2020-01-01',
      '2018-03-01',
      null,
    ])

    const walked = await pageForward(1, (first, after) =>
      ok(OrganisationConnectionsDocument, { slug: 'acme-corp', first, after }).then((d) => d.organisation!.people),
    )
    expect(walked.map((e) => e.node.person.slug)).toEqual(org.people.edges.map((e) => e.node.person.slug))

    const expected = linked('organisations', 'acme-corp')
    expect(org.stories.totalCount).toBe(expected.length)
    expectInOrder(slugs(org.stories), expected)
    expect(org.stories.edges.every((e) => e.relation === 'ABOUT')).toBe(true)

    const globex = (await ok(OrganisationConnectionsDocument, { slug: 'globex' })).organisation!
    expect(globex.people.edges.map((e) => e.node.person.slug)).toEqual(['katherine-johnson'])
  })

  it('place: its stories and the events held there', async () => {
    const place = (await ok(PlaceConnectionsDocument, { slug: 'atlantis', first: 100 })).place!
    const expected = linked('places', 'atlantis')
    expect(place.stories.totalCount).toBe(expected.length)
    expectInOrder(slugs(place.stories), expected)
    expect(place.stories.edges.every((e) => e.relation === 'ABOUT')).toBe(true)

    expect(place.events.totalCount).toBe(3)
    const events = place.events.edges.map((e) => e.node)
    expect(sorted(events.map((e) => e.slug))).toEqual(['atlantis-festival', 'summit-2025', 'trade-talks'])
    expect(events.every((e) => e.location?.slug === 'atlantis')).toBe(true)
    // dated events latest first
    expect(events.filter((e) => e.startAt).map((e) => e.slug)).toEqual(['trade-talks', 'summit-2025'])

    const fetch = (vars: { first: number; storiesAfter?: string; eventsAfter?: string }) =>
      ok(PlaceConnectionsDocument, { slug: 'atlantis', ...vars }).then((d) => d.place!)
    const stories = await pageForward(2, (first, storiesAfter) => fetch({ first, storiesAfter }).then((p) => p.stories))
    expect(stories.map((e) => e.node.slug)).toEqual(slugs(place.stories))
    const walkedEvents = await pageForward(1, (first, eventsAfter) =>
      fetch({ first, eventsAfter }).then((p) => p.events),
    )
    expect(walkedEvents.map((e) => e.node.slug)).toEqual(events.map((e) => e.slug))
  })

  it('event: participants, status history oldest first, and stories', async () => {
    const event = (await ok(EventConnectionsDocument, { slug: 'summit-2025', first: 100 })).event!

    expect(event.participants.totalCount).toBe(4)
    expect(
      sorted(event.participants.edges.map((e) => `${e.node.role}:${e.node.organisation?.slug ?? e.node.person?.slug}`)),
    ).toEqual(['MEDIATOR:ada-lovelace', 'OBSERVER:katherine-johnson', 'PARTY:acme-corp', 'PARTY:globex'])

    const history = event.statusHistory.edges.map((e) => e.node)
    expect(event.statusHistory.totalCount).toBe(3)
    expect(history.map((h) => [h.at, h.from, h.to, h.note])).toEqual([
      [iso(30), null, 'CONFIRMED', 'confirmed'],
      [iso(45), 'CONFIRMED', 'POSTPONED', 'postponed'],
      [iso(48), 'POSTPONED', 'UNDERWAY', 'under way'],
    ])
    expect(history.map((h) => h.reportedBy?.slug ?? null)).toEqual(['story-20', null, 'story-24'])
    expect(history.every((h) => h.event.slug === 'summit-2025')).toBe(true)

    const expected = linked('events', 'summit-2025')
    expect(event.stories.totalCount).toBe(expected.length)
    expectInOrder(slugs(event.stories), expected)
    for (const edge of event.stories.edges) expect(edge.relation).toBe(bySlug(edge.node.slug).events['summit-2025'])

    const fetch = (vars: { first: number; participantsAfter?: string; historyAfter?: string; storiesAfter?: string }) =>
      ok(EventConnectionsDocument, { slug: 'summit-2025', ...vars }).then((d) => d.event!)
    const participants = await pageForward(1, (first, participantsAfter) =>
      fetch({ first, participantsAfter }).then((e) => e.participants),
    )
    expect(participants.map((e) => e.node)).toEqual(event.participants.edges.map((e) => e.node))
    const changes = await pageForward(2, (first, historyAfter) =>
      fetch({ first, historyAfter }).then((e) => e.statusHistory),
    )
    expect(changes.map((e) => e.node.at)).toEqual(history.map((h) => h.at))
    const stories = await pageForward(3, (first, storiesAfter) => fetch({ first, storiesAfter }).then((e) => e.stories))
    expect(stories.map((e) => e.node.slug)).toEqual(slugs(event.stories))
  })

  it('tag: stories newest first, paged with first/after and last/before', async () => {
    const expected = published().filter((s) => s.tags.includes('economy'))
    const tag = (await ok(TagStoriesDocument, { slug: 'economy', first: 100 })).tag!
    expect(tag.slug).toBe('economy')
    expect(tag.stories.totalCount).toBe(expected.length)
    expectInOrder(slugs(tag.stories), expected)

    const fetch = (vars: { first?: number; after?: string; last?: number; before?: string }) =>
      ok(TagStoriesDocument, { slug: 'economy', ...vars }).then((d) => d.tag!.stories)
    for (const size of [1, 4]) {
      const forward = await pageForward(size, (first, after) => fetch({ first, after }))
      expect(forward.map((e) => e.node.slug)).toEqual(slugs(tag.stories))
      const backward = await pageBackward(size, (last, before) => fetch({ last, before }))
      expect(backward.map((e) => e.node.slug)).toEqual(slugs(tag.stories))
    }
    // a page from the middle, both ways
    const all = tag.stories.edges
    const after = await fetch({ first: 3, after: all[5].cursor })
    expect(slugs(after)).toEqual(all.slice(6, 9).map((e) => e.node.slug))
    expect(after.pageInfo.hasNextPage).toBe(true)
    const before = await fetch({ last: 3, before: all[5].cursor })
    expect(slugs(before)).toEqual(all.slice(2, 5).map((e) => e.node.slug))
    expect(before.pageInfo.hasPreviousPage).toBe(true)
  })
})

describe('a story’s own links', () => {
  // they all share the story's date and id: the other id must order them, or pages overlap
  it('page one at a time through every person, each once', async () => {
    const story = [...made]
      .filter((m) => m.status === 'PUBLISHED')
      .sort((a, b) => Object.keys(b.people).length - Object.keys(a.people).length)[0]
    const everyone = Object.keys(story.people).sort()
    expect(everyone.length).toBeGreaterThan(1)
    const seen: string[] = []
    let after: string | null = null
    for (let page = 0; page <= everyone.length; page++) {
      const result: any = await app.run(
        `query ($slug: String!, $after: String) { story(slug: $slug) { people(first: 1, after: $after) { edges { node { slug } } pageInfo { endCursor hasNextPage } } } }`,
        { slug: story.slug, after },
      )
      const people = result.data.story.people
      seen.push(...people.edges.map((e: any) => e.node.slug))
      if (!people.pageInfo.hasNextPage) break
      after = people.pageInfo.endCursor
    }
    expect(seen.sort()).toEqual(everyone)
  })
})

describe('lookups', () => {
  it('node(id:) returns the same Story, Person and Event as the slug lookups', async () => {
    const event = (await ok(LookupsDocument, { slug: 'summit-2025' })).event!
    const story = (await ok(LookupsDocument, { slug: 'story-07' })).story!
    const person = (await ok(LookupsDocument, { slug: 'ada-lovelace' })).person!

    const asStory = (await ok(NodeByIdDocument, { id: story.id })).node
    expect(asStory).toMatchObject({
      __typename: 'Story',
      id: story.id,
      slug: 'story-07',
      headline: 'Headline of story-07',
    })
    const asPerson = (await ok(NodeByIdDocument, { id: person.id })).node
    expect(asPerson).toMatchObject({ __typename: 'Person', id: person.id, slug: 'ada-lovelace', name: 'ada-lovelace' })
    const asEvent = (await ok(NodeByIdDocument, { id: event.id })).node
    expect(asEvent).toMatchObject({ __typename: 'Event', id: event.id, slug: 'summit-2025', status: 'SCHEDULED' })

    // global ids are the type and the row id, so the three differ
    expect(story.id).toBe(globalId('Story', bySlug('story-07').id))
    expect(new Set([story.id, person.id, event.id]).size).toBe(3)
  })

  it('node(id:) is null for a well-formed id of nothing', async () => {
    for (const type of ['Story', 'Person', 'Event']) {
      const { data, errors } = await app.run(NodeByIdDocument, {
        id: globalId(type, '00000000-0000-7000-8000-000000000000'),
      })
      expect(errors).toBeUndefined()
      expect(data!.node).toBeNull()
    }
    // a real row under the wrong type is not that type
    const { data, errors } = await app.run(NodeByIdDocument, { id: globalId('Person', bySlug('story-07').id) })
    expect(errors).toBeUndefined()
    expect(data!.node).toBeNull()
  })

  it('unknown slugs give null for every lookup', async () => {
    const found = await ok(LookupsDocument, { slug: 'no-such-slug' })
    expect(found).toEqual({ story: null, person: null, organisation: null, place: null, event: null, tag: null })
    // and a known slug of each kind is found
    for (const [slug, key] of [
      ['story-00', 'story'],
      ['ada-lovelace', 'person'],
      ['acme-corp', 'organisation'],
      ['atlantis', 'place'],
      ['trade-talks', 'event'],
      ['economy', 'tag'],
    ] as const) {
      expect((await ok(LookupsDocument, { slug }))[key]?.slug).toBe(slug)
    }
  })
})
