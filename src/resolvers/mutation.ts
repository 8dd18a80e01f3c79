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

export interface MutationMode {
  /**
   * The work only reads, then makes one guarded write (writeGuarded) and appends rows
   * (appendWithHistory): a publish, a withdrawal. It then reads outside any transaction, and the
   * guarded write goes with the write's record as one statement in a transaction of its own
   * (BEGIN, the statement, COMMIT), not BEGIN, the reads, the write, the record, COMMIT. Any other
   * write the work made would not be part of it: only works that make none may ask for this.
   * A request with an Idempotency-Key runs in the usual transaction, its key claimed first.
   */
  single?: boolean
}

export async function runMutation<T>(
  ctx: Context,
  operation: string,
  input: unknown,
  work: (tx: Tx) => Promise<Written<T>>,
  mode: MutationMode = {},
): Promise<T> {
  const { result, change } = await write(ctx, operation, input, mode, async (tx) => {
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
  return (await write(ctx, operation, input, {}, work)).result
}

type Work<T> = (tx: Tx) => Promise<Configured<T> & { change?: ChangeEntry }>

const TRANSACTION = { maxWait: 5_000, timeout: 15_000 }

async function write<T>(
  ctx: Context,
  operation: string,
  input: unknown,
  mode: MutationMode,
  work: Work<T>,
): Promise<Configured<T> & { change?: ChangeEntry }> {
  const viewer = ctx.viewer
  if (!viewer) throw new Error(`runMutation(${operation}) without a viewer: the field lacks authScopes`)
  if (mode.single && !ctx.idempotency) return writeSingle(ctx, viewer, operation, input, work)
  const done = await ctx.prisma
    .$transaction(async (tx) => {
      const log: Pending = { rows: [], guarded: null, single: false }
      pending.set(tx, log)
      if (ctx.idempotency) await claimIdempotencyKey(tx, viewer, ctx.idempotency)
      const done = await work(tx)
      await tx.$executeRaw(history(ctx, viewer, operation, input, done, log))
      return done
    }, TRANSACTION)
    .catch(asConflict)
  // committed: the request now holds its key, and its response will be kept for retries
  if (ctx.idempotency) ctx.idempotency.claimed = true
  return done
}

/** MutationMode.single: the work reads on the client, its write and record are one statement. */
async function writeSingle<T>(ctx: Context, viewer: Viewer, operation: string, input: unknown, work: Work<T>) {
  // A key of its own for `pending`: ctx.prisma is shared by every request. A Proxy with no traps
  // forwards everything to the client (reads only, here).
  const db = new Proxy(ctx.prisma, {}) as unknown as Tx
  const log: Pending = { rows: [], guarded: null, single: true }
  pending.set(db, log)
  const done = await work(db)
  if (!log.guarded) throw new Error(`runMutation(${operation}, single) made no guarded write: nothing to send`)
  // In a transaction although one statement, for what only a transaction has here: a request
  // that times out or goes away cancels its statement (src/db/database.ts, cancellable), where a
  // statement on its own would run on to the pool's statement_timeout and might land after the
  // client was told it timed out. (An array $transaction of one query is sent without one.)
  const count = await ctx.prisma
    .$transaction((tx) => tx.$executeRaw(history(ctx, viewer, operation, input, done, log)), TRANSACTION)
    .catch(asConflict)
  // the guarded write wrote nothing, so nothing else in the statement did: say why
  if (count !== 1) await log.guarded.missed()
  return done
}

/**
 * The one conditional write of a mutation (a version check): `update` (an UPDATE without
 * RETURNING) writes one row, or none when the check fails; `missed` then throws why.
 */
export interface Guarded {
  update: Prisma.Sql
  missed: () => Promise<never>
}

/** Per write: the rows it appended (appendWithHistory), and in single mode its guarded write. */
interface Pending {
  rows: { into: Prisma.Sql; values: Prisma.Sql }[]
  guarded: Guarded | null
  single: boolean
}
const pending = new WeakMap<Tx, Pending>()

function pendingOf(tx: Tx): Pending {
  const log = pending.get(tx)
  if (!log) throw new Error('a write outside runMutation: it would never be written')
  return log
}

/**
 * Appends a row that nothing in the transaction reads back (a story's revision): it is written
 * with the audit entry and the change-log row, in history's one statement at the end, as
 * `INSERT INTO <into> SELECT <values>` (from the guarded write's row, in single mode).
 */
export function appendWithHistory(tx: Tx, into: Prisma.Sql, values: Prisma.Sql): void {
  pendingOf(tx).rows.push({ into, values })
}

/**
 * Makes the guarded write: at once in a transaction; in single mode, as the head of history's
 * statement, which writes the rest only from the row it wrote.
 */
export async function writeGuarded(tx: Tx, guarded: Guarded): Promise<void> {
  const log = pendingOf(tx)
  if (!log.single) {
    if ((await tx.$executeRaw(guarded.update)) !== 1) await guarded.missed()
    return
  }
  if (log.guarded) throw new Error('runMutation(single) takes one guarded write')
  log.guarded = guarded
}

/**
 * The write's own record, as one statement: the rows it appended, its audit entry and, for news,
 * its change-log row (taken after the change-log lock); in single mode headed by the guarded
 * write, which the rest is selected from. Raw SQL rather than Prisma's create because
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
  log: Pending,
): Prisma.Sql {
  const at = new Date()
  // single mode: every row comes from the guarded write's row, so none is written without it
  const guarded = log.single ? log.guarded : null
  const from = guarded ? Prisma.sql`FROM written` : Prisma.empty
  const audit = Prisma.sql`
    INSERT INTO "AuditEntry" ("at", "actor", "role", "operation", "targetType", "targetId", "requestId", "input")
    SELECT ${at}::timestamp(3), ${viewer.sub}, ${viewer.role}, ${operation}, ${done.target.type}, ${done.target.id},
           ${ctx.requestId}, ${JSON.stringify(toJson(input))}::jsonb ${from}`
  const ctes = log.rows.map(
    (row, i) => Prisma.sql`${Prisma.raw(`appended${i}`)} AS (INSERT INTO ${row.into} SELECT ${row.values} ${from})`,
  )
  if (guarded) ctes.unshift(Prisma.sql`written AS (${guarded.update} RETURNING 1)`)
  if (!done.change) return ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes)} ${audit}` : audit
  const change = changeRow(done.change)
  ctes.push(
    Prisma.sql`audit AS (${audit})`,
    Prisma.sql`locked AS (SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK}) ${from})`,
  )
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
