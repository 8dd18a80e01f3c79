// Starting and stopping a server process (src/main.ts runs these; tests may too).
//
// The server listens at once, whether or not the database answers. Until the database is
// prepared — migrations applied, the sample graph seeded if configured, the change feed placed in
// the log — it is "starting" (src/server/lifecycle.ts): /ready answers 503 and operations
// SERVICE_UNAVAILABLE. Preparation is retried until it succeeds, so a server started before its
// database (or during an outage) becomes ready by itself once the database answers.
import { isIPv6, type AddressInfo } from 'node:net'
import { isLoopback, type Config } from '../config.js'
import { openDatabase, type Database } from '../db/database.js'
import type { Logger } from '../logger.js'
import { seedSampleGraph } from '../seed/seed.js'
import { createApp } from './app.js'
import { Lifecycle } from './lifecycle.js'
import { stillRunning } from './shutdown.js'
import type { Tracing } from './tracing.js'

/** The host of the address to print: localhost for this machine or every interface. */
const shownHost = (host: string) =>
  isLoopback(host) || host === '0.0.0.0' || host === '::' ? 'localhost' : isIPv6(host) ? `[${host}]` : host

/** Pause between attempts to prepare the database: 250 ms, doubling, at most 2 s. */
export const retryDelay = (attempt: number) => Math.min(250 * 2 ** attempt, 2_000)

export interface RunningServer {
  app: ReturnType<typeof createApp>
  db: Database
  port: number
  /** resolves once the database is prepared and the server ready, or the server stopped first */
  prepared: Promise<void>
  /**
   * Graceful shutdown within SHUTDOWN_TIMEOUT_MS (src/server/shutdown.ts), then the database
   * closes. Resolves with the exit code: 0 when everything finished, 1 when time ran out (what
   * was still running is logged).
   */
  stop(reason: string): Promise<number>
}

export async function startServer(
  config: Config,
  logger: Logger,
  /** started traces (src/server/tracing.ts), flushed and stopped last when the server stops */
  tracing: Tracing | null = null,
): Promise<RunningServer> {
  const db = await openDatabase(config)
  const lifecycle = new Lifecycle('starting')
  const app = createApp({ db, logger, config, lifecycle })
  const { server } = app
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.PORT, config.HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  logger.info({ database: db.kind, port }, 'listening; preparing the database')

  const prepared = prepare(db, app.feed, config, logger, lifecycle).then((done) => {
    if (!done) return
    lifecycle.serve()
    logger.info(
      { database: db.kind, port },
      `news graph ready: GraphiQL at http://${shownHost(config.HOST)}:${port}/graphql`,
    )
  })

  let stopping: Promise<number> | null = null
  function stop(reason: string): Promise<number> {
    stopping ??= (async () => {
      const timeoutMs = config.SHUTDOWN_TIMEOUT_MS
      logger.info({ reason, timeoutMs }, 'shutting down')
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
      const finished = (async () => {
        await app.drain()
        await prepared // a migration in progress completes (preparing stops when draining)
        await db.close()
        // the spans of the last requests are sent before the process exits
        await tracing?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'traces not flushed'))
        return true
      })().catch((error: unknown) => {
        logger.error({ err: error }, 'shutting down failed')
        return false
      })
      const clean = await Promise.race([finished, deadline])
      clearTimeout(timer)
      if (!clean) {
        logger.error({ timeoutMs, ...(await stillRunning(app)) }, 'shutdown timed out; exiting with work still running')
        return 1
      }
      logger.info('shut down')
      return 0
    })()
    return stopping
  }
  return { app, db, port, prepared, stop }
}

/**
 * Migrates, seeds (if configured) and places the change feed, retrying until it works (true) or
 * the server stops first (false).
 */
async function prepare(
  db: Database,
  feed: ReturnType<typeof createApp>['feed'],
  config: Config,
  logger: Logger,
  lifecycle: Lifecycle,
): Promise<boolean> {
  let lastProblem: string | null = null
  for (let attempt = 0; ; attempt += 1) {
    if (lifecycle.phase === 'draining') return false
    try {
      const applied = await db.migrate()
      if (applied.length) logger.info({ applied }, 'migrations applied')
      if (config.SEED_ON_START && (await db.prisma.story.count()) === 0) {
        await seedSampleGraph(db.prisma)
        logger.info('sample graph seeded')
      }
      await feed.readNow()
      if (!feed.positioned) throw new Error('the change feed cannot read the change log')
      return true
    } catch (error) {
      const delay = retryDelay(attempt)
      // said once per kind of problem, not at every attempt
      const problem = error instanceof Error ? error.message : String(error)
      if (problem !== lastProblem) logger.warn({ err: error, retryInMs: delay }, 'database not ready; retrying')
      else logger.debug({ err: error, retryInMs: delay }, 'database not ready; retrying')
      lastProblem = problem
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}
