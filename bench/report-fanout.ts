// Fan-out in the report: publishes delivered to many subscribers, summarised, judged and written.
import type { FanOutRun, Variant } from './phase-fanout.js'
import { VARIANT_NAMES } from './phase-fanout.js'
import { fmt, x, type Line, type Table } from './report-format.js'
import type { TargetLine } from './report-summary.js'
import { TARGETS, type BenchSettings } from './settings.js'
import { median, ratio } from './stats.js'

export interface FanOutSummary {
  subscribers: number
  variant: Variant
  deliveredPercent: number
  complete: number
  failedPublishes: number
  p50: number
  p99: number
  max: number
  fanOutRate: number
  sustainedRate: number
  cpuUsPerDelivery: number
  rssPerSubscriber: number
  heapPerSubscriber: number
  eventLoopP99: number
  publishP50: number
  connectSeconds: number
  drainSeconds: number
  remoteMinusLocalP50?: number
  rounds: number
}

/** One line per subscriber count and variant, the medians of its rounds. */
export function fanOutSummaries(fanOut: FanOutRun[]): FanOutSummary[] {
  const summaries: FanOutSummary[] = []
  const keys = [...new Set(fanOut.map((r) => `${r.subscribers}|${r.variant}`))]
  for (const key of keys) {
    const runs = fanOut.filter((r) => `${r.subscribers}|${r.variant}` === key)
    const m = (f: (r: FanOutRun) => number) => median(runs.map(f))
    summaries.push({
      subscribers: runs[0].subscribers,
      variant: runs[0].variant,
      deliveredPercent: (100 * runs.reduce((n, r) => n + r.delivered, 0)) / runs.reduce((n, r) => n + r.expected, 0),
      complete: Math.min(...runs.map((r) => r.complete)),
      failedPublishes: runs.reduce((n, r) => n + r.failedPublishes, 0),
      p50: m((r) => r.latencyMs.p50),
      p99: m((r) => r.latencyMs.p99),
      max: Math.max(...runs.map((r) => r.latencyMs.max)),
      fanOutRate: m((r) => r.fanOutRate),
      sustainedRate: m((r) => r.sustainedRate),
      cpuUsPerDelivery: m((r) => r.cpuUsPerDelivery),
      rssPerSubscriber: m((r) => r.rssPerSubscriber),
      heapPerSubscriber: m((r) => r.heapPerSubscriber),
      eventLoopP99: m((r) => r.eventLoopMs.p99),
      publishP50: m((r) => r.publishMs.p50),
      connectSeconds: m((r) => r.connectSeconds),
      drainSeconds: m((r) => r.drainSeconds),
      ...(runs[0].byProcess ? { remoteMinusLocalP50: m((r) => r.byProcess!.remote.p50 - r.byProcess!.local.p50) } : {}),
      rounds: runs.length,
    })
  }
  return summaries
}

/** Deliveries were still arriving half a second after the last publish: the server fell behind. */
const saturated = (f: FanOutSummary) => !(f.drainSeconds <= 0.5)

/** Each subscriber count's targets: delivery, p99, rate against the raw ws broadcast, Redis. */
export function judgeFanOut(settings: BenchSettings, fanOut: FanOutSummary[]): TargetLine[] {
  const lines: TargetLine[] = []
  const add = (id: string, target: string, measured: string, met: boolean | null) =>
    lines.push({ id, target, measured, met })

  const ours: Variant[] = ['breakingNews', 'eventUpdated', 'crossProcess']
  for (const size of settings.fanOutSizes) {
    const at = (variant: Variant) => fanOut.find((f) => f.subscribers === size && f.variant === variant)
    const measured = ours.map(at).filter((f): f is FanOutSummary => !!f)
    add(
      `fanout.complete.${size}`,
      `fan-out, ${size} subscribers: 100% delivered, every subscriber every publish`,
      measured
        .map(
          (f) =>
            `${f.variant} ${fmt(f.deliveredPercent, '%')} (${f.complete}/${size} complete${f.failedPublishes ? `, ${f.failedPublishes} publishes failed` : ''})`,
        )
        .join('; ') || 'not measured',
      measured.length
        ? measured.every((f) => f.deliveredPercent === 100 && f.complete === size && f.failedPublishes === 0)
        : null,
    )
    const raw = at('rawWs')
    // p99 publish→deliver: a limit in ms, or a multiple of the raw ws broadcast's p99
    const single = (['breakingNews', 'eventUpdated'] as Variant[]).map(at).filter((f): f is FanOutSummary => !!f)
    const limit = TARGETS.p99Ms[size]
    const relative = TARGETS.p99RawWs.sizes.includes(size)
    if (limit !== undefined || relative) {
      const bound = limit ?? TARGETS.p99RawWs.ratio * (raw?.p99 ?? NaN)
      add(
        `fanout.p99.${size}`,
        `fan-out, ${size} subscribers: p99 publish→deliver ≤ ${limit !== undefined ? `${limit} ms` : `${TARGETS.p99RawWs.ratio}× the raw ws broadcast's`}`,
        (single.map((f) => `${f.variant} ${fmt(f.p99, ' ms')}`).join('; ') || 'not measured') +
          (limit === undefined ? ` (raw ws ${fmt(raw?.p99 ?? NaN, ' ms')})` : ''),
        single.length && Number.isFinite(bound) ? single.every((f) => f.p99 <= bound) : null,
      )
    }
    add(
      `fanout.memory.${size}`,
      `fan-out, ${size} subscribers: heap + buffers per subscriber ≤ ${TARGETS.subscriberKiB} KiB (each of ours)`,
      measured.map((f) => `${f.variant} ${fmt(f.heapPerSubscriber / 1024, ' KiB')}`).join('; ') || 'not measured',
      measured.length ? measured.every((f) => f.heapPerSubscriber <= TARGETS.subscriberKiB * 1024) : null,
    )
    if (raw && single.length) {
      const bound = TARGETS.deliveryCpuRatio * raw.cpuUsPerDelivery
      add(
        `fanout.cpu.${size}`,
        `fan-out, ${size} subscribers: CPU per delivery ≤ ${TARGETS.deliveryCpuRatio}× the raw ws broadcast's`,
        single
          .map(
            (f) =>
              `${f.variant} ${x(ratio(f.cpuUsPerDelivery, raw.cpuUsPerDelivery))} (${fmt(f.cpuUsPerDelivery, ' µs')})`,
          )
          .join('; ') + ` vs ${fmt(raw.cpuUsPerDelivery, ' µs')}`,
        Number.isFinite(bound) ? single.every((f) => f.cpuUsPerDelivery <= bound) : null,
      )
    }
    const bn = at('breakingNews')
    if (bn && raw) {
      // What a server can deliver: while it keeps up with the publishes, the rate one publish goes
      // out at; once either falls behind (deliveries still arriving after the last publish), the
      // sustained rate is its capacity, and the per-publish spread of interleaved publishes is not.
      const behind = saturated(bn) || saturated(raw)
      const r = behind ? ratio(bn.sustainedRate, raw.sustainedRate) : ratio(bn.fanOutRate, raw.fanOutRate)
      add(
        `fanout.rate.${size}`,
        `fan-out, ${size} subscribers: deliveries per second ≥ ${TARGETS.rawWsRatio}× the raw ws broadcast`,
        behind
          ? `${x(r)} (sustained, as deliveries fell behind the publishes: ${fmt(bn.sustainedRate)} vs ${fmt(raw.sustainedRate)} per s)`
          : `${x(r)} (while a publish goes out: ${fmt(bn.fanOutRate)} vs ${fmt(raw.fanOutRate)} per s; both kept up with the publishes)`,
        Number.isFinite(r) ? r >= TARGETS.rawWsRatio : null,
      )
    }
    const cross = at('crossProcess')
    if (cross?.remoteMinusLocalP50 !== undefined) {
      // once deliveries fall behind, each process's backlog, not the notice, decides its latency
      const judged = !saturated(cross) && Number.isFinite(cross.remoteMinusLocalP50)
      add(
        `fanout.redis.${size}`,
        `fan-out, ${size} subscribers: Redis adds ≤ ${TARGETS.redisP50Ms} ms at p50`,
        `${fmt(cross.remoteMinusLocalP50, ' ms')} (the other process's p50 minus the committing one's; cross-process p50 ${fmt(cross.p50, ' ms')}, one process ${fmt(bn?.p50 ?? NaN, ' ms')})` +
          (judged ? '' : '; not judged: deliveries fell behind the publishes, and the backlog decides the latency'),
        judged ? cross.remoteMinusLocalP50 <= TARGETS.redisP50Ms : null,
      )
    }
  }
  for (const size of [...Object.keys(TARGETS.p99Ms).map(Number), ...TARGETS.p99RawWs.sizes]) {
    if (!settings.fanOutSizes.includes(size))
      add(
        `fanout.p99.${size}`,
        `fan-out, ${size} subscribers: p99 publish→deliver ≤ ${TARGETS.p99Ms[size] !== undefined ? `${TARGETS.p99Ms[size]} ms` : `${TARGETS.p99RawWs.ratio}× the raw ws broadcast's`}`,
        `not measured in ${settings.mode} mode`,
        null,
      )
  }
  return lines
}

export function fanOutSection(fanOut: FanOutSummary[], settings: BenchSettings, p: Line, table: Table) {
  p(
    `## Fan-out (a publish every ${settings.publishIntervalMs} ms, ${settings.publishes} publishes per run, median of ${settings.fanOutRounds} round(s))`,
  )
  p()
  table(
    [
      'subscribers',
      'variant',
      'delivered',
      'p50 ms',
      'p99 ms',
      'max ms',
      'deliveries/s (per publish)',
      'deliveries/s (sustained)',
      'CPU µs/delivery',
      'heap+buffers/subscriber',
      'RSS/subscriber',
      'event loop p99 ms',
      'publish p50 ms',
      'behind by s',
    ],
    fanOut.map((f) => [
      f.subscribers.toLocaleString('en-US'),
      VARIANT_NAMES[f.variant],
      `${fmt(f.deliveredPercent, '%')} (${f.complete} complete${f.failedPublishes ? `, ${f.failedPublishes} publishes failed` : ''})`,
      fmt(f.p50),
      fmt(f.p99),
      fmt(f.max),
      fmt(f.fanOutRate),
      fmt(f.sustainedRate),
      fmt(f.cpuUsPerDelivery),
      fmt(f.heapPerSubscriber / 1024, ' KiB'),
      fmt(f.rssPerSubscriber / 1024, ' KiB'),
      fmt(f.eventLoopP99),
      fmt(f.publishP50),
      fmt(f.drainSeconds),
    ]),
  )
  const cross = fanOut.filter((f) => f.remoteMinusLocalP50 !== undefined)
  if (cross.length) {
    p(
      `Redis: the p50 of deliveries through the other process minus the p50 through the process that committed: ${cross.map((f) => `${fmt(f.remoteMinusLocalP50!, ' ms')} at ${f.subscribers}`).join(', ')}.`,
    )
    p()
  }
}
