// One subscriber's stream (src/live/stream.ts) against a stand-in feed, with no database: a live
// subscriber (no cursor) gets every change the feed hands out after it subscribed, also one handed
// out before the stream is first read (graphql-ws reads it a few turns of the event loop after the
// subscribe resolves, and the feed may read the log in between).
import { describe, expect, it } from 'vitest'
import type { Change, ChangeFeed } from '../../src/live/change-feed.js'
import { changeStream } from '../../src/live/stream.js'

/** A feed the test drives: `handOut` does what ChangeFeed does for each change it reads. */
function standInFeed(position: bigint) {
  const listeners = new Set<(change: Change) => void>()
  const feed = {
    position,
    subscribe(listener: (change: Change) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const handOut = (seq: bigint) => {
    const change: Change = { seq, at: new Date(), kind: 'story.published', objectType: 'Story', objectId: `s${seq}`, topics: [], payload: null, story: null }
    feed.position = seq
    for (const listener of listeners) listener(change)
  }
  return { feed: feed as unknown as ChangeFeed, handOut }
}

describe('changeStream without a cursor', () => {
  it('delivers a change handed out between the subscribe and the first read of the stream', async () => {
    const { feed, handOut } = standInFeed(10n)
    const stream = changeStream({ feed, prisma: null as never, since: null, match: () => true })
    handOut(11n) // the feed moves on before anyone has asked the stream for its first change
    handOut(12n)
    const first = stream.next()
    handOut(13n) // (so that a stream that lost 11 and 12 answers with 13 rather than never)
    expect((await first).value?.seq).toBe(11n)
    expect((await stream.next()).value?.seq).toBe(12n)
    expect((await stream.next()).value?.seq).toBe(13n)
    await stream.return?.()
  })

  it('delivers nothing the feed handed out before the subscribe', async () => {
    const { feed, handOut } = standInFeed(10n)
    handOut(11n)
    const stream = changeStream({ feed, prisma: null as never, since: null, match: () => true })
    const first = stream.next()
    handOut(12n)
    expect((await first).value?.seq).toBe(12n)
    await stream.return?.()
  })
})
