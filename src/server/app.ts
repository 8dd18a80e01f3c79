// The HTTP application: GraphQL (and GraphiQL) at /graphql, liveness at /health, readiness at /ready.
import { createServer, type Server } from 'node:http'
import { createYoga, useReadinessCheck } from 'graphql-yoga'
import { renderGraphiQL } from '@graphql-yoga/render-graphiql'
import { authenticate } from '../auth/authenticate.js'
import type { TokenSettings } from '../auth/token.js'
import { loadConfig } from '../config.js'
import type { Context } from '../context.js'
import type { Database } from '../db/database.js'
import type { Logger } from '../logger.js'
import { usePageSizeLimits } from '../schema/pagination.js'
import { schema } from '../schema/index.js'
import { maskError, useErrorLogging } from './errors.js'
import { useIdempotency } from './idempotency.js'
import { requestIdOf, useRequestId } from './request-id.js'
import { EXAMPLE_QUERY } from './example-query.js'

export interface AppOptions {
  db: Database
  logger: Logger
  /** token settings; from the environment when not given */
  auth?: TokenSettings
}

export function createApp({ db, logger, auth = loadConfig() }: AppOptions) {
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'News graph', defaultQuery: EXAMPLE_QUERY },
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
    ],
  })
  const server: Server = createServer(yoga)
  return { yoga, server }
}
