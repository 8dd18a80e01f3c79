// The public's query results, kept in memory. The front page and a story page read the same for
// every anonymous reader, so each process answers a repeated public query from memory instead of
// running its resolvers and SQL again. @envelop/response-cache's plugin is used directly, not
// Yoga's wrapper of it: the wrapper answers hits in onParams, before the context is built, so a hit
// would skip the cost and rate limits (onContextBuilding) and the page-size and lifecycle checks
// (onExecute); this plugin answers in onExecute, and is registered after all of them, so a hit
// is held to the same rules as a miss.
//
// Only the public's queries (an editor's results hold drafts: never cached, never served from
// here), and only results without errors.
//
// This is also the one place an answer's keys are collected for the CDN in front (src/edge): they
// travel with the result object (dependenciesOf), an answer served from here included. They are
// collected whenever either cache is on (EDGE_CACHE, RESPONSE_CACHE_TTL_MS above 0); the memory
// keeps answers only with the latter. An answer read while the feed moved gets no keys, as it gets
// no place here: what it read may predate a change whose purge is already done.
//
// Invalidation is by what an answer depends on (src/live/invalidation.ts): the objects it shows,
// which the plugin collects ("Story:<global id>"), and the lists it reads, which resolvers record
// in the context. Each change this process commits, and each change its feed reads (from any
// process), drops the answers that depend on what the change invalidates: updating one story
// leaves the others' pages cached. An answer whose request began before the feed moved is not
// stored (what it read may predate a change already applied), so no reader gets an answer older
// than a commit its process has read. RESPONSE_CACHE_TTL_MS is only a safety net.
import { createHash } from 'node:crypto'
import {
  createInMemoryCache,
  useResponseCache,
  type BuildResponseCacheKeyFunction,
  type Cache,
} from '@envelop/response-cache'
import stableStringify from 'fast-json-stable-stringify'
import { getOperationAST, type ExecutionResult } from 'graphql'
import type { Plugin, YogaInitialContext } from 'graphql-yoga'
import type { Config } from '../config.js'
import type { Context } from '../context.js'
import type { ChangeFeed } from '../live/change-feed.js'
import { EVERYTHING, invalidatedBy, MISSING } from '../live/invalidation.js'

/** The in-memory cache, as it is: synchronous (the Cache interface allows promises, which it never
 *  returns), so that nothing it does is left pending. */
type MemoryCache = { [K in keyof Cache]: (...args: Parameters<Cache[K]>) => Awaited<ReturnType<Cache[K]>> }

export type ResponseCacheSettings = Pick<Config, 'RESPONSE_CACHE_TTL_MS' | 'RESPONSE_CACHE_MAX_ENTRIES' | 'EDGE_CACHE'>

/** What a public answer depends on: the keys it is filed under (src/live/invalidation.ts), and the
 *  types of the objects it shows. */
export interface AnswerDependencies {
  keys: string[]
  types: string[]
}

/** Kept on the result object itself: spreads copy an enumerable symbol, JSON leaves it out, so the
 *  keys go wherever the answer goes, from this cache too. */
const DEPENDENCIES = Symbol('dependencies')
type WithDependencies = { [DEPENDENCIES]?: AnswerDependencies }

/** What a public answer depends on; undefined for any other (an editor's, one with errors, a
 *  mutation's, one read while the change feed moved or did not follow the log). */
export const dependenciesOf = (result: object): AnswerDependencies | undefined =>
  (result as WithDependencies)[DEPENDENCIES]

/** Whether public answers' dependencies are collected (and resolvers record theirs in the context). */
export const collectsDependencies = (settings: ResponseCacheSettings) =>
  settings.RESPONSE_CACHE_TTL_MS > 0 || settings.EDGE_CACHE

/** What the cache counts, for tests and metrics. */
export interface ResponseCacheStats {
  hits: number
  misses: number
  /** changes applied to the cache (each drops the answers depending on what it changed) */
  invalidations: number
}

/** Yoga plugin: the public response cache, and the answers' keys (nothing when neither
 *  RESPONSE_CACHE_TTL_MS nor EDGE_CACHE is on). Register it after the plugins that check or refuse
 *  operations, so that they run for hits too. */
export function usePublicResponseCache(
  feed: ChangeFeed,
  settings: ResponseCacheSettings,
  stats?: ResponseCacheStats,
): Plugin<Context> {
  if (!collectsDependencies(settings)) return {}
  const memory = settings.RESPONSE_CACHE_TTL_MS > 0
  const newEntries = () => createInMemoryCache({ max: settings.RESPONSE_CACHE_MAX_ENTRIES }) as MemoryCache
  let entries = memory ? newEntries() : null

  if (memory)
    feed.observe((change) => {
      if (stats) stats.invalidations++
      const keys = invalidatedBy(change)
      if (keys.includes(EVERYTHING)) entries = newEntries()
      else entries?.invalidate(keys.map((typename) => ({ typename })))
    })

  /** Where the feed stood when each request began; the request's context while its answer is stored. */
  const began = new WeakMap<object, number>()
  let storing: Context | null = null

  const cache: Cache = {
    get(key) {
      if (!entries) return null
      const hit = entries.get(key)
      if (stats) {
        if (hit) stats.hits++
        else stats.misses++
      }
      return hit
    },
    // called for every public answer without errors (the plugin's ttl is never 0 here)
    set(key, result, entities, ttl) {
      const ctx = storing
      storing = null
      // a change was applied while this answer was being read: it may not reflect it
      if (!ctx || began.get(ctx) !== feed.generation) return
      const objects = [...entities]
      const lists = dependencies(ctx, result)
      ;(result as WithDependencies)[DEPENDENCIES] = {
        // "Type:<global id>" as the in-memory cache files them; a type alone (for a field found
        // empty) is never invalidated by itself (src/live/invalidation.ts), so it is no key
        keys: [
          ...new Set([...objects.flatMap(({ typename, id }) => (id == null ? [] : [`${typename}:${id}`])), ...lists]),
        ],
        types: [...new Set(objects.flatMap(({ typename, id }) => (id == null ? [] : [typename])))],
      }
      entries?.set(key, result, [...objects, ...lists.map((typename) => ({ typename }))], ttl)
    },
    invalidate: (records) => entries?.invalidate(records),
  }

  const plugin = useResponseCache<YogaInitialContext & Context>({
    cache,
    // the keys are collected for the CDN when the memory keeps nothing
    ttl: memory ? settings.RESPONSE_CACHE_TTL_MS : Infinity,
    // one cache, shared by the public
    session: () => null,
    // not for editors; nor while the feed does not follow the log (before it knows where the log
    // stands, while the database is away from it, once it stopped for shutdown): it would not
    // hear of the commits of other processes
    enabled: (context) => !context.viewer && feed.following,
    buildResponseCacheKey: (params) => {
      began.set(params.context as object, feed.generation) // before anything is read for this request
      // with no memory the key is never looked up: it is not worth hashing
      return memory ? cacheKey(params) : ''
    },
    // called just before set, in the same turn: hands set the request's context
    onTtl: ({ ttl, context }) => {
      storing = context as Context
      return ttl
    },
    // the plugin's default says the same, with a console.warn for every result with errors
    shouldCacheResult: ({ result }) => !result.errors?.length,
    // mutations stay as they are sent (the change log invalidates, not the mutation's answer)
    invalidateViaMutation: false,
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

/** The plugin's default key (document, operation, variables, session), hashed with node:crypto:
 *  the default's WebCrypto digest is an asynchronous job per request, several times the cost. */
const cacheKey: BuildResponseCacheKeyFunction = (params) =>
  createHash('sha256')
    .update(
      [
        params.documentString,
        params.operationName ?? '',
        stableStringify(params.variableValues ?? {}),
        params.sessionId ?? '',
      ].join('|'),
    )
    .digest('hex')

/** What an answer depends on beyond the objects in it: the lists its resolvers read, and, for a
 *  lookup that found nothing (`story(slug:)`, `node(id:)`), whatever may make it find something. */
function dependencies(ctx: Context, result: ExecutionResult): string[] {
  const keys = new Set(ctx.dependencies)
  const data = (result.data ?? {}) as Record<string, unknown>
  for (const value of Object.values(data))
    if (value === null || (Array.isArray(value) && value.includes(null))) keys.add(MISSING)
  return [...keys]
}
