// An exhausted connection pool fails fast with a clear error instead of making requests wait.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

/** Waits until the database reports the statement running (rather than guessing with a sleep). */
async function untilRunning(url: string, fragment: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (;;) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`,
        [`%${fragment}%`],
      )
      if (rows[0].n > 0) return
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    await client.end()
  }
}

/** the advisory lock the test holds while the app's only connection waits for it */
const HOLD = 14_014

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase('postgres', { DATABASE_POOL_MAX: 1, DATABASE_CONNECT_TIMEOUT_MS: 300 })
})
afterAll(() => db?.drop())

describe('an exhausted pool', () => {
  it('answers SERVICE_UNAVAILABLE instead of waiting, and recovers once a connection is free', async () => {
    const app = testApp(db)
    // the app's change feed reads once at start: let it finish before the connection is taken
    await app.feedStarted
    // hold the only connection until the test lets go: a transaction waiting for an advisory lock
    // that the test holds on a connection of its own (not for a fixed time, which a slow machine
    // could use up before the request below is answered)
    const lock = new pg.Client({ connectionString: db.url })
    await lock.connect()
    await lock.query(`SELECT pg_advisory_lock(${HOLD})`)
    let holderDone = false
    const holder = db.prisma
      .$transaction(async (tx) => tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${HOLD})::text`), {
        timeout: 30_000,
        maxWait: 5_000,
      })
      .finally(() => (holderDone = true))
    try {
      await untilRunning(db.url!, `pg_advisory_xact_lock(${HOLD})`)
      const blocked = await app.run('{ stories { totalCount } }')
      expect(holderDone).toBe(false) // the request did not wait for the connection to come back
      expect(blocked.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE')
      expect(blocked.errors?.[0]?.message).not.toMatch(/pg|prisma|timeout exceeded/i)
      expect(app.logLines.some((l) => JSON.stringify(l).includes('timeout exceeded when trying to connect'))).toBe(true)
    } finally {
      await lock.end() // lets go of the lock: the transaction ends, and with it the connection's use
    }
    await holder
    const after = await app.run('{ stories { totalCount } }')
    expect(after.errors).toBeUndefined()
    expect(after.data).toEqual({ stories: { totalCount: 0 } })
    await app.close()
  })
})
