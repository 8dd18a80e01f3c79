// The run's results: every figure as measured (JSON), the medians and ratios the targets are
// judged by, each target with whether it was met, and the same as a markdown report.
import type { LoadResult } from './http-load.js'
import type { Machine } from './machine.js'
import {
  EDGE_VARIANT_NAMES,
  type EdgeFigures,
  type EdgeRun,
  type EdgeVariant,
  type PurgeFigures,
} from './phase-edge.js'
import type { EqualityFigures } from './phase-equality.js'
import type { FanOutRun, Variant } from './phase-fanout.js'
import { VARIANT_NAMES } from './phase-fanout.js'
import type { HttpFigures } from './phase-http.js'
import type { DeskFigures } from './newsroom-desk.js'
import type { Condition, NewsroomFigures, NewsroomRun, NewsroomTarget } from './phase-newsroom.js'
import type { StatementFigures } from './phase-statements.js'
import { TARGETS, type BenchSettings } from './settings.js'
import { median, percentile, ratio, round } from './stats.js'
import { TARGET_NAMES, type Target } from './workloads/http.js'
import { EDITS_PER_SECOND, PUBLISH_EVERY_SECONDS, type NewsroomLoad } from './workloads/newsroom.js'

export interface Results {
  mode: BenchSettings['mode']
  command: string
  startedAt: string
  wallSeconds: number
  machine: Machine
  data: { seed: number; generateSeconds: number; counts: Record<string, number>; note: string }
  settings: Omit<BenchSettings, 'size'> & { size: BenchSettings['size'] }
  statements: StatementFigures
  equality: EqualityFigures
  http: HttpFigures
  /** absent from runs made before the workload was */
  newsroom?: NewsroomFigures
  /** "through the edge"; absent when skipped (no varnishd) and from runs made before it was */
  edge?: EdgeFigures
  fanOut: FanOutRun[]
  /** skipped parts, with why */
  skipped: string[]
  summary: Summary
  targets: TargetLine[]
}

export interface HttpSummary {
  rps: number
  p50: number
  p99: number
  cpuMsPerRequest: number
  failures: number
  rounds: number
}

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

export interface NewsroomSummary {
  stories: number
  zipfExponent: number
  mix: NewsroomFigures['mix']
  /** load → server → condition; hitRatio: ours' cache hits ÷ lookups, over every round */
  http: Record<NewsroomLoad, Partial<Record<NewsroomTarget, Record<Condition, HttpSummary & { hitRatio?: number }>>>>
  desk: DeskSummary
}

export interface DeskSummary {
  updates: number
  publishes: number
  failures: number
  seconds: number
  /** a write's latency, ms */
  p50: number
  p99: number
}

export interface EdgeSummary {
  stories: number
  zipfExponent: number
  sMaxAgeSeconds: number
  /** variant → medians of the rounds; hitRatio: hits ÷ lookups of the cache that answered first
   *  (Varnish's; directly, ours' response cache), over every round */
  http: Record<EdgeVariant, HttpSummary & { hitRatio: number }>
  /** story pages via Varnish ÷ ours directly, req/s */
  ratio: number
  desk: DeskSummary
  purge: PurgeFigures
}

export interface Summary {
  http: Record<string, Partial<Record<Target, HttpSummary>>>
  newsroom?: NewsroomSummary
  edge?: EdgeSummary
  fixedRate: Record<
    string,
    { rate: number; ours: { p50: number; p99: number }; postgraphile: { p50: number; p99: number } }
  >
  write: HttpSummary
  fanOut: FanOutSummary[]
}

export interface TargetLine {
  id: string
  target: string
  measured: string
  /** null: reported, with no threshold, or not measured in this mode */
  met: boolean | null
}

function httpSummary(runs: LoadResult[] | undefined): HttpSummary {
  const r = runs ?? []
  return {
    rps: median(r.map((x) => x.rps)),
    p50: median(r.map((x) => x.latencyMs.p50)),
    p99: median(r.map((x) => x.latencyMs.p99)),
    cpuMsPerRequest: median(r.map((x) => x.cpuMsPerRequest)),
    failures: r.reduce((n, x) => n + x.failures, 0),
    rounds: r.length,
  }
}

function newsroomSummary(figures: NewsroomFigures): NewsroomSummary {
  const { stories, zipfExponent, mix, desk } = figures
  const of = (runs: NewsroomRun[]) => {
    const hits = runs.reduce((n, r) => n + (r.cache?.hits ?? 0), 0)
    const lookups = runs.reduce((n, r) => n + (r.cache ? r.cache.hits + r.cache.misses : 0), 0)
    return { ...httpSummary(runs), ...(runs.some((r) => r.cache) ? { hitRatio: hits / lookups } : {}) }
  }
  const http = Object.fromEntries(
    Object.entries(figures.runs).map(([load, byTarget]) => [
      load,
      Object.fromEntries(
        Object.entries(byTarget).map(([target, runs]) => [
          target,
          { quiet: of(runs.quiet), writing: of(runs.writing) },
        ]),
      ),
    ]),
  ) as NewsroomSummary['http']
  return { stories, zipfExponent, mix, http, desk: deskSummary(desk) }
}

function deskSummary({ latencyMs, errors: _errors, ...counts }: DeskFigures): DeskSummary {
  return { ...counts, p50: percentile(latencyMs, 50), p99: percentile(latencyMs, 99) }
}

function edgeSummary(figures: EdgeFigures): EdgeSummary {
  const { stories, zipfExponent, sMaxAgeSeconds, runs, desk, purge } = figures
  const of = (r: EdgeRun[]) => {
    const hits = r.reduce((n, x) => n + x.cache.hits, 0)
    return { ...httpSummary(r), hitRatio: hits / r.reduce((n, x) => n + x.cache.hits + x.cache.misses, 0) }
  }
  const http = {
    varnish: of(runs.varnish),
    direct: of(runs.direct),
    varnishWriting: of(runs.varnishWriting),
  }
  return {
    stories,
    zipfExponent,
    sMaxAgeSeconds,
    http,
    ratio: ratio(http.varnish.rps, http.direct.rps),
    desk: deskSummary(desk),
    purge,
  }
}

export function summarise(
  http: HttpFigures,
  fanOut: FanOutRun[],
  newsroom?: NewsroomFigures,
  edge?: EdgeFigures,
): Summary {
  const summary: Summary = {
    http: {},
    ...(newsroom && { newsroom: newsroomSummary(newsroom) }),
    ...(edge && { edge: edgeSummary(edge) }),
    fixedRate: {},
    write: httpSummary(http.write),
    fanOut: [],
  }
  for (const [workload, byTarget] of Object.entries(http.throughput)) {
    summary.http[workload] = Object.fromEntries(
      Object.entries(byTarget).map(([target, runs]) => [target, httpSummary(runs)]),
    )
  }
  for (const [workload, { rate, runs }] of Object.entries(http.fixedRate)) {
    const at = (t: Target) => httpSummary(runs[t])
    summary.fixedRate[workload] = {
      rate,
      ours: { p50: at('ours').p50, p99: at('ours').p99 },
      postgraphile: { p50: at('postgraphile').p50, p99: at('postgraphile').p99 },
    }
  }
  const keys = [...new Set(fanOut.map((r) => `${r.subscribers}|${r.variant}`))]
  for (const key of keys) {
    const runs = fanOut.filter((r) => `${r.subscribers}|${r.variant}` === key)
    const m = (f: (r: FanOutRun) => number) => median(runs.map(f))
    summary.fanOut.push({
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
  return summary
}

/** Deliveries were still arriving half a second after the last publish: the server fell behind. */
const saturated = (f: FanOutSummary) => !(f.drainSeconds <= 0.5)

const fmt = (value: number, unit = '') =>
  Number.isFinite(value) ? `${round(value).toLocaleString('en-US')}${unit}` : 'n/a'
const x = (value: number) => (Number.isFinite(value) ? `${round(value)}×` : 'n/a')
const pct = (value: number | undefined) =>
  value !== undefined && Number.isFinite(value) ? `${(100 * value).toFixed(0)}%` : 'n/a'

export function judge(
  settings: BenchSettings,
  statements: StatementFigures,
  summary: Summary,
  skipped: string[],
): TargetLine[] {
  const lines: TargetLine[] = []
  const add = (id: string, target: string, measured: string, met: boolean | null) =>
    lines.push({ id, target, measured, met })

  for (const [workload, byTarget] of Object.entries(statements.http)) {
    const ours = byTarget.ours ?? {}
    const counts = Object.values(ours)
    const constant = counts.length > 1 && counts.every((c) => c === counts[0])
    add(
      `statements.${workload}`,
      `${workload}: SQL statements per request do not grow with page size (ours)`,
      Object.entries(ours)
        .map(([size, n]) => `${n} at ${size}`)
        .join(', '),
      constant,
    )
  }
  add('statements.write', 'write: SQL statements per publish (ours)', `${statements.write}`, null)
  for (const [kind, bySubscribers] of Object.entries(statements.fanOut)) {
    const entries = Object.entries(bySubscribers)
    const counts = entries.map(([, n]) => n)
    add(
      `statements.${kind}`,
      `${kind}: SQL statements per publish do not grow with subscribers (ours)`,
      entries.map(([n, c]) => `${c} with ${n}`).join(', '),
      counts.length > 1 ? counts.every((c) => c === counts[0]) : null,
    )
  }

  for (const workload of ['frontPage', 'storyPage']) {
    const s = summary.http[workload]
    if (!s?.ours) continue
    const against = [
      ['naive', TARGETS.naiveRatio],
      ['postgraphile', TARGETS.postgraphileRatio],
      ['floor', TARGETS.floorRatio],
    ] as const
    for (const [target, wanted] of against) {
      const r = ratio(s.ours.rps, s[target]?.rps ?? NaN)
      add(
        `throughput.${workload}.${target}`,
        `${workload}: throughput ≥ ${wanted}× ${TARGET_NAMES[target]}`,
        `${x(r)} (${fmt(s.ours.rps)} vs ${fmt(s[target]?.rps ?? NaN)} req/s)`,
        Number.isFinite(r) ? r >= wanted : null,
      )
    }
    // what the cache is not counted for: every request run, against the same baselines
    if (s.oursUncached) {
      add(
        `throughput.${workload}.uncached`,
        `${workload}: throughput with the response cache off (reported)`,
        against
          .map(([target]) => `${x(ratio(s.oursUncached!.rps, s[target]?.rps ?? NaN))} ${TARGET_NAMES[target]}`)
          .join(', ') +
          ` (${fmt(s.oursUncached.rps)} req/s; the cache makes ours ${x(ratio(s.ours.rps, s.oursUncached.rps))})`,
        null,
      )
    }
    const fixed = summary.fixedRate[workload]
    if (fixed) {
      add(
        `latency.${workload}`,
        `${workload}: p99 at ${fixed.rate} req/s no worse than PostGraphile's`,
        `${fmt(fixed.ours.p99, ' ms')} vs ${fmt(fixed.postgraphile.p99, ' ms')}`,
        Number.isFinite(fixed.ours.p99) && Number.isFinite(fixed.postgraphile.p99)
          ? fixed.ours.p99 <= fixed.postgraphile.p99
          : null,
      )
    }
  }
  if (summary.newsroom) lines.push(...judgeNewsroom(summary.newsroom))
  if (summary.edge) lines.push(...judgeEdge(summary.edge))

  const search = summary.http.search
  if (search?.ours)
    add(
      'throughput.search.naive',
      'search: throughput against naive (reported)',
      `${x(ratio(search.ours.rps, search.naive?.rps ?? NaN))}`,
      null,
    )

  const ours: Variant[] = ['breakingNews', 'eventUpdated', 'crossProcess']
  for (const size of settings.fanOutSizes) {
    const at = (variant: Variant) => summary.fanOut.find((f) => f.subscribers === size && f.variant === variant)
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
    const limit = TARGETS.p99Ms[size]
    if (limit !== undefined) {
      const single = (['breakingNews', 'eventUpdated'] as Variant[]).map(at).filter((f): f is FanOutSummary => !!f)
      add(
        `fanout.p99.${size}`,
        `fan-out, ${size} subscribers: p99 publish→deliver ≤ ${limit} ms`,
        single.map((f) => `${f.variant} ${fmt(f.p99, ' ms')}`).join('; ') || 'not measured',
        single.length ? single.every((f) => f.p99 <= limit) : null,
      )
    }
    const bn = at('breakingNews')
    const raw = at('rawWs')
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
  for (const [size, limit] of Object.entries(TARGETS.p99Ms)) {
    if (!settings.fanOutSizes.includes(Number(size)))
      add(
        `fanout.p99.${size}`,
        `fan-out, ${size} subscribers: p99 publish→deliver ≤ ${limit} ms`,
        `not measured in ${settings.mode} mode`,
        null,
      )
  }

  const cpu = Object.entries(summary.http)
    .map(([w, s]) => `${w} ${fmt(s.ours?.cpuMsPerRequest ?? NaN, ' ms')}`)
    .concat(`write ${fmt(summary.write.cpuMsPerRequest, ' ms')}`)
  add('cpu.request', 'CPU time per request (ours, server process)', cpu.join(', '), null)
  const largest = Math.max(...settings.fanOutSizes)
  const big = summary.fanOut.filter((f) => f.subscribers === largest)
  add(
    'cpu.delivery',
    `CPU time per delivery at ${largest} subscribers (server processes)`,
    big.map((f) => `${f.variant} ${fmt(f.cpuUsPerDelivery, ' µs')}`).join(', '),
    null,
  )
  add(
    'memory.subscriber',
    `memory per subscriber at ${largest} subscribers (server heap + buffers after GC; RSS)`,
    big
      .map(
        (f) =>
          `${f.variant} ${fmt(f.heapPerSubscriber / 1024, ' KiB')} (RSS ${fmt(f.rssPerSubscriber / 1024, ' KiB')})`,
      )
      .join(', '),
    null,
  )
  for (const note of skipped) add('skipped', 'skipped', note, null)
  return lines
}

function judgeNewsroom({ http, desk }: NewsroomSummary): TargetLine[] {
  const lines: TargetLine[] = []
  const pages = http.storyPages.ours
  if (pages) {
    const r = ratio(pages.writing.rps, pages.quiet.rps)
    lines.push({
      id: 'newsroom.storyPages',
      target: `newsroom at work: story pages while writing ≥ ${TARGETS.newsroomWritingRatio}× quiet (ours)`,
      measured: `${x(r)} (writing ${rate(pages.writing)}; quiet ${rate(pages.quiet)})`,
      met: Number.isFinite(r) ? r >= TARGETS.newsroomWritingRatio : null,
    })
  }
  const mix = http.mix
  if (mix.ours && mix.postgraphile) {
    const r = ratio(mix.ours.writing.rps, mix.postgraphile.writing.rps)
    lines.push({
      id: 'newsroom.mix',
      target: `newsroom at work: the whole mix while writing ≥ ${TARGETS.newsroomPostgraphileRatio}× PostGraphile`,
      measured: `${x(r)} (ours ${rate(mix.ours.writing)}; PostGraphile ${rate(mix.postgraphile.writing)}; quiet: ${x(ratio(mix.ours.quiet.rps, mix.postgraphile.quiet.rps))})`,
      met: Number.isFinite(r) ? r >= TARGETS.newsroomPostgraphileRatio : null,
    })
  }
  const hits = (load: NewsroomLoad) =>
    http[load].ours
      ? `${load} ${pct(http[load].ours!.quiet.hitRatio)} quiet, ${pct(http[load].ours!.writing.hitRatio)} writing`
      : `${load} not measured`
  lines.push({
    id: 'newsroom.cache',
    target: 'newsroom at work: response cache hit ratio (ours, reported)',
    measured: `${hits('storyPages')}; ${hits('mix')} (the desk: ${desk.updates} lede edits, ${desk.publishes} stories published in ${fmt(desk.seconds, ' s')}${desk.failures ? `, ${desk.failures} failed` : ''})`,
    met: null,
  })
  return lines
}

const rate = (s: HttpSummary) => `${fmt(s.rps)} req/s, p99 ${fmt(s.p99, ' ms')}`
const seconds = (value: number) => (value < 1 ? fmt(value * 1000, ' ms') : fmt(value, ' s'))

function judgeEdge({ http, ratio: r, purge, desk }: EdgeSummary): TargetLine[] {
  const { varnish, direct, varnishWriting } = http
  const cpu = (s: HttpSummary) => `ours' CPU ${fmt(s.cpuMsPerRequest, ' ms')}/request`
  const { purged, changes } = purge
  return [
    {
      id: 'edge.storyPage',
      target: `through the edge: story pages via Varnish ≥ ${TARGETS.edgeRatio}× ours directly`,
      measured: `${x(r)} (via Varnish ${rate(varnish)}, ${cpu(varnish)}, Varnish hits ${pct(varnish.hitRatio)}; directly ${rate(direct)}, ${cpu(direct)}, ours' cache hits ${pct(direct.hitRatio)})`,
      met: Number.isFinite(r) ? r >= TARGETS.edgeRatio : null,
    },
    {
      id: 'edge.purgeLag',
      target: `through the edge: purge lag p99 ≤ ${seconds(TARGETS.purgeLagP99Seconds)} at ${EDITS_PER_SECOND} writes/s`,
      measured: `p99 ${seconds(purge.p99)}, p50 ${seconds(purge.p50)} (${purged} of ${changes} changes purged; the desk: ${desk.updates} lede edits, ${desk.publishes} stories published in ${fmt(desk.seconds, ' s')}${desk.failures ? `, ${desk.failures} failed` : ''})`,
      met: purged > 0 ? purge.p99 <= TARGETS.purgeLagP99Seconds && purged >= changes : null,
    },
    {
      id: 'edge.writing',
      target: 'through the edge: story pages via Varnish while the desk writes (reported)',
      measured: `${x(ratio(varnishWriting.rps, varnish.rps))} quiet (${rate(varnishWriting)}, Varnish hits ${pct(varnishWriting.hitRatio)}; quiet ${pct(varnish.hitRatio)})`,
      met: null,
    },
  ]
}

function edgeSection(
  e: EdgeSummary,
  p: (line?: string) => void,
  table: (head: string[], rows: (string | number)[][]) => void,
) {
  p('## Through the edge')
  p()
  p(
    `Varnish with the shipped VCL (\`deploy/varnish/default.vcl\`) in front of a server of ours whose purger purges it from the change log; answers kept up to ${fmt(e.sMaxAgeSeconds, ' s')} (\`EDGE_S_MAXAGE_SECONDS\`), so only purges send Varnish back to ours. ` +
      `Readers: story pages by GET (\`StoryBySlug\` by its hash), over ${e.stories.toLocaleString('en-US')} stories, popularity Zipf (s = ${e.zipfExponent}), the same sequence via Varnish and directly. ` +
      `"Ours' CPU" is our server process's CPU time per request answered (via Varnish: per request Varnish answered; while writing it includes the desk's writes). ` +
      `"Cache hits": answers Varnish marked \`X-Cache: HIT\` (via Varnish), or ours' response cache's hits (directly).`,
  )
  p()
  table(
    ['story pages', 'req/s', 'p50 ms', 'p99 ms', "ours' CPU ms/req", 'cache hits', '÷ directly', 'failed'],
    (Object.entries(e.http) as [EdgeVariant, EdgeSummary['http'][EdgeVariant]][]).map(([variant, s]) => [
      EDGE_VARIANT_NAMES[variant],
      fmt(s.rps),
      fmt(s.p50),
      fmt(s.p99),
      fmt(s.cpuMsPerRequest),
      pct(s.hitRatio),
      variant === 'direct' ? '' : x(ratio(s.rps, e.http.direct.rps)),
      s.failures,
    ]),
  )
  p(
    `Purges (\`${e.purge.target}\`): while the desk wrote (a lede edit ${EDITS_PER_SECOND} times a second, a new story every ${PUBLISH_EVERY_SECONDS} s: ${e.desk.updates} edits, ${e.desk.publishes} published in ${fmt(e.desk.seconds, ' s')}; a write's p50 ${fmt(e.desk.p50, ' ms')}, ${e.desk.failures} failed), ` +
      `${e.purge.purged} of the ${e.purge.changes} changes committed were purged; from a change's commit to Varnish's answer to its purge: p50 ${seconds(e.purge.p50)}, p99 ${seconds(e.purge.p99)}.`,
  )
  p()
}

function newsroomSection(
  n: NewsroomSummary,
  p: (line?: string) => void,
  table: (head: string[], rows: (string | number)[][]) => void,
) {
  p('## Newsroom at work')
  p()
  p(
    `Readers: story pages over ${n.stories.toLocaleString('en-US')} stories, popularity Zipf (s = ${n.zipfExponent}); the mix: front page ${pct(n.mix.frontPage)}, search ${pct(n.mix.search)}, story pages ${pct(n.mix.storyPage)} (PostGraphile, without search: front and story pages, 1 : 8). ` +
      `Writing: editors edit the lede of a random story ${EDITS_PER_SECOND} times a second and publish a new story every ${PUBLISH_EVERY_SECONDS} s, through ours (PostGraphile reads the same database): ` +
      `${n.desk.updates} lede edits and ${n.desk.publishes} stories published in ${fmt(n.desk.seconds, ' s')} of writing; a write's p50 ${fmt(n.desk.p50, ' ms')}, p99 ${fmt(n.desk.p99, ' ms')}; ${n.desk.failures} failed.`,
  )
  p()
  table(
    ['load', 'server', 'condition', 'req/s', 'p50 ms', 'p99 ms', 'cache hits', 'failed'],
    Object.entries(n.http).flatMap(([load, byTarget]) =>
      Object.entries(byTarget).flatMap(([target, byCondition]) =>
        Object.entries(byCondition).map(([condition, s]) => [
          load,
          TARGET_NAMES[target as Target],
          condition,
          fmt(s.rps),
          fmt(s.p50),
          fmt(s.p99),
          s.hitRatio === undefined ? '' : pct(s.hitRatio),
          s.failures,
        ]),
      ),
    ),
  )
}

export function markdown(results: Results): string {
  const { machine, summary, statements, settings } = results
  const out: string[] = []
  const p = (line = '') => out.push(line)
  const table = (head: string[], rows: (string | number)[][]) => {
    p(`| ${head.join(' | ')} |`)
    p(`|${head.map(() => '---').join('|')}|`)
    for (const row of rows) p(`| ${row.join(' | ')} |`)
    p()
  }
  p(`# Bench results: ${results.mode} run, ${results.startedAt}`)
  p()
  p(`\`${results.command}\` — ${fmt(results.wallSeconds / 60)} minutes wall time.`)
  p()
  table(
    ['machine', ''],
    [
      ['CPU', `${machine.cpus} × ${machine.cpuModel}`],
      ['memory', `${machine.memoryGiB} GiB`],
      ['OS', machine.os],
      ['Node.js', machine.node],
      ['PostgreSQL', machine.postgres],
      ['Redis', machine.redis],
      ['open files (hard limit)', machine.openFiles],
      ['load average at start', machine.loadAverage.join(', ')],
    ],
  )
  p(
    `Data (seed ${results.data.seed}, generated in ${fmt(results.data.generateSeconds, ' s')}): ${Object.entries(
      results.data.counts,
    )
      .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
      .join(', ')}. ${results.data.note}`,
  )
  p()
  p('## Targets')
  p()
  table(
    ['target', 'measured', 'met'],
    results.targets.map((t) => [t.target, t.measured, t.met === null ? '—' : t.met ? 'yes' : '**no**']),
  )

  p('## SQL statements per request')
  p()
  p(
    'Counted at the wire (every Query and Execute message a server sends PostgreSQL), one request after a warm-up, at each page size; ours with its response cache off, so that the request runs (an answer from the cache sends none).',
  )
  p()
  const sizes = settings.pageSizes
  table(
    ['workload', 'server', ...sizes.map((s) => `page ${s}`)],
    Object.entries(statements.http).flatMap(([workload, byTarget]) =>
      Object.entries(byTarget).map(([target, counts]) => [
        workload,
        TARGET_NAMES[target as Target],
        ...sizes.map((s) => counts?.[String(s)] ?? ''),
      ]),
    ),
  )
  p(
    `A publish through ours (with the live feed's read of it): ${statements.write} statements. One publish with subscribers holding the subscription, everything it set off included:`,
  )
  p()
  table(
    ['subscription', ...Object.keys(statements.fanOut.breakingNews).map((n) => `${n} subscribers`)],
    Object.entries(statements.fanOut).map(([kind, counts]) => [kind, ...Object.values(counts)]),
  )

  p(
    `## HTTP: throughput (median of ${settings.rounds} interleaved rounds of ${settings.seconds} s, ${settings.connections} connections)`,
  )
  p()
  table(
    ['workload', 'server', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms/req', 'ours ÷ it', 'failed'],
    Object.entries(summary.http).flatMap(([workload, byTarget]) =>
      Object.entries(byTarget).map(([target, s]) => [
        workload,
        TARGET_NAMES[target as Target],
        fmt(s!.rps),
        fmt(s!.p50),
        fmt(s!.p99),
        fmt(s!.cpuMsPerRequest),
        target === 'ours' ? '' : x(ratio(byTarget.ours!.rps, s!.rps)),
        s!.failures,
      ]),
    ),
  )
  p('## HTTP: latency at a fixed rate (autocannon -R)')
  p()
  table(
    ['workload', 'rate', 'ours p50', 'ours p99', 'PostGraphile p50', 'PostGraphile p99'],
    Object.entries(summary.fixedRate).map(([w, f]) => [
      w,
      `${f.rate} req/s`,
      fmt(f.ours.p50, ' ms'),
      fmt(f.ours.p99, ' ms'),
      fmt(f.postgraphile.p50, ' ms'),
      fmt(f.postgraphile.p99, ' ms'),
    ]),
  )
  p(
    `Write (publishStory, ours): ${fmt(summary.write.rps)} req/s, p50 ${fmt(summary.write.p50, ' ms')}, p99 ${fmt(summary.write.p99, ' ms')}, ${fmt(summary.write.cpuMsPerRequest, ' ms')} server CPU per request, ${summary.write.failures} failed.`,
  )
  p()

  if (summary.newsroom) newsroomSection(summary.newsroom, p, table)
  if (summary.edge) edgeSection(summary.edge, p, table)

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
    summary.fanOut.map((f) => [
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
  const cross = summary.fanOut.filter((f) => f.remoteMinusLocalP50 !== undefined)
  if (cross.length) {
    p(
      `Redis: the p50 of deliveries through the other process minus the p50 through the process that committed: ${cross.map((f) => `${fmt(f.remoteMinusLocalP50!, ' ms')} at ${f.subscribers}`).join(', ')}.`,
    )
    p()
  }
  if (results.skipped.length) {
    p('## Skipped')
    p()
    for (const s of results.skipped) p(`- ${s}`)
    p()
  }
  p('## How it was measured')
  p()
  p(
    'Servers and load generators are separate processes on 127.0.0.1. Ours is the real server (`src/main.ts`, production mode, rate limits off); the baselines are in `bench/baselines/`. ' +
      'Every HTTP workload runs against every server in each round, in rotating order; ratios are of medians from this run. ' +
      'Before measuring, every baseline answered the same data as ours for the workload queries. ' +
      "Latency percentiles are autocannon's; publish→deliver latency is measured per delivery (monotonic clock, shared by every process on the machine), from just before the publishing request is sent. " +
      '"Deliveries/s (per publish)" is subscribers ÷ the time from a publish\'s first delivery to its last, the median over publishes; "sustained" is every delivery ÷ the time from the first publish to the last delivery. The target compares the first while both servers keep up with the publishes, and the second once either falls behind (deliveries arriving more than 0.5 s after the last publish), where it is the server\'s capacity. ' +
      'Server CPU is user + system time of the server process(es), from inside them (for fan-out it includes the publishing requests); memory per subscriber is the growth of the JS heap and the buffers outside it (after GC) from before the subscribers connected to after, and of RSS, which a process that already grew its heap may not show.',
  )
  p()
  return out.join('\n')
}

// `npx tsx bench/report.ts bench/results/<run>.json`: judges and writes the report of a stored
// run again (after the report itself changed), from the figures it kept.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFile, writeFile } = await import('node:fs/promises')
  const file = process.argv[2]
  if (!file?.endsWith('.json')) throw new Error('usage: tsx bench/report.ts <results>.json')
  const results = JSON.parse(await readFile(file, 'utf8')) as Results
  results.summary = summarise(
    results.http,
    results.fanOut.map((r) => ({ ...r, failedPublishes: r.failedPublishes ?? 0 })),
    results.newsroom,
    results.edge,
  )
  results.targets = judge(results.settings, results.statements, results.summary, results.skipped)
  await writeFile(
    file,
    JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n',
  )
  await writeFile(file.replace(/\.json$/, '.md'), markdown(results) + '\n')
  console.log(`rewrote ${file} and its .md`)
}
