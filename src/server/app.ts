// The application: GraphQL (and GraphiQL) at /graphql over HTTP, Server-Sent Events and WebSocket,
// liveness at /health, readiness at /ready.
import { createServer, type Server } from 'node:http'
import { createYoga, useExecutionCancellation, useReadinessCheck } from 'graphql-yoga'
import { renderGraphiQL } from '@graphql-yoga/render-graphiql'
import { authenticate } from '../auth/authenticate.js'
import type { TokenSettings } from '../auth/token.js'
import { loadConfig, type Config } from '../config.js'
import type { Context } from '../context.js'
import type { Database } from '../db/database.js'
import { createPurger } from '../edge/purger.js'
import { ChangeFeed, type ChangeFeedOptions } from '../live/change-feed.js'
import { createNotifier } from '../live/notifier.js'
import { useSharedSubscriptions } from '../live/fan-out.js'
import { startScheduler } from '../live/scheduler.js'
import type { Logger } from '../logger.js'
import { usePageSizeLimits } from './page-size.js'
import { schema } from '../schema/index.js'
import { useBodyLimit } from './body-limit.js'
import { useCacheStats } from './cache-stats.js'
import { corsOptions, useVaryOrigin } from './cors.js'
import { useCsrfPrevention } from './csrf.js'
import { maskError, useErrorLogging, yogaLogger } from './errors.js'
import {
  hasValidToken,
  operationGate,
  useGraphiQLExposure,
  useIntrospectionExposure,
  useSuggestionExposure,
  viewerOf,
} from './exposure.js'
import { useIdempotency } from './idempotency.js'
import { Lifecycle, useLifecycle } from './lifecycle.js'
import { useCostLimit, useOperationLimits } from './operation-limits.js'
import { useParamsLimits } from './params.js'
import { createRateLimits } from './rate-limit.js'
import { requestIdOf, useRequestId } from './request-id.js'
import { collectsDependencies, usePublicResponseCache } from './response-cache.js'
import { useStorableText } from './storable-text.js'
import { closeConnectionsWhenIdle, drain } from './shutdown.js'
import { useDocuments, useInlineSafeResults } from './documents.js'
import { useTicker } from './ticker.js'
import { useRequestTimeout } from './timeout.js'
import { useTracing } from './tracing.js'
import { loadTrustedDocuments, useTrustedDocuments } from './trusted-documents.js'
import { attachWebSocket, WEBSOCKET_DEFAULTS } from './websocket.js'
import { ConnectionLimits } from './connection-limits.js'
import { useEventStreams } from './event-streams.js'
import { createMetrics, NO_LIVE_COUNTERS, transportOf } from './metrics.js'
import { EXAMPLE_QUERY } from './example-query.js'
import { useEdgeCache } from '../edge/cache-headers.js'
import { useRequestErrorStatus } from '../edge/status.js'
import type { Resolver } from '../outbound/request.js'
import { Webhooks } from '../webhooks/dispatcher.js'

export interface AppOptions {
  db: Database
  logger: Logger
  /** every setting; from the environment when not given (the options below override parts of it) */
  config?: Config
  /** token settings; from `config` when not given */
  auth?: TokenSettings
  /** the change feed's settings; from the environment when not given */
  live?: ChangeFeedOptions
  /** Redis for change notices between processes (REDIS_URL); from the environment when not given */
  redisUrl?: string
  /** publish scheduled stories when their time comes (true; tests that count rows turn it off) */
  schedule?: boolean
  /** starting, serving or draining (src/server/lifecycle.ts); serving when not given */
  lifecycle?: Lifecycle
  /** bytes a WebSocket or SSE client that is not reading may leave waiting (1 MiB when not given) */
  sendBufferCap?: number
  /** DNS for outbound requests (webhooks, purges); the system's when not given (tests stub it) */
  resolve?: Resolver
}

export function createApp({
  db,
  logger,
  config = loadConfig(),
  auth = config,
  live = liveSettings(config),
  redisUrl = config.REDIS_URL,
  schedule = true,
  lifecycle = new Lifecycle(),
  sendBufferCap = WEBSOCKET_DEFAULTS.sendBufferCap,
  resolve,
}: AppOptions) {
  const notifier = createNotifier({ redisUrl, logger })
  const feed = new ChangeFeed(db.prisma, live, notifier, logger)
  // the change feed and the scheduler read the database: they start once it is prepared (src/server/start.ts)
  let scheduler: ReturnType<typeof startScheduler> | null = null
  // webhooks (src/webhooks): every change, signed, to the endpoints admins register
  const webhooks = new Webhooks({ prisma: db.prisma, feed, config, log: logger, resolve })
  const feedStarted = new Promise<void>((resolve) =>
    lifecycle.whenServing(() => {
      resolve(feed.start())
      if (schedule) scheduler = startScheduler({ prisma: db.prisma, log: logger, live: feed }, live.pollMs)
      void webhooks.start()
    }),
  )
  // /metrics (src/server/metrics.ts): one registry per app
  const metrics = config.METRICS ? createMetrics(config) : null
  const counters = metrics?.live ?? NO_LIVE_COUNTERS
  // CDN purges (src/edge/purger.ts), when a target is configured: from the change log, once it can be read
  const purger = createPurger({ prisma: db.prisma, log: logger, config, feed, registry: metrics?.registry, resolve })
  lifecycle.whenServing(() => purger?.start())
  const rateLimits = createRateLimits(config, logger, metrics?.rateLimited)
  const cacheStats = config.RESPONSE_CACHE_TTL_MS > 0 ? { hits: 0, misses: 0, invalidations: 0 } : null
  const connectionLimits = new ConnectionLimits(config, logger)
  // what the public may see and send (exposure.ts, trusted-documents.ts); also decided for sockets
  const editor = (request: Request) => hasValidToken(auth, request)
  const introspection = useIntrospectionExposure(config, auth)
  const trustedDocuments = useTrustedDocuments({
    documents: loadTrustedDocuments(),
    trustedOnly: config.TRUSTED_DOCUMENTS_ONLY,
    isEditor: editor,
  })
  // a request refused for its parameters spends a point, as the editor it names (a bad token: as the public)
  const params = useParamsLimits({
    charge: async (request, req) => rateLimits.charge(await viewerOf(auth, request).catch(() => null), req, 1),
    isEditor: (request) => hasValidToken(auth, request),
  })
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // listed origins only, never with credentials (cors.ts)
    cors: corsOptions(config.CORS_ORIGINS),
    // GraphiQL is served by useGraphiQLExposure (below), to whom it may be
    graphiql: false,
    // useBodyLimit holds every body to its sender's limit; Yoga's own (a second stream
    // transform on every request) would only repeat it
    maxRequestBodySize: false,
    maskedErrors: { maskError, isDev: false },
    logging: yogaLogger(logger),
    context: async ({ request }) => {
      const requestId = requestIdOf(request)
      const viewer = await authenticate(auth, request.headers.get('authorization'))
      return {
        prisma: db.prisma,
        requestId,
        log: logger.child({ requestId }),
        viewer,
        idempotency: null,
        live: feed,
        webhooks,
        // what the public's answers depend on, for the response cache and the CDN's keys
        ...(!viewer && collectsDependencies(config) && { dependencies: new Set<string>() }),
      }
    },
    plugins: [
      // spans of the GraphQL phases when tracing (OTEL_EXPORTER_OTLP_ENDPOINT; src/server/tracing.ts)
      useTracing(),
      useRequestId(),
      ...(metrics?.plugins ?? []),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          if (lifecycle.phase !== 'serving') return false
          try {
            await db.ping()
            return true
          } catch {
            return false
          }
        },
      }),
      // before anything that reads the database: nothing runs while starting; see what is running
      useLifecycle(lifecycle),
      // SSE streams: counted per address, ended at their token's expiry or byte budget
      useEventStreams({ endpoint: '/graphql', auth, limits: connectionLimits, sendBufferCap, counters }),
      // what the endpoint accepts before it parses a request, and what it shows of itself
      useCsrfPrevention(),
      useVaryOrigin(config.CORS_ORIGINS),
      useBodyLimit({
        publicBytes: config.BODY_LIMIT_PUBLIC_BYTES,
        editorBytes: config.BODY_LIMIT_EDITOR_BYTES,
        isEditor: editor,
      }),
      // JSON that parses and variables of bounded depth and size, before anything walks them
      params,
      useGraphiQLExposure(config, auth, {
        endpoint: '/graphql',
        // GraphiQL with its JS, CSS and editor workers inlined in the page, instead of Yoga's
        // default page that loads them from a CDN (which an offline machine cannot reach)
        render: renderGraphiQL,
        // subscriptions in GraphiQL go over the WebSocket, like a ticker's would
        options: { title: 'News graph', defaultQuery: EXAMPLE_QUERY, subscriptionsProtocol: 'WS' },
      }),
      introspection,
      ...trustedDocuments,
      ...useSuggestionExposure(config),
      // a client that goes away cancels its operation; one running too long is cancelled too
      useExecutionCancellation(),
      useRequestTimeout({ timeoutMs: config.REQUEST_TIMEOUT_MS, logger }),
      // shape limits at parse and validation; then, once the viewer is known, cost, then rate (in this order)
      useOperationLimits(),
      useCostLimit(config),
      rateLimits.plugin,
      usePageSizeLimits(),
      useStorableText(),
      useIdempotency(),
      useErrorLogging(logger),
      // after every check above (cost and rate at context building; lifecycle, page size, text,
      // idempotency at execution), which a hit passes like a miss: it answers in onExecute
      usePublicResponseCache(feed, config, cacheStats ?? undefined),
      // Cache-Control, ETag and keys for the CDN in front (src/edge); 400 for answers without data
      useEdgeCache(config, schema),
      useRequestErrorStatus(),
      useSharedSubscriptions({ onDropped: (context) => counters.dropped(transportOf(context), 'queue') }),
      useTicker(),
      useCacheStats(config.RESPONSE_CACHE_STATS, auth, cacheStats, purger),
      // /ninjs/… and /jsonld/… documents of stories and events; answers that carry them inline-safe
      useDocuments({ prisma: db.prisma, auth, logger }),
      useInlineSafeResults(),
    ],
  })
  const server: Server = createServer(yoga)
  const wss = attachWebSocket(server, yoga, auth, {
    prepare: operationGate([params, introspection, ...trustedDocuments]),
    limits: connectionLimits,
    idleTimeoutMs: config.SOCKET_IDLE_TIMEOUT_MS,
    sendBufferCap,
    counters,
  })
  metrics?.watch({
    cache: cacheStats,
    sockets: () => wss.clients.size,
    pool: db.pool,
    observeChanges: (observer) => feed.observe(observer),
  })
  // METRICS_PORT: /metrics listens beside the main server, on the same interface
  const metricsServer = metrics?.server ?? null
  if (metricsServer) server.on('listening', () => metricsServer.listen(config.METRICS_PORT, config.HOST).unref())
  closeConnectionsWhenIdle(server, lifecycle)
  /** Graceful shutdown (src/server/shutdown.ts); the caller closes the database and bounds the time. */
  const drainApp = () =>
    drain({
      server,
      wss,
      lifecycle,
      stopBackground: async () => {
        await scheduler?.stop()
        await purger?.stop()
        await webhooks.stop()
        await feed.stop()
        await notifier.close()
        await rateLimits.close()
      },
    })
  async function close() {
    // not waited for (a round in progress finishes on its own); neither rejects: each catches its errors
    void scheduler?.stop()
    void feed.stop()
    // waited for: their requests in flight are bounded (OUTBOUND_TIMEOUT_MS), and they write their cursors
    await purger?.stop()
    await webhooks.stop()
    await notifier.close()
    await rateLimits.close()
    for (const client of wss.clients) client.terminate()
    await new Promise((resolve) => wss.close(resolve))
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    if (metricsServer?.listening) await new Promise((resolve) => metricsServer.close(resolve))
  }
  return {
    yoga,
    server,
    wss,
    feed,
    feedStarted,
    webhooks,
    lifecycle,
    rateLimits,
    cacheStats,
    metrics,
    metricsServer,
    purger,
    close,
    drain: drainApp,
  }
}

const liveSettings = (config: Config): ChangeFeedOptions => ({
  pollMs: config.LIVE_POLL_MS,
  retentionDays: config.CHANGE_LOG_RETENTION_DAYS,
})
