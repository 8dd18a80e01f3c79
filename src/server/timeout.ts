// Request timeout. A query or mutation still running REQUEST_TIMEOUT_MS after its execution began
// is cancelled and answered with REQUEST_TIMEOUT; so is one whose client went away (Yoga's
// useExecutionCancellation puts the request's signal in the execution's arguments). Cancelled
// means: graphql-js stops resolving, and the database transaction it has open is cancelled and
// rolled back (src/db/database.ts, withCancellation), so a timed-out write never lands later.
// A read blocked in the database is ended by the pool's statement_timeout, a little later.
// Subscriptions are long-lived by design and have no timeout.
//
// Status, per GraphQL over HTTP: the answer is a GraphQL response without `data` (the execution
// did not finish). A client that accepts application/graphql-response+json gets it with 504; one
// that asks for application/json gets 200, as that media type wants for every well-formed request.
import { GraphQLError, type ExecutionResult } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { Context } from '../context.js'
import { withCancellation } from '../db/database.js'
import type { Logger } from '../logger.js'

export const REQUEST_TIMEOUT = 'REQUEST_TIMEOUT'

export function requestTimeoutError(timeoutMs: number): GraphQLError {
  return new GraphQLError(`The request did not finish within ${timeoutMs} ms and was cancelled.`, {
    // `spec`: Yoga leaves this status out for application/json (200), and uses it otherwise
    extensions: { code: REQUEST_TIMEOUT, timeoutMs, http: { status: 504, spec: true } },
  })
}

export function useRequestTimeout({
  timeoutMs,
  logger,
}: {
  timeoutMs: number
  logger: Logger
}): Plugin<Context & { request: Request }> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const { request, requestId } = args.contextValue
      setExecuteFn((executeArgs) => {
        const timer = new AbortController()
        const given = (executeArgs as { signal?: AbortSignal }).signal ?? request.signal
        // one signal for both, without AbortSignal.any: graphql-js checks the signal at every
        // field, and a composite signal recomputes itself at each check
        const signal = timer.signal
        const passOn = () => timer.abort(given.reason)
        if (given.aborted) passOn()
        else given.addEventListener('abort', passOn, { once: true })
        let answerTimedOut!: (result: ExecutionResult) => void
        const timedOut = new Promise<ExecutionResult>((resolve) => (answerTimedOut = resolve))
        const timeout = setTimeout(() => {
          logger.warn(
            { requestId, operationName: args.operationName ?? null, timeoutMs },
            'request timed out; cancelled',
          )
          const error = requestTimeoutError(timeoutMs)
          timer.abort(error)
          answerTimedOut({ errors: [error] })
        }, timeoutMs)
        // The execution may be waiting on the database, which the signal cancels; the answer does
        // not wait for that to unwind.
        const executed = withCancellation(signal, () => executeFn({ ...executeArgs, signal } as typeof executeArgs))
        return Promise.race([executed, timedOut]).finally(() => {
          clearTimeout(timeout)
          given.removeEventListener('abort', passOn)
        })
      })
    },
  }
}
