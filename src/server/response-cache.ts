// The public's query results, kept in memory. The front page and a story page read the same for
// every anonymous reader, so each process answers a repeated public query from memory instead of
// running its resolvers and SQL again. @envelop/response-cache's plugin is used directly, not
// Yoga's wrapper of it: the wrapper answers hits in onParams, before the context is built, so a hit
// would skip the cost and rate limits (onContextBuilding) and the page-size and lifecycle checks
// (onExecute); this plugin answers in onExecute, and is registered after all of them, so a hit
// is held to the same rules as a miss.
//
// Only the public's queries (an editor's results hold drafts: never cached, never served from
// here), and only results without errors. Invalidation is by key, not by entity: every key begins
// with the change feed's generation (src/live/change-feed.ts), which moves as soon as this process
// commits and whenever its feed reads another process's commit. A request takes its key before it
// reads anything, so what it stores is at least as new as its generation. Once the generation has
// moved nobody asks for the old keys again, and their entries are dropped (also one that a request
// which read before the move stores after it). RESPONSE_CACHE_TTL_MS is only a safety net.
import { createInMemoryCache, defaultBuildResponseCacheKey, useResponseCache, type Cache } from '@envelop/response-cache'
import { getOperationAST } from 'graphql'
import type { Plugin, YogaInitialContext } from 'graphql-yoga'
import type { Config } from '../config.js'
import type { Context } from '../context.js'
import type { ChangeFeed } from '../live/change-feed.js'

export type ResponseCacheSettings = Pick<Config, 'RESPONSE_CACHE_TTL_MS' | 'RESPONSE_CACHE_MAX_ENTRIES'>

/** Yoga plugin: the public response cache (nothing when RESPONSE_CACHE_TTL_MS is 0). Register it
 *  after the plugins that check or refuse operations, so that they run for hits too. */
export function usePublicResponseCache(feed: ChangeFeed, settings: ResponseCacheSettings): Plugin<Context> {
  if (settings.RESPONSE_CACHE_TTL_MS === 0) return {}
  const newEntries = () => createInMemoryCache({ max: settings.RESPONSE_CACHE_MAX_ENTRIES })
  let generation = feed.generation
  let entries = newEntries()
  /** The entries of the current generation: emptied (lazily, by the next request) once it moves. */
  function current(): Cache {
    if (feed.generation !== generation) {
      generation = feed.generation
      entries = newEntries()
    }
    return entries
  }
  const prefix = (generation: number) => `${generation}:`
  const cache: Cache = {
    get: (key) => current().get(key),
    set(key, result, entities, ttl) {
      const now = current()
      // read under an older generation: perhaps out of date already, and nobody would ask for it
      if (key.startsWith(prefix(generation))) return now.set(key, result, entities, ttl)
    },
    invalidate: (entities) => current().invalidate(entities),
  }
  const plugin = useResponseCache<YogaInitialContext & Context>({
    cache,
    ttl: settings.RESPONSE_CACHE_TTL_MS,
    // one cache, shared by the public
    session: () => null,
    // not for editors; nor while the feed does not follow the log (before it knows where the log
    // stands, while the database is away from it, once it stopped for shutdown): its generation
    // would not move with the commits of other processes
    enabled: (context) => !context.viewer && feed.following,
    buildResponseCacheKey: (params) => {
      const at = feed.generation // before anything is read for this request
      return Promise.resolve(defaultBuildResponseCacheKey(params)).then((key) => prefix(at) + key)
    },
    // the plugin's default says the same, with a console.warn for every result with errors
    shouldCacheResult: ({ result }) => !result.errors?.length,
    // the plugin's entity machinery, which we do not use: mutations stay as they are sent (it would
    // add fields to them to find what they touched), and no id fields are added to queries (only
    // the `__typename`s it needs, which it takes out of the response again)
    invalidateViaMutation: false,
    idFields: [],
    // on by default in development: responses are the same with or without the cache
    includeExtensionMetadata: false,
  })
  return {
    ...plugin,
    // With invalidateViaMutation off the plugin treats a mutation like a query (and the public's
    // are answered Forbidden without errors, which it would keep): it is handed queries only.
    onExecute(payload) {
      if (getOperationAST(payload.args.document, payload.args.operationName)?.operation !== 'query') return
      return plugin.onExecute?.(payload)
    },
  }
}
