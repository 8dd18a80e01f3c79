// What a CDN (and a browser) may do with each GraphQL answer over HTTP (GET and POST; event streams
// and WebSockets are left alone).
//
// A public answer (a query with no Authorization header, answered 200 with data and without errors,
// its dependencies collected: src/server/response-cache.ts) gets
//   Cache-Control: public, max-age=…, s-maxage=…, stale-while-revalidate=…   (src/edge/rules.ts)
//   ETag: a strong hash of its content type and bytes; a GET whose If-None-Match holds it: 304
//   Surrogate-Key / xkey / Cache-Tag: its keys (src/edge/keys.ts answerKeys: `all` first, then the
//     objects and lists it depends on), which the purger names when a change touches them
// Everything else — an editor's answer (it may hold drafts), errors, a mutation's, an answer read
// while the change log moved (what it read may predate a change already purged), one without
// collected keys — is `Cache-Control: private, no-store`, with no keys. An answer whose keys would
// not fit in a header is `private` with the browser's max-age: a CDN could not be told to drop it.
// Every answer varies by Accept (the media type and the status of errors differ) and by
// Authorization; Origin is added by useVaryOrigin (src/server/cors.ts) where CORS is on.
//
// The public never sees a draft, so no public answer depends on one: its keys name only what it shows
// and the lists it read (a lookup of a draft's slug finds nothing: `missing`, not the draft).
import { getOperationAST, Kind, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from 'graphql'
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga'
import type { Config } from '../config.js'
import type { Context } from '../context.js'
import { dependenciesOf } from '../server/response-cache.js'
import { addVary, keyHeaders, matchesEtag, strongEtag } from './headers.js'
import { answerKeys } from './keys.js'
import { checkRuleNames, lifetimesOf, publicCacheControl, type Lifetimes } from './rules.js'

export type EdgeSettings = Pick<
  Config,
  | 'EDGE_CACHE'
  | 'EDGE_MAX_AGE_SECONDS'
  | 'EDGE_S_MAXAGE_SECONDS'
  | 'EDGE_STALE_WHILE_REVALIDATE_SECONDS'
  | 'EDGE_CACHE_RULES'
  | 'EDGE_KEY_HEADERS'
>

export const PRIVATE = 'private, no-store'

/** What an answer's response gets: its Cache-Control, and its key headers when public. */
interface Verdict {
  cacheControl: string
  keys: [string, string][]
}

const GRAPHQL_JSON = /^application\/(graphql-response\+)?json\b/

/** The root fields an operation reads (through fragments too). */
function rootFields(document: DocumentNode, operationName: string | null | undefined): string[] | null {
  const operation = getOperationAST(document, operationName)
  if (operation?.operation !== 'query') return null
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  )
  const names = new Set<string>()
  const walk = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value)
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, seen)
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value)
        if (fragment) walk(fragment.selectionSet, new Set(seen).add(selection.name.value))
      }
    }
  }
  walk(operation.selectionSet, new Set())
  return [...names]
}

/** Yoga plugin: the caching headers of GraphQL answers over HTTP (see above). */
export function useEdgeCache(settings: EdgeSettings, schema: GraphQLSchema): Plugin<Context & YogaInitialContext> {
  checkRuleNames(settings.EDGE_CACHE_RULES, schema)
  const defaults: Lifetimes = {
    'max-age': settings.EDGE_MAX_AGE_SECONDS,
    's-maxage': settings.EDGE_S_MAXAGE_SECONDS,
    'stale-while-revalidate': settings.EDGE_STALE_WHILE_REVALIDATE_SECONDS,
  }
  /** the root fields of each HTTP request's query (hits too: every execution passes onExecute) */
  const queries = new WeakMap<Request, string[]>()
  const verdicts = new WeakMap<Request, Verdict>()

  function verdict(request: Request, result: { data?: unknown; errors?: readonly unknown[] }): Verdict {
    const fields = queries.get(request)
    const dependencies = dependenciesOf(result)
    const isPublic =
      settings.EDGE_CACHE &&
      !request.headers.has('authorization') &&
      fields !== undefined &&
      result.data != null &&
      !result.errors?.length &&
      dependencies !== undefined
    if (!isPublic) return { cacheControl: PRIVATE, keys: [] }
    const lifetimes = lifetimesOf(defaults, settings.EDGE_CACHE_RULES, [...fields, ...dependencies.types])
    const keys = keyHeaders(settings.EDGE_KEY_HEADERS, answerKeys(dependencies.keys))
    if (!keys) return { cacheControl: `private, max-age=${lifetimes['max-age']}`, keys: [] }
    return { cacheControl: publicCacheControl(lifetimes), keys }
  }

  return {
    onExecute({ args }) {
      const request = args.contextValue.request as Request | undefined
      const fields = request && rootFields(args.document, args.operationName)
      if (request && fields) queries.set(request, fields)
    },
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || isAsyncIterable(result)) return
      verdicts.set(request, verdict(request, result))
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const found = verdicts.get(request)
      const type = response.headers.get('content-type') ?? ''
      if (!found || !GRAPHQL_JSON.test(type)) return
      const { headers } = response
      addVary(headers, 'Accept', 'Authorization')
      headers.set('cache-control', response.status === 200 ? found.cacheControl : PRIVATE)
      if (response.status !== 200 || found.keys.length === 0) return
      for (const [name, value] of found.keys) headers.set(name, value)
      const body = await response.text()
      const etag = strongEtag(type, body)
      headers.set('etag', etag)
      if (request.method === 'GET' && matchesEtag(request.headers.get('if-none-match'), etag)) {
        headers.delete('content-type')
        headers.delete('content-length')
        setResponse(new fetchAPI.Response(null, { status: 304, headers }))
      } else setResponse(new fetchAPI.Response(body, { status: 200, headers }))
    },
  }
}
