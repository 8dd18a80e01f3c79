// The HTTP workloads' and the write's targets: ours against the naive N+1 baseline and the one-SQL
// floor (response cache on, as the public meets it), against PostGraphile with the cache off (the
// engine: every request runs), what the cache adds, latency at a fixed rate, and publishStory.
import { fmt, x } from './report-format.js'
import type { HttpSummary, TargetLine } from './report-summary.js'
import type { Summary } from './report.js'
import { TARGETS, WRITE_BASELINE, type BenchSettings } from './settings.js'
import { ratio } from './stats.js'
import { TARGET_NAMES } from './workloads/http.js'

/** the reads issue 15 judges against PostGraphile, with the response cache off */
const READS = ['frontPage', 'storyPage', 'search', 'varied']

export function judgeHttp(settings: BenchSettings, summary: Summary, writeStatements: number): TargetLine[] {
  const lines: TargetLine[] = []
  const add = (id: string, target: string, measured: string, met: boolean | null) =>
    lines.push({ id, target, measured, met })
  const finite = (...n: number[]) => n.every(Number.isFinite)

  for (const workload of ['frontPage', 'storyPage']) {
    const s = summary.http[workload]
    if (!s?.ours) continue
    for (const [target, wanted] of [
      ['naive', TARGETS.naiveRatio],
      ['floor', TARGETS.floorRatio],
    ] as const) {
      const r = ratio(s.ours.rps, s[target]?.rps ?? NaN)
      add(
        `throughput.${workload}.${target}`,
        `${workload}: throughput ≥ ${wanted}× ${TARGET_NAMES[target]}`,
        `${x(r)} (${fmt(s.ours.rps)} vs ${fmt(s[target]?.rps ?? NaN)} req/s)`,
        Number.isFinite(r) ? r >= wanted : null,
      )
    }
  }

  for (const workload of READS) {
    const s = summary.http[workload]
    const off = s?.oursUncached
    const pg = s?.postgraphile
    if (!off || !pg) continue
    const wanted = TARGETS.postgraphileRatio
    const r = ratio(off.rps, pg.rps)
    add(
      `throughput.${workload}.postgraphile`,
      `${workload}: throughput, response cache off, ≥ ${wanted}× PostGraphile 5`,
      `${x(r)} (${fmt(off.rps)} vs ${fmt(pg.rps)} req/s)`,
      Number.isFinite(r) ? r >= wanted : null,
    )
    add(
      `cpu.${workload}.postgraphile`,
      `${workload}: server CPU per request, response cache off, ≤ PostGraphile 5's`,
      `${fmt(off.cpuMsPerRequest, ' ms')} vs ${fmt(pg.cpuMsPerRequest, ' ms')} (${x(ratio(off.cpuMsPerRequest, pg.cpuMsPerRequest))})`,
      finite(off.cpuMsPerRequest, pg.cpuMsPerRequest) ? off.cpuMsPerRequest <= pg.cpuMsPerRequest : null,
    )
    // what the cache adds, as the public meets it (varied: the long tail, mostly misses)
    const on: HttpSummary | undefined = s.ours
    if (on)
      add(
        `throughput.${workload}.cached`,
        `${workload}: throughput with the response cache on (reported)`,
        `${x(ratio(on.rps, pg.rps))} PostGraphile 5 (${fmt(on.rps)} req/s; the cache makes ours ${x(ratio(on.rps, off.rps))})`,
        null,
      )
  }

  for (const workload of ['frontPage', 'storyPage']) {
    const fixed = summary.fixedRate[workload]
    if (!fixed) continue
    add(
      `latency.${workload}`,
      `${workload}: p99 at ${fixed.rate} req/s no worse than PostGraphile's`,
      `${fmt(fixed.ours.p99, ' ms')} vs ${fmt(fixed.postgraphile.p99, ' ms')}`,
      finite(fixed.ours.p99, fixed.postgraphile.p99) ? fixed.ours.p99 <= fixed.postgraphile.p99 : null,
    )
  }

  const search = summary.http.search
  if (search?.ours)
    add(
      'throughput.search.naive',
      'search: throughput against naive (reported)',
      `${x(ratio(search.ours.rps, search.naive?.rps ?? NaN))}`,
      null,
    )

  const write = summary.write
  const wanted = TARGETS.writeRatio * WRITE_BASELINE.rps
  const full = settings.mode === 'full'
  add(
    'write.throughput',
    `write: publishStory throughput ≥ ${TARGETS.writeRatio}× ${WRITE_BASELINE.rps} req/s (the ${WRITE_BASELINE.run})`,
    `${fmt(write.rps)} req/s (${x(ratio(write.rps, WRITE_BASELINE.rps))})${full ? '' : `; judged in the full run only`}`,
    full && Number.isFinite(write.rps) ? write.rps >= wanted : null,
  )
  add(
    'statements.write',
    `write: SQL statements per publish < ${TARGETS.writeStatementsBelow} (ours)`,
    `${writeStatements}`,
    writeStatements > 0 ? writeStatements < TARGETS.writeStatementsBelow : null,
  )
  return lines
}
