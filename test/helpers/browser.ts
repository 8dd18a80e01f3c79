// What the browser tests share: the app on the seeded in-memory database, listening on a port of
// its own, and headless Chromium (CHROMIUM_PATH or Debian's /usr/bin/chromium, driven by playwright-core).
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { pino } from 'pino'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createApp } from '../../src/server/app.js'
import { createTestDatabase, type TestDatabase } from './database.js'

export interface SeededServer {
  db: TestDatabase
  app: ReturnType<typeof createApp>
  /** http://127.0.0.1:port */
  origin: string
  /** Stops the server and drops the database. */
  close(): Promise<void>
}

/** The app on a fresh in-memory database with the sample graph, listening on 127.0.0.1 at a free port. */
export async function startSeededServer(): Promise<SeededServer> {
  const db = await createTestDatabase('embedded')
  let app: ReturnType<typeof createApp> | undefined
  async function close() {
    if (app) {
      app.server.closeAllConnections()
      await new Promise<void>((resolve) => app!.server.close(() => resolve()))
    }
    await db.drop()
  }
  try {
    await seedSampleGraph(db.prisma)
    app = createApp({ db, logger: pino({ level: 'silent' }) })
    const server = app.server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return { db, app, origin, close }
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
}

/** Headless Chromium, without its own background traffic (updates, sync, QUIC). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  })
}
