// The application: GraphQL (and GraphiQL) at /graphql over HTTP, Server-Sent Events and WebSocket,
// liveness at /health, readiness at /ready.
import { createServer, type Server } from 'node:http'
import { createYoga, useReadinessCheck } from 'graphql-yoga'
import { renderGraphiQL } from '@graphql-yoga/render-graphiql'
import { authenticate } from '../auth/authenticate.js'
import type { TokenSettings } from '../auth/token.js'
import { loadConfig, type Config } from '../config.js'
import type { Context } from '../context.js'
import type { Database } from '../db/database.js'
import { ChangeFeed, type ChangeFeedOptions } from '../live/change-feed.js'
import { createNotifier } from '../live/notifier.js'
import { useSharedSubscriptions } from '../live/fan-out.js'
import { startScheduler } from '../live/scheduler.js'
import type { Logger } from '../logger.js'
import { usePageSizeLimits } from '../schema/pagination.js'
import { schema } from '../schema/index.js'
import { maskError, useErrorLogging } from './errors.js'
import { useIdempotency } from './idempotency.js'
import { requestIdOf, useRequestId } from './request-id.js'
import { useTicker } from './ticker.js'
import { attachWebSocket } from './websocket.js'
import { EXAMPLE_QUERY } from './example-query.js'

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
}

export function createApp({ db, logger, config = loadConfig(), auth = config, live = liveSettings(config), redisUrl = config.REDIS_URL, schedule = true }: AppOptions) {
  const notifier = createNotifier({ redisUrl, logger })
  const feed = new ChangeFeed(db.prisma, live, notifier)
  const feedStarted = feed.start()
  const scheduler = schedule ? startScheduler({ prisma: db.prisma, log: logger, live: feed }, live.pollMs) : null
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // subscriptions in GraphiQL go over the WebSocket, like a ticker's would
    graphiql: { title: 'News graph', defaultQuery: EXAMPLE_QUERY, subscriptionsProtocol: 'WS' },
    // GraphiQL with its JS, CSS and editor workers inlined in the page, instead of Yoga's default
    // page that loads them from a CDN (which an offline machine cannot reach).
    renderGraphiQL,
    maskedErrors: { maskError, isDev: false },
    logging: logger,
    context: async ({ request }) => {
      const requestId = requestIdOf(request)
      return {
        prisma: db.prisma,
        requestId,
        log: logger.child({ requestId }),
        viewer: await authenticate(auth, request.headers.get('authorization')),
        idempotency: null,
        live: feed,
      }
    },
    plugins: [
      useRequestId(),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          try {
            await db.ping()
            return true
          } catch {
            return false
          }
        },
      }),
      usePageSizeLimits(),
      useIdempotency(),
      useErrorLogging(logger),
      useSharedSubscriptions(),
      useTicker({ cursor: () => feed.position }),
    ],
  })
  const server: Server = createServer(yoga)
  const wss = attachWebSocket(server, yoga, auth)
  async function close() {
    scheduler?.stop()
    feed.stop()
    await notifier.close()
    for (const client of wss.clients) client.terminate()
    await new Promise((resolve) => wss.close(resolve))
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  return { yoga, server, feed, feedStarted, close }
}

const liveSettings = (config: Config): ChangeFeedOptions => ({
  pollMs: config.LIVE_POLL_MS,
  retentionDays: config.CHANGE_LOG_RETENTION_DAYS,
})
