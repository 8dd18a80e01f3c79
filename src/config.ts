// Every setting the server reads, in one place. The README's configuration table mirrors this.
import { z } from 'zod'

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** postgres://… to use PostgreSQL; unset to use the embedded database */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** where the embedded database keeps its files; `memory://` keeps them in memory only */
  DATA_DIR: z.string().default('./data/pglite'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** seed the sample graph at start when the database holds no story; off by default in production */
  SEED_ON_START: z.stringbool().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** how often each process looks for changes committed by other processes */
  LIVE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** redis:// URL through which processes tell each other of commits; unset for one process (polling only) */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /** how long the change log keeps changes: how far back a subscription can resume */
  CHANGE_LOG_RETENTION_DAYS: z.coerce.number().min(7).default(7),
  /** HS256 key for editors' tokens; required (32+ characters) in production */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** the `iss` and `aud` every token must carry */
  JWT_ISSUER: z.string().default('news-graph'),
})

/** Outside production a fixed, publicly known key lets `npm run token` work out of the box. */
export const DEVELOPMENT_JWT_SECRET = 'news-graph-development-secret-not-for-production'

export type Config = Omit<z.infer<typeof schema>, 'JWT_SECRET' | 'SEED_ON_START'> & { JWT_SECRET: string; SEED_ON_START: boolean }

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`invalid configuration: ${problems}`)
  }
  const { JWT_SECRET, SEED_ON_START, ...rest } = parsed.data
  const production = rest.NODE_ENV === 'production'
  if (!JWT_SECRET && production) throw new Error('invalid configuration: JWT_SECRET is required in production')
  return { ...rest, JWT_SECRET: JWT_SECRET ?? DEVELOPMENT_JWT_SECRET, SEED_ON_START: SEED_ON_START ?? !production }
}
