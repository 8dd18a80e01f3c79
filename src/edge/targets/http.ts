// A purge service of one's own: `POST {"keys": [...]}`, with a bearer token when one is set. It
// gets up to 1000 keys a request.
import { JSON_BODY, type PurgeTarget } from './target.js'

export function httpTarget(url: string, token: string | undefined): PurgeTarget {
  const headers = { ...JSON_BODY, ...(token && { authorization: `Bearer ${token}` }) }
  return {
    name: 'http',
    limit: { keys: 1000 },
    request: (keys) => ({ url, method: 'POST', headers, body: JSON.stringify({ keys }) }),
  }
}
