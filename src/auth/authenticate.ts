import { GraphQLError } from 'graphql'
import { KeysUnavailableError } from './oidc.js'
import { TokenError, viewerFromHeader, type TokenSettings, type Viewer } from './token.js'

/** The request's viewer; a token that is present but bad refuses the whole request with 401, one
 *  that cannot be checked because the identity provider's keys are unavailable with 503. */
export async function authenticate(settings: TokenSettings, header: string | null): Promise<Viewer | null> {
  try {
    return await viewerFromHeader(settings, header)
  } catch (error) {
    if (error instanceof KeysUnavailableError) throw keysUnavailable(error)
    if (!(error instanceof TokenError)) throw error
    throw unauthenticated(error)
  }
}

/** What a refused token is answered with (401 over HTTP). */
export function unauthenticated(error: TokenError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      reason: error.reason,
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
    },
  })
}

/** A token that could not be checked: the server's trouble, so 503, the cause kept for the log. */
function keysUnavailable(error: KeysUnavailableError): GraphQLError {
  return new GraphQLError('Tokens cannot be checked right now; try again shortly.', {
    originalError: error,
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
  })
}
