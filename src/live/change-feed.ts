// The change feed. Every write commits a row to the change log (the outbox, see
// src/resolvers/mutation.ts) in sequence order; each server process tails that log and hands every
// new change, in order, to its live subscribers. Nothing is published that did not commit, and a
// subscriber that names a cursor is first given what it missed from the same log.
//
// The database may be away, at start or later: the feed keeps its position and reads from it at
// every poll until the database answers again, so subscribers stay subscribed and lose nothing.
import type { PrismaClient } from '../generated/prisma/client.js'
import type { Logger } from '../logger.js'
import { changeOf, type Change, type ChangeEntry } from './changes.js'
import type { ChangeNotifier } from './notifier.js'
import { inRootSpan } from '../server/tracing.js'

const PAGE = 500

/** Reads the changes after `after`, oldest first. */
export async function readChanges(prisma: PrismaClient, after: bigint, limit = PAGE): Promise<Change[]> {
  const rows = await prisma.change.findMany({ where: { seq: { gt: after } }, orderBy: { seq: 'asc' }, take: limit })
  return rows.map(changeOf)
}

export interface ChangeFeedOptions {
  /** how often to look for changes nobody told this process about (other processes' writes) */
  pollMs: number
  /** how long the change log keeps changes, and so how far back a cursor may reach */
  retentionDays: number
}

export class ChangeFeed {
  private lastSeq = 0n
  /** whether lastSeq has been read from the log (it cannot be while the database is away) */
  private known = false
  /** the database failed the last read: said once in the log, and once when it is back */
  private away = false
  private stopped = false
  private listeners = new Set<(change: Change) => void>()
  /** told of every change, this process's own as soon as they commit (the response cache) */
  private observers = new Set<(change: ChangeEntry) => void>()
  private reading: Promise<void> | null = null
  private again = false
  private timer: NodeJS.Timeout | null = null
  private pruned = 0
  private unlisten: (() => void) | null = null
  private moves = 0

  constructor(
    private readonly prisma: PrismaClient,
    readonly options: ChangeFeedOptions,
    /** tells other processes of this one's commits, and this one of theirs (src/live/notifier.ts) */
    private readonly notifier: ChangeNotifier | null = null,
    private readonly log: Logger | null = null,
  ) {}

  /**
   * Starts after the newest change: live subscribers get what commits from now on. Resolves once
   * the first read is done; if the database does not answer, the polls go on trying (from the
   * newest change at the time it answers).
   */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.read(), this.options.pollMs)
    this.timer.unref()
    // another process committed (or the notices reconnected, and some may have been missed): read now
    this.unlisten = this.notifier?.listen(() => void this.read()) ?? null
    return this.read()
  }

  /** Stops polling and feeding; resolves once a read in progress is done. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.unlisten?.()
    this.unlisten = null
    this.listeners.clear()
    await this.reading
  }

  /** Whether the feed knows where the log stands (the database has answered since start). */
  get positioned(): boolean {
    return this.known
  }

  /** Reads the log now; resolves when done (whether or not the database answered). */
  readNow(): Promise<void> {
    return this.read()
  }

  /** Whether the feed keeps up with the log now: it knows where the log stands, is not stopped
   *  (draining), and the database answered its last read. */
  get following(): boolean {
    return this.known && !this.stopped && !this.away
  }

  /** The sequence number of the newest change handed out. */
  get position(): bigint {
    return this.lastSeq
  }

  /**
   * Moves (never back) whenever the feed hands out a change, and as soon as this process pokes it
   * after its own commit, before the feed has read that commit: what was read from the database
   * under an older generation may be out of date (the public response cache keys by it).
   */
  get generation(): number {
    return this.moves
  }

  /** How many live streams this process is feeding. */
  get subscribers(): number {
    return this.listeners.size
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Tells `observer` of every change: of this process's own when they commit (poke), and of
   *  every change the feed reads, its own again included. Not a subscriber. */
  observe(observer: (change: ChangeEntry) => void): () => void {
    this.observers.add(observer)
    return () => this.observers.delete(observer)
  }

  /** This process committed `change`: tell the observers and the other processes, and read the log now. */
  poke(change?: ChangeEntry): Promise<void> {
    this.moves += 1
    if (change) for (const observer of this.observers) observer(change)
    this.notifier?.publish()
    return this.read()
  }

  /** Reads the log now (reads are coalesced, never run twice at once). */
  private read(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.reading) {
      this.again = true
      return this.reading
    }
    // a span of its own (when tracing), linked to what asked for the read
    this.reading = inRootSpan('change-feed.read', { 'change_feed.after': this.lastSeq.toString() }, () =>
      this.readNew(),
    ).finally(() => {
      this.reading = null
      if (this.again) {
        this.again = false
        void this.read()
      }
    })
    return this.reading
  }

  private async readNew(): Promise<void> {
    try {
      if (!this.known) {
        const newest = await this.prisma.change.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } })
        this.lastSeq = newest?.seq ?? 0n
        this.known = true
        this.answered()
        return
      }
      for (;;) {
        const changes = await readChanges(this.prisma, this.lastSeq)
        for (const change of changes) {
          this.lastSeq = change.seq
          this.moves += 1
          for (const observer of this.observers) observer(change)
          for (const listener of this.listeners) listener(change)
        }
        if (changes.length < PAGE) break
      }
      await this.prune()
      this.answered()
    } catch (error) {
      // The database is away: the next poke or poll reads from the same position; nothing is lost.
      if (!this.away)
        this.log?.warn(
          { err: error, component: 'change-feed' },
          'change feed cannot read the change log; retrying at every poll',
        )
      this.away = true
    }
  }

  private answered(): void {
    if (this.away)
      this.log?.info({ component: 'change-feed', position: this.lastSeq.toString() }, 'change feed reading again')
    this.away = false
  }

  /** At most hourly, drops changes older than the retention period. */
  private async prune(): Promise<void> {
    if (Date.now() - this.pruned < 3_600_000) return
    this.pruned = Date.now()
    await pruneChangeLog(this.prisma, new Date(Date.now() - this.options.retentionDays * 86_400_000))
  }
}

/**
 * Drops the changes committed before `cutoff`, and records the newest one dropped as the horizon:
 * cursors before it can no longer be resumed from (see cursorExpired).
 */
export async function pruneChangeLog(prisma: PrismaClient, cutoff: Date): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const newest = await tx.change.findFirst({
      where: { at: { lt: cutoff } },
      orderBy: { seq: 'desc' },
      select: { seq: true },
    })
    if (!newest) return 0
    const { count } = await tx.change.deleteMany({ where: { seq: { lte: newest.seq } } })
    const horizon = await tx.changeLogHorizon.findUnique({ where: { id: 1 } })
    if (!horizon || horizon.prunedThru < newest.seq) {
      await tx.changeLogHorizon.upsert({
        where: { id: 1 },
        create: { prunedThru: newest.seq },
        update: { prunedThru: newest.seq, prunedAt: new Date() },
      })
    }
    return count
  })
}

/** Whether changes after `since` have been pruned, so a stream from it would have a gap. */
export async function cursorExpired(prisma: PrismaClient, since: bigint): Promise<boolean> {
  const horizon = await prisma.changeLogHorizon.findUnique({ where: { id: 1 }, select: { prunedThru: true } })
  return horizon !== null && since < horizon.prunedThru
}
