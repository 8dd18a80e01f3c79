// Every write goes through runMutation: one transaction holding the change itself, its audit
// entry, its change-log entry and (when the request carries one) its idempotency key. A failure
// anywhere rolls all of them back, so a failed mutation leaves no trace. Admins' writes of the
// server's own settings (webhooks) go through runAdminWrite: the same, without the change log.
import type { Context } from '../context.js'
import { Prisma } from '../generated/prisma/client.js'
import type { Viewer } from '../auth/token.js'
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
        appended.set(tx, [])
        if (ctx.idempotency) await claimIdempotencyKey(tx, viewer, ctx.idempotency)
        const done = await work(tx)
        await tx.$executeRaw(history(ctx, viewer, operation, input, done, appended.get(tx)!))
        return done
      },
      { maxWait: 5_000, timeout: 15_000 },
    )
    .catch(asConflict)
  // committed: the request now holds its key, and its response will be kept for retries
  if (ctx.idempotency) ctx.idempotency.claimed = true
  return done
}

/** Per transaction: the rows its write appended (appendWithHistory), not yet sent. */
const appended = new WeakMap<Tx, Prisma.Sql[]>()

/**
 * Appends a row that nothing in the transaction reads back (a story's revision): it is written
 * with the audit entry and the change-log row, in history's one statement at the end.
 */
export function appendWithHistory(tx: Tx, insert: Prisma.Sql): void {
  const rows = appended.get(tx)
  if (!rows) throw new Error('appendWithHistory outside runMutation: the row would never be written')
  rows.push(insert)
}

/**
 * The write's own record, as one statement: the rows it appended, its audit entry and, for news,
 * its change-log row (taken after the change-log lock). Raw SQL rather than Prisma's create because
 * Prisma sends each insert and the lock apart (four round trips of a publish's eleven, each
 * returning rows nobody reads). Data-modifying CTEs all run, whether or not the main statement
 * reads them; any of them failing fails the statement, and so the transaction.
 */
function history(
  ctx: Context,
  viewer: Viewer,
  operation: string,
  input: unknown,
  done: Configured<unknown> & { change?: ChangeEntry },
  rows: Prisma.Sql[],
): Prisma.Sql {
  const at = new Date()
  const audit = Prisma.sql`
    INSERT INTO "AuditEntry" ("at", "actor", "role", "operation", "targetType", "targetId", "requestId", "input")
    VALUES (${at}::timestamp(3), ${viewer.sub}, ${viewer.role}, ${operation}, ${done.target.type}, ${done.target.id},
            ${ctx.requestId}, ${JSON.stringify(toJson(input))}::jsonb)`
  const ctes = rows.map((row, i) => Prisma.sql`${Prisma.raw(`appended${i}`)} AS (${row})`)
  if (!done.change) return ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes)} ${audit}` : audit
  const change = changeRow(done.change)
  ctes.push(Prisma.sql`audit AS (${audit})`, Prisma.sql`locked AS (SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK}))`)
  return Prisma.sql`
    WITH ${Prisma.join(ctes)}
    INSERT INTO "Change" ("at", "kind", "objectType", "objectId", "topics", "payload")
    SELECT ${at}::timestamp(3), ${change.kind}, ${change.objectType}, ${change.objectId}, ${change.topics}::text[],
           ${JSON.stringify(change.payload)}::jsonb
      FROM locked`
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
