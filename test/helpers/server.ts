// The app listening on 127.0.0.1 at a free port, on a fresh database with the sample graph, with
// settings a test may override: for suites that must go through real sockets (HTTP and WebSocket).
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { loadConfig, type Config } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createApp } from '../../src/server/app.js'
import { createTestDatabase, type TestDatabase } from './database.js'

export interface TestServer {
  db: TestDatabase
  app: ReturnType<typeof createApp>
  config: Config
  /** http://127.0.0.1:port */
  origin: string
  /** ws://127.0.0.1:port/graphql */
  wsUrl: string
  close(): Promise<void>
}

export async function startTestServer(
  settings: Partial<Config> = {},
  { kind, seed = true }: { kind?: 'embedded' | 'postgres'; seed?: boolean } = {},
): Promise<TestServer> {
  const db = await createTestDatabase(kind)
  // the response cache off unless asked for: suites write fixtures straight into the database,
  // past the change log that invalidates it
  const config: Config = { ...loadConfig(), RESPONSE_CACHE_TTL_MS: 0, ...settings }
  let app: ReturnType<typeof createApp> | undefined
  async function close() {
    await app?.close().catch(() => {})
    await db.drop()
  }
  try {
    if (seed) await seedSampleGraph(db.prisma)
    app = createApp({ db, logger: pino({ level: 'silent' }), config, schedule: false })
    await app.feedStarted
    const server = app.server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    const { port } = server.address() as AddressInfo
    return { db, app, config, origin: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/graphql`, close }
  } catch (error) {
    await close()
    throw error
  }
}
