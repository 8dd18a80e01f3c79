// Fastly's batch purge of surrogate keys: `POST /service/{service_id}/purge` with `Fastly-Key` and
// `{"surrogate_keys": [...]}`, up to 256 keys a request; `Fastly-Soft-Purge: 1` marks what it
// purges stale instead of dropping it (served while the origin is asked again).
import { JSON_BODY, type PurgeTarget } from './target.js'

export interface FastlySettings {
  apiUrl: string
  serviceId: string
  token: string
  soft: boolean
}

export function fastlyTarget({ apiUrl, serviceId, token, soft }: FastlySettings): PurgeTarget {
  const url = `${apiUrl.replace(/\/+$/, '')}/service/${encodeURIComponent(serviceId)}/purge`
  const headers = { ...JSON_BODY, 'fastly-key': token, ...(soft && { 'fastly-soft-purge': '1' }) }
  return {
    name: 'fastly',
    limit: { keys: 256 },
    request: (keys) => ({ url, method: 'POST', headers, body: JSON.stringify({ surrogate_keys: keys }) }),
  }
}
