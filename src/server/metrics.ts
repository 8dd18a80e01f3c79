// Metrics in Prometheus' text format, one registry per app (tests make many apps in one process).
// GraphQL requests by operation and outcome come from Yoga's Prometheus plugin; the rest are
// prom-client series of our own (see docs/operations.md, "Metrics", for every series):
// errors by code, open connections and subscriptions by transport (ws, sse), deliveries and slow
// consumers dropped, the change feed's lag, the response cache, the database pool, rate-limit
// refusals, and the process's own figures.
//
// Where /metrics is served (src/config.ts): with METRICS_PORT, on a server of its own on that
// port (and HOST), never on the main port; otherwise on the main port, behind METRICS_TOKEN when
// it is set. Production refuses to start with metrics on the main port without a token.
import { timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { usePrometheus } from '@graphql-yoga/plugin-prometheus'
import type { ExecutionResult } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Config } from '../config.js'
import type { Context } from '../context.js'
import type { ChangeEntry } from '../live/changes.js'
import type { ResponseCacheStats } from './response-cache.js'

export type Transport = 'ws' | 'sse'
export type DropReason = 'queue' | 'send_buffer'

/** What the live parts count (src/live/fan-out.ts, websocket.ts, event-streams.ts); no-ops when off. */
export interface LiveCounters {
  /** a result sent to one subscriber */
  delivered(transport: Transport): void
  /** a subscriber ended for not keeping up: its queue of results, or its connection's send buffer */
  dropped(transport: Transport, reason: DropReason): void
}

export const NO_LIVE_COUNTERS: LiveCounters = { delivered: () => {}, dropped: () => {} }

/** The transport a subscription's context came by: the WebSocket's carries the socket. */
export function transportOf(context: unknown): Transport {
  return (context as { socket?: unknown } | null)?.socket ? 'ws' : 'sse'
}

/** pg.Pool's counts (PostgreSQL only). */
export interface PoolCounts {
  totalCount: number
  idleCount: number
  waitingCount: number
}

export type MetricsSettings = Pick<Config, 'METRICS' | 'METRICS_PORT' | 'METRICS_TOKEN' | 'HOST'>

export type Metrics = ReturnType<typeof createMetrics>

export function createMetrics(settings: MetricsSettings) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] })
  const errors = counter(
    'news_graph_graphql_errors_total',
    'GraphQL errors sent to clients, by extensions.code (INTERNAL_SERVER_ERROR for masked ones, NONE without)',
    ['code'],
  )
  const rateLimited = counter(
    'news_graph_rate_limit_refusals_total',
    'Operations refused for their rate limit, by role (public, editor)',
    ['role'],
  )
  const open: Record<Transport, number> = { ws: 0, sse: 0 }
  new Gauge({
    name: 'news_graph_subscriptions_open',
    help: 'Subscriptions open, by transport',
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      for (const transport of ['ws', 'sse'] as const) this.set({ transport }, open[transport])
    },
  })
  // Deliveries are tallied in plain numbers and added to the counter when it is read: one per
  // subscriber per result, and prom-client's labelled inc costs about 0.8 µs, as much as the
  // delivery's own JavaScript (a shared subscription's is one socket write).
  const undelivered: Record<Transport, number> = { ws: 0, sse: 0 }
  new Counter({
    name: 'news_graph_subscription_deliveries_total',
    help: 'Subscription results sent, by transport',
    labelNames: ['transport'],
    registers: [registry],
    collect() {
      for (const transport of ['ws', 'sse'] as const) {
        this.inc({ transport }, undelivered[transport])
        undelivered[transport] = 0
      }
    },
  })
  const dropped = counter(
    'news_graph_slow_consumers_dropped_total',
    'Subscribers ended for not keeping up, by transport and reason (queue, send_buffer)',
    ['transport', 'reason'],
  )
  const feedLag = new Histogram({
    name: 'news_graph_change_feed_lag_seconds',
    help: "From a change's time in the change log (its transaction's start) to this process's feed reading it",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  })

  const live: LiveCounters = {
    delivered: (transport) => void undelivered[transport]++,
    dropped: (transport, reason) => dropped.inc({ transport, reason }),
  }

  function countErrors(result: unknown) {
    for (const error of (result as ExecutionResult | null)?.errors ?? []) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code
      errors.inc({ code: typeof code === 'string' ? code : 'NONE' })
    }
  }

  /** Counts the errors clients are sent: in HTTP responses (after masking; parse and validation
   *  errors included), in the WebSocket's query and mutation results, and in subscription results
   *  (below). */
  const errorCounting: Plugin<Context> = {
    onResultProcess({ result }) {
      if (Array.isArray(result)) result.forEach(countErrors)
      else if (!isAsyncIterable(result)) countErrors(result)
    },
    onExecute({ args }) {
      if (transportOf(args.contextValue) !== 'ws') return
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) countErrors(result)
        },
      }
    },
  }

  /** Counts subscriptions while open, and the results that go through their iterators (those sent
   *  serialised by the shared subscriptions are counted by the transport). */
  const subscriptions: Plugin<Context> = {
    onSubscribe({ args }) {
      const transport = transportOf(args.contextValue)
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(counted(result, transport))
        },
      }
    },
  }
  function counted(
    source: AsyncIterable<ExecutionResult>,
    transport: Transport,
  ): AsyncIterableIterator<ExecutionResult> {
    const iterator = source[Symbol.asyncIterator]()
    let counting = true
    open[transport]++
    const close = () => {
      if (counting) open[transport]--
      counting = false
    }
    return {
      async next() {
        try {
          const step = await iterator.next()
          if (step.done) close()
          else {
            undelivered[transport]++
            countErrors(step.value)
          }
          return step
        } catch (error) {
          close()
          throw error
        }
      },
      return(value?: unknown) {
        close()
        return iterator.return?.(value) ?? Promise.resolve({ value: undefined, done: true })
      },
      throw(error?: unknown) {
        close()
        return iterator.throw?.(error) ?? Promise.reject(error)
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  /** Series read when scraped: the response cache, sockets, the pool. */
  function watch({
    cache,
    sockets,
    pool,
    observeChanges,
  }: {
    cache: ResponseCacheStats | null
    sockets: () => number
    pool: PoolCounts | undefined
    observeChanges: (observer: (change: ChangeEntry) => void) => void
  }) {
    if (cache) {
      for (const [key, help] of [
        ['hits', 'Public queries answered from the response cache'],
        ['misses', 'Public queries the response cache did not hold'],
        ['invalidations', 'Changes applied to the response cache (each drops what depends on it)'],
      ] as const) {
        new Counter({
          name: `news_graph_response_cache_${key}_total`,
          help,
          registers: [registry],
          collect() {
            this.reset()
            this.inc(cache[key])
          },
        })
      }
    }
    new Gauge({
      name: 'news_graph_connections_open',
      help: 'Open WebSocket connections and Server-Sent Event streams (one per subscription), by transport',
      labelNames: ['transport'],
      registers: [registry],
      collect() {
        this.set({ transport: 'ws' }, sockets())
        this.set({ transport: 'sse' }, open.sse)
      },
    })
    if (pool) {
      new Gauge({
        name: 'news_graph_db_pool_connections',
        help: 'Database pool connections, by state (in_use, idle)',
        labelNames: ['state'],
        registers: [registry],
        collect() {
          this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount)
          this.set({ state: 'idle' }, pool.idleCount)
        },
      })
      new Gauge({
        name: 'news_graph_db_pool_waiting',
        help: 'Queries waiting for a database pool connection',
        registers: [registry],
        collect() {
          this.set(pool.waitingCount)
        },
      })
      new Gauge({
        name: 'news_graph_db_pool_max',
        help: 'The most connections the database pool opens (DATABASE_POOL_MAX)',
        registers: [registry],
      }).set((pool as { options?: { max?: number } }).options?.max ?? 0)
    }
    // changes read from the log carry their time; this process's own, told at commit, do not
    observeChanges((change) => {
      const at = (change as { at?: unknown }).at
      if (at instanceof Date) feedLag.observe(Math.max(0, (Date.now() - at.getTime()) / 1000))
    })
  }
  const plugins: Plugin<Context>[] = [
    usePrometheus({
      registry,
      // served below (or on a port of its own), behind the token when there is one
      endpoint: false,
      // not the URL: its query string would make a series per request
      labels: { operationName: true, operationType: true, method: true, statusCode: true, url: false },
    }) as Plugin<Context>,
    errorCounting,
    subscriptions,
  ]
  if (settings.METRICS_PORT === undefined)
    plugins.push(useMetricsEndpoint(registry, settings.METRICS_TOKEN) as Plugin<Context>)

  /** With METRICS_PORT: a server of its own for /metrics (listened on with the main server). */
  const server: Server | null =
    settings.METRICS_PORT === undefined
      ? null
      : createServer((req, res) => {
          void respond(registry, settings.METRICS_TOKEN, req.method ?? 'GET', req.url ?? '/', req.headers.authorization)
            .then(({ status, body, type }) => {
              res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
              res.end(body)
            })
            .catch(() => res.writeHead(500).end())
        })

  return {
    registry,
    plugins,
    server,
    live,
    rateLimited: (editor: boolean) => rateLimited.inc({ role: editor ? 'editor' : 'public' }),
    watch,
  }
}

function useMetricsEndpoint(registry: Registry, token: string | undefined): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics') return
      const { status, body, type } = await respond(
        registry,
        token,
        request.method,
        url.pathname,
        request.headers.get('authorization') ?? undefined,
      )
      endResponse(
        new fetchAPI.Response(body, { status, headers: { 'content-type': type, 'cache-control': 'no-store' } }),
      )
    },
  }
}

async function respond(
  registry: Registry,
  token: string | undefined,
  method: string,
  path: string,
  authorization: string | undefined,
): Promise<{ status: number; body: string; type: string }> {
  const text = 'text/plain; charset=utf-8'
  if (new URL(path, 'http://metrics').pathname !== '/metrics') return { status: 404, body: 'Not Found', type: text }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, body: 'Method Not Allowed', type: text }
  if (token !== undefined && !bearerMatches(authorization, token))
    return { status: 401, body: 'Unauthorized', type: text }
  return { status: 200, body: await registry.metrics(), type: registry.contentType }
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '')
  const wanted = Buffer.from(token)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}
