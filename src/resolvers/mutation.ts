// Every write goes through runMutation: one transaction holding the change itself, its audit
// entry, its change-log entry and (when the request carries one) its idempotency key. A failure
// anywhere rolls all of them back, so a failed mutation leaves no trace.
import type { Context } from '../context.js'
import type { Prisma } from '../generated/prisma/client.js'
import { claimIdempotencyKey } from './idempotency.js'
import { ConflictError, NotFoundError } from './errors.js'

export type Tx = Prisma.TransactionClient

export interface ChangeEntry {
  /** e.g. "story.published", "event.status_changed" */
  kind: string
  objectType: string
  objectId: string
  /** what the change touches, for subscribers: "story:<id>", "tag:<id>", "event:<id>", "urgency:3"… */
  topics: string[]
  payload?: Prisma.InputJsonValue
}

export interface Written<T> {
  result: T
  change: ChangeEntry
}

// Taken just before the change-log row is written and held until commit, so sequence numbers are
// handed out in commit order: once a reader has seen seq N, no smaller one can appear later.
const CHANGE_LOG_LOCK = 72707370

export async function runMutation<T>(
  ctx: Context,
  operation: string,
  input: unknown,
  work: (tx: Tx) => Promise<Written<T>>,
): Promise<T> {
  const viewer = ctx.viewer
  if (!viewer) throw new Error(`runMutation(${operation}) without a viewer: the field lacks authScopes`)
  const result = await ctx.prisma.$transaction(
    async (tx) => {
      if (ctx.idempotency) await claimIdempotencyKey(tx, viewer.sub, ctx.idempotency)
      const { result, change } = await work(tx)
      await tx.auditEntry.create({
        data: {
          actor: viewer.sub,
          role: viewer.role,
          operation,
          targetType: change.objectType,
          targetId: change.objectId,
          requestId: ctx.requestId,
          input: toJson(input),
        },
      })
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`
      await tx.change.create({ data: change })
      return result
    },
    { maxWait: 5_000, timeout: 15_000 },
  )
  // committed: the request now holds its key, and its response will be kept for retries
  if (ctx.idempotency) ctx.idempotency.claimed = true
  return result
}

/**
 * Optimistic concurrency: `update` must write only where the stored version is `expected` (and
 * bump it). When it wrote nothing, says why: the object is gone, or someone saved first.
 */
export async function expectVersion(
  updated: { count: number },
  current: () => Promise<{ version: number } | null>,
  what: string,
  expected: number,
): Promise<void> {
  if (updated.count === 1) return
  const row = await current()
  if (!row) throw new NotFoundError(`No ${what} with that id.`, 'id')
  throw new ConflictError(
    `The ${what} was changed by someone else (version ${row.version}, you sent ${expected}); reload it and apply your change again.`,
    row.version,
  )
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue
}
