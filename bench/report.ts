// The run's results: every figure as measured (JSON), the medians and ratios the targets are
// judged by, each target with whether it was met, and the same as a markdown report. Each part of
// the bench has its own file for these (report-http.ts, report-newsroom.ts, report-edge.ts,
// report-fanout.ts); this one puts them together, in the order the report reads.
import type { Machine } from './machine.js'
import type { EdgeFigures } from './phase-edge.js'
import type { EqualityFigures } from './phase-equality.js'
import type { FanOutRun } from './phase-fanout.js'
import type { HttpFigures } from './phase-http.js'
import type { NewsroomFigures } from './phase-newsroom.js'
import type { StatementFigures } from './phase-statements.js'
import { edgeSection, edgeSummary, judgeEdge, type EdgeSummary } from './report-edge.js'
import { fanOutSection, fanOutSummaries, judgeFanOut, type FanOutSummary } from './report-fanout.js'
import { fmt, x } from './report-format.js'
import { judgeHttp } from './report-http.js'
import { judgeNewsroom, newsroomSection, newsroomSummary, type NewsroomSummary } from './report-newsroom.js'
import { httpSummary, type HttpSummary, type TargetLine } from './report-summary.js'
import type { BenchSettings } from './settings.js'
import { ratio } from './stats.js'
import { TARGET_NAMES, type Target } from './workloads/http.js'

export type { DeskSummary, HttpSummary, TargetLine } from './report-summary.js'
export type { EdgeSummary } from './report-edge.js'
export type { FanOutSummary } from './report-fanout.js'
export type { NewsroomSummary } from './report-newsroom.js'

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
    fanOut: fanOutSummaries(fanOut),
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
  return summary
}

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

  lines.push(...judgeHttp(settings, summary, statements.write))
  if (summary.newsroom) lines.push(...judgeNewsroom(summary.newsroom))
  if (summary.edge) lines.push(...judgeEdge(summary.edge))

  lines.push(...judgeFanOut(settings, summary.fanOut))

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

  // PostGraphile searches too once it has a search baseline (runs from before it did not)
  if (summary.newsroom) newsroomSection(summary.newsroom, p, table, summary.http.search?.postgraphile !== undefined)
  if (summary.edge) edgeSection(summary.edge, p, table)

  fanOutSection(summary.fanOut, settings, p, table)
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
