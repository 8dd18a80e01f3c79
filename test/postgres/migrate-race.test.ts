// Only a PostgreSQL server can have two processes migrating it at once.
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.js'
import { readMigrations } from '../../src/db/migrate.js'
import { createTestDatabase } from '../helpers/database.js'

describe('migrations on PostgreSQL', () => {
  it('two servers migrating an empty database at once apply each migration once', async () => {
    const fresh = await createTestDatabase('postgres')
    try {
      // drop what createTestDatabase applied, then race two independent connections
      await fresh.prisma.$executeRawUnsafe('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
      const options = {
        DATABASE_URL: fresh.url,
        DATA_DIR: 'memory://',
        DATABASE_POOL_MAX: 2,
        DATABASE_CONNECT_TIMEOUT_MS: 3000,
      }
      const [a, b] = await Promise.all([openDatabase(options), openDatabase(options)])
      const [ranA, ranB] = await Promise.all([a.migrate(), b.migrate()])
      await Promise.all([a.close(), b.close()])
      const names = (await readMigrations()).map((m) => m.name)
      expect([...ranA, ...ranB].sort()).toEqual(names)
      const [{ n }] = await fresh.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "_prisma_migrations"`
      expect(n).toBe(names.length)
    } finally {
      await fresh.drop()
    }
  })
})
