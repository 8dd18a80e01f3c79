// Every setting the server reads, in one place. docs/configuration.md's table mirrors this.
import { isIP } from 'node:net'
import { z } from 'zod'
import {
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_OIDC_ALGORITHMS,
  DEFAULT_ROLE_CLAIM,
  isKeyUrl,
  OIDC_ALGORITHMS,
  parseRoleMap,
} from './auth/oidc.js'
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './auth/token.js'
import { parseAllowEntry } from './outbound/address.js'
import { KEY_HEADERS, type KeyHeader } from './edge/headers.js'
import { MAX_LIFETIME_SECONDS, parseCacheRules } from './edge/rules.js'

/** A URL keys may come from: https, or http to a loopback address. */
const keyUrl = z.string().refine(isKeyUrl, 'must be an https:// URL (http:// only to a loopback address)')

/** An http(s) URL with no credentials in it (they would not be sent: src/outbound/request.ts). */
function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
  } catch {
    return false
  }
}

/** A CDN's service or zone id, which goes into its API's paths. */
const PURGE_ID = /^[\w-]{1,64}$/

/** A comma-separated list: each entry trimmed, empty ones dropped. */
const commaList = () =>
  z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )

/** A transform by a parser that throws: its message becomes the setting's error. */
const parsedBy =
  <I, O>(parse: (input: I) => O) =>
  (input: I, ctx: z.RefinementCtx): O => {
    try {
      return parse(input)
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message })
      return z.NEVER
    }
  }

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** the interface to listen on; unset: 127.0.0.1, or every interface (0.0.0.0) in production */
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** postgres://… to use PostgreSQL; unset to use the embedded database */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** where the embedded database keeps its files; `memory://` keeps them in memory only */
  DATA_DIR: z.string().default('./data/pglite'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** prepare statements on each PostgreSQL connection; false behind a transaction-mode pooler */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
  /** seed the sample graph at start when the database holds no story; off by default in production */
  SEED_ON_START: z.stringbool().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** how often each process looks for changes committed by other processes */
  LIVE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** redis:// URL through which processes tell each other of commits; unset for one process (polling only) */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /** how long the change log keeps changes: how far back a subscription can resume */
  CHANGE_LOG_RETENTION_DAYS: z.coerce.number().min(7).default(7),
  /** HS256 key for editors' tokens; required (32+ characters) in production */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** the `iss` and `aud` every token must carry */
  JWT_ISSUER: z.string().default('news-graph'),
  /** the longest a token may live (exp − iat); at most 14 days, so an expiry timer fits Node's */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(14 * 86_400)
    .default(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
  /** editors signing in with the identity provider (OIDC, src/auth/oidc.ts): its issuer, whose
   *  discovery document names the key set, and/or the key set's URL */
  AUTH_ISSUER: keyUrl.optional(),
  AUTH_JWKS_URL: keyUrl.optional(),
  /** the `aud` the provider's tokens must carry (this API); required with AUTH_ISSUER or AUTH_JWKS_URL */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** the provider's signing algorithms, comma-separated; asymmetric only (HS* is JWT_SECRET's, none nobody's) */
  AUTH_ALGORITHMS: z
    .string()
    .default(DEFAULT_OIDC_ALGORITHMS.join(','))
    .transform((list) =>
      list
        .split(',')
        .map((alg) => alg.trim())
        .filter(Boolean),
    )
    .superRefine((algs, ctx) => {
      const refused = algs.filter((alg) => !OIDC_ALGORITHMS.includes(alg))
      if (refused.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `${refused.join(', ')} not accepted for OIDC tokens: only ${OIDC_ALGORITHMS.join(', ')} (HS256 tokens are JWT_SECRET's, and none is never accepted)`,
        })
      else if (algs.length === 0) ctx.addIssue({ code: 'custom', message: 'names no algorithm' })
    }),
  /** the claim with a user's groups or roles (a string or an array of strings); a dotted path reaches into objects */
  AUTH_ROLE_CLAIM: z
    .string()
    .regex(/^[\w:/-]+(\.[\w:/-]+)*$/, 'must be a claim name or a dotted path such as realm_access.roles')
    .default(DEFAULT_ROLE_CLAIM),
  /** provider group → role (`newsroom-editors=editor,newsroom-admins=admin`); unset: the groups `editor` and `admin` themselves */
  AUTH_ROLE_MAP: z.string().default('').transform(parsedBy(parseRoleMap)),
  /** the longest a fetch of the discovery document or the key set may take */
  AUTH_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(DEFAULT_FETCH_TIMEOUT_MS),
  /** introspection for the public; unset: on outside production, off in production (editors always have it) */
  PUBLIC_INTROSPECTION: z.stringbool().optional(),
  /** GraphiQL for the public; unset: on outside production, off in production (editors always have it) */
  PUBLIC_GRAPHIQL: z.stringbool().optional(),
  /** the highest cost an operation may have: lists count as many times as their `first` */
  COST_LIMIT_PUBLIC: z.coerce.number().int().min(1).default(500),
  COST_LIMIT_EDITOR: z.coerce.number().int().min(1).default(5000),
  /** request bodies larger than this are refused with 413 before parsing */
  BODY_LIMIT_PUBLIC_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024),
  BODY_LIMIT_EDITOR_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  /** cost points a client may spend per window: per IP for the public, per token subject for editors; 0 turns limiting off */
  RATE_LIMIT_PUBLIC_POINTS: z.coerce.number().int().min(0).default(10_000),
  RATE_LIMIT_EDITOR_POINTS: z.coerce.number().int().min(0).default(100_000),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  /** where the counters are kept in Redis (REDIS_URL); deployments sharing one Redis keep apart by it */
  RATE_LIMIT_KEY_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'letters, digits and . _ : - only')
    .default('news-graph:rate-limit'),
  /** open WebSocket and SSE connections per client address (src/server/connection-limits.ts) */
  CONNECTION_LIMIT_PUBLIC: z.coerce.number().int().min(1).default(100),
  CONNECTION_LIMIT_EDITOR: z.coerce.number().int().min(1).default(1000),
  /** a socket with no operation open this long is closed (4000) */
  SOCKET_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** how many proxies in front of the server to trust for X-Forwarded-For (0: use the socket's address) */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** accept from the public only operations in the allow-list made by `npm run codegen` (editors may send any) */
  TRUSTED_DOCUMENTS_ONLY: z.stringbool().default(false),
  /** a request running longer than this is cancelled */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** on SIGTERM, how long in-flight work may take before the process exits anyway */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  /** how long the public's query results are kept at most (src/server/response-cache.ts; they are
   *  dropped when a change touches what they depend on, so this is only a safety net); 0 turns the cache off */
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
  /** how many results the response cache keeps per process, the least recently used dropped first */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(1000),
  /** serve the response cache's counts at GET /cache-stats, to editors only (the bench reads hit ratios there) */
  RESPONSE_CACHE_STATS: z.stringbool().default(false),
  /** /metrics in Prometheus' format (src/server/metrics.ts); unset: on in development only. In
   *  production it needs METRICS_PORT or METRICS_TOKEN: never public on the main port */
  METRICS: z.stringbool().optional(),
  /** serve /metrics on this port (bound to HOST) instead of the main port */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** a bearer token /metrics asks for (16+ characters) */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** where to send traces, OTLP over HTTP (http://localhost:4318); unset: no traces, the SDK is not
   *  even loaded (src/server/tracing.ts). The SDK reads the other standard OTEL_* variables itself */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .regex(/^https?:\/\//, 'must be an http(s):// URL')
    .optional(),
  /** the service name on every span */
  OTEL_SERVICE_NAME: z.string().min(1).default('news-graph'),
  // --- outbound requests: webhooks and CDN purges (src/outbound) ---
  /** the longest an outbound request (a webhook delivery, a purge) may take */
  OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** hosts, addresses and networks outbound requests may reach even when not public (production refuses
   *  private, loopback and link-local addresses otherwise), comma-separated */
  OUTBOUND_ALLOW: commaList().transform(parsedBy((entries: string[]) => entries.map(parseAllowEntry))),
  // --- the CDN edge: cacheable public answers (src/edge) ---
  /** Cache-Control, ETag and surrogate keys on the public's answers (src/edge/cache-headers.ts);
   *  off: every GraphQL answer over HTTP is `private, no-store` */
  EDGE_CACHE: z.stringbool().default(true),
  /** how long browsers may keep a public answer (nobody can purge them: keep it short) */
  EDGE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(MAX_LIFETIME_SECONDS).default(10),
  /** how long shared caches (a CDN) may keep one; long only where purges reach them (src/edge/purger) */
  EDGE_S_MAXAGE_SECONDS: z.coerce.number().int().min(0).max(MAX_LIFETIME_SECONDS).default(60),
  /** how long past that a shared cache may serve it while it fetches a fresh one */
  EDGE_STALE_WHILE_REVALIDATE_SECONDS: z.coerce.number().int().min(0).max(MAX_LIFETIME_SECONDS).default(30),
  /** other lifetimes per root field or type: `search=max-age:10,s-maxage:60;Event=s-maxage:300` (src/edge/rules.ts) */
  EDGE_CACHE_RULES: z.string().default('').transform(parsedBy(parseCacheRules)),
  /** which headers carry a public answer's keys, comma-separated: the CDN in front reads one */
  EDGE_KEY_HEADERS: z
    .string()
    .default(KEY_HEADERS.join(','))
    .transform((list) => [...new Set(list.split(',').map((name) => name.trim().toLowerCase()))].filter(Boolean))
    .refine(
      (names): names is KeyHeader[] =>
        names.length > 0 && names.every((name) => KEY_HEADERS.includes(name as KeyHeader)),
      `must name one or more of ${KEY_HEADERS.join(', ')}, comma-separated`,
    ),
  // --- the purger (src/edge/purger) ---
  /** Varnish nodes to purge by xkey (`http://10.0.0.5:6081`), comma-separated; each gets every purge */
  PURGE_VARNISH_URLS: commaList()
    .transform((urls) => [...new Set(urls)])
    .refine((urls) => urls.every(isHttpUrl), 'must be http(s):// URLs, comma-separated'),
  /** a purge service of one's own, sent `POST {"keys": [...]}`; with PURGE_HTTP_TOKEN as a bearer token */
  PURGE_HTTP_URL: z.string().refine(isHttpUrl, 'must be an http(s):// URL').optional(),
  PURGE_HTTP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Fastly: the service whose surrogate keys are purged, an API token that may purge it, and soft purges */
  PURGE_FASTLY_SERVICE_ID: z.string().regex(PURGE_ID, 'letters, digits, - and _ only').optional(),
  PURGE_FASTLY_TOKEN: z.string().min(1).optional(),
  PURGE_FASTLY_API_URL: keyUrl.default('https://api.fastly.com'),
  PURGE_FASTLY_SOFT: z.stringbool().default(false),
  /** Cloudflare: the zone whose cache tags are purged, and an API token that may purge it */
  PURGE_CLOUDFLARE_ZONE_ID: z.string().regex(PURGE_ID, 'letters, digits, - and _ only').optional(),
  PURGE_CLOUDFLARE_TOKEN: z.string().min(1).optional(),
  PURGE_CLOUDFLARE_API_URL: keyUrl.default('https://api.cloudflare.com/client/v4'),
  /** the most changes whose keys go out together (in as few requests as the target takes) */
  PURGE_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  /** waits between tries of a failed purge: from about this, doubling up to PURGE_RETRY_MAX_MS, forever */
  PURGE_RETRY_BASE_MS: z.coerce.number().int().min(10).default(1000),
  PURGE_RETRY_MAX_MS: z.coerce.number().int().min(10).default(60_000),
  /** each batch is purged again this long after it was done (0: never): an answer another process
   *  read just before the commit, and handed the CDN just after the purge, is dropped too */
  PURGE_REPEAT_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
  // --- webhooks (src/webhooks) ---
  /** the wait before a failed delivery's first retry; each further wait doubles (with jitter) */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
  /** the longest wait between two tries of a delivery */
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** how long a change is retried, from its first failure, before its endpoint is marked failing */
  WEBHOOK_RETRY_FOR_MS: z.coerce.number().int().min(0).default(86_400_000),
  /** origins whose pages may call the API from a browser (CORS), comma-separated; others may not */
  CORS_ORIGINS: commaList().refine(
    (origins) => origins.every(isOrigin),
    'must be origins such as https://desk.example.org, comma-separated',
  ),
})

/** An http(s) origin as browsers send it: scheme, host and port only, no slash after. */
function isOrigin(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text
  } catch {
    return false
  }
}

/** Outside production a fixed, publicly known key lets `npm run token` work out of the box. */
export const DEVELOPMENT_JWT_SECRET = 'news-graph-development-secret-not-for-production'

/** Every setting's name, for docs/configuration.md's table to be held to. */
export const SETTINGS = Object.keys(schema.shape)

type Defaulted = 'HOST' | 'JWT_SECRET' | 'SEED_ON_START' | 'PUBLIC_INTROSPECTION' | 'PUBLIC_GRAPHIQL' | 'METRICS'
export type Config = Omit<z.infer<typeof schema>, Defaulted> & {
  [K in Defaulted]: K extends 'HOST' | 'JWT_SECRET' ? string : boolean
}

/** Whether an address reaches this machine only: 127.0.0.0/8, ::1 (also IPv4-mapped), localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (bare === 'localhost' || bare === '::1') return true
  const v4 = bare.replace(/^::ffff:/, '')
  return isIP(v4) === 4 && v4.startsWith('127.')
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`invalid configuration: ${problems}`)
  }
  const { HOST, JWT_SECRET, SEED_ON_START, PUBLIC_INTROSPECTION, PUBLIC_GRAPHIQL, METRICS, ...rest } = parsed.data
  const production = rest.NODE_ENV === 'production'
  const host = HOST ?? (production ? '0.0.0.0' : '127.0.0.1')
  // the development key is published with the code: whoever can reach the server could mint tokens
  const oidc = Boolean(rest.AUTH_ISSUER || rest.AUTH_JWKS_URL)
  if (oidc && !rest.AUTH_AUDIENCE)
    throw new Error(
      'invalid configuration: AUTH_AUDIENCE is required with AUTH_ISSUER or AUTH_JWKS_URL (the `aud` the identity provider gives tokens for this API)',
    )
  if (!oidc && rest.AUTH_AUDIENCE)
    throw new Error('invalid configuration: AUTH_AUDIENCE needs AUTH_ISSUER or AUTH_JWKS_URL (where the keys are)')
  // in production with an identity provider, no JWT_SECRET means no HS256 tokens at all ('')
  const secret = JWT_SECRET ?? (production && oidc ? '' : DEVELOPMENT_JWT_SECRET)
  if (production && !JWT_SECRET && !oidc)
    throw new Error('invalid configuration: JWT_SECRET is required in production (or AUTH_ISSUER for OIDC)')
  if (production && secret === DEVELOPMENT_JWT_SECRET)
    throw new Error('invalid configuration: JWT_SECRET must not be the development key in production')
  if (secret === DEVELOPMENT_JWT_SECRET && !isLoopback(host)) {
    throw new Error(
      `invalid configuration: HOST ${host} is reachable from other machines, and JWT_SECRET is the development key anyone can sign tokens with; set JWT_SECRET (32+ random characters)`,
    )
  }
  // /metrics tells anyone who reads it about the traffic and the machine: not to the public
  const metrics = METRICS ?? rest.NODE_ENV === 'development'
  if (production && metrics && rest.METRICS_PORT === undefined && rest.METRICS_TOKEN === undefined)
    throw new Error('invalid configuration: METRICS in production needs METRICS_PORT or METRICS_TOKEN')
  // --- the purger: a CDN's id goes with its token; a token never travels in clear to another machine
  for (const [id, token] of [
    ['PURGE_FASTLY_SERVICE_ID', 'PURGE_FASTLY_TOKEN'],
    ['PURGE_CLOUDFLARE_ZONE_ID', 'PURGE_CLOUDFLARE_TOKEN'],
  ] as const)
    if (Boolean(rest[id]) !== Boolean(rest[token]))
      throw new Error(`invalid configuration: ${id} and ${token} go together`)
  if (rest.PURGE_HTTP_TOKEN && (!rest.PURGE_HTTP_URL || !isKeyUrl(rest.PURGE_HTTP_URL)))
    throw new Error(
      'invalid configuration: PURGE_HTTP_TOKEN needs PURGE_HTTP_URL to be an https:// URL (http:// only to a loopback address)',
    )
  return {
    ...rest,
    METRICS: metrics,
    HOST: host,
    JWT_SECRET: secret,
    SEED_ON_START: SEED_ON_START ?? !production,
    PUBLIC_INTROSPECTION: PUBLIC_INTROSPECTION ?? !production,
    PUBLIC_GRAPHIQL: PUBLIC_GRAPHIQL ?? !production,
  }
}
