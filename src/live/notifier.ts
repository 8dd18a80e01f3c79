// Change notices between processes. After a commit the writer says "the change log moved"; every
// process that hears it reads the log at once instead of at its next poll. A notice carries no
// change, only a hint to look: the change log in the database stays the one source of truth, so a
// lost notice (Redis away, a dropped connection) costs latency — the poll, or the read that follows
// every reconnection, finds the change — and never the change itself.
//
// With REDIS_URL the notices go through Redis (Yoga's pubsub over @graphql-yoga/redis-event-target),
// so each process hears every other's commits. Without it, an in-process pubsub: the one process
// reads its own commits at once anyway (ChangeFeed.poke), and other processes' at its next poll.
//
// Redis must never stop the API: publishing does not wait for a connection (no offline queue) and
// its failure is only logged; both connections retry forever with a capped backoff.
import { randomUUID } from 'node:crypto'
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target'
import { createPubSub } from 'graphql-yoga'
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from '../logger.js'

export const CHANGE_TOPIC = 'change-log'

export interface ChangeNotice {
  /** the process whose commit this is; it has read the log itself and ignores its own notices */
  origin: string
}

type Topics = { [CHANGE_TOPIC]: [notice: ChangeNotice] }

export interface ChangeNotifier {
  readonly kind: 'redis' | 'local'
  /** Tells every process a change committed. Never throws nor waits: a notice that cannot go is dropped. */
  publish(): void
  /**
   * Calls `listener` on every other process's notice, and after every (re)connection to Redis,
   * since notices sent while the connection was down were missed. Returns the unsubscribe.
   */
  listen(listener: () => void): () => void
  close(): Promise<void>
}

export interface NotifierOptions {
  /** redis:// URL; unset for an in-process notifier */
  redisUrl?: string
  logger: Logger
}

/** Reconnection delay: 100 ms, 200 ms, … up to 2 s between attempts, forever. */
export const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2_000)

export function createNotifier({ redisUrl, logger }: NotifierOptions): ChangeNotifier {
  const origin = randomUUID()
  if (!redisUrl) return pubsubNotifier('local', createPubSub<Topics>(), origin, logger, async () => {})

  const common: RedisOptions = {
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
    connectionName: 'news-graph-notices',
  }
  // Publishing never waits for a connection: with Redis away it fails at once, and the notice is dropped.
  const publisher = new Redis(redisUrl, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  // A SUBSCRIBE waits for the connection however long Redis is away (no request waits on it), and
  // ioredis subscribes again by itself after every reconnection.
  const subscriber = new Redis(redisUrl, { ...common, maxRetriesPerRequest: null })
  const log = logger.child({ component: 'change-notices' })
  watch(publisher, 'publish', log)
  watch(subscriber, 'subscribe', log)

  // The event target calls publish/subscribe/unsubscribe without handling their promises; a
  // rejection (Redis away) would be unhandled and end the process. These wrappers handle them.
  const dropped = (what: string) => (error: unknown) => log.debug({ err: error }, `${what} failed; the poll covers it`)
  const publishClient = {
    publish: (channel: string, message: string) => publisher.publish(channel, message).catch(dropped('change notice')),
  }
  const subscribeClient = {
    on: (event: 'message', handler: (channel: string, message: string) => void) => subscriber.on(event, handler),
    subscribe: (channel: string) => subscriber.subscribe(channel).catch(dropped('subscribing to change notices')),
    unsubscribe: (channel: string) =>
      subscriber.unsubscribe(channel).catch(dropped('unsubscribing from change notices')),
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({
    publishClient: publishClient as unknown as Redis,
    subscribeClient: subscribeClient as unknown as Redis,
  })
  const notifier = pubsubNotifier('redis', createPubSub<Topics>({ eventTarget }), origin, log, async () => {
    publisher.disconnect()
    subscriber.disconnect()
  })

  // After each (re)connection: once the subscription stands again (a repeated SUBSCRIBE is answered
  // after ioredis's own resubscription), tell the listeners to read what they may have missed.
  subscriber.on('ready', () => {
    if (!notifier.listening()) return
    subscriber.subscribe(CHANGE_TOPIC).then(notifier.reconnected, dropped('subscribing to change notices'))
  })
  return notifier
}

function pubsubNotifier(
  kind: ChangeNotifier['kind'],
  pubsub: ReturnType<typeof createPubSub<Topics>>,
  origin: string,
  log: Logger,
  disconnect: () => Promise<void>,
) {
  const listeners = new Map<() => void, { return(): unknown }>()
  return {
    kind,
    publish() {
      try {
        pubsub.publish(CHANGE_TOPIC, { origin })
      } catch (error) {
        log.debug({ err: error }, 'change notice failed; the poll covers it')
      }
    },
    listen(listener: () => void) {
      const notices = pubsub.subscribe(CHANGE_TOPIC)
      listeners.set(listener, notices)
      void (async () => {
        for await (const notice of notices) if (notice?.origin !== origin) listener()
      })().catch((error) => log.warn({ err: error }, 'change notices stopped; the poll still runs'))
      return () => {
        if (listeners.delete(listener)) void notices.return()
      }
    },
    listening: () => listeners.size > 0,
    reconnected: () => {
      for (const listener of listeners.keys()) listener()
    },
    async close() {
      for (const notices of listeners.values()) void notices.return()
      listeners.clear()
      await disconnect()
    },
  }
}

/** Logs a connection's state changes (not every failed attempt), and keeps its errors handled. */
function watch(client: Redis, role: 'publish' | 'subscribe', log: Logger) {
  let up: boolean | null = null
  client.on('ready', () => {
    if (up !== true) log.info({ redis: role }, 'change notices: connected to Redis')
    up = true
  })
  client.on('error', (error: Error) => {
    if (up !== false)
      log.warn(
        { redis: role, err: error.message },
        'change notices: Redis unavailable; live updates fall back to polling until it is back',
      )
    else log.debug({ redis: role, err: error.message }, 'change notices: Redis still unavailable')
    up = false
  })
}
