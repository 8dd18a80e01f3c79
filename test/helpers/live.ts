// Waiting on live subscriptions without a clock (../shared/NOTES.md §9). graphql-ws has no
// "subscribed" acknowledgement (nor has SSE), and a subscription that reaches the server after a
// change commits never gets that change; a sleep before publishing passes on an idle machine and
// fails on a loaded one. So a test waits on something it can observe:
//
// - `latestCursor`: subscribe with `since` set to the cursor of the newest change committed so
//   far; whatever commits after it reaches the subscriber, however late its subscribe arrives.
// - `untilLive`: where `since` would change what is tested (subscribers that share an execution,
//   which a `since` subscription never does; or one that must be following the feed before
//   something happens, as opposed to reading the log when it starts), publish markers until one
//   arrives. A marker that arrives proves the subscription live; one that does not was published
//   before the subscribe reached the server, and the next one is published after it.
// - to show that something did NOT arrive, publish a later change that must arrive, wait for it,
//   and check what came before it: a subscription delivers in commit order.
import { expect } from 'vitest'
import type { Database } from '../../src/db/database.js'

/**
 * The cursor of the newest change committed so far (or of the log's horizon, if everything was
 * pruned; "0" on an empty log): pass it as `since`, and exactly what commits after this call is
 * delivered, whenever the subscribe reaches the server.
 */
export async function latestCursor({ prisma }: Pick<Database, 'prisma'>): Promise<string> {
  const [newest, horizon] = await Promise.all([
    prisma.change.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }),
    prisma.changeLogHorizon.findUnique({ where: { id: 1 }, select: { prunedThru: true } }),
  ])
  const seq = newest?.seq ?? 0n
  const pruned = horizon?.prunedThru ?? 0n
  return (seq > pruned ? seq : pruned).toString()
}

/** Waits until `feed` has read every change committed so far (what an answer cached from now on
 *  read is then no older than the feed: the response cache keeps it). */
export async function settled({ prisma }: Pick<Database, 'prisma'>, feed: { position: bigint }): Promise<void> {
  const newest = await prisma.change.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } })
  await expect.poll(() => feed.position, { timeout: 10_000, interval: 10 }).toBe(newest?.seq ?? 0n)
}

/**
 * Resolves once `arrived(marker)` holds for the marker `publish` made last (say: every
 * subscriber's latest message is that marker), publishing another each time it has not come
 * within a while. The wait is for the marker, never for a time: the while only decides when a
 * marker counts as missed (published before the subscribe reached the server) and another is
 * published. It starts at `retryMs` and doubles each time, so that on a machine slow enough for
 * a marker to take longer than that to arrive, one soon has the time it needs. Fails after
 * `timeoutMs`, saying how many were published. Returns the marker that arrived.
 */
export async function untilLive<T>(
  publish: () => Promise<T>,
  arrived: (marker: T) => boolean,
  { retryMs = 1_000, timeoutMs = 25_000 }: { retryMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (let attempt = 1, wait = retryMs; ; attempt++, wait *= 2) {
    const marker = await publish()
    for (const retry = Date.now() + wait; !arrived(marker) && Date.now() < Math.min(retry, deadline);) await tick()
    if (arrived(marker)) return marker
    if (Date.now() >= deadline) {
      expect.fail(
        `no marker arrived within ${timeoutMs} ms (${attempt} published): is the subscription refused, or are the markers filtered out?`,
      )
    }
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20))
