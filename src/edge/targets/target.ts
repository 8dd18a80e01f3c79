// What every CDN purge target is (src/edge/purger.ts follows the change log for each): the request
// that purges some keys there, how many keys one request may carry, and whether an answer says the
// purge was done. The purger splits a batch's keys to fit, and sends each request through the
// outbound client (src/outbound/request.ts): bounded in time, SSRF-guarded in production.
import type { OutboundAnswer, OutboundRequest } from '../../outbound/request.js'

export interface PurgeRequest extends OutboundRequest {
  url: string
}

export interface PurgeTarget {
  /** names its cursor, its lease and its metrics' label: `fastly`, `cloudflare`, `http`, `varnish:<host>` */
  readonly name: string
  /** the most keys one request carries, and the most bytes they may take written space-separated */
  readonly limit: { keys: number; bytes?: number }
  /** the request that purges these keys */
  request(keys: string[]): PurgeRequest
  /** whether a 2xx answer says the purge was done (when the status alone does not) */
  done?(answer: OutboundAnswer): boolean
}

/** A purge request that failed: its status (0: no answer) and the start of what it answered. */
export class PurgeFailed extends Error {
  readonly code = 'PURGE_FAILED'
  constructor(
    readonly target: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${target}: ${status ? `answered ${status}` : 'no answer'}${detail ? `: ${detail}` : ''}`)
  }
}

/** Keys in groups a request each, within a target's limits, in their order. */
export function groupsOf(keys: readonly string[], { keys: most, bytes = Infinity }: PurgeTarget['limit']): string[][] {
  const groups: string[][] = []
  let group: string[] = []
  let size = 0
  for (const key of keys) {
    const added = (group.length > 0 ? 1 : 0) + Buffer.byteLength(key)
    if (group.length > 0 && (group.length >= most || size + added > bytes)) {
      groups.push(group)
      group = []
      size = 0
    }
    size += (group.length > 0 ? 1 : 0) + Buffer.byteLength(key)
    group.push(key)
  }
  if (group.length > 0) groups.push(group)
  return groups
}

/** A JSON body's headers. */
export const JSON_BODY = { 'content-type': 'application/json', accept: 'application/json' } as const
