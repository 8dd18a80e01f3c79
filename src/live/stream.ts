// One subscriber's stream: what it missed since its cursor (or the newest matching changes, for
// `last`), read from the change log, then what the feed hands out live, with nothing lost or
// repeated at the seam between the two.
import { GraphQLError } from 'graphql'
import type { PrismaClient } from '../generated/prisma/client.js'
import { readChanges, type ChangeFeed } from './change-feed.js'
import { changeOf, type Change } from './changes.js'

/** Changes a subscriber may fall behind by before its stream ends (it resumes by cursor). */
export const MAX_BACKLOG = 10_000

/** The most changes `last` may ask for, and how far back in the log it looks for them. */
export const MAX_LAST = 100
export const LAST_LOOKBACK = 10_000

export interface StreamOptions {
  feed: ChangeFeed
  prisma: PrismaClient
  /** the cursor (a change's sequence number) the subscriber saw last; null for live only */
  since: bigint | null
  /** start with the newest this many matching changes instead (not with since) */
  last?: number | null
  match: (change: Change) => boolean
}

export function changeStream({
  feed,
  prisma,
  since,
  last: newest = null,
  match,
}: StreamOptions): AsyncIterableIterator<Change> {
  // Listen first, then read the log: whatever commits meanwhile is either in the read or queued,
  // and the sequence numbers (handed out in commit order) tell which was seen already.
  const queue: Change[] = []
  let wake: (() => void) | null = null
  let ended = false
  let overflowed = false
  // Where a live stream starts: the feed's position as it starts listening, taken now, not at the
  // first read (graphql-ws reads a few turns later, and what the feed hands out meanwhile is queued
  // with sequence numbers above this, not behind it).
  const from = since ?? feed.position
  const unsubscribe = feed.subscribe((change) => {
    if (!match(change)) return
    if (queue.length >= MAX_BACKLOG) {
      overflowed = true
      end()
      return
    }
    queue.push(change)
    wake?.()
  })
  function end() {
    ended = true
    unsubscribe()
    wake?.()
  }

  async function* run(): AsyncGenerator<Change> {
    let last = from
    if (newest !== null) yield* await newestMatching(prisma, last, newest, match)
    if (since !== null) {
      for (;;) {
        const page = await readChanges(prisma, last)
        for (const change of page) {
          last = change.seq
          if (match(change)) yield change
        }
        if (page.length === 0 || ended) break
      }
    }
    while (!ended) {
      while (queue.length > 0) {
        const change = queue.shift()!
        if (change.seq <= last) continue
        last = change.seq
        yield change
      }
      if (ended) break
      await new Promise<void>((resolve) => (wake = resolve))
      wake = null
    }
    if (overflowed) {
      throw new GraphQLError(`More than ${MAX_BACKLOG} changes behind; subscribe again with since: "${last}".`, {
        extensions: { code: 'SUBSCRIBER_TOO_SLOW', cursor: last.toString() },
      })
    }
  }

  const changes = run()
  // return() must take effect at once, even while the stream waits for a change that may never
  // come: end() wakes the wait, so the generator finishes and lets go of the feed.
  return {
    next: () => changes.next(),
    return: (value?: unknown) => {
      end()
      return changes.return(value as never)
    },
    throw: (error?: unknown) => {
      end()
      return changes.throw(error)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

/** `changes` with each one passed through `map`; return() reaches the stream at once, as above. */
export function mapStream<T>(
  changes: AsyncIterableIterator<Change>,
  map: (change: Change) => T,
): AsyncIterableIterator<T> {
  return {
    next: async () => {
      const result = await changes.next()
      return result.done ? { done: true, value: undefined } : { done: false, value: map(result.value) }
    },
    return: async (value?: unknown) => {
      await changes.return?.(value)
      return { done: true, value: undefined }
    },
    throw: async (error?: unknown) => {
      await changes.throw?.(error)
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

/** The newest `count` changes up to `upTo` that match, oldest first, among the newest LAST_LOOKBACK. */
async function newestMatching(
  prisma: PrismaClient,
  upTo: bigint,
  count: number,
  match: (change: Change) => boolean,
): Promise<Change[]> {
  const found: Change[] = []
  let before = upTo + 1n
  for (let looked = 0; looked < LAST_LOOKBACK && found.length < count;) {
    const rows = await prisma.change.findMany({ where: { seq: { lt: before } }, orderBy: { seq: 'desc' }, take: 500 })
    for (const change of rows.map(changeOf)) {
      if (match(change)) found.push(change)
      if (found.length === count) break
    }
    if (rows.length < 500) break
    looked += rows.length
    before = rows[rows.length - 1]!.seq
  }
  return found.reverse()
}
