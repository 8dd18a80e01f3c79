// The sample news page, read back whole through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { StoryPageDocument } from '../generated/graphql.js'
import { testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

const SLUG = 'hamas-israel-ceasefire-talks-expected-to-resume'
let db: TestDatabase
let app: ReturnType<typeof testApp>

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  app = testApp(db)
})
afterAll(() => db?.drop())

describe('the sample story', () => {
  it('comes back whole', async () => {
    const { data, errors } = await app.run(StoryPageDocument, { slug: SLUG })
    expect(errors).toBeUndefined()
    const story = data!.story!
    expect(story.headline).toMatch(/talks/i)
    expect(story.headline).toMatch(/next week/i)
    expect(story.lede).toBeTruthy()
    expect(story.status).toBe('PUBLISHED')
    expect(story.firstPublishedAt).toMatch(/^2025-07-25/)
    expect(story.language).toBe('en')

    // sections in order, the first without a subheading, the two after it with one
    expect(story.body).toHaveLength(3)
    expect(story.body[0].heading).toBeNull()
    expect(story.body[1].heading).toBeTruthy()
    expect(story.body[2].heading).toBeTruthy()
    expect(story.body.every((s) => s.paragraphs.length > 0)).toBe(true)
    expect(story.body[0].paragraphs.join(' ')).toMatch(/Naim/)
    expect(story.body[2].paragraphs.join(' ')).toMatch(/weeks/i)

    expect(story.photo?.creditLine).toBe('Francisco Seco/AP/TT')
    expect(story.photo?.renditions.length).toBeGreaterThan(0)
    expect(story.byline).toBe('TT')
    expect(story.editionNote).toMatch(/Sweden Herald/)
    expect(story.editionNote).toMatch(/adapted/)
    expect(story.adaptedBy?.slug).toBeTruthy()
    expect(story.sourceOrganisation?.name).toBe('TT')
    expect(story.contributors.edges.map((e) => e.node.role)).toEqual(['AUTHOR', 'ADAPTER'])

    // read time is computed from the text on write
    expect(story.wordCount).toBeGreaterThan(250)
    expect(story.readTimeMinutes).toBe(Math.max(1, Math.round(story.wordCount / 238)))
  })

  it('names its people, organisations, places and tags', async () => {
    const { data } = await app.run(StoryPageDocument, { slug: SLUG })
    const story = data!.story!
    const names = (c: { edges: { node: { name: string } }[] }) => c.edges.map((e) => e.node.name)
    expect(names(story.people)).toEqual(
      expect.arrayContaining(['Bassem Naim', 'Donald Trump', 'Steve Witkoff', 'Benjamin Netanyahu']),
    )
    expect(names(story.organisations)).toEqual(expect.arrayContaining(['Hamas']))
    expect(names(story.places)).toEqual(expect.arrayContaining(['Gaza', 'Qatar', 'Egypt', 'Israel']))
    expect(names(story.tags)).toEqual(expect.arrayContaining(['Gaza', 'Ceasefire', 'Israel–Hamas war']))
    expect(story.tags.edges.some((e) => e.node.scheme === 'MEDIATOPIC' && e.node.code?.startsWith('medtop:'))).toBe(
      true,
    )
    expect(story.people.totalCount).toBe(story.people.edges.length)
    const netanyahu = story.people.edges.find((e) => e.node.name === 'Benjamin Netanyahu')!
    expect(netanyahu.node.affiliations.edges[0].node.role).toMatch(/Prime Minister/)
  })

  it('carries the talks with their current status, expected resumption and history', async () => {
    const { data } = await app.run(StoryPageDocument, { slug: SLUG })
    const event = data!.story!.events.edges[0].node
    expect(data!.story!.events.edges[0].relation).toBe('ABOUT')
    expect(event.status).toBe('SCHEDULED')
    expect(event.expectedStart).toEqual({
      from: '2025-07-28T00:00:00.000Z',
      to: expect.stringMatching(/^2025-08-03T23:59/),
      precision: 'WEEK',
    })
    const roles = event.participants.edges.map((e) => `${e.node.role}:${e.node.organisation?.slug}`)
    expect(roles.filter((r) => r.startsWith('PARTY'))).toHaveLength(2)
    expect(roles.filter((r) => r.startsWith('MEDIATOR')).length).toBeGreaterThanOrEqual(2)
    const history = event.statusHistory.edges.map((e) => e.node)
    expect(history.map((h) => [h.from, h.to])).toEqual([
      [null, 'UNDERWAY'],
      ['UNDERWAY', 'SUSPENDED'],
      ['SUSPENDED', 'SCHEDULED'],
    ])
    expect(history.every((h) => h.reportedBy?.slug === SLUG && h.note)).toBe(true)
    expect([...history.map((h) => h.at)]).toEqual([...history.map((h) => h.at)].sort())
  })

  it('lists the "more news" stories in page order with read times and tags', async () => {
    const { data } = await app.run(StoryPageDocument, { slug: SLUG })
    const related = data!.story!.related
    expect(related.totalCount).toBe(20)
    expect(related.edges).toHaveLength(20)
    expect(related.edges.map((e) => e.node.readTimeMinutes)).toEqual([
      1, 1, 2, 1, 7, 1, 1, 2, 2, 1, 3, 2, 1, 1, 1, 1, 2, 2, 1, 1,
    ])
    expect(related.edges.every((e) => e.node.tags.edges.length >= 1)).toBe(true)
    expect(related.edges[4].node.headline).toMatch(/Hamas/)
    expect(related.edges.map((e) => e.reason)).toContain('EDITORIAL_PICK')
  })

  it('seeds idempotently', async () => {
    const before = await db.prisma.story.count()
    expect(await seedSampleGraph(db.prisma)).toEqual({ created: false })
    expect(await db.prisma.story.count()).toBe(before)
  })
})
