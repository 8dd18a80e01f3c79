// Two writers creating the same slug: the one that loses at the unique index gets a Conflict, and
// its transaction leaves nothing (no audit entry, no change-log entry).
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase('postgres')
})
afterAll(() => db?.drop())

describe('a create that loses a race on a unique slug', () => {
  it('answers Conflict on the slug and writes nothing', async () => {
    const app = testApp(db)
    const other = new pg.Client({ connectionString: db.url })
    await other.connect()
    try {
      // the other writer has inserted the slug but not committed: our check cannot see it yet
      await other.query('BEGIN')
      await other.query(`INSERT INTO "Tag" (id, slug, name) VALUES (gen_random_uuid(), 'raced', 'Theirs')`)
      const ours = app.run(
        `mutation { upsertTag(input: { slug: "raced", name: "Ours" }) { __typename ... on Error { code field } } }`,
        {},
        await asRole('editor'),
      )
      // wait until our insert is blocked behind theirs, then let theirs commit
      await expect
        .poll(async () => (await other.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`)).rows[0].n, {
          timeout: 10_000,
        })
        .toBeGreaterThan(0)
      await other.query('COMMIT')
      const result = await ours
      expect(result.data).toEqual({ upsertTag: { __typename: 'Conflict', code: 'CONFLICT', field: 'input.slug' } })
      expect(await db.prisma.tag.findMany({ where: { slug: 'raced' }, select: { name: true } })).toEqual([
        { name: 'Theirs' },
      ])
      expect(await db.prisma.auditEntry.count()).toBe(0)
      expect(await db.prisma.change.count()).toBe(0)
    } finally {
      await other.end()
    }
  })
})
