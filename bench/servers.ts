// Starting the servers under test: ours (the real server process, src/main.ts) and each baseline,
// all on the bench database, all with the same database pool size, all in production mode.
import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection } from 'node:net'
import { answers200, answersGraphQL, freePort, startServer, track, type ServerProcess } from './processes.js'
import { BENCH_JWT_SECRET } from './settings.js'
import type { Target } from './workloads/http.js'

export const POOL_MAX = 10

const common = (databaseUrl: string) => ({
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_MAX: String(POOL_MAX),
})

/** Our server as deployed: no sample data, quiet logs, no rate limits, cost, connection and time limits out of the way. */
export function startOurs(
  databaseUrl: string,
  {
    name = 'ours',
    redisUrl,
    pollMs,
    nodeArgs,
    responseCache = true,
    port,
    env = {},
  }: {
    name?: string
    redisUrl?: string
    pollMs?: number
    nodeArgs?: string[]
    responseCache?: boolean
    port?: number
    /** more settings, over these */
    env?: Record<string, string>
  } = {},
): Promise<ServerProcess> {
  return startServer({
    name,
    script: 'src/main.ts',
    env: {
      ...common(databaseUrl),
      JWT_SECRET: BENCH_JWT_SECRET,
      SEED_ON_START: 'false',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PUBLIC_POINTS: '0',
      RATE_LIMIT_EDITOR_POINTS: '0',
      // the fan-out's subscribers all come from 127.0.0.1
      CONNECTION_LIMIT_PUBLIC: '1000000',
      COST_LIMIT_PUBLIC: '1000000',
      COST_LIMIT_EDITOR: '1000000',
      // under fan-out overload a publish may take long; it should finish, and be measured, not be cancelled
      REQUEST_TIMEOUT_MS: '60000',
      // the response cache's counts at GET /cache-stats, for the hit ratios (editors only)
      RESPONSE_CACHE_STATS: 'true',
      // the one keys header Varnish reads (the phase "through the edge"), as docs/edge.md advises:
      // all three of a large page's (up to 8,000 bytes each) pass the 16 KiB of headers Node's
      // HTTP clients, the bench's included, accept
      EDGE_KEY_HEADERS: 'xkey',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...(pollMs ? { LIVE_POLL_MS: String(pollMs) } : {}),
      ...(responseCache ? {} : { RESPONSE_CACHE_TTL_MS: '0' }),
      ...env,
    },
    ready: answers200('/ready'),
    nodeArgs,
    port,
  })
}

export function startBaseline(
  target: Exclude<Target, 'ours' | 'oursUncached'>,
  databaseUrl: string,
): Promise<ServerProcess> {
  const script = {
    naive: 'bench/baselines/naive.ts',
    floor: 'bench/baselines/floor.ts',
    postgraphile: 'bench/baselines/postgraphile.ts',
  }[target]
  return startServer({
    name: target,
    script,
    env: common(databaseUrl),
    ready: target === 'floor' ? answers200('/ready') : answersGraphQL(),
  })
}

export function startTarget(
  target: Target,
  databaseUrl: string,
  options: { pollMs?: number; responseCache?: boolean } = {},
): Promise<ServerProcess> {
  if (target === 'ours') return startOurs(databaseUrl, options)
  if (target === 'oursUncached')
    return startOurs(databaseUrl, { ...options, name: 'ours-uncached', responseCache: false })
  return startBaseline(target, databaseUrl)
}

export function startRawWs(): Promise<ServerProcess> {
  return startServer({
    name: 'raw-ws',
    script: 'bench/baselines/raw-ws.ts',
    env: { NODE_ENV: 'production' },
    ready: answers200('/ready'),
  })
}

export interface RedisServer {
  url: string
  stop(): Promise<void>
}

/** A redis-server of the bench's own on a free port (nothing saved), or null when none is installed. */
export async function startRedis(): Promise<RedisServer | null> {
  const port = await freePort()
  let child: ChildProcess
  try {
    child = track(
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      }),
    )
  } catch {
    return null
  }
  const failed = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(true))
    const deadline = Date.now() + 10_000
    const probe = () => {
      const socket = createConnection({ host: '127.0.0.1', port })
      socket.once('connect', () => {
        socket.destroy()
        resolve(false)
      })
      socket.once('error', () => {
        socket.destroy()
        if (Date.now() > deadline) resolve(true)
        else setTimeout(probe, 100)
      })
    }
    probe()
  })
  if (failed) {
    child.kill('SIGKILL')
    return null
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
