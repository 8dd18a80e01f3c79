// Who is involved (coMentioned) on hand-made stories: exact counts and latest shared stories, the
// window in days, hidden stories left out (and what editors see), ties, pages, bad input; one
// statement per field for a whole page of parents; the README's query on the sample graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EventCoMentionsDocument,
  FrontPageCoMentionsDocument,
  OrganisationCoMentionsDocument,
  PersonCoMentionsDocument,
  type CoMentionPageFragment,
} from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { COUNTING, createTestDatabase, requestStatements, type TestDatabase } from '../helpers/database.js'
import { sampleAnswer } from '../helpers/readme-sections.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let editor: Record<string, string>
const ids: Record<string, string> = {}
const DAY = 86_400_000
/** When each story was first published, as the API returns it. */
const published: Record<string, string> = {}

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db, { settings: COUNTING })
  editor = await asRole('editor')
  const p = db.prisma
  for (const slug of ['ana', 'ben', 'cleo', 'dan'])
    ids[slug] = (await p.person.create({ data: { slug, name: slug } })).id
  for (const slug of ['acme', 'bureau', 'council'])
    ids[slug] = (await p.organisation.create({ data: { slug, name: slug } })).id
  ids.summit = (await p.event.create({ data: { slug: 'summit', name: 'Summit' } })).id

  const now = Date.now()
  const story = async (
    slug: string,
    daysAgo: number | null,
    links: { people?: string[]; organisations?: string[]; events?: string[] },
    state: { status?: 'DRAFT' | 'PUBLISHED' | 'SCHEDULED' | 'WITHDRAWN'; embargoedUntil?: Date } = {},
  ) => {
    const firstPublishedAt = daysAgo === null ? null : new Date(now - daysAgo * DAY)
    if (firstPublishedAt) published[slug] = firstPublishedAt.toISOString()
    await p.story.create({
      data: {
        slug,
        headline: slug,
        status: state.status ?? 'PUBLISHED',
        firstPublishedAt,
        embargoedUntil: state.embargoedUntil ?? null,
        people: { create: (links.people ?? []).map((s) => ({ personId: ids[s] })) },
        organisations: { create: (links.organisations ?? []).map((s) => ({ organisationId: ids[s] })) },
        events: { create: (links.events ?? []).map((s) => ({ eventId: ids[s] })) },
      },
    })
  }
  await story('s1', 1, { people: ['ana', 'ben'], organisations: ['acme'], events: ['summit'] })
  await story('s2', 2, { people: ['ana', 'ben'], organisations: ['acme'] })
  await story('s3', 3, { people: ['ana', 'cleo'], organisations: ['bureau'], events: ['summit'] })
  await story('s4', 10, { people: ['ana', 'ben'] })
  // outside a 30-day window, inside a 60-day one
  await story('s5', 40, { people: ['ana', 'cleo', 'dan'] })
  // hidden from the public: a draft, a story scheduled for tomorrow, a withdrawn one
  await story('draft', null, { people: ['ana', 'dan'], organisations: ['council'] }, { status: 'DRAFT' })
  await story('tomorrow', -1, { people: ['ana', 'dan'] }, { status: 'SCHEDULED', embargoedUntil: new Date(now + DAY) })
  await story('withdrawn', 2, { people: ['ana', 'dan'], organisations: ['council'] }, { status: 'WITHDRAWN' })
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

const data = async <T>(promise: Promise<{ data?: T | null; errors?: unknown }>) => {
  const { data, errors } = await promise
  expect(errors).toBeUndefined()
  return data!
}
/** Each edge as [who, count, latest story, when]. */
const rows = (c: CoMentionPageFragment) =>
  c.edges.map((e) => {
    expect(e.latestAt).toBe(published[e.latestStory.slug])
    return [
      e.node.__typename === 'Person' || e.node.__typename === 'Organisation' ? e.node.slug : '?',
      e.count,
      e.latestStory.slug,
    ]
  })
/** Slugs in the order of their ids: how entities tied on count and latest story are ordered. */
const byId = (...slugs: string[]) => [...slugs].sort((a, b) => (ids[a] < ids[b] ? -1 : 1))

const person = (
  slug: string,
  within: number,
  type: 'PERSON' | 'ORGANISATION',
  more: { first?: number; after?: string | null } = {},
  headers = {},
) =>
  data(app.run(PersonCoMentionsDocument, { slug, within, type, ...more }, headers)).then((d) => d.person!.coMentioned)

/** The statements the request sent: the change feed's polls, on their own timer, left out. */

describe('coMentioned', () => {
  it('counts the stories shared in the window, with the latest one, most shared first', async () => {
    const people = await person('ana', 30, 'PERSON')
    expect(rows(people)).toEqual([
      ['ben', 3, 's1'],
      ['cleo', 1, 's3'],
    ])
    expect(people.totalCount).toBe(2)
    expect(rows(await person('ana', 30, 'ORGANISATION'))).toEqual([
      ['acme', 2, 's1'],
      ['bureau', 1, 's3'],
    ])
  })

  it('reaches as far back as `within` says', async () => {
    expect(rows(await person('ana', 60, 'PERSON'))).toEqual([
      ['ben', 3, 's1'],
      ['cleo', 2, 's3'],
      ['dan', 1, 's5'],
    ])
    expect(rows(await person('ana', 5, 'PERSON'))).toEqual([
      ['ben', 2, 's1'],
      ['cleo', 1, 's3'],
    ])
    expect(rows(await person('dan', 30, 'PERSON'))).toEqual([])
    expect(rows(await person('dan', 60, 'PERSON'))).toEqual(byId('ana', 'cleo').map((slug) => [slug, 1, 's5']))
  })

  it('leaves out stories the viewer may not read; editors count withdrawn ones, nobody counts the future', async () => {
    expect(rows(await person('ana', 30, 'PERSON', {}, editor))).toEqual([
      ['ben', 3, 's1'],
      ['dan', 1, 'withdrawn'],
      ['cleo', 1, 's3'],
    ])
    expect(rows(await person('ana', 30, 'ORGANISATION', {}, editor))).toEqual([
      ['acme', 2, 's1'],
      ['council', 1, 'withdrawn'],
      ['bureau', 1, 's3'],
    ])
  })

  it('works from organisations and events, ties going to the latest shared story', async () => {
    const event = await data(app.run(EventCoMentionsDocument, { slug: 'summit', within: 30, type: 'PERSON' }))
    expect(rows(event.event!.coMentioned)).toEqual([
      ['ana', 2, 's1'],
      ['ben', 1, 's1'],
      ['cleo', 1, 's3'],
    ])
    const organisation = await data(
      app.run(OrganisationCoMentionsDocument, { slug: 'acme', within: 30, type: 'ORGANISATION' }),
    )
    expect(rows(organisation.organisation!.coMentioned)).toEqual([])
    const people = await data(app.run(OrganisationCoMentionsDocument, { slug: 'acme', within: 30, type: 'PERSON' }))
    // ana and ben share both stories: equal counts and latest story, so by id
    expect(rows(people.organisation!.coMentioned)).toEqual(byId('ana', 'ben').map((slug) => [slug, 2, 's1']))
  })

  it('pages by cursor, with the total on every page', async () => {
    const first = await person('ana', 60, 'PERSON', { first: 2 })
    expect(rows(first)).toEqual([
      ['ben', 3, 's1'],
      ['cleo', 2, 's3'],
    ])
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
    const second = await person('ana', 60, 'PERSON', { first: 2, after: first.pageInfo.endCursor })
    expect(rows(second)).toEqual([['dan', 1, 's5']])
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
    const past = await person('ana', 60, 'PERSON', { first: 2, after: second.pageInfo.endCursor })
    expect(rows(past)).toEqual([])
    expect([first.totalCount, second.totalCount, past.totalCount]).toEqual([3, 3, 3])
  })

  it('refuses a window outside 1 to 3660 days, and a bad page size, naming the argument', async () => {
    for (const within of [0, -5, 3661]) {
      const { errors } = await app.run(PersonCoMentionsDocument, { slug: 'ana', within, type: 'PERSON' })
      expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'within' })
    }
    const { errors } = await app.run(PersonCoMentionsDocument, { slug: 'ana', within: 30, type: 'PERSON', first: 0 })
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' })
    // not a cursor, and cursors of places no list has
    for (const after of [
      'nope',
      ...['-5', 'x', '99999999999999999999'].map((n) => Buffer.from(`OffsetConnection:${n}`).toString('base64')),
    ]) {
      const bad = await app.run(PersonCoMentionsDocument, { slug: 'ana', within: 30, type: 'PERSON', after })
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' })
    }
  })

  it('sends the same statements for 2 stories’ people as for 5', async () => {
    const count = async (first: number) => {
      db.statements.length = 0
      const page = await data(app.run(FrontPageCoMentionsDocument, { first, within: 60 }, editor))
      expect(page.stories.edges).toHaveLength(first)
      const asked = page.stories.edges.flatMap((e) => e.node.people.edges)
      expect(asked.length).toBeGreaterThanOrEqual(first * 2)
      expect(asked.some((p) => p.node.coMentioned.edges.length > 0)).toBe(true)
      return requestStatements(db)
    }
    const small = await count(2)
    const large = await count(5)
    expect(large).toBe(small)
    // the stories with their people, the co-mentions, their nodes, their latest stories
    expect(large).toBeLessThanOrEqual(5)
  })
})

describe('the README’s who-is-involved query, on the sample graph', () => {
  it('names who is involved with Donald Trump and with the talks', async () => {
    const result = await sampleAnswer('## Who is involved')
    const edges = result.person.coMentioned.edges.map((e: any) => [e.node.name, e.count, e.latestStory.headline])
    // two stories each; the renaming is the later of the two
    expect(edges.slice(0, 2)).toEqual([
      ['United States government', 2, 'Trump gives the Defense Department a new name: War Department'],
      ['Hamas', 2, 'Trump in talks with Hamas on freeing Israeli hostages'],
    ])
    // then the main story's other organisations, once each
    expect(result.person.coMentioned.totalCount).toBe(6)
    for (const [name, count, headline] of edges.slice(2)) {
      expect(['Government of Israel', 'US negotiating team', 'Qatar', 'Egypt']).toContain(name)
      expect([count, headline]).toEqual([1, 'Hamas says truce talks with Israel should restart next week'])
    }
    expect(result.event.coMentioned.edges.map((e: any) => e.count)).toEqual([1, 1, 1, 1])
  })
})
