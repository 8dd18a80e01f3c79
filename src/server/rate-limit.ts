// Rate limits, weighted by cost: each operation spends its cost (src/server/operation-limits.ts)
// from a budget of points per window — RATE_LIMIT_PUBLIC_POINTS per client address for the
// public, RATE_LIMIT_EDITOR_POINTS per token subject for editors, per RATE_LIMIT_WINDOW_SECONDS
// (a fixed window from a client's first operation in it); 0 points turns a budget off.
//
// An operation over budget is refused before it runs: over HTTP (and Server-Sent Events) with
// 429 and Retry-After (seconds until the window ends), over the WebSocket with an `error` message
// for that operation; both carry code RATE_LIMITED and `retryAfter` in extensions. A subscription
// spends its cost once, when it starts, and a running one is never cut off; a subscribe that is
// refused starts nothing, and the socket and its other subscriptions go on — subscribe again
// after `retryAfter` seconds. Operations refused before (malformed, over a limit) spend nothing,
// except a request refused before its operation is even looked at (variables too deep or too
// large, src/server/params.ts): it spends 1 point, as an operation of unknown cost does, so that
// sending such requests is metered like any other.
//
// With REDIS_URL the counters are in Redis (rate-limiter-flexible's RateLimiterRedis on ioredis),
// so every process spends from the same budgets, kept under RATE_LIMIT_KEY_PREFIX. While Redis is
// away (and until the connection is first up) each process counts in its own memory (the insurance
// limiter) rather than fail requests or wait: no command is sent or queued without a connection.
import { GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { IncomingMessage } from 'node:http'
import { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { Viewer } from '../auth/token.js'
import type { Config } from '../config.js'
import type { Context } from '../context.js'
import { reconnectDelay } from '../live/notifier.js'
import type { Logger } from '../logger.js'
import { addressKey, clientAddress } from './client-address.js'
import { costOf } from './operation-limits.js'

export type RateLimitSettings = Pick<
  Config,
  | 'RATE_LIMIT_PUBLIC_POINTS'
  | 'RATE_LIMIT_EDITOR_POINTS'
  | 'RATE_LIMIT_WINDOW_SECONDS'
  | 'RATE_LIMIT_KEY_PREFIX'
  | 'TRUST_PROXY_HOPS'
  | 'REDIS_URL'
>

export interface RateLimits {
  /** the Yoga plugin; register it after useCostLimit, whose cost it spends */
  plugin: Plugin<Context>
  /** Spends `points` from the budget of this viewer (or, for the public, the client address of the
   *  request `req`); rejects with the RATE_LIMITED error once it is spent. */
  charge(viewer: Viewer | null, req: IncomingMessage | undefined, points: number): Promise<void>
  readonly store: 'redis' | 'memory'
  /** whether the counters are in Redis now (false while it is away, or still connecting at start) */
  inRedis(): boolean
  close(): Promise<void>
}

export function createRateLimits(
  settings: RateLimitSettings,
  logger: Logger,
  /** told of each refusal (src/server/metrics.ts) */
  onRefused: (editor: boolean) => void = () => {},
): RateLimits {
  const duration = settings.RATE_LIMIT_WINDOW_SECONDS
  const log = logger.child({ component: 'rate-limits' })
  const on = settings.RATE_LIMIT_PUBLIC_POINTS > 0 || settings.RATE_LIMIT_EDITOR_POINTS > 0
  const redis = on && settings.REDIS_URL ? connect(settings.REDIS_URL, log) : null

  function limiter(kind: 'public' | 'editor', points: number): RateLimiterAbstract | null {
    if (points <= 0) return null
    const keyPrefix = `${settings.RATE_LIMIT_KEY_PREFIX}:${kind}`
    const memory = new RateLimiterMemory({ keyPrefix, points, duration })
    if (!redis) return memory
    return new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    })
  }
  const budgets = {
    public: limiter('public', settings.RATE_LIMIT_PUBLIC_POINTS),
    editor: limiter('editor', settings.RATE_LIMIT_EDITOR_POINTS),
  }

  async function charge(viewer: Viewer | null, req: IncomingMessage | undefined, points: number) {
    const budget = viewer ? budgets.editor : budgets.public
    if (!budget) return
    const key = viewer
      ? `sub:${viewer.sub}`
      : `ip:${addressKey(clientAddress(req, settings.TRUST_PROXY_HOPS) ?? 'unknown')}`
    try {
      await budget.consume(key, points)
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
      onRefused(viewer !== null)
      throw new GraphQLError(
        `Rate limit exceeded: ${budget.points} points per ${duration} s, and this operation costs ${points}; try again in ${retryAfter} s.`,
        {
          extensions: {
            code: 'RATE_LIMITED',
            retryAfter,
            limit: budget.points,
            windowSeconds: duration,
            http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
          },
        },
      )
    }
  }

  const plugin: Plugin<Context> = {
    onContextBuilding() {
      // after the whole context is built: the viewer, and the cost the cost limit found
      return ({ context }) => charge(context.viewer, (context as { req?: IncomingMessage }).req, costOf(context) ?? 1)
    },
  }
  return {
    plugin,
    charge,
    store: redis ? 'redis' : 'memory',
    inRedis: () => redis?.status === 'ready',
    async close() {
      redis?.disconnect()
    },
  }
}

/** The Redis connection for the counters: never waits for Redis, reconnects forever. */
function connect(url: string, log: Logger): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
    connectionName: 'news-graph-rate-limits',
  })
  let up: boolean | null = null
  client.on('ready', () => {
    if (up !== true) log.info('rate limits: counting in Redis')
    up = true
  })
  client.on('error', (error: Error) => {
    if (up !== false)
      log.warn({ err: error.message }, 'rate limits: Redis unavailable; each process counts in memory until it is back')
    up = false
  })
  return client
}
