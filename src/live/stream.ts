// One subscriber's stream: what it missed since its cursor, read from the change log, then what
// the feed hands out live, with nothing lost or repeated at the seam between the two.
import type { PrismaClient } from '../generated/prisma/client.js'
import { readChanges, type Change, type ChangeFeed } from './change-feed.js'

export interface StreamOptions {
  feed: ChangeFeed
  prisma: PrismaClient
  /** the cursor (a change's sequence number) the subscriber saw last; null for live only */
  since: bigint | null
  match: (change: Change) => boolean
}

export async function* changeStream({ feed, prisma, since, match }: StreamOptions): AsyncGenerator<Change> {
  // Listen first, then read the log: whatever commits meanwhile is either in the read or queued,
  // and the sequence numbers (handed out in commit order) tell which was seen already.
  const queue: Change[] = []
  let wake: (() => void) | null = null
  const unsubscribe = feed.subscribe((change) => {
    if (!match(change)) return
    queue.push(change)
    wake?.()
  })
  try {
    let last = since ?? feed.position
    if (since !== null) {
      for (;;) {
        const page = await readChanges(prisma, last)
        for (const change of page) {
          last = change.seq
          if (match(change)) yield change
        }
        if (page.length === 0) break
      }
    }
    for (;;) {
      while (queue.length > 0) {
        const change = queue.shift()!
        if (change.seq <= last) continue
        last = change.seq
        yield change
      }
      await new Promise<void>((resolve) => (wake = resolve))
      wake = null
    }
  } finally {
    unsubscribe()
  }
}
