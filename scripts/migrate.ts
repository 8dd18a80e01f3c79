// npm run db:migrate — applies pending migrations to the configured database.
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'

const db = await openDatabase(loadConfig())
try {
  const applied = await db.migrate()
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date')
} finally {
  await db.close()
}
