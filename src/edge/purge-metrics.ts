// The purger's series on the app's registry (src/server/metrics.ts; docs/operations.md lists them):
// how long after a commit its purge was done, failed tries, and how many changes wait to be purged.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { PrismaClient } from '../generated/prisma/client.js'
import type { PurgeTarget } from './targets/target.js'

export interface PurgeMetrics {
  lag(target: string, seconds: number): void
  failed(target: string): void
}

const NONE: PurgeMetrics = { lag: () => {}, failed: () => {} }

export function purgeMetrics(
  registry: Registry | undefined,
  prisma: PrismaClient,
  targets: readonly PurgeTarget[],
): PurgeMetrics {
  if (!registry) return NONE
  const labelNames = ['target'] as const
  const lag = new Histogram({
    name: 'news_graph_purge_lag_seconds',
    help: "From a change's time in the change log to its keys' purge being done at the target",
    labelNames,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  })
  const failures = new Counter({
    name: 'news_graph_purge_failures_total',
    help: 'Tries of a batch of purges that failed (an error answer, a timeout, no connection), by target',
    labelNames,
    registers: [registry],
  })
  new Gauge({
    name: 'news_graph_purge_pending_changes',
    help: "Changes committed and not yet purged at the target (read from the target's cursor when scraped)",
    labelNames,
    registers: [registry],
    async collect() {
      try {
        const cursors = await prisma.purgeCursor.findMany({ select: { target: true, seq: true } })
        for (const { target, seq } of cursors)
          if (targets.some((t) => t.name === target))
            this.set({ target }, await prisma.change.count({ where: { seq: { gt: seq } } }))
      } catch {
        // the database is away: the last figures stand
      }
    },
  })
  for (const { name } of targets) failures.inc({ target: name }, 0)
  return {
    lag: (target, seconds) => lag.observe({ target }, seconds),
    failed: (target) => failures.inc({ target }),
  }
}
