// GET /cache-stats: the response cache's counts since the process started ({hits, misses,
// invalidations}), for the bench to read hit ratios from outside the process. Only when
// RESPONSE_CACHE_STATS is on, and only to editors; anyone else gets 404, as for an unknown path.
import type { Plugin } from 'graphql-yoga'
import type { TokenSettings } from '../auth/token.js'
import { hasValidToken } from './exposure.js'
import type { ResponseCacheStats } from './response-cache.js'

export function useCacheStats(enabled: boolean, auth: TokenSettings, stats: ResponseCacheStats | null): Plugin {
  if (!enabled) return {}
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/cache-stats') return
      const allowed = request.method === 'GET' && (await hasValidToken(auth, request).catch(() => false))
      endResponse(
        allowed
          ? new fetchAPI.Response(JSON.stringify(stats ?? { off: true }), {
              headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
            })
          : new fetchAPI.Response('Not Found', { status: 404 }),
      )
    },
  }
}
