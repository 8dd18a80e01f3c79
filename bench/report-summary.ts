// What every part of a run's report is made of: the medians of a server's rounds, the newsroom
// desk's writes, and a target with whether it was met.
import type { LoadResult } from './http-load.js'
import type { DeskFigures } from './newsroom-desk.js'
import { median, percentile } from './stats.js'

export interface HttpSummary {
  rps: number
  p50: number
  p99: number
  cpuMsPerRequest: number
  failures: number
  rounds: number
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

export interface TargetLine {
  id: string
  target: string
  measured: string
  /** null: reported, with no threshold, or not measured in this mode */
  met: boolean | null
}

export function httpSummary(runs: LoadResult[] | undefined): HttpSummary {
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

export function deskSummary({ latencyMs, errors: _errors, ...counts }: DeskFigures): DeskSummary {
  return { ...counts, p50: percentile(latencyMs, 50), p99: percentile(latencyMs, 99) }
}
