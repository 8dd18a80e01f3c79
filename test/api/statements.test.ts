// Nested lists are batched: the SQL a query sends does not grow with the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FrontPageDocument, StoryPageDocument } from '../generated/graphql.js'
import { testApp } from '../helpers/api.js'
import { COUNTING, createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { seedSampleGraph } from '../../src/seed/seed.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>

/** 60 published stories, each with a photo, two tags, two people and an event with a status. */
async function makeFrontPage() {
  const p = db.prisma
  const tags = await Promise.all([0, 1, 2].map((i) => p.tag.create({ data: { slug: `t${i}`, name: `Tag ${i}` } })))
  const people = await Promise.all(
    [0, 1, 2].map((i) => p.person.create({ data: { slug: `p${i}`, name: `Person ${i}` } })),
  )
  const event = await p.event.create({ data: { slug: 'talks', name: 'Talks', status: 'SUSPENDED' } })
  for (let i = 0; i < 60; i++) {
    await p.story.create({
      data: {
        slug: `story-${i}`,
        headline: `Story ${i}`,
        status: 'PUBLISHED',
        firstPublishedAt: new Date(Date.UTC(2025, 6, 1, 0, i)),
        byline: 'TT',
        photo: { create: { creditLine: `Photo ${i}` } },
        tags: { create: [{ tagId: tags[i % 3].id }, { tagId: tags[(i + 1) % 3].id }] },
        people: { create: [{ personId: people[i % 3].id }, { personId: people[(i + 2) % 3].id, relation: 'ABOUT' }] },
        events: { create: [{ eventId: event.id }] },
      },
    })
  }
}

async function countStatements<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  db.statements.length = 0
  const result = await run()
  return { result, statements: [...db.statements] }
}

beforeAll(async () => {
  db = await createTestDatabase()
  await makeFrontPage()
  await seedSampleGraph(db.prisma)
  app = testApp(db, { settings: COUNTING })
})
afterAll(() => db?.drop())

describe('SQL statements per request', () => {
  it('front page: the same few statements for 5 and 50 stories', async () => {
    const small = await countStatements(() => app.run(FrontPageDocument, { first: 5 }))
    const large = await countStatements(() => app.run(FrontPageDocument, { first: 50 }))
    expect(small.result.errors).toBeUndefined()
    expect(large.result.errors).toBeUndefined()
    expect(small.result.data!.stories.edges).toHaveLength(5)
    expect(large.result.data!.stories.edges).toHaveLength(50)
    // every story really came with its byline, photo, tags, people and event
    for (const { node } of large.result.data!.stories.edges.filter((e) => e.node.slug.startsWith('story-'))) {
      expect(node.byline).toBe('TT')
      expect(node.photo?.creditLine).toMatch(/^Photo \d+$/)
      expect(node.tags.edges).toHaveLength(2)
      expect(node.people.edges).toHaveLength(2)
      expect(node.events.edges[0].node.status).toBe('SUSPENDED')
    }
    expect(large.statements.length).toBe(small.statements.length)
    expect(large.statements.length).toBeLessThanOrEqual(4)
  })

  it('story page: related stories and their tags do not add statements per item', async () => {
    const slug = 'hamas-israel-ceasefire-talks-expected-to-resume'
    const { result, statements } = await countStatements(() => app.run(StoryPageDocument, { slug }))
    expect(result.errors).toBeUndefined()
    expect(result.data!.story!.related.edges).toHaveLength(20)
    expect(statements.length).toBeLessThanOrEqual(4)
  })
})
