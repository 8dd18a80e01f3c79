// Runs typed operations against the app in-process (yoga.fetch), or against a listening server.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print, type GraphQLFormattedError } from 'graphql'
import { pino } from 'pino'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import type { Role } from '../../src/auth/roles.js'
import { mintToken } from '../../src/auth/token.js'
import { loadConfig, type Config } from '../../src/config.js'
import { createApp } from '../../src/server/app.js'
import type { Database } from '../../src/db/database.js'
import type { Resolver } from '../../src/outbound/request.js'

export interface Result<T> {
  data?: T | null
  errors?: GraphQLFormattedError[]
  status: number
  headers: Headers
}

/**
 * The app, with a logger whose lines the test can read. The scheduler is off unless asked for:
 * it writes on its own, and most tests count what was written. `settings` override the config
 * (below: rate limits and the response cache off).
 */
export function testApp(
  db: Database,
  {
    schedule = false,
    settings = {},
    resolve,
  }: { schedule?: boolean; settings?: Partial<Config>; resolve?: Resolver } = {},
) {
  const logLines: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line))
      done()
    },
  })
  // rate limits off: the suites send many operations from one address (test/security tests them);
  // the response cache off: the suites write fixtures straight into the database, past the change
  // log that invalidates it (test/api/response-cache.test.ts turns it on)
  const config = {
    ...loadConfig(),
    RATE_LIMIT_PUBLIC_POINTS: 0,
    RATE_LIMIT_EDITOR_POINTS: 0,
    RESPONSE_CACHE_TTL_MS: 0,
    ...settings,
  }
  const app = createApp({ db, logger: pino({ level: 'info' }, sink), config, schedule, resolve })
  async function run<T, V>(
    document: TypedDocumentNode<T, V> | string,
    variables?: V,
    headers: Record<string, string> = {},
  ): Promise<Result<T>> {
    const response = await app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), variables }),
    })
    const body = (await response.json()) as { data?: T; errors?: GraphQLFormattedError[] }
    return { ...body, status: response.status, headers: response.headers }
  }
  return { ...app, run, logLines }
}

/** Has the app's change feed start and its server listen on 127.0.0.1 at a free port; its origin. */
export async function listening(app: Pick<ReturnType<typeof createApp>, 'feedStarted' | 'server'>): Promise<string> {
  await app.feedStarted
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

/** Headers that make a request an editor's (or an admin's), signed with the configured key. */
export async function asRole(
  role: Role = 'editor',
  sub = `test-${role}`,
  expiresIn = '1h',
): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await mintToken(loadConfig(), { sub, role }, expiresIn)}` }
}
