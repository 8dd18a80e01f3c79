// The SQL migrations and prisma/schema.prisma must describe the same database, and the runner must
// record them the way `prisma migrate deploy` does.
import { createHash } from 'node:crypto'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { applyMigrations, MIGRATIONS_DIR, readMigrations, type SqlSession } from '../../src/db/migrate.js'
import { diffMigrationsToSchema, SCHEMA_PATH } from '../../src/db/schema-diff.js'

const scratch: string[] = []
afterAll(() => Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true }))))

const meaningful = (sql: string) => sql.replace(/--.*$/gm, '').trim()

function session(lite: PGlite): SqlSession {
  return {
    query: async (sql, params) => (await lite.query<Record<string, unknown>>(sql, params)).rows,
    exec: async (sql) => void (await lite.exec(sql)),
  }
}

/** A database migrated up to (not including) `name`, and `rest`, which applies that one and the
 *  ones after it, returning their names: for a migration that rewrites rows written before it. */
async function migratedUpTo(name: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'news-migrations-'))
  scratch.push(dir)
  const all = await readMigrations()
  for (const m of all.filter((m) => m.name < name))
    await cp(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true })
  const lite = await PGlite.create('memory://')
  await applyMigrations(session(lite), dir)
  async function rest(): Promise<string[]> {
    for (const m of all.filter((m) => m.name >= name))
      await cp(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true })
    return applyMigrations(session(lite), dir)
  }
  return { lite, rest }
}

describe('migrations', () => {
  it('agree with schema.prisma (run `npm run db:diff -- <name>` after changing it)', async () => {
    expect(meaningful(await diffMigrationsToSchema())).toBe('')
  })

  it('the drift check notices a field the migrations lack', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'news-schema-'))
    scratch.push(dir)
    const changed = path.join(dir, 'schema.prisma')
    const schema = await readFile(SCHEMA_PATH, 'utf8')
    await writeFile(
      changed,
      schema.replace(
        '  headline             String\n',
        '  headline             String\n  kicker               String?\n',
      ),
    )
    expect(meaningful(await diffMigrationsToSchema(MIGRATIONS_DIR, changed))).toMatch(/ADD COLUMN\s+"kicker"/)
  })

  it('are recorded in _prisma_migrations as Prisma records them, once', async () => {
    const lite = await PGlite.create('memory://')
    try {
      const migrations = await readMigrations()
      expect(await applyMigrations(session(lite))).toEqual(migrations.map((m) => m.name))
      expect(await applyMigrations(session(lite))).toEqual([])
      const rows = (
        await lite.query<Record<string, unknown>>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')
      ).rows
      expect(rows).toHaveLength(migrations.length)
      for (const [i, row] of rows.entries()) {
        const sql = await readFile(path.join(MIGRATIONS_DIR, migrations[i].name, 'migration.sql'), 'utf8')
        expect(row.migration_name).toBe(migrations[i].name)
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'))
        expect(row.finished_at).toBeInstanceOf(Date)
        expect(row.rolled_back_at).toBeNull()
        expect(row.applied_steps_count).toBe(1)
        expect(String(row.id)).toMatch(/^[0-9a-f-]{36}$/)
      }
    } finally {
      await lite.close()
    }
  })

  it('a failing migration leaves nothing behind and is reported', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'news-migrations-'))
    scratch.push(dir)
    await cp(MIGRATIONS_DIR, dir, { recursive: true })
    const broken = path.join(dir, '99990101000000_broken')
    await cp(path.join(dir, (await readMigrations(dir))[0].name), broken, { recursive: true })
    await writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n')
    const lite = await PGlite.create('memory://')
    try {
      await expect(applyMigrations(session(lite), dir)).rejects.toThrow(/99990101000000_broken failed/)
      const half = await lite.query(`SELECT to_regclass('"Half"') AS t`)
      expect(half.rows[0]).toEqual({ t: null })
      const names = (await lite.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"'))
        .rows
      expect(names.map((r) => r.migration_name)).not.toContain('99990101000000_broken')
    } finally {
      await lite.close()
    }
  })

  it('refuses a migration changed after it was applied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'news-migrations-'))
    scratch.push(dir)
    await cp(MIGRATIONS_DIR, dir, { recursive: true })
    const lite = await PGlite.create('memory://')
    try {
      await applyMigrations(session(lite), dir)
      const [first] = await readMigrations(dir)
      await writeFile(path.join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited\n`)
      await expect(applyMigrations(session(lite), dir)).rejects.toThrow(/changed after it was applied/)
    } finally {
      await lite.close()
    }
  })

  it('clear the planned date of stories withdrawn before they went out, and only theirs', async () => {
    const fix = '20261206130000_withdrawn_before_publication'
    const { lite, rest } = await migratedUpTo(fix)
    try {
      // slug, firstPublishedAt, embargoedUntil, withdrawnAt
      const rows: [string, string | null, string | null, string][] = [
        ['was-public', '2026-01-01T10:00Z', null, '2026-01-02T10:00Z'],
        ['scheduled-then-public', '2026-01-01T10:00Z', '2026-01-01T10:00Z', '2026-01-02T10:00Z'],
        ['scheduled-never-out', '2026-03-01T10:00Z', '2026-03-01T10:00Z', '2026-01-02T10:00Z'],
        ['embargoed-never-out', '2026-01-01T10:00Z', '2026-03-01T10:00Z', '2026-01-02T10:00Z'],
      ]
      for (const [slug, first, embargo, withdrawn] of rows) {
        await lite.query(
          `INSERT INTO "Story" (id, slug, headline, status, "firstPublishedAt", "embargoedUntil", "withdrawnAt", "updatedAt")
           VALUES (gen_random_uuid(), $1, $1, 'WITHDRAWN', $2, $3, $4, now())`,
          [slug, first, embargo, withdrawn],
        )
      }
      expect((await rest())[0]).toBe(fix)
      const after = (
        await lite.query<{ slug: string; out: boolean }>(
          'SELECT slug, "firstPublishedAt" IS NOT NULL AS out FROM "Story" ORDER BY slug',
        )
      ).rows
      expect(Object.fromEntries(after.map((r) => [r.slug, r.out]))).toEqual({
        'was-public': true,
        'scheduled-then-public': true,
        'scheduled-never-out': false,
        'embargoed-never-out': false,
      })
    } finally {
      await lite.close()
    }
  })

  it('give change-log entries written before facts the facts of their objects as they stand', async () => {
    const facts = '20261206140000_change_facts'
    const { lite, rest } = await migratedUpTo(facts)
    try {
      const story = async (slug: string, status: string, firstPublishedAt: string | null) =>
        (
          await lite.query<{ id: string }>(
            `INSERT INTO "Story" (id, slug, headline, status, urgency, language, "firstPublishedAt", "updatedAt")
             VALUES (gen_random_uuid(), $1, $1, $2::"StoryStatus", 2, 'sv', $3, now()) RETURNING id::text`,
            [slug, status, firstPublishedAt],
          )
        ).rows[0]!.id
      const published = await story('out', 'PUBLISHED', '2026-01-01T10:00Z')
      const draft = await story('draft', 'DRAFT', null)
      const change = (kind: string, id: string, payload: object) =>
        lite.query(
          `INSERT INTO "Change" (kind, "objectType", "objectId", topics, payload) VALUES ($1, 'Story', $2, $3, $4)`,
          [kind, id, [`story:${id}`, 'urgency:2', 'language:sv'], JSON.stringify(payload)],
        )
      await change('story.published', published, { version: 2, status: 'PUBLISHED' })
      await change('story.updated', draft, { version: 2, status: 'DRAFT', fields: ['lede'] })
      expect((await rest())[0]).toBe(facts)
      const rows = (
        await lite.query<{ objectId: string; topics: string[]; payload: Record<string, unknown> }>(
          'SELECT "objectId", topics, payload FROM "Change" ORDER BY seq',
        )
      ).rows
      expect(rows[0]).toEqual({
        objectId: published,
        topics: [`story:${published}`],
        payload: { version: 2, from: null, to: 'PUBLISHED', public: true, notice: false, urgency: 2, language: 'sv' },
      })
      expect(rows[1]!.payload).toEqual({
        version: 2,
        from: null,
        to: 'DRAFT',
        public: false,
        notice: false,
        urgency: 2,
        language: 'sv',
        fields: ['lede'],
      })
    } finally {
      await lite.close()
    }
  })

  it('index every story again, in its own language', async () => {
    const change = '20261206160000_search_in_story_language'
    const { lite, rest } = await migratedUpTo(change)
    try {
      for (const [slug, language, headline] of [
        ['sv', 'sv-FI', 'Förhandlingarna fortsätter'],
        ['en', 'en', 'Talks resume'],
        ['xx', 'xx', 'Talks resume'],
      ])
        await lite.query(
          `INSERT INTO "Story" (id, slug, language, headline, "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3, now())`,
          [slug, language, headline],
        )
      const vectors = async () =>
        Object.fromEntries(
          (
            await lite.query<{ slug: string; v: string }>('SELECT slug, "searchVector"::text AS v FROM "Story"')
          ).rows.map((r) => [r.slug, r.v]),
        )
      // before: all stemmed as English
      expect(await vectors()).toEqual({
        sv: "'fortsätter':2A 'förhandlingarna':1A",
        en: "'resum':2A 'talk':1A",
        xx: "'resum':2A 'talk':1A",
      })
      expect((await rest())[0]).toBe(change)
      expect(await vectors()).toEqual({
        sv: "'fortsät':2A 'förhandling':1A",
        en: "'resum':2A 'talk':1A",
        xx: "'resume':2A 'talks':1A",
      })
    } finally {
      await lite.close()
    }
  })

  it('make every story adapted from a story, or by an organisation, an adaptation, made when it went out', async () => {
    const editions = '20261206161000_editions'
    const { lite, rest } = await migratedUpTo(editions)
    try {
      const id = async (sql: string, params: unknown[]) => (await lite.query<{ id: string }>(sql, params)).rows[0]!.id
      const org = await id(
        `INSERT INTO "Organisation" (id, slug, name) VALUES (gen_random_uuid(), 'herald', 'Herald') RETURNING id`,
        [],
      )
      const story = (slug: string, source: string | null, adaptedBy: string | null, first: string | null) =>
        id(
          `INSERT INTO "Story" (id, slug, headline, "sourceStoryId", "adaptedById", "firstPublishedAt", "createdAt", "updatedAt")
           VALUES (gen_random_uuid(), $1, $1, $2, $3, $4, '2026-01-01T08:00Z', now()) RETURNING id`,
          [slug, source, adaptedBy, first],
        )
      const original = await story('original', null, null, '2026-01-01T09:00Z')
      await story('adapted-from', original, null, '2026-01-02T09:00Z')
      await story('adapted-by', null, org, null)
      expect(await rest()).toContain(editions)
      const rows = (
        await lite.query<{ slug: string; editionKind: string | null; editionAt: Date | null }>(
          'SELECT slug, "editionKind", "editionAt" FROM "Story" ORDER BY slug',
        )
      ).rows
      expect(rows.map((r) => [r.slug, r.editionKind, r.editionAt?.toISOString() ?? null])).toEqual([
        ['adapted-by', 'ADAPTATION', '2026-01-01T08:00:00.000Z'],
        ['adapted-from', 'ADAPTATION', '2026-01-02T09:00:00.000Z'],
        ['original', null, null],
      ])
      // an edition has its time, and only an edition the uri of what it was made from
      await expect(lite.query(`UPDATE "Story" SET "editionAt" = NULL WHERE slug = 'adapted-by'`)).rejects.toThrow(
        /Story_edition_check/,
      )
      await expect(lite.query(`UPDATE "Story" SET "sourceUri" = 'urn:x:1' WHERE slug = 'original'`)).rejects.toThrow(
        /Story_edition_check/,
      )
    } finally {
      await lite.close()
    }
  })
})
