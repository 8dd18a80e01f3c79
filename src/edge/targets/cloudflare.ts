// Cloudflare's purge by cache tag: `POST /zones/{zone_id}/purge_cache` with a bearer token and
// `{"tags": [...]}`. Its documentation has said 30 tags a request and, later, 100 on every plan:
// 30 fits both. An answer is done only when it says `"success": true`.
import { JSON_BODY, type PurgeTarget } from './target.js'

export interface CloudflareSettings {
  apiUrl: string
  zoneId: string
  token: string
}

export function cloudflareTarget({ apiUrl, zoneId, token }: CloudflareSettings): PurgeTarget {
  const url = `${apiUrl.replace(/\/+$/, '')}/zones/${encodeURIComponent(zoneId)}/purge_cache`
  const headers = { ...JSON_BODY, authorization: `Bearer ${token}` }
  return {
    name: 'cloudflare',
    limit: { keys: 30 },
    request: (keys) => ({ url, method: 'POST', headers, body: JSON.stringify({ tags: keys }) }),
    done: ({ body }) => succeeded(body),
  }
}

/** Whether Cloudflare's answer says success. The outbound client keeps an answer's first 2 KiB: a
 *  purge's is shorter, but one cut short is searched for the field. */
function succeeded(body: string): boolean {
  try {
    return (JSON.parse(body) as { success?: unknown }).success === true
  } catch {
    return /"success"\s*:\s*true/.test(body) && !/"success"\s*:\s*false/.test(body)
  }
}
