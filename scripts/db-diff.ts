// npm run db:diff [-- <migration_name>]
// Prints the SQL that takes the migrated database to prisma/schema.prisma; with a name, writes it
// as prisma/migrations/<timestamp>_<name>/migration.sql. Review the SQL before committing it.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { MIGRATIONS_DIR } from '../src/db/migrate.js'
import { diffMigrationsToSchema } from '../src/db/schema-diff.js'

const name = process.argv[2]
const sql = await diffMigrationsToSchema()
const empty = !sql.replace(/--.*$/gm, '').trim()
if (empty) {
  console.log('-- schema.prisma and the migrations agree; nothing to write')
} else if (!name) {
  process.stdout.write(sql)
} else {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('migration name: lower-case letters, digits and _ only')
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`)
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'migration.sql'), sql)
  await writeFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "postgresql"\n')
  console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`)
}
