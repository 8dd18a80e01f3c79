// The webhooks' dispatcher: one follower per active endpoint (src/webhooks/endpoint.ts), each with
// its own lease, cursor and retry timer, so that a failing or slow endpoint never holds up another
// (nothing here awaits one endpoint on another's behalf). Followers are woken by every change
// this process commits or reads (the change feed's observers) and on a timer; the set of
// endpoints is read again after this process's admin writes and at every poll (other processes'
// writes).
import type { Config } from '../config.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import type { ChangeFeed } from '../live/change-feed.js'
import type { Logger } from '../logger.js'
import type { Follower } from '../outbound/follower.js'
import {
  createOutbound,
  outboundPolicy,
  type Outbound,
  type OutboundPolicy,
  type Resolver,
} from '../outbound/request.js'
import { pruneAttempts } from './attempts.js'
import type { WebhookControl } from './control.js'
import { endpointFollower, type EndpointSettings } from './endpoint.js'

/** How often attempts are pruned (src/webhooks/attempts.ts). */
const PRUNE_EVERY_MS = 10 * 60_000

export interface WebhookOptions {
  prisma: PrismaClient
  feed: ChangeFeed
  config: Config
  log: Logger
  /** DNS for the outbound policy (tests stub it) */
  resolve?: Resolver
}

/** An endpoint's follower, from the moment it is asked for until it is stopped. */
interface Running {
  version: number
  follower: Follower | null
  retired: boolean
  /** resolves once the follower runs (or was not made) */
  made: Promise<void>
}

export class Webhooks implements WebhookControl {
  readonly policy: OutboundPolicy
  private readonly outbound: Outbound
  private readonly settings: EndpointSettings
  private readonly running = new Map<string, Running>()
  /** followers being stopped: a new one for the same endpoint starts after (one at a time) */
  private readonly stopping = new Map<string, Promise<void>>()
  private last: Promise<void> = Promise.resolve()
  private queued: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private unobserve: (() => void) | null = null
  private stopped = false
  private pruned = 0

  constructor(private readonly options: WebhookOptions) {
    const { config, prisma, log } = options
    this.policy = outboundPolicy(config, options.resolve)
    this.outbound = createOutbound(this.policy)
    this.settings = {
      prisma,
      log: log.child({ component: 'webhooks' }),
      outbound: this.outbound,
      backoff: { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxMs: config.WEBHOOK_RETRY_MAX_MS },
      retryForMs: config.WEBHOOK_RETRY_FOR_MS,
      // a holder renews its lease at every poll and between two deliveries: it outlasts either thrice
      leaseMs: 3 * Math.max(config.LIVE_POLL_MS, config.OUTBOUND_TIMEOUT_MS),
    }
  }

  /** Starts following: once the database is prepared (src/server/app.ts, when serving). */
  start(): Promise<void> {
    if (this.stopped || this.timer) return this.last
    this.unobserve = this.options.feed.observe(() => {
      for (const { follower } of this.running.values()) void follower?.wake()
    })
    this.timer = setInterval(() => void this.reload(), this.options.config.LIVE_POLL_MS)
    this.timer.unref()
    return this.reload()
  }

  reload(changed?: string): Promise<void> {
    if (changed) this.retire(changed)
    if (this.stopped || !this.timer) return Promise.resolve()
    // a reload not yet begun reads after the caller's write: it serves this call too
    this.queued ??= this.last.then(async () => {
      this.queued = null
      await this.sync().catch((error: unknown) =>
        this.settings.log.warn({ err: error }, 'webhook endpoints not read; trying again at the next poll'),
      )
    })
    this.last = this.queued
    return this.queued
  }

  /** Stops every follower (each finishes the delivery it is making) and the outbound client. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.unobserve?.()
    for (const id of [...this.running.keys()]) this.retire(id)
    await Promise.all(this.stopping.values())
    await this.outbound.close().catch(() => undefined)
  }

  /** Makes the running followers what the endpoints' rows ask for. */
  private async sync(): Promise<void> {
    const { prisma } = this.options
    const rows = await prisma.webhookEndpoint.findMany({
      where: { active: true, failingSince: null },
      select: { id: true, version: true },
    })
    const wanted = new Map(rows.map((row) => [row.id, row.version]))
    for (const [id, running] of this.running) if (wanted.get(id) !== running.version) this.retire(id)
    for (const [id, version] of wanted) if (!this.running.has(id)) this.follow(id, version)
    if (wanted.size > 0 && Date.now() - this.pruned >= PRUNE_EVERY_MS) {
      this.pruned = Date.now()
      await pruneAttempts(prisma)
    }
  }

  private follow(id: string, version: number): void {
    if (this.stopped) return
    const running: Running = { version, follower: null, retired: false, made: Promise.resolve() }
    running.made = (this.stopping.get(id) ?? Promise.resolve())
      .then(async () => {
        const row = await this.options.prisma.webhookEndpoint.findUnique({ where: { id } })
        if (!row || running.retired) return
        const follower = await endpointFollower(row, this.settings)
        if (running.retired) return
        running.follower = follower
        void follower.start(this.options.config.LIVE_POLL_MS)
      })
      .catch((error: unknown) => {
        // asked for again at the next reload
        if (this.running.get(id) === running) this.running.delete(id)
        this.settings.log.warn({ err: error, webhook: id }, 'webhook endpoint not followed; trying again')
      })
    this.running.set(id, running)
  }

  /** Stops an endpoint's follower now (it starts no further delivery); a new one may follow after. */
  private retire(id: string): void {
    const running = this.running.get(id)
    if (!running) return
    this.running.delete(id)
    running.retired = true
    // a follower not made yet never will be (made checks `retired`)
    const stopped: Promise<void> = (running.follower?.stop() ?? running.made).finally(() => {
      if (this.stopping.get(id) === stopped) this.stopping.delete(id)
    })
    this.stopping.set(id, stopped)
  }
}
