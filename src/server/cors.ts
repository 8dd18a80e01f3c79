// Cross-origin requests from browsers (CORS): only the origins in CORS_ORIGINS (editors' tools on
// other hosts) are answered, their own origin reflected; any other origin gets no CORS header, so a
// page elsewhere cannot call the API from a visitor's browser (CSRF prevention's aim, csrf.ts; a
// `*` would let every site's pages run operations on their visitors' addresses and budgets).
// Never with credentials: editors send bearer tokens in Authorization, which a listed origin may
// send without them; no cookie is read, so none should ride along, nor a response be shared with
// a page on the strength of one.
import type { Plugin, YogaServerOptions } from 'graphql-yoga'
import { addVary } from '../edge/headers.js'

type CorsOption = NonNullable<YogaServerOptions<Record<string, unknown>, object>['cors']>

/** What a listed origin may send and read. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-graphql-yoga-csrf', 'x-request-id']
const EXPOSED_HEADERS = ['idempotent-replayed', 'retry-after', 'x-request-id']
/** How long a browser may keep a preflight's answer. */
const MAX_AGE_SECONDS = 600

/** Yoga's `cors` option: the request's origin reflected when listed, else no CORS at all. */
export function corsOptions(origins: readonly string[]): CorsOption {
  const listed = new Set(origins)
  return (request: Request) => {
    const origin = request.headers.get('origin')
    if (origin === null || !listed.has(origin)) return false
    // one origin given: Yoga sends it as it is (the request's, checked above)
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: MAX_AGE_SECONDS,
    }
  }
}

/** With origins listed, every answer depends on the request's Origin: caches must keep them apart. */
export function useVaryOrigin(origins: readonly string[]): Plugin {
  if (origins.length === 0) return {}
  return { onResponse: ({ response }) => addVary(response.headers, 'Origin') }
}
