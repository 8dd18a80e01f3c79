// Errors a client can branch on. Anything else is masked as "Unexpected error." (see server/app.ts).
import { GraphQLError } from 'graphql'

export type ErrorCode = 'BAD_USER_INPUT' | 'SERVICE_UNAVAILABLE' | 'CURSOR_EXPIRED'

export function userError(code: ErrorCode, message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } })
}

export const badInput = (message: string, field?: string) => userError('BAD_USER_INPUT', message, field)
