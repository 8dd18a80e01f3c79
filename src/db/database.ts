// Opens the database the configuration names: PostgreSQL through @prisma/adapter-pg when
// DATABASE_URL is set, otherwise the embedded PostgreSQL (PGlite) kept under DATA_DIR.
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils'
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
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.DATABASE_URL ? openPostgres(options.DATABASE_URL, options) : openEmbedded(options)
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  // An exhausted pool must fail fast: pg's default waits forever for a free connection.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.DATABASE_POOL_MAX,
    connectionTimeoutMillis: options.DATABASE_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  })
  // An idle client that loses its server emits here; without a listener the process would die.
  pool.on('error', () => {})
  const prisma = new PrismaClient({ adapter: observed(new PrismaPg(pool), options.onStatement) })
  return {
    kind: 'postgres',
    prisma,
    async ping() {
      await pool.query('SELECT 1')
    },
    async migrate() {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.DATABASE_CONNECT_TIMEOUT_MS })
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
  const prisma = new PrismaClient({ adapter: observed(new PrismaPGlite(lite), options.onStatement) })
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
          return async (...args: unknown[]) => watch(await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(target, args))
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
