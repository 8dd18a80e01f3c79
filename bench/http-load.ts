// HTTP load with autocannon, from the bench's own process (never the server's): as fast as the
// server answers with a fixed number of connections, or at a fixed request rate (autocannon's
// -R, with its correction for coordinated omission). Each response body is checked, so an error
// answered with 200 counts as a failure, not as throughput.
import autocannon from 'autocannon'
import type { ServerProcess } from './processes.js'
import type { HttpRequest } from './workloads/http.js'

export interface LoadOptions {
  server: ServerProcess
  /** the next request to send (called once per request) */
  next: () => HttpRequest
  /** whether a response body is a success */
  ok: (body: string) => boolean
  seconds: number
  connections: number
  /** requests per second, all connections together; unset: as fast as it answers */
  rate?: number
  /** stop after this many requests (the write workload has that many drafts) */
  maxRequests?: number
  /** told of every response's headers (names as sent), e.g. to count a cache's X-Cache */
  onHeaders?: (headers: Record<string, string | string[]>) => void
}

export interface LoadResult {
  /** successful responses per second */
  rps: number
  requests: number
  failures: number
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number }
  seconds: number
  /** server CPU time (user + system) per successful request, ms */
  cpuMsPerRequest: number
  /** server CPU use over the run, in cores */
  cpuCores: number
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const before = await options.server.stats()
  const result = await autocannon({
    url: options.server.origin,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    overallRate: options.rate,
    maxOverallRequests: options.maxRequests,
    requests: [
      {
        setupRequest: (request) => {
          const next = options.next()
          return {
            ...request,
            method: next.method,
            path: next.path,
            headers: next.headers ?? {},
            body: next.body ?? '',
          }
        },
        ...(options.onHeaders && {
          onResponse: (_status, _body, _context, headers) => options.onHeaders!(headers),
        }),
      },
    ],
    verifyBody: options.ok,
  })
  const after = await options.server.stats()
  const failures = result.errors + result.non2xx + result.mismatches
  const requests = Math.max(0, result.requests.total - result.non2xx - result.mismatches)
  const seconds = result.duration
  const cpuMs = after.cpuMs - before.cpuMs
  return {
    rps: requests / seconds,
    requests,
    failures,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    seconds,
    cpuMsPerRequest: requests ? cpuMs / requests : NaN,
    cpuCores: cpuMs / 1000 / seconds,
  }
}
