// What the endpoint shows of itself, and to whom.
//
// - Introspection and GraphiQL: for everyone outside production; in production only for editors
//   (a valid bearer token) unless PUBLIC_INTROSPECTION / PUBLIC_GRAPHIQL open them to the public
//   (config.ts works out the defaults). Introspection is refused by validation, over HTTP and
//   over WebSocket alike. The GraphiQL page is a request of its own, made by the browser without
//   the token GraphiQL's Headers pane holds (that goes only with its fetches), so the page itself
//   is served to the public when PUBLIC_GRAPHIQL is on, and otherwise only to a page request that
//   carries an editor's token in Authorization (a proxy or browser extension that adds it); to
//   anyone else /graphql answers a browser exactly as an unknown path does: 404.
// - In production, errors keep their message but not its "Did you mean …" part, which would map
//   a closed schema one guess at a time.
// - Nothing adds tracing or timing to responses (Yoga adds none, and no plugin here does); what
//   errors show is src/server/errors.ts's masking, in every mode.
import type { IncomingMessage } from 'node:http'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import {
  blockFieldSuggestionsDefaultOptions,
  blockFieldSuggestionsPlugin,
} from '@escape.tech/graphql-armor-block-field-suggestions'
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import {
  handleStreamOrSingleExecutionResult,
  shouldRenderGraphiQL,
  type GraphiQLOptions,
  type GraphQLParams,
  type Plugin,
} from 'graphql-yoga'
import type { SubscribePayload } from 'graphql-ws'
import { authenticate } from '../auth/authenticate.js'
import type { TokenSettings, Viewer } from '../auth/token.js'
import type { Config } from '../config.js'
import { contentSecurityPolicy, inlineScripts } from './csp.js'

const viewers = new WeakMap<Request, Promise<Viewer | null>>()

/** The viewer a request's Authorization header names, worked out once per request (an HTTP
 *  request, or the request a socket makes for each operation); a bad token rejects with the same
 *  401 error as the context would give. */
export function viewerOf(auth: TokenSettings, request: Request): Promise<Viewer | null> {
  let viewer = viewers.get(request)
  if (!viewer) viewers.set(request, (viewer = authenticate(auth, request.headers.get('authorization'))))
  return viewer
}

/** Whether the request carries a valid token (every token is an editor's or an admin's, so this
 *  is what lifts the public's limits); a bad token rejects (401). */
export const hasValidToken = async (auth: TokenSettings, request: Request) => (await viewerOf(auth, request)) !== null

/** Introspection refused to the public when PUBLIC_INTROSPECTION is off: a validation rule, so
 *  nothing runs (Yoga's plugin, deciding per request: an editor's token lifts it). */
export function useIntrospectionExposure(config: Config, auth: TokenSettings): Plugin {
  if (config.PUBLIC_INTROSPECTION) return {}
  return useDisableIntrospection({ isDisabled: async (request) => !(await hasValidToken(auth, request)) })
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g
const HIDDEN = blockFieldSuggestionsDefaultOptions.mask

/** In production, no "Did you mean …" in any error: GraphQL Armor's plugin hides those of field,
 *  argument and type names at validation; the rest (enum values, input fields, also in variables,
 *  which are checked when the operation runs) are hidden here, with the same mask. */
export function useSuggestionExposure(config: Config): Plugin[] {
  if (config.NODE_ENV !== 'production') return []
  const hide = (errors: readonly Error[]) => {
    for (const error of errors)
      if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, ` ${HIDDEN}`)
  }
  const hideInResult: Parameters<typeof handleStreamOrSingleExecutionResult>[1] = ({ result }) => {
    if (result.errors) hide(result.errors)
  }
  return [
    blockFieldSuggestionsPlugin(),
    {
      onValidate:
        () =>
        ({ result }) =>
          hide(result),
      onExecute: () => ({ onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, hideInResult) }),
      onSubscribe: () => ({
        onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, hideInResult),
      }),
    },
  ]
}

export interface GraphiQLPageOptions {
  /** the GraphQL endpoint, where the page is served to a browser */
  endpoint: string
  /** renders the page (Yoga's renderGraphiQL, or the offline one) */
  render: (options: GraphiQLOptions) => string
  options: GraphiQLOptions
}

/** GraphiQL at the endpoint, for a browser's GET (Accept: text/html), to whoever may have it (see
 *  above), gzipped for a client that takes it: the page carries GraphiQL whole (~9 MB; ~2.5 MB
 *  gzipped), rendered and compressed once. Replaces Yoga's own GraphiQL (its `graphiql: false`). */
export function useGraphiQLExposure(
  config: Config,
  auth: TokenSettings,
  { endpoint, render, options }: GraphiQLPageOptions,
): Plugin {
  let page: string | undefined
  let policy: string | undefined
  let gzipped: Promise<Uint8Array<ArrayBuffer>> | undefined
  const allowed = async (request: Request) => {
    if (config.PUBLIC_GRAPHIQL) return true
    // a bad token on a page load is no editor's: the page is not served, and no 401 either
    return hasValidToken(auth, request).catch(() => false)
  }
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if ((url.pathname !== endpoint && url.pathname !== `${endpoint}/`) || !shouldRenderGraphiQL(request)) return
      if (!(await allowed(request))) {
        endResponse(new fetchAPI.Response(null, { status: 404, headers: { vary: 'Authorization' } }))
        return
      }
      page ??= render(options)
      policy ??= graphiqlPolicy(page)
      const headers: Record<string, string> = {
        'content-type': 'text/html; charset=utf-8',
        vary: 'Accept-Encoding, Authorization',
        'cache-control': 'no-cache',
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      }
      if (!acceptsGzip(request.headers.get('accept-encoding'))) {
        endResponse(new fetchAPI.Response(page, { headers }))
        return
      }
      gzipped ??= promisify(gzip)(page).then((bytes) => new Uint8Array(bytes) as Uint8Array<ArrayBuffer>)
      endResponse(new fetchAPI.Response(await gzipped, { headers: { ...headers, 'content-encoding': 'gzip' } }))
    },
  }
}

/** GraphiQL's page: its one inline script by hash; its editor (Monaco) writes styles at run time,
 *  so styles are 'unsafe-inline' (styles only); its workers are blobs the script makes; its icon
 *  and fonts data: URLs; it talks to this origin alone, over HTTP and WebSocket ('self' covers
 *  the same host's ws: and wss:). */
function graphiqlPolicy(page: string): string {
  return contentSecurityPolicy({
    scripts: inlineScripts(page),
    styles: 'unsafe-inline',
    allow: {
      'connect-src': "'self'",
      'worker-src': 'blob:',
      'img-src': 'data:',
      'font-src': 'data:',
      'form-action': "'none'",
    },
  })
}

/** Whether an Accept-Encoding header takes gzip (`gzip` or `*`, without q=0). */
function acceptsGzip(header: string | null): boolean {
  if (!header) return false
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0)
  })
}

/** A socket has no HTTP request pipeline: these plugins' hooks of it (onRequestParse, onParams),
 *  which decide what a request may run, are run here for each operation a socket sends, on the
 *  request the socket makes for it (its headers: the operation's token) and the socket's upgrade
 *  request. Returns the operation's parameters as they leave (a trusted document's hash resolved
 *  to its text); a refusal rejects with the plugin's GraphQLError, as it would over HTTP. */
export function operationGate(plugins: Plugin[]) {
  return async (request: Request, params: SubscribePayload, req?: IncomingMessage): Promise<SubscribePayload> => {
    let current: GraphQLParams = {
      ...params,
      operationName: params.operationName ?? undefined,
      variables: params.variables ?? undefined,
      extensions: params.extensions ?? undefined,
    }
    for (const plugin of plugins) {
      await plugin.onRequestParse?.({
        request,
        url: new URL(request.url),
        serverContext: {} as never,
        requestParser: undefined,
        setRequestParser: () => {},
        endResponse: () => {},
        fetchAPI: globalThis as never,
      })
      await plugin.onParams?.({
        request,
        params: current,
        setParams: (next) => void (current = next),
        paramsHandler: undefined as never,
        setParamsHandler: () => {},
        setResult: () => {},
        fetchAPI: globalThis as never,
        // as an HTTP request's server context: the socket's upgrade request, for the client's address
        context: { request, params: current, req },
      })
    }
    return { ...current, query: current.query ?? '' }
  }
}
