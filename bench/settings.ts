// How much the bench does in each mode. `full` is the run whose results are committed; `--quick`
// finishes in minutes on a 2-core machine (10,000 stories, fewer and shorter rounds, every figure);
// `--smoke` is CI's: tiny data and a few seconds per phase, no figure worth reading, every one there.
import { SIZES, type DataSize } from './generate.js'

export type Mode = 'full' | 'quick' | 'smoke'

export interface BenchSettings {
  mode: Mode
  size: DataSize
  /** HTTP: rounds of every workload against every server, interleaved */
  rounds: number
  /** HTTP: seconds of each measured load run, and of the warm-up before a server's first */
  seconds: number
  warmupSeconds: number
  /** "newsroom at work": rounds of each load on ours and PostGraphile, quiet and writing (`seconds` each) */
  newsroomRounds: number
  /** "through the edge": rounds of story pages via Varnish, direct (`seconds` each) and via Varnish
   *  while the desk writes (`edgeWritingSeconds`: the purge lags are taken over every write) */
  edgeRounds: number
  edgeWritingSeconds: number
  /** autocannon connections (as many as each server's database pool) */
  connections: number
  /** page sizes the statement counts are taken at */
  pageSizes: number[]
  /** fan-out: subscriber counts, rounds of every variant at each, publishes per run (every 100 ms) */
  fanOutSizes: number[]
  fanOutRounds: number
  publishes: number
  publishIntervalMs: number
  /** how long to wait after the last publish for every delivery */
  drainTimeoutMs: number
  /** subscribers opened at once while connecting */
  connectBatch: number
  /** subscribers for the fan-out statement counts */
  statementSubscribers: [number, number]
}

export const SETTINGS: Record<Mode, BenchSettings> = {
  full: {
    mode: 'full',
    size: SIZES.full,
    rounds: 5,
    seconds: 10,
    warmupSeconds: 3,
    newsroomRounds: 3,
    edgeRounds: 3,
    edgeWritingSeconds: 30,
    connections: 10,
    pageSizes: [5, 20, 50],
    fanOutSizes: [1_000, 5_000, 10_000],
    fanOutRounds: 2,
    publishes: 100,
    publishIntervalMs: 100,
    drainTimeoutMs: 120_000,
    connectBatch: 250,
    statementSubscribers: [10, 100],
  },
  quick: {
    mode: 'quick',
    size: SIZES.quick,
    rounds: 2,
    seconds: 3,
    warmupSeconds: 1,
    newsroomRounds: 2,
    edgeRounds: 2,
    edgeWritingSeconds: 10,
    connections: 10,
    pageSizes: [5, 20, 50],
    fanOutSizes: [1_000, 5_000, 10_000],
    fanOutRounds: 1,
    publishes: 30,
    publishIntervalMs: 100,
    drainTimeoutMs: 45_000,
    connectBatch: 250,
    statementSubscribers: [10, 100],
  },
  smoke: {
    mode: 'smoke',
    size: SIZES.smoke,
    rounds: 1,
    seconds: 1,
    warmupSeconds: 0,
    newsroomRounds: 1,
    edgeRounds: 1,
    edgeWritingSeconds: 2,
    connections: 4,
    pageSizes: [5, 20, 50],
    fanOutSizes: [10, 30],
    fanOutRounds: 1,
    publishes: 5,
    publishIntervalMs: 100,
    drainTimeoutMs: 15_000,
    connectBatch: 50,
    statementSubscribers: [3, 9],
  },
}

/** The targets, each in one place (the report judges them: bench/report-http.ts, report-fanout.ts). */
export const TARGETS = {
  /** ours (response cache on) ÷ the naive N+1 baseline, and ÷ the one-SQL floor */
  naiveRatio: 5,
  floorRatio: 0.5,
  /** issue 15: on every read, ours with its response cache off ÷ PostGraphile 5 (req/s medians),
   *  with server CPU per request no higher than PostGraphile's */
  postgraphileRatio: 1,
  /** fan-out, p99 publish→deliver: ≤ ms at these subscriber counts, and ≤ ratio × the raw ws
   *  broadcast's p99 at those */
  p99Ms: { 1_000: 50 } as Record<number, number>,
  p99RawWs: { ratio: 2, sizes: [5_000, 10_000] },
  rawWsRatio: 0.5,
  /** fan-out: heap + buffers per subscriber (each of our variants), KiB; CPU per delivery ÷ raw ws */
  subscriberKiB: 6,
  deliveryCpuRatio: 1.2,
  redisP50Ms: 2,
  /** publishStory: req/s ≥ writeRatio × WRITE_BASELINE (judged in the full run), and fewer
   *  statements per publish than writeStatementsBelow */
  writeRatio: 2,
  writeStatementsBelow: 12,
  /** newsroom at work: ours' story pages while writing ÷ quiet; the mix while writing, ours ÷ PostGraphile */
  newsroomWritingRatio: 0.8,
  newsroomPostgraphileRatio: 3,
  /** through the edge: story pages via Varnish ÷ direct; the purge lag's p99 (s) while the desk writes */
  edgeRatio: 1,
  purgeLagP99Seconds: 1,
}

/** publishStory's throughput before issue 15, the figure its write target doubles: the "Write"
 *  line of bench/results/2026-12-06T13-54-05Z-full.md. */
export const WRITE_BASELINE = { rps: 213, run: 'full run of 2026-12-06T13-54-05Z' }

/** The secret the bench's servers sign editors' tokens with (they run with NODE_ENV=production). */
export const BENCH_JWT_SECRET = 'news-graph-bench-secret-not-for-production-use'
