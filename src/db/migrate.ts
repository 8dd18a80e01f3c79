// Applies the SQL migrations in prisma/migrations, in order, each in its own transaction, and
// records them in _prisma_migrations exactly as `prisma migrate deploy` does, so a machine that
// has Prisma's native engine sees the same history. Works on PostgreSQL and the embedded database.
import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url))

/** One connection: the advisory lock below is held by the session. */
export interface SqlSession {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>
  /** runs a script of one or more statements */
  exec(sql: string): Promise<void>
}

// Prisma's own DDL for its history table.
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

// Any constant shared by every process of this project: two servers starting at once must not
// both apply the same migration.
const LOCK_KEY = 72707369

export interface Migration {
  name: string
  sql: string
  checksum: string
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

export async function applyMigrations(session: SqlSession, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir)
  await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
  try {
    await session.exec(HISTORY_TABLE)
    const rows = await session.query(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    )
    const done = new Map(rows.map((r) => [String(r.migration_name), r]))
    const applied: string[] = []
    for (const m of migrations) {
      const row = done.get(m.name)
      if (row) {
        if (!row.finished_at) throw new Error(`migration ${m.name} started but did not finish; resolve it by hand`)
        if (row.checksum !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied`)
        continue
      }
      const id = randomUUID()
      await session.exec('BEGIN')
      try {
        await session.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, m.checksum, m.name],
        )
        await session.exec(m.sql)
        await session.query(
          'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
          [id],
        )
        await session.exec('COMMIT')
      } catch (error) {
        await session.exec('ROLLBACK')
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error })
      }
      applied.push(m.name)
    }
    return applied
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY])
  }
}
