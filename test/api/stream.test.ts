// One subscriber's stream (src/live/stream.ts) on the real change feed: a live subscriber (no
// cursor) gets every change the feed hands out after it subscribed, also one handed out before the
// stream is first read (graphql-ws reads it a few turns of the event loop after the subscribe
// resolves, and the feed may read the log in between), and nothing from before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChangeFeed } from '../../src/live/change-feed.js'
import { changeRow } from '../../src/live/changes.js'
import { changeStream } from '../../src/live/stream.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
let feed: ChangeFeed

beforeAll(async () => {
  db = await createTestDatabase()
  feed = new ChangeFeed(db.prisma, { pollMs: 60_000, retentionDays: 7 })
  await feed.start()
})
afterAll(async () => {
  await feed?.stop()
  await db?.drop()
})

/** Commits a change to the log and has the feed read it (hand it out) now. */
async function handOut(): Promise<bigint> {
  const row = await db.prisma.change.create({
    data: changeRow({
      kind: 'tag.updated',
      objectType: 'Tag',
      objectId: crypto.randomUUID(),
      topics: [],
      facts: { version: 1 },
    }),
    select: { seq: true },
  })
  await feed.readNow()
  return row.seq
}

describe('changeStream without a cursor', () => {
  it('delivers a change handed out between the subscribe and the first read of the stream', async () => {
    const stream = changeStream({ feed, prisma: db.prisma, since: null, match: () => true })
    const a = await handOut() // the feed moves on before anyone has asked the stream for its first change
    const b = await handOut()
    const first = stream.next()
    const c = await handOut()
    expect((await first).value?.seq).toBe(a)
    expect((await stream.next()).value?.seq).toBe(b)
    expect((await stream.next()).value?.seq).toBe(c)
    await stream.return?.()
  })

  it('delivers nothing the feed handed out before the subscribe', async () => {
    await handOut()
    const stream = changeStream({ feed, prisma: db.prisma, since: null, match: () => true })
    const first = stream.next()
    const next = await handOut()
    expect((await first).value?.seq).toBe(next)
    await stream.return?.()
  })
})
