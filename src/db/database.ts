// Opens the database the configuration names: PostgreSQL through @prisma/adapter-pg when
// DATABASE_URL is set, otherwise the embedded PostgreSQL (PGlite) kept under DATA_DIR.
//
// Faults: an exhausted pool fails fast (DATABASE_CONNECT_TIMEOUT_MS); every pool connection has a
// PostgreSQL statement_timeout a little above REQUEST_TIMEOUT_MS, so a runaway statement is killed
// by the database itself; and transactions started under withCancellation() are cancelled when
// their request is (timed out, or its client gone): the statement running is cancelled, nothing
// more is sent, and the transaction rolls back.
//
// Statements are prepared by name on each PostgreSQL connection (DATABASE_PREPARED_STATEMENTS), so
// PostgreSQL parses and plans a statement it has seen from its cached plan: planning the related
// stories' statement alone took longer than running it.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils'
import pg from 'pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from '../generated/prisma/client.js'
import { applyMigrations, type SqlSession } from './migrate.js'

export type DatabaseKind = 'postgres' | 'embedded'

export interface DatabaseOptions {
  DATABASE_URL?: string
  DATA_DIR: string
  DATABASE_POOL_MAX: number
  DATABASE_CONNECT_TIMEOUT_MS: number
  /** when given, PostgreSQL ends any statement of the pool that runs STATEMENT_TIMEOUT_MARGIN_MS longer */
  REQUEST_TIMEOUT_MS?: number
  /** prepare statements by name on each connection (true when not given); off behind a pooler in
   *  transaction mode that cannot keep them */
  DATABASE_PREPARED_STATEMENTS?: boolean
  /** called with every SQL statement sent to the database (tests count them) */
  onStatement?: (sql: string) => void
}

export interface Database {
  kind: DatabaseKind
  prisma: PrismaClient
  /** throws unless the database answers */
  ping(): Promise<void>
  /** applies pending migrations; returns the names applied */
  migrate(): Promise<string[]>
  close(): Promise<void>
  /** the connection pool's counts, on PostgreSQL (for metrics: src/server/metrics.ts) */
  pool?: Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'>
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.DATABASE_URL ? openPostgres(options.DATABASE_URL, options) : openEmbedded(options)
}

/** How many different statements are prepared, on each connection: the queries' shapes are few
 *  (lists' lengths are parameters), and the cap keeps a pathological mix from growing every
 *  connection's plan cache; a statement past it runs unprepared. */
export const PREPARED_STATEMENTS_MAX = 2_000

/** A prepared statement's name from its text (the same text, the same name, on every connection);
 *  undefined, which pg takes as unnamed, past the cap and for a statement without parameters: pg
 *  sends that as a simple query, which may hold several commands (a prepared one may not). (The
 *  adapter's type says string.) */
function statementName(): (query: SqlQuery) => string {
  const names = new Map<string, string>()
  return ({ sql, args }) => {
    if (args.length === 0) return undefined as unknown as string
    let name = names.get(sql)
    if (name === undefined && names.size < PREPARED_STATEMENTS_MAX) {
      name = `ng_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`
      names.set(sql, name)
    }
    return name as string
  }
}

/** How much longer than a request a statement of the pool may run before PostgreSQL ends it. */
export const STATEMENT_TIMEOUT_MARGIN_MS = 1_000

function openPostgres(url: string, options: DatabaseOptions): Database {
  // An exhausted pool must fail fast: pg's default waits forever for a free connection.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.DATABASE_POOL_MAX,
    connectionTimeoutMillis: options.DATABASE_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // Sent when each connection opens. A request is answered at its timeout whatever its
    // statements do; this ends one that nothing else ended (a read blocked on a lock, say).
    ...(options.REQUEST_TIMEOUT_MS
      ? { statement_timeout: options.REQUEST_TIMEOUT_MS + STATEMENT_TIMEOUT_MARGIN_MS }
      : {}),
  })
  // An idle client that loses its server emits here; without a listener the process would die.
  pool.on('error', () => {})
  // Cancels what a backend is running, from a connection of its own: the pool may be exhausted.
  const cancelBackend = async (pid: number) => {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: options.DATABASE_CONNECT_TIMEOUT_MS,
    })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('SELECT pg_cancel_backend($1)', [pid])
    } finally {
      await client.end().catch(() => {})
    }
  }
  const prisma = new PrismaClient({
    adapter: observed(
      cancellable(
        new PrismaPg(pool, {
          ...(options.DATABASE_PREPARED_STATEMENTS !== false && { statementNameGenerator: statementName() }),
        }),
        cancelBackend,
      ),
      options.onStatement,
    ),
  })
  return {
    kind: 'postgres',
    prisma,
    pool,
    async ping() {
      await pool.query('SELECT 1')
    },
    async migrate() {
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: options.DATABASE_CONNECT_TIMEOUT_MS,
      })
      // a connection lost between statements must fail the migration (to be retried), not the process
      client.on('error', () => {})
      await client.connect()
      try {
        return await applyMigrations({
          query: async (sql, params) => (await client.query(sql, params)).rows,
          exec: async (sql) => void (await client.query(sql)),
        })
      } finally {
        await client.end()
      }
    },
    async close() {
      await prisma.$disconnect()
      await pool.end()
    },
  }
}

async function openEmbedded(options: DatabaseOptions): Promise<Database> {
  const dir = options.DATA_DIR
  if (dir !== 'memory://') {
    const { mkdir } = await import('node:fs/promises')
    await mkdir(dir, { recursive: true })
  }
  const lite = await PGlite.create(dir)
  const session: SqlSession = {
    query: async (sql, params) => (await lite.query<Record<string, unknown>>(sql, params)).rows,
    exec: async (sql) => void (await lite.exec(sql)),
  }
  // in-process and one connection: nothing to cancel mid-statement, but a cancelled transaction
  // sends nothing more and does not commit
  const prisma = new PrismaClient({ adapter: observed(cancellable(new PrismaPGlite(lite)), options.onStatement) })
  return {
    kind: 'embedded',
    prisma,
    async ping() {
      await lite.query('SELECT 1')
    },
    migrate: () => applyMigrations(session),
    async close() {
      await prisma.$disconnect()
      await lite.close()
    },
  }
}

/** Wraps a driver adapter factory so every statement it sends is reported. */
function observed<F extends SqlDriverAdapterFactory>(factory: F, onStatement?: (sql: string) => void): F {
  if (!onStatement) return factory
  const watch = <Q extends SqlQueryable>(queryable: Q): Q =>
    new Proxy(queryable, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver)
        if (key === 'queryRaw' || key === 'executeRaw') {
          return (query: { sql: string }) => {
            onStatement(query.sql)
            return (value as (q: unknown) => unknown).call(target, query)
          }
        }
        if (key === 'startTransaction') {
          return async (...args: unknown[]) =>
            watch(await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(target, args))
        }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  return new Proxy(factory, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver)
      if (key === 'connect') return async () => watch((await target.connect()) as SqlDriverAdapter)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

// ---------------------------------------------------------------------------------------------
// Cancellation

const cancellation = new AsyncLocalStorage<AbortSignal>()

/**
 * Runs `work` so that the database transactions it starts end when `signal` aborts: the statement
 * a transaction is running is cancelled (PostgreSQL), it sends nothing more, and it rolls back
 * instead of committing. A COMMIT already sent when the signal aborts completes: a write is whole
 * or absent, never half there. Statements outside transactions (reads) are left to the pool's
 * statement_timeout; they may be batched with other requests' and so are not this request's alone.
 */
export function withCancellation<T>(signal: AbortSignal, work: () => T): T {
  return cancellation.run(signal, work)
}

type CancelBackend = (pid: number) => Promise<void>

/** Wraps a driver adapter factory so that transactions honour the signal withCancellation set. */
function cancellable<F extends SqlDriverAdapterFactory>(factory: F, cancelBackend?: CancelBackend): F {
  const adapter = (target: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(target, {
      get(t, key, receiver) {
        const value = Reflect.get(t, key, receiver)
        if (key !== 'startTransaction') return typeof value === 'function' ? value.bind(t) : value
        return async (...args: unknown[]) => {
          // the transaction starts in the async context of the resolver that asked for it
          const signal = cancellation.getStore()
          signal?.throwIfAborted()
          const tx = (await (value as (...a: unknown[]) => Promise<Transaction>).apply(t, args)) as Transaction
          return signal ? guarded(tx, signal, cancelBackend) : tx
        }
      },
    })
  return new Proxy(factory, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver)
      if (key === 'connect') return async () => adapter((await target.connect()) as SqlDriverAdapter)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

const ROLLBACK: SqlQuery = { sql: 'ROLLBACK', args: [], argTypes: [] }

/** 'COMMIT' or 'ROLLBACK' for the statements that end a transaction; null for any other. */
function ending(sql: string): 'COMMIT' | 'ROLLBACK' | null {
  const match = /^\s*(COMMIT|ROLLBACK)\s*;?\s*$/i.exec(sql)
  return match ? (match[1]!.toUpperCase() as 'COMMIT' | 'ROLLBACK') : null
}

/** One transaction, held to its request's signal. */
function guarded(tx: Transaction, signal: AbortSignal, cancelBackend?: CancelBackend): Transaction {
  // @prisma/adapter-pg keeps the pool client it took as `client`; its backend pid is what to cancel
  const pid = (tx as unknown as { client?: { processID?: number | null } }).client?.processID ?? null
  /** what the statement being run is: 'other', or the COMMIT or ROLLBACK; null when none runs */
  let running: 'COMMIT' | 'ROLLBACK' | 'other' | null = null
  let committedBySql = false
  let cancelling: Promise<void> | null = null
  const onAbort = () => {
    // a COMMIT under way is let finish (the write is then whole, as a moment earlier), a ROLLBACK too
    if (running === 'other' && pid !== null && cancelBackend) cancelling = cancelBackend(pid).catch(() => {})
  }
  signal.addEventListener('abort', onAbort, { once: true })
  // before the connection goes back to the pool, or sends its ROLLBACK: a cancel must not land later
  const settled = async () => {
    signal.removeEventListener('abort', onAbort)
    await cancelling
  }
  const statement = (send: (query: SqlQuery) => Promise<unknown>) => async (query: SqlQuery) => {
    const sql = ending(query.sql)
    if (signal.aborted) {
      if (sql === 'ROLLBACK') {
        await settled()
        return send(query)
      }
      // Prisma commits by sending COMMIT through the transaction: roll back instead
      if (sql === 'COMMIT') {
        await settled()
        await send(ROLLBACK)
      }
      throw signal.reason
    }
    running = sql ?? 'other'
    try {
      const result = await send(query)
      if (sql === 'COMMIT') committedBySql = true
      return result
    } finally {
      running = null
    }
  }
  return new Proxy(tx, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver)
      if (key === 'queryRaw' || key === 'executeRaw')
        return statement((query) => (value as (q: SqlQuery) => Promise<unknown>).call(target, query))
      if (key === 'rollback') {
        return async () => {
          await settled()
          return target.rollback()
        }
      }
      if (key === 'commit') {
        return async () => {
          await settled()
          // an adapter that commits here (PGlite) rather than by a COMMIT statement rolls back instead
          if (signal.aborted && !committedBySql) {
            await target.rollback()
            throw signal.reason
          }
          return target.commit()
        }
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
