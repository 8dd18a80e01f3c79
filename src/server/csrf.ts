// CSRF prevention (Yoga's plugin): a request a browser would send cross-site without asking the
// server first ("simple": a GET, or a POST of a form or plain text) must carry the header
// X-GraphQL-Yoga-CSRF (any value), which no other site's page can add without a CORS preflight.
// Requests with a JSON (or other non-simple) content type pass as they are. Refused: 403 with
// CSRF_HEADER_REQUIRED. Tokens travel in Authorization, not cookies, so a forged request would
// carry no editor's rights anyway; this keeps other sites from running operations in a
// visitor's browser at all (and is the answer should cookies ever come).
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'

export const CSRF_HEADER = 'x-graphql-yoga-csrf'

export function useCsrfPrevention(): Plugin {
  const plugin = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] })
  return {
    onRequestParse(payload) {
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
