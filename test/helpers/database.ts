// A fresh, migrated database for one test file: in-memory embedded PostgreSQL, or a new database
// on the PostgreSQL server at TEST_DATABASE_URL (dropped again at the end).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database } from '../../src/db/database.js'

export const TEST_DB = (process.env.TEST_DB ?? 'embedded') as 'embedded' | 'postgres'
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** The tables only the background followers of the change log read on their own timers (the
 *  webhooks' endpoints and attempts, the purger's cursors, their leases): statements on them would
 *  fall into any count of what a request sent, whenever a timer fired meanwhile. */
const BACKGROUND = /"(WebhookEndpoint|WebhookAttempt|PurgeCursor|Lease)"/

export interface TestDatabase extends Database {
  /** every SQL statement sent since the last reset, but the background followers' (BACKGROUND) */
  statements: string[]
  url?: string
  drop(): Promise<void>
}

export async function createTestDatabase(
  kind = TEST_DB,
  pool: { DATABASE_POOL_MAX?: number; DATABASE_CONNECT_TIMEOUT_MS?: number } = {},
): Promise<TestDatabase> {
  const statements: string[] = []
  const base = {
    DATA_DIR: 'memory://',
    DATABASE_POOL_MAX: 5,
    DATABASE_CONNECT_TIMEOUT_MS: 3000,
    ...pool,
    onStatement: (sql: string) => {
      if (!BACKGROUND.test(sql)) statements.push(sql)
    },
  }
  if (kind === 'embedded') {
    const db = await openDatabase(base)
    await db.migrate()
    return Object.assign(db, { statements, drop: () => db.close() })
  }
  const name = `news_test_${randomBytes(6).toString('hex')}`
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const db = await openDatabase({ ...base, DATABASE_URL: url.toString() })
  await db.migrate()
  let dropped = false
  return Object.assign(db, {
    statements,
    url: url.toString(),
    async drop() {
      if (dropped) return
      dropped = true
      await db.close().catch(() => {})
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  })
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** The statements a request sent, counted on `db`: all but the change feed's reads of the log. Apps
 *  that count poll the log seldom (LIVE_POLL_MS), so that no poll, or the pruning one makes, falls
 *  inside a count. */
export const requestStatements = (db: Pick<TestDatabase, 'statements'>) => requestSql(db).length

/** The statements themselves (see requestStatements). */
export const requestSql = (db: Pick<TestDatabase, 'statements'>) =>
  db.statements.filter((sql) => !/"(Change|ChangeLogHorizon)"/.test(sql))

/** Settings for an app whose requests' statements are counted (see requestStatements). */
export const COUNTING = { LIVE_POLL_MS: 3_600_000 }
