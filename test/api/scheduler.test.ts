// A story scheduled for later becomes PUBLISHED at its time with no request: a revision, an audit
// entry by the scheduler, and a change live subscribers receive.
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishDueStories } from '../../src/live/scheduler.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db, { schedule: true })
  await app.feedStarted
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

describe('the scheduler', () => {
  it('publishes a story once its time has come, as a change like any other', async () => {
    const editor = await asRole('editor')
    const created = await app.run(
      `mutation { createStory(input: { slug: "at-noon", headline: "At noon" }) { ... on Story { id version } } }`,
      {},
      editor,
    )
    const { id, version } = (created.data as any).createStory
    const at = new Date(Date.now() + 1_500).toISOString()
    const scheduled = await app.run(
      `mutation($id: ID!, $v: Int!, $at: DateTime) { publishStory(id: $id, version: $v, at: $at) { ... on Story { status } } }`,
      { id, v: version, at },
      editor,
    )
    expect(scheduled.data).toEqual({ publishStory: { status: 'SCHEDULED' } })
    const live: string[] = []
    app.feed.subscribe((c) => live.push(c.kind))

    // not yet due: nothing to publish
    const base = { prisma: db.prisma, log: pino({ level: 'silent' }), live: app.feed }
    expect(await publishDueStories(base)).toBe(0)

    // the app's own scheduler (every LIVE_POLL_MS) publishes it, without any request
    const status = async () => (await db.prisma.story.findFirstOrThrow({ where: { slug: 'at-noon' } })).status
    await expect.poll(status, { timeout: 10_000, interval: 100 }).toBe('PUBLISHED')
    const row = await db.prisma.story.findFirstOrThrow({ where: { slug: 'at-noon' } })
    expect(row).toMatchObject({ status: 'PUBLISHED', version: 3, firstPublishedAt: new Date(at) })
    expect(await db.prisma.auditEntry.findFirst({ orderBy: { id: 'desc' } })).toMatchObject({
      actor: 'system:scheduler',
      operation: 'publishScheduledStory',
    })
    expect(
      await db.prisma.storyRevision.findFirst({ where: { storyId: row.id }, orderBy: { version: 'desc' } }),
    ).toMatchObject({ version: 3, action: 'published', actor: 'system:scheduler' })
    await expect.poll(() => live.includes('story.published'), { timeout: 5_000 }).toBe(true)
    // and nothing more to do, by this process or another
    expect(await publishDueStories(base)).toBe(0)
  })
})
