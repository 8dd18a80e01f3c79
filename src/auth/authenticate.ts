import { GraphQLError } from 'graphql'
import { TokenError, viewerFromHeader, type TokenSettings, type Viewer } from './token.js'

/** The request's viewer; a token that is present but bad refuses the whole request with 401. */
export async function authenticate(settings: TokenSettings, header: string | null): Promise<Viewer | null> {
  try {
    return await viewerFromHeader(settings, header)
  } catch (error) {
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
