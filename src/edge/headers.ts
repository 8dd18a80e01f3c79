// The HTTP headers of cacheable answers, each written in one place: the keys an answer is filed under,
// in each CDN's own header; Vary; strong validators (ETag) and If-None-Match.
import { createHash } from 'node:crypto'

/** Where CDNs read an answer's keys: Fastly's Surrogate-Key and Varnish's xkey (vmod xkey) take
 *  them separated by spaces, Cloudflare's Cache-Tag by commas. */
export const KEY_HEADERS = ['surrogate-key', 'xkey', 'cache-tag'] as const
export type KeyHeader = (typeof KEY_HEADERS)[number]

const SEPARATORS: Record<KeyHeader, string> = { 'surrogate-key': ' ', xkey: ' ', 'cache-tag': ',' }

/** The longest list of keys one header may carry: Varnish refuses a backend's answer with a header
 *  past http_resp_hdr_len (8 KiB by default), Fastly and Cloudflare take 16 KB. */
export const MAX_KEY_HEADER_BYTES = 8000
/** The most the key headers may carry together: a client that reads the server directly must
 *  still take the answer (Node's fetch and http refuse headers past 16 KiB in all). */
export const MAX_KEY_HEADERS_TOTAL_BYTES = 12_000

/** The value of each header, or null when the keys would not fit. */
export function keyHeaders(names: readonly KeyHeader[], keys: readonly string[]): [KeyHeader, string][] | null {
  const values = names.map((name): [KeyHeader, string] => [name, keys.join(SEPARATORS[name])])
  const total = values.reduce((sum, [, value]) => sum + value.length, 0)
  const fit = total <= MAX_KEY_HEADERS_TOTAL_BYTES && values.every(([, value]) => value.length <= MAX_KEY_HEADER_BYTES)
  return fit ? values : null
}

/** Adds request headers to Vary, each once. */
export function addVary(headers: Headers, ...names: string[]): void {
  const vary = headers.get('vary')
  const listed = new Set(vary?.split(',').map((name) => name.trim().toLowerCase()))
  const added = names.filter((name) => !listed.has(name.toLowerCase()))
  if (added.length > 0) headers.set('vary', [...(vary ? [vary] : []), ...added].join(', '))
}

/** A strong validator of a representation: its content type and its bytes (the same body as
 *  application/json and as application/graphql-response+json are two representations). */
export function strongEtag(contentType: string, body: string): string {
  return `"${createHash('sha256').update(contentType).update('\n').update(body).digest('base64url').slice(0, 27)}"`
}

/** If-None-Match: "*", or a list that holds the tag, compared weakly (as RFC 9110 has it for GET:
 *  a cache that compressed the answer may have made the tag weak). */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false
  const bare = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.trim() === '*' || header.split(',').some((tag) => bare(tag) === bare(etag))
}
