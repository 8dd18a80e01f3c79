// The public's query results, kept in memory. The front page and a story page read the same for
// every anonymous reader, so each process answers a repeated public query from memory instead of
// running its resolvers and SQL again. A hit is answered in onExecute, by a plugin registered after
// every check (cost and rate limits at context building; page size, lifecycle at execution), so a
// hit is held to the same rules as a miss. The store is @envelop/response-cache's in-memory cache;
// its plugin is not used: collecting every object of every answer cost a quarter of a front page's
// CPU, and only stories' keys are ever invalidated alone (src/server/answer-objects.ts).
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
// Invalidation is by what an answer depends on (src/live/invalidation.ts): the stories it shows
// ("Story:<global id>"), and the lists it reads, which resolvers record in the context. Each
// change this process commits, and each change its feed reads (from any process), drops the
// answers that depend on what the change invalidates: updating one story leaves the others' pages
// cached. An answer whose request began before the feed moved is not stored (what it read may
// predate a change already applied), so no reader gets an answer older than a commit its process
// has read. RESPONSE_CACHE_TTL_MS is only a safety net.
import { createHash } from 'node:crypto'
import { createInMemoryCache, type Cache } from '@envelop/response-cache'
import stableStringify from 'fast-json-stable-stringify'
import { getOperationAST, type ExecutionResult } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import type { Config } from '../config.js'
import type { Context } from '../context.js'
import type { ChangeFeed } from '../live/change-feed.js'
import { EVERYTHING, invalidatedBy, MISSING } from '../live/invalidation.js'
import { prepareDocument, takeStoryIds } from './answer-objects.js'

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

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const ctx = args.contextValue
      // queries only; not for editors; nor while the feed does not follow the log (before it knows
      // where the log stands, while the database is away from it, once it stopped for shutdown):
      // it would not hear of the commits of other processes
      if (ctx.viewer || !ctx.dependencies || !feed.following) return
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return
      const began = feed.generation // before anything is read for this request
      const { text, document, types } = prepareDocument(args.schema, args.document)
      const key = entries ? cacheKey(text, args.operationName, args.variableValues) : null
      const hit = key && entries ? entries.get(key) : null
      if (stats && key) {
        if (hit) stats.hits++
        else stats.misses++
      }
      // a hit is answered by the executor the plugins after this one see, as a miss would be
      if (hit) return setExecuteFn(() => hit)
      setExecuteFn((executeArgs) => executeFn({ ...executeArgs, document }))
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return
          const stories = takeStoryIds(result.data)
          // an answer with errors is not kept; nor one read while a change was applied: it may not reflect it
          if (result.errors?.length || feed.generation !== began) return
          const keys = [...new Set([...stories.map((id) => `Story:${id}`), ...dependencies(ctx, result)])]
          ;(result as WithDependencies)[DEPENDENCIES] = { keys, types }
          if (key)
            entries?.set(
              key,
              result,
              keys.map((typename) => ({ typename })),
              settings.RESPONSE_CACHE_TTL_MS,
            )
        },
      }
    },
  }
}

/** The key of an answer: the document as sent, the operation and the variables (in a stable
 *  order), hashed, as @envelop/response-cache's default builds it. */
const cacheKey = (text: string, operationName: string | null | undefined, variables: unknown) =>
  createHash('sha256')
    .update([text, operationName ?? '', stableStringify(variables ?? {}), ''].join('|'))
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
