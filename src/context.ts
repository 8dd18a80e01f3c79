import type { Viewer } from './auth/token.js'
import type { PrismaClient } from './generated/prisma/client.js'
import type { ChangeFeed } from './live/change-feed.js'
import type { Logger } from './logger.js'
import type { WebhookControl } from './webhooks/control.js'

/** What every resolver gets, built once per request (and once per subscription). */
export interface Context {
  prisma: PrismaClient
  requestId: string
  log: Logger
  /** the editor a valid bearer token names; null for the public */
  viewer: Viewer | null
  /** the request's Idempotency-Key, for the one mutation it may carry */
  idempotency: IdempotencyClaim | null
  /** this process's tail of the change log, for subscriptions; told of every commit */
  live: ChangeFeed | null
  /** the webhooks' dispatcher, for the admin API (src/schema/webhooks.ts) */
  webhooks?: WebhookControl | null
  /** Set by a transport that can send a subscription result already serialised as JSON (the
   *  WebSocket, src/server/websocket.ts): shared subscriptions serialise each result once for all
   *  their subscribers and hand it here (src/live/fan-out.ts). */
  sendSerialized?: (resultJson: string) => void
  /** What the answer depends on beyond the objects it shows, for the response cache: the lists it
   *  reads (src/live/invalidation.ts). Present only where the answer may be cached. */
  dependencies?: Set<string>
}

export interface IdempotencyClaim {
  key: string
  requestHash: string
  /** set once the mutation's transaction has recorded the key */
  claimed: boolean
}
