// The runner on each real database: history recorded like Prisma's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMigrations } from '../../src/db/migrate.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.drop())

describe('migrations on this database', () => {
  it('are recorded with their checksums, and a second run applies nothing', async () => {
    const expected = await readMigrations()
    const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string; finished: boolean }[]>`
      SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name`
    expect(rows).toEqual(expected.map((m) => ({ migration_name: m.name, checksum: m.checksum, finished: true })))
    expect(await db.migrate()).toEqual([])
  })
})
