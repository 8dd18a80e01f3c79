// Story.related, explained, on hand-made stories: the editors' picks first in their order, then the
// computed ones by score, each with its reasons and their exact scores and what the stories share;
// hidden stories left out for the public; pages; the bound on what one shared topic brings in; the
// same statements for a page of 2 stories as of 8; the README's query on the sample graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RELATED_PER_THING } from '../../src/resolvers/related.js'
import {
  FrontPageRelatedDocument,
  RelatedFirstPageDocument,
  RelatedStoriesDocument,
  type RelatedStoriesQuery,
} from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { COUNTING, createTestDatabase, requestStatements, type TestDatabase } from '../helpers/database.js'
import { sampleAnswer } from '../helpers/readme-sections.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let editor: Record<string, string>
const ids: Record<string, string> = {}

interface Links {
  events?: string[]
  people?: string[]
  organisations?: string[]
  places?: string[]
  tags?: string[]
}

let minutes = 0
/** A story linked to the entities named (by slug); each one published a minute after the last. */
async function story(slug: string, links: Links, status: 'PUBLISHED' | 'DRAFT' = 'PUBLISHED') {
  const row = await db.prisma.story.create({
    data: {
      slug,
      headline: slug,
      status,
      firstPublishedAt: status === 'PUBLISHED' ? new Date(Date.UTC(2025, 4, 1, 0, ++minutes)) : null,
      events: { create: (links.events ?? []).map((s) => ({ eventId: ids[s] })) },
      people: { create: (links.people ?? []).map((s) => ({ personId: ids[s] })) },
      organisations: { create: (links.organisations ?? []).map((s) => ({ organisationId: ids[s] })) },
      places: { create: (links.places ?? []).map((s) => ({ placeId: ids[s] })) },
      tags: { create: (links.tags ?? []).map((s) => ({ tagId: ids[s] })) },
    },
  })
  ids[slug] = row.id
  return row
}

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db, { settings: COUNTING })
  editor = await asRole('editor')
  const p = db.prisma
  ids.summit = (await p.event.create({ data: { slug: 'summit', name: 'Summit' } })).id
  ids.ana = (await p.person.create({ data: { slug: 'ana', name: 'Ana' } })).id
  ids.acme = (await p.organisation.create({ data: { slug: 'acme', name: 'Acme' } })).id
  ids.oslo = (await p.place.create({ data: { slug: 'oslo', name: 'Oslo' } })).id
  for (const slug of ['climate', 'energy', 'unused'])
    ids[slug] = (await p.tag.create({ data: { slug, name: slug } })).id

  // the story, and what an editor put under it
  await story('main', {
    events: ['summit'],
    people: ['ana'],
    organisations: ['acme'],
    places: ['oslo'],
    tags: ['climate', 'energy'],
  })
  await story('pick', { tags: ['climate'] })
  await story('given-entities', { people: ['ana'] })
  await story('hidden-pick', {}, 'DRAFT')
  await p.relatedStory.createMany({
    data: [
      { storyId: ids.main, relatedId: ids.pick, reason: 'EDITORIAL_PICK', position: 0 },
      { storyId: ids.main, relatedId: ids['given-entities'], reason: 'SHARED_ENTITIES', position: 1 },
      { storyId: ids.main, relatedId: ids['hidden-pick'], reason: 'EDITORIAL_PICK', position: 2 },
    ],
  })
  // what the graph suggests
  await story('same-event', { events: ['summit'], tags: ['climate'] }) // 3 + 1
  await story('same-people', { people: ['ana'], organisations: ['acme'], places: ['oslo'] }) // 2 + 2 + 1
  await story('two-tags', { tags: ['energy', 'climate'] }) // 1 + 1
  await story('one-tag-older', { tags: ['energy'] }) // 1
  await story('one-tag-newer', { tags: ['energy'] }) // 1, published later
  await story('hidden-same-event', { events: ['summit'] }, 'DRAFT') // 3, editors only
  await story('unrelated', { tags: ['unused'] })
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

type Edge = NonNullable<RelatedStoriesQuery['story']>['related']['edges'][number]

/** An edge in one line: the story, its score and main reason, and each reason with its score and what is shared. */
function explain(edge: Edge): string {
  const reasons = edge.reasons.map((r) => {
    const shared = [...r.events, ...r.people, ...r.organisations, ...r.places, ...r.tags].map((x) => x.slug)
    return `${r.kind} ${r.score}${shared.length ? ` (${shared.join(', ')})` : ''}`
  })
  return `${edge.node.slug} ${edge.score} ${edge.reason}: ${reasons.join('; ')}`
}

const related = async (slug: string, more: { first?: number; after?: string | null } = {}, headers = {}) => {
  const { data, errors } = await app.run(RelatedStoriesDocument, { slug, ...more }, headers)
  expect(errors).toBeUndefined()
  return data!.story!.related
}

const PUBLIC = [
  'pick 1 EDITORIAL_PICK: EDITORIAL_PICK 0; SHARED_TAGS 1 (climate)',
  'given-entities 2 SHARED_ENTITIES: SHARED_ENTITIES 2 (ana)',
  'same-people 5 SHARED_ENTITIES: SHARED_ENTITIES 5 (ana, acme, oslo)',
  'same-event 4 SAME_EVENT: SAME_EVENT 3 (summit); SHARED_TAGS 1 (climate)',
  'two-tags 2 SHARED_TAGS: SHARED_TAGS 2 (climate, energy)',
  'one-tag-newer 1 SHARED_TAGS: SHARED_TAGS 1 (energy)',
  'one-tag-older 1 SHARED_TAGS: SHARED_TAGS 1 (energy)',
]

/** The statements the request sent: the change feed's polls, on their own timer, left out. */

describe('Story.related', () => {
  it('lists the editors’ picks in their order, then the computed ones by score, newest first among equals, each explained', async () => {
    const list = await related('main')
    expect(list.edges.map(explain)).toEqual(PUBLIC)
    expect(list.totalCount).toBe(7)
  })

  it('shows editors the hidden ones too, each in its place', async () => {
    const list = await related('main', {}, editor)
    expect(list.edges.map(explain)).toEqual([
      ...PUBLIC.slice(0, 2),
      'hidden-pick 0 EDITORIAL_PICK: EDITORIAL_PICK 0',
      ...PUBLIC.slice(2, 4),
      'hidden-same-event 3 SAME_EVENT: SAME_EVENT 3 (summit)',
      ...PUBLIC.slice(4),
    ])
    expect(list.totalCount).toBe(9)
  })

  it('explains the other way round too: the pick finds the story by what they share', async () => {
    const list = await related('same-people')
    expect(list.edges.map(explain)).toEqual([
      'main 5 SHARED_ENTITIES: SHARED_ENTITIES 5 (ana, acme, oslo)',
      'given-entities 2 SHARED_ENTITIES: SHARED_ENTITIES 2 (ana)',
    ])
  })

  it('pages by cursor, picks and computed alike', async () => {
    const first = await related('main', { first: 3 })
    expect(first.edges.map(explain)).toEqual(PUBLIC.slice(0, 3))
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
    const second = await related('main', { first: 3, after: first.pageInfo.endCursor })
    expect(second.edges.map(explain)).toEqual(PUBLIC.slice(3, 6))
    const third = await related('main', { first: 3, after: second.pageInfo.endCursor })
    expect(third.edges.map(explain)).toEqual(PUBLIC.slice(6))
    expect(third.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
    expect([first.totalCount, second.totalCount, third.totalCount]).toEqual([7, 7, 7])
  })

  it('answers a first page without its total as with it, whether the editors’ picks fill it or not', async () => {
    // the public reads 2 picks, editors 3: pages of 1 and 2 come from the picks alone, or not
    for (const headers of [{}, editor])
      for (const first of [1, 2, 3, 4]) {
        const counted = await related('main', { first }, headers)
        const { data, errors } = await app.run(RelatedFirstPageDocument, { slug: 'main', first }, headers)
        expect(errors).toBeUndefined()
        const page = data!.story!.related
        expect(page.edges.map(explain)).toEqual(counted.edges.map(explain))
        expect(page.edges.map((e) => e.cursor)).toEqual(counted.edges.map((e) => e.cursor))
        expect(page.pageInfo).toEqual(counted.pageInfo)
      }
    // and the next page goes on from its cursor
    const { data } = await app.run(RelatedFirstPageDocument, { slug: 'main', first: 1 })
    const next = await related('main', { first: 3, after: data!.story!.related.pageInfo.endCursor })
    expect(next.edges.map(explain)).toEqual(PUBLIC.slice(1, 4))
  })

  it('refuses a cursor that is not one of its places, naming the argument', async () => {
    for (const after of [
      'nope',
      ...['-1', '99999999999999999999'].map((n) => Buffer.from(`OffsetConnection:${n}`).toString('base64')),
    ]) {
      const { errors } = await app.run(RelatedStoriesDocument, { slug: 'main', after })
      expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' })
    }
  })

  it(`considers the ${RELATED_PER_THING} newest stories sharing one thing, however many share it`, async () => {
    ids.crowded = (await db.prisma.tag.create({ data: { slug: 'crowded', name: 'Crowded' } })).id
    const lonely = await story('lonely', { tags: ['crowded'] })
    for (let i = 0; i < RELATED_PER_THING + 5; i++) await story(`crowd-${i}`, { tags: ['crowded'] })
    // a hundred stories with their reasons cost more than the public may ask for at once
    const list = await related(lonely.slug, { first: 100 }, editor)
    expect(list.totalCount).toBe(RELATED_PER_THING)
    // the newest of the crowd is among them
    expect(list.edges.map((e) => e.node.slug)).toContain(`crowd-${RELATED_PER_THING + 4}`)
    expect(list.edges.every((e) => e.reason === 'SHARED_TAGS' && e.score === 1)).toBe(true)
  })

  it('sends the same statements for the related stories of 2 stories as of 8', async () => {
    const count = async (first: number) => {
      db.statements.length = 0
      const { data, errors } = await app.run(FrontPageRelatedDocument, { first }, editor)
      expect(errors).toBeUndefined()
      const lists = data!.stories.edges.map((e) => e.node.related)
      expect(lists).toHaveLength(first)
      expect(lists.every((l) => l.edges.length > 0)).toBe(true)
      expect(lists.flatMap((l) => l.edges).some((e) => e.reasons.some((r) => r.tags.length > 0))).toBe(true)
      return requestStatements(db)
    }
    const small = await count(2)
    const large = await count(8)
    expect(large).toBe(small)
    // the stories, the related pages, their stories with tags, and the tags, people and events they share
    expect(large).toBeLessThanOrEqual(6)
  })
})

describe('the README’s related-stories query, on the sample graph', () => {
  it('explains the sample’s "more news"', async () => {
    const data = await sampleAnswer('## Related stories, explained')
    const edges = data.story.related.edges
    expect(data.story.related.totalCount).toBe(20)
    expect(edges.map((e: any) => e.reason)).toEqual([
      'EDITORIAL_PICK',
      'EDITORIAL_PICK',
      'SHARED_ENTITIES',
      'EDITORIAL_PICK',
      'SHARED_ENTITIES',
    ])
    // the toddler treated in Italy is there for Gaza: the place and the tag
    expect(edges[2].reasons).toEqual([
      {
        kind: 'SHARED_ENTITIES',
        score: 1,
        events: [],
        people: [],
        organisations: [],
        places: [{ name: 'Gaza' }],
        tags: [],
      },
      {
        kind: 'SHARED_TAGS',
        score: 1,
        events: [],
        people: [],
        organisations: [],
        places: [],
        tags: [{ name: 'Gaza' }],
      },
    ])
    expect(edges[4].reasons[0]).toMatchObject({
      kind: 'SHARED_ENTITIES',
      score: 3,
      organisations: [{ name: 'Hamas' }],
      places: [{ name: 'Israel' }],
    })
  })
})
