// Loads the sample graph into the configured database: `npx tsx scripts/seed.ts`.
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { seedSampleGraph } from '../src/seed/seed.js'

const config = loadConfig()
const db = await openDatabase(config)
try {
  const applied = await db.migrate()
  if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`)
  const { created } = await seedSampleGraph(db.prisma)
  console.log(
    created ? `sample graph loaded into the ${db.kind} database` : 'sample graph already present; nothing written',
  )
} finally {
  await db.close()
}
