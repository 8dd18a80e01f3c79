// `npm start`: open the database (embedded unless DATABASE_URL says otherwise), migrate, seed an
// empty one, and serve.
import { loadConfig } from './config.js'
import { openDatabase } from './db/database.js'
import { createLogger } from './logger.js'
import { seedSampleGraph } from './seed/seed.js'
import { createApp } from './server/app.js'

const config = loadConfig()
const logger = createLogger(config.LOG_LEVEL)
const db = await openDatabase(config)
const applied = await db.migrate()
if (applied.length) logger.info({ applied }, 'migrations applied')
if (config.SEED_ON_START && (await db.prisma.story.count()) === 0) {
  await seedSampleGraph(db.prisma)
  logger.info('sample graph seeded')
}

const app = createApp({ db, logger })
await app.feedStarted
const { server } = app
server.listen(config.PORT, config.HOST, () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.PORT
  logger.info({ database: db.kind, port }, `news graph ready: GraphiQL at http://localhost:${port}/graphql`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down')
    app
      .close()
      .then(() => db.close())
      .finally(() => process.exit(0))
  })
}
