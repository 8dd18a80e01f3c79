// A durable follower of the change log: work that must see every committed change at least once
// and in order (an edge's purges, a webhook endpoint's deliveries). It works from a cursor kept in
// the database, advanced only once a batch is done, so a crash or a restart resumes where it
// stopped: a batch done but not yet recorded is done again (at least once), none is skipped.
// One process at a time follows (a lease, src/outbound/lease.ts); a failed batch is tried again,
// after a growing wait, until it is done or `onFailure` gives up.
import type { PrismaClient } from '../generated/prisma/client.js'
import type { Change } from '../live/changes.js'
import { readChanges } from '../live/change-feed.js'
import type { Logger } from '../logger.js'
import { retryDelay, type Backoff } from './backoff.js'
import { holdLease, releaseLease } from './lease.js'

export interface FollowerOptions {
  /** the lease's name: one follower of this name works at a time, across processes */
  name: string
  prisma: PrismaClient
  log: Logger
  /** the sequence number of the last change done (0n: none yet) */
  load(): Promise<bigint>
  /** records that every change up to `cursor` is done */
  save(cursor: bigint): Promise<void>
  /** does a batch of changes, oldest first (all of them; throws if it could not) */
  handle(changes: Change[]): Promise<void>
  /** the most changes in one batch */
  batch: number
  backoff: Backoff
  /** a batch failed for the `attempt`-th time, `since` when; return false to stop following */
  onFailure?(error: unknown, attempt: number, since: Date, retryAt: Date): Promise<boolean> | boolean
  /** how long the lease lasts without renewal (renewed at every round) */
  leaseMs?: number
}

export class Follower {
  private running: Promise<void> | null = null
  private again = false
  private stopped = false
  private timer: NodeJS.Timeout | null = null
  private ticker: NodeJS.Timeout | null = null
  private attempt = 0
  private failingSince: Date | null = null

  constructor(private readonly options: FollowerOptions) {}

  /** Follows now, and every `everyMs` (to take over from a process that died, and to catch up
   *  with commits nobody told this process of). */
  start(everyMs: number): Promise<void> {
    this.ticker = setInterval(() => void this.tick(), everyMs)
    this.ticker.unref()
    return this.wake()
  }

  /** The ticker: follow; while a failed batch waits for its retry, only keep the lease, so that no
   *  other process takes the work over and tries sooner than the backoff says. */
  private tick(): Promise<void> {
    if (this.attempt === 0 || this.stopped) return this.wake()
    return holdLease(this.options.prisma, this.options.name, this.options.leaseMs ?? 30_000).then(
      () => undefined,
      () => undefined,
    )
  }

  /** Something may have committed: follow now. While a failed batch waits for its retry, its
   *  timer decides when (a burst of commits does not hammer a failing destination). */
  wake(): Promise<void> {
    return this.attempt > 0 ? Promise.resolve() : this.run()
  }

  /** Whether the last batch failed and waits to be tried again. */
  get failing(): boolean {
    return this.attempt > 0
  }

  /** Stops following; resolves when the round in progress is done, and gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    if (this.ticker) clearInterval(this.ticker)
    await this.running
    await releaseLease(this.options.prisma, this.options.name).catch(() => undefined)
  }

  /** One round at a time; a wake during a round runs another after it. */
  private run(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.round().finally(() => {
      this.running = null
      if (this.again && this.attempt === 0) {
        this.again = false
        void this.run()
      }
    })
    return this.running
  }

  private async round(): Promise<void> {
    const { prisma, name, batch } = this.options
    const leaseMs = this.options.leaseMs ?? 30_000
    try {
      if (!(await holdLease(prisma, name, leaseMs))) {
        // another process has the work, its retries included: this one only watches for its lease to lapse
        this.attempt = 0
        this.failingSince = null
        return
      }
      let cursor = await this.options.load()
      for (;;) {
        if (this.stopped) return
        const changes = await readChanges(prisma, cursor, batch)
        if (changes.length === 0) break
        await this.options.handle(changes)
        cursor = changes.at(-1)!.seq
        await this.options.save(cursor)
        this.attempt = 0
        this.failingSince = null
        if (changes.length < batch || !(await holdLease(prisma, name, leaseMs))) break
      }
      this.attempt = 0
      this.failingSince = null
    } catch (error) {
      await this.failed(error).catch((cause: unknown) =>
        this.options.log.error({ err: cause, follower: name }, 'follower could not record a failure'),
      )
    }
  }

  private async failed(error: unknown): Promise<void> {
    this.attempt += 1
    this.failingSince ??= new Date()
    const wait = retryDelay(this.attempt, this.options.backoff)
    const retryAt = new Date(Date.now() + wait)
    const goOn = (await this.options.onFailure?.(error, this.attempt, this.failingSince, retryAt)) ?? true
    if (!goOn || this.stopped) return
    this.timer = setTimeout(() => void this.run(), wait)
    this.timer.unref()
  }
}
