// CSRF prevention (Yoga's plugin, narrowed to where it protects someone). A request a browser sends
// cross-site without asking the server first ("simple": a GET, or a POST of a form or plain text)
// carries whatever credentials the browser manages for this site: cookies, and HTTP authentication
// (Basic, Digest, Negotiate) that it remembers and adds to Authorization by itself. Such a request
// must carry the header X-GraphQL-Yoga-CSRF (any value), which no other site's page can add
// without a CORS preflight (src/server/cors.ts answers listed origins only). Refused: 403 with
// CSRF_HEADER_REQUIRED.
//
// A simple request with no such credential passes without the header: it acts with no one's
// rights, so a forged one gains the forger nothing they could not do from their own machine, and
// the answer is not shared with their page (no CORS). This is what lets the public read by plain
// GET (cacheable at a CDN, src/edge), with any client's defaults and with EventSource, which cannot
// add headers. A bearer token is no such credential: only a script puts it in Authorization, and a
// script on another site's page cannot send it without a preflight. Mutations are never run by
// GET (405, Yoga), and the public's are refused anyway. Requests with a JSON (or other non-simple)
// content type pass as they are: a browser preflights them.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'

export const CSRF_HEADER = 'x-graphql-yoga-csrf'

/** Whether the request carries a credential a browser adds by itself: a cookie, or HTTP
 *  authentication other than a bearer token. */
export function carriesAmbientCredentials(headers: Headers): boolean {
  const authorization = headers.get('authorization')
  return headers.has('cookie') || (authorization !== null && !/^bearer\s/i.test(authorization.trim()))
}

export function useCsrfPrevention(): Plugin {
  const plugin = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] })
  return {
    onRequestParse(payload) {
      if (!carriesAmbientCredentials(payload.request.headers)) return
      try {
        // Yoga's check is synchronous: it throws its refusal, or returns nothing
        return plugin.onRequestParse!(payload)
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error
        // the plugin's refusal, with a code a client can branch on and what to do about it
        throw new GraphQLError(`${error.message}: send the header X-GraphQL-Yoga-CSRF (any value), or a JSON body.`, {
          extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } },
        })
      }
    },
  }
}
