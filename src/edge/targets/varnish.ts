// Varnish with the xkey vmod (deploy/varnish/default.vcl): `PURGE /` with the keys in an `xkey`
// header, space-separated. Varnish refuses request headers past http_req_hdr_len (8 KiB by
// default), so a request carries at most 100 keys in 4 KiB.
import type { PurgeTarget } from './target.js'

export function varnishTarget(url: string): PurgeTarget {
  const node = new URL(url)
  return {
    name: `varnish:${node.host}`,
    limit: { keys: 100, bytes: 4096 },
    request: (keys) => ({ url: node.href, method: 'PURGE', headers: { xkey: keys.join(' ') } }),
  }
}
