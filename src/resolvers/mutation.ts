// Every write goes through runMutation: one transaction holding the change itself, its audit
// entry, its change-log entry and (when the request carries one) its idempotency key. A failure
// anywhere rolls all of them back, so a failed mutation leaves no trace. Admins' writes of the
// server's own settings (webhooks) go through runAdminWrite: the same, without the change log.
import type { Context } from '../context.js'
import type { Prisma } from '../generated/prisma/client.js'
import { changeRow, type ChangeEntry } from '../live/changes.js'
import { claimIdempotencyKey } from './idempotency.js'
import { ConflictError, NotFoundError } from './errors.js'

export type Tx = Prisma.TransactionClient

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
  const { result, change } = await write(ctx, operation, input, async (tx) => {
    const written = await work(tx)
    return { ...written, target: { type: written.change.objectType, id: written.change.objectId } }
  })
  // live subscribers hear of it now rather than at the feed's next poll
  void ctx.live?.poke(change)
  return result
}

/** What an admin's write of the server's own settings wrote, for its audit entry. */
export interface Configured<T> {
  result: T
  target: { type: string; id: string }
}

/**
 * An admin's write of how the server works rather than of the news (a webhook): one transaction
 * with its audit entry and idempotency key, as runMutation, but no change-log entry: it is no news,
 * and the change log is what the public's subscriptions and webhooks are fed from.
 */
export async function runAdminWrite<T>(
  ctx: Context,
  operation: string,
  input: unknown,
  work: (tx: Tx) => Promise<Configured<T>>,
): Promise<T> {
  return (await write(ctx, operation, input, work)).result
}

async function write<T>(
  ctx: Context,
  operation: string,
  input: unknown,
  work: (tx: Tx) => Promise<Configured<T> & { change?: ChangeEntry }>,
): Promise<Configured<T> & { change?: ChangeEntry }> {
  const viewer = ctx.viewer
  if (!viewer) throw new Error(`runMutation(${operation}) without a viewer: the field lacks authScopes`)
  const done = await ctx.prisma
    .$transaction(
      async (tx) => {
        if (ctx.idempotency) await claimIdempotencyKey(tx, viewer, ctx.idempotency)
        const done = await work(tx)
        await tx.auditEntry.create({
          data: {
            actor: viewer.sub,
            role: viewer.role,
            operation,
            targetType: done.target.type,
            targetId: done.target.id,
            requestId: ctx.requestId,
            input: toJson(input),
          },
        })
        if (done.change) {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`
          await tx.change.create({ data: changeRow(done.change) })
        }
        return done
      },
      { maxWait: 5_000, timeout: 15_000 },
    )
    .catch(asConflict)
  // committed: the request now holds its key, and its response will be kept for retries
  if (ctx.idempotency) ctx.idempotency.claimed = true
  return done
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

/**
 * Two writers racing to create the same slug (or other unique value) both pass their checks; the
 * database lets one commit and the other fails on the unique index. That loser gets a Conflict.
 */
function asConflict(error: unknown): never {
  type Constraint = { fields?: string[]; index?: string }
  const e = error as {
    name?: string
    code?: string
    meta?: { driverAdapterError?: { cause?: { constraint?: Constraint } } }
  }
  if (e?.name === 'PrismaClientKnownRequestError' && e.code === 'P2002') {
    // the embedded driver names the columns; pg names the index, "<Model>_<field>_key"
    const constraint = e.meta?.driverAdapterError?.cause?.constraint
    const fields = constraint?.fields ?? (constraint?.index ? [constraint.index.split('_').slice(1, -1).join('_')] : [])
    throw new ConflictError(
      `Another write took this ${fields.join(', ') || 'value'} first; reload and retry.`,
      null,
      fields[0] ? `input.${fields[0]}` : null,
    )
  }
  throw error
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue
}
