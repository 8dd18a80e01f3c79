// The purger: follows the change log and purges each committed change's keys (src/edge/keys.ts)
// from every configured edge (src/edge/targets), so that a correction reaches readers behind a CDN
// right after it commits, not when the edge's copy expires.
//
// Each target has a follower of its own (src/outbound/follower.ts): its own cursor (the
// "PurgeCursor" table), its own lease (`purge:<target>`, one process purges it at a time), its own
// retries, so that a CDN that is down or slow holds back only its own purges. A batch of changes
// goes out as the union of their keys, in as few requests as the target takes; the cursor moves
// only once every request of the batch was answered as done: at least once, nothing skipped. A
// failed batch is tried again after a growing wait, forever: a CDN's outage must not lose purges.
//
// Where a target starts: from its cursor; with none yet (the target is new), from the newest change
// then. What the edge cached before that is not purged: it ages out by its max-age. Should the
// cursor fall behind what the log keeps (CHANGE_LOG_RETENTION_DAYS), the changes in between are
// gone: the target is told to purge everything (`all`, on every public answer) once.
//
// Each batch is purged again PURGE_REPEAT_MS later, once, not tracked by the cursor: an answer
// another process began reading before the commit and finished after the purge (its feed had not
// heard of the commit yet, so it marked the answer public) may reach the CDN after the first purge.
import type { Registry } from 'prom-client'
import type { Config } from '../config.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import type { Change, ChangeEntry } from '../live/changes.js'
import type { Logger } from '../logger.js'
import { Follower } from '../outbound/follower.js'
import { createOutbound, outboundPolicy, type Outbound, type Resolver } from '../outbound/request.js'
import { ALL, purgeKeys } from './keys.js'
import { purgeMetrics } from './purge-metrics.js'
import { cloudflareTarget } from './targets/cloudflare.js'
import { fastlyTarget } from './targets/fastly.js'
import { httpTarget } from './targets/http.js'
import { groupsOf, PurgeFailed, type PurgeTarget } from './targets/target.js'
import { varnishTarget } from './targets/varnish.js'

/** The targets the settings configure (none: no purger). */
export function purgeTargets(config: Config): PurgeTarget[] {
  // a node listed twice (`http://a:6081`, `http://a:6081/`) is purged once
  const nodes = new Map(config.PURGE_VARNISH_URLS.map(varnishTarget).map((target) => [target.name, target]))
  const targets = [...nodes.values()]
  if (config.PURGE_HTTP_URL) targets.push(httpTarget(config.PURGE_HTTP_URL, config.PURGE_HTTP_TOKEN))
  if (config.PURGE_FASTLY_SERVICE_ID && config.PURGE_FASTLY_TOKEN)
    targets.push(
      fastlyTarget({
        apiUrl: config.PURGE_FASTLY_API_URL,
        serviceId: config.PURGE_FASTLY_SERVICE_ID,
        token: config.PURGE_FASTLY_TOKEN,
        soft: config.PURGE_FASTLY_SOFT,
      }),
    )
  if (config.PURGE_CLOUDFLARE_ZONE_ID && config.PURGE_CLOUDFLARE_TOKEN)
    targets.push(
      cloudflareTarget({
        apiUrl: config.PURGE_CLOUDFLARE_API_URL,
        zoneId: config.PURGE_CLOUDFLARE_ZONE_ID,
        token: config.PURGE_CLOUDFLARE_TOKEN,
      }),
    )
  return targets
}

/** Purges `keys` at `target`, in as few requests as its limits allow, one after another; throws
 *  PurgeFailed at the first request not answered as done (a timeout or a refused address too). */
export async function purgeAt(outbound: Outbound, target: PurgeTarget, keys: readonly string[]): Promise<void> {
  for (const group of groupsOf(keys, target.limit)) {
    const { url, ...request } = target.request(group)
    const answer = await outbound.send(url, request).catch((error: Error) => {
      throw new PurgeFailed(target.name, 0, error.message)
    })
    const ok = answer.status >= 200 && answer.status < 300 && (target.done?.(answer) ?? true)
    if (!ok) throw new PurgeFailed(target.name, answer.status, answer.body.slice(0, 200))
  }
}

/** The keys of a batch of changes: each change's, in the order of the changes, each once. */
export function batchKeys(changes: readonly ChangeEntry[]): string[] {
  return [...new Set(changes.flatMap(purgeKeys))]
}

export interface PurgerOptions {
  prisma: PrismaClient
  log: Logger
  config: Config
  /** told of every change this process commits or reads (ChangeFeed.observe): a purge goes out at once */
  feed: { observe(observer: (change: ChangeEntry) => void): () => void }
  /** the app's metrics registry, when /metrics is on */
  registry?: Registry
  /** DNS for the outbound requests (tests stub it) */
  resolve?: Resolver
}

/** How many recent lags each target keeps, for lag(). */
const LAG_SAMPLES = 4096

export type Purger = NonNullable<ReturnType<typeof createPurger>>

/** The purger of every configured target, not started yet; null when no target is configured. */
export function createPurger({ prisma, log, config, feed, registry, resolve }: PurgerOptions) {
  const targets = purgeTargets(config)
  if (targets.length === 0) return null
  const outbound = createOutbound(outboundPolicy(config, resolve))
  const metrics = purgeMetrics(registry, prisma, targets)
  const lags = new Map(targets.map((target) => [target.name, [] as number[]]))
  const failing = new Set<string>()

  const followerOf = (target: PurgeTarget) =>
    new Follower({
      name: `purge:${target.name}`,
      prisma,
      log,
      batch: config.PURGE_BATCH,
      backoff: { baseMs: config.PURGE_RETRY_BASE_MS, maxMs: config.PURGE_RETRY_MAX_MS },
      load: () => loadCursor(target),
      save: (seq) => saveCursor(target.name, seq),
      async handle(changes: Change[]) {
        const keys = batchKeys(changes)
        await purgeAt(outbound, target, keys)
        if (config.PURGE_REPEAT_MS > 0) repeat(target, keys)
        const samples = lags.get(target.name)!
        for (const { at } of changes) {
          const seconds = Math.max(0, (Date.now() - at.getTime()) / 1000)
          metrics.lag(target.name, seconds)
          if (samples.push(seconds) > LAG_SAMPLES) samples.shift()
        }
        if (failing.delete(target.name)) log.info({ component: 'purger', target: target.name }, 'purges go out again')
      },
      onFailure(error, attempt, since, retryAt) {
        metrics.failed(target.name)
        failing.add(target.name)
        // one line per try, no stack: the waits grow to PURGE_RETRY_MAX_MS
        log.warn(
          { component: 'purger', target: target.name, attempt, since, retryAt, error: (error as Error).message },
          'purge failed; trying again',
        )
        return true
      },
    })

  /** The target's cursor; made at the newest change for a new target. Behind what the log still
   *  holds: everything is purged once, and it goes on from there. */
  async function loadCursor(target: PurgeTarget): Promise<bigint> {
    const row = await prisma.purgeCursor.findUnique({ where: { target: target.name }, select: { seq: true } })
    if (!row) {
      const newest = await prisma.change.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } })
      const seq = newest?.seq ?? 0n
      await prisma.purgeCursor.upsert({
        where: { target: target.name },
        create: { target: target.name, seq },
        update: {},
      })
      return seq
    }
    const horizon = await prisma.changeLogHorizon.findUnique({ where: { id: 1 }, select: { prunedThru: true } })
    if (!horizon || row.seq >= horizon.prunedThru) return row.seq
    log.warn(
      { component: 'purger', target: target.name, cursor: row.seq.toString(), pruned: horizon.prunedThru.toString() },
      'the change log no longer holds every change since the last purge: purging everything',
    )
    await purgeAt(outbound, target, [ALL])
    await saveCursor(target.name, horizon.prunedThru)
    return horizon.prunedThru
  }

  async function saveCursor(name: string, seq: bigint): Promise<void> {
    await prisma.purgeCursor.update({ where: { target: name }, data: { seq } })
  }

  /** The second purge of a batch's keys (see above); best effort. */
  const repeats = new Set<NodeJS.Timeout>()
  function repeat(target: PurgeTarget, keys: string[]) {
    const timer = setTimeout(() => {
      repeats.delete(timer)
      purgeAt(outbound, target, keys).catch((error: Error) =>
        log.warn({ component: 'purger', target: target.name, error: error.message }, 'second purge failed'),
      )
    }, config.PURGE_REPEAT_MS)
    timer.unref()
    repeats.add(timer)
  }

  const followers = targets.map(followerOf)
  let unobserve: (() => void) | null = null
  let stopped: Promise<void> | null = null

  return {
    /** the targets' names */
    targets: targets.map((target) => target.name),
    /** Follows the change log: now, at every change the feed tells of, and every LIVE_POLL_MS. */
    start(): void {
      if (unobserve) return
      unobserve = feed.observe(() => {
        for (const follower of followers) void follower.wake()
      })
      for (const follower of followers) void follower.start(config.LIVE_POLL_MS)
    },
    /** The recent lags of a target's purges, from each change's commit to its purge being done. */
    lag(target: string): { count: number; p50: number; p99: number } {
      const sorted = [...(lags.get(target) ?? [])].sort((a, b) => a - b)
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
      return { count: sorted.length, p50: at(0.5), p99: at(0.99) }
    },
    /** Stops following; resolves once the requests in flight are done (OUTBOUND_TIMEOUT_MS at most). */
    stop(): Promise<void> {
      unobserve?.()
      for (const timer of repeats) clearTimeout(timer)
      stopped ??= Promise.all(followers.map((follower) => follower.stop())).then(() => outbound.close())
      return stopped
    },
  }
}
