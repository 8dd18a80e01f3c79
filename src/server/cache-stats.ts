// GET /cache-stats: the response cache's counts since the process started ({hits, misses,
// invalidations}), and with a purger each target's recent purge lags ({purge: {[target]: {count,
// p50, p99}}}), for the bench to read from outside the process. Only when RESPONSE_CACHE_STATS is
// on, and only to editors; anyone else gets 404, as for an unknown path.
import type { Plugin } from 'graphql-yoga'
import type { TokenSettings } from '../auth/token.js'
import type { Purger } from '../edge/purger.js'
import { hasValidToken } from './exposure.js'
import type { ResponseCacheStats } from './response-cache.js'

export function useCacheStats(
  enabled: boolean,
  auth: TokenSettings,
  stats: ResponseCacheStats | null,
  purger: Pick<Purger, 'targets' | 'lag'> | null = null,
): Plugin {
  if (!enabled) return {}
  const body = () => ({
    ...(stats ?? { off: true }),
    ...(purger && { purge: Object.fromEntries(purger.targets.map((target) => [target, purger.lag(target)])) }),
  })
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/cache-stats') return
      const allowed = request.method === 'GET' && (await hasValidToken(auth, request).catch(() => false))
      endResponse(
        allowed
          ? new fetchAPI.Response(JSON.stringify(body()), {
              headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
            })
          : new fetchAPI.Response('Not Found', { status: 404 }),
      )
    },
  }
}
