// What every HTTP workload is: for each server it runs against, the request to send and how to
// read the answer back into one canonical form, so the bench can check that ours and every
// baseline answer the same data before it measures any of them.

/** The servers HTTP workloads run against. */
export type Target = 'ours' | 'oursUncached' | 'naive' | 'floor' | 'postgraphile'

export const TARGET_NAMES: Record<Target, string> = {
  ours: 'ours',
  // the same server with its response cache off (RESPONSE_CACHE_TTL_MS=0): every request runs
  oursUncached: 'ours, response cache off',
  naive: 'naive (N+1)',
  floor: 'one-SQL floor',
  postgraphile: 'PostGraphile 5',
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  path: string
  body?: string
  headers?: Record<string, string>
}

export interface HttpWorkload<P> {
  name: string
  title: string
  targets: Target[]
  request(target: Target, params: P): HttpRequest
  /** the response's data in the canonical form; throws on an error response */
  canonical(target: Target, response: any): unknown
}

// Sent with every POST, as a browser's fetch of JSON would be (never a "simple" CSRF-able request).
export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' }

export function graphqlRequest(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): HttpRequest {
  return {
    method: 'POST',
    path: '/graphql',
    body: JSON.stringify({ query, variables }),
    headers: { ...JSON_HEADERS, ...headers },
  }
}

/** The `data` of a GraphQL (or GraphQL-shaped) response, or an error naming what came back. */
export function dataOf(response: any): any {
  if (!response || typeof response !== 'object' || response.errors || !response.data) {
    throw new Error(`not a successful response: ${JSON.stringify(response).slice(0, 500)}`)
  }
  return response.data
}

/** A date as the GraphQL DateTime scalar prints it, whether it came with a zone or not (PostGraphile
 *  prints `timestamp without time zone` as local time with microseconds). */
export function isoDate(value: string | null | undefined): string | null {
  if (value == null) return null
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`
  return new Date(zoned).toISOString()
}

/** Lists whose order the API does not promise, compared as sets. */
export const sorted = <T>(items: T[], key: (item: T) => string): T[] =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
