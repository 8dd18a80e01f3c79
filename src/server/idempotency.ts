// The HTTP side of Idempotency-Key (IETF draft; Stripe's semantics). A mutation request that
// carries a key is executed once per key and viewer (role and subject): a retry with the same key
// and the same request gets the first response again (marked Idempotent-Replayed: true); the same
// key with a different request is refused. The key itself is recorded inside the mutation's transaction
// (src/resolvers/idempotency.ts), so a write and its key always commit together.
import { createHash } from 'node:crypto'
import { getOperationAST, GraphQLError, print } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { Context } from '../context.js'
import { findIdempotencyKey, storeIdempotentResponse } from '../resolvers/idempotency.js'

const KEY = /^[\x21-\x7e]{1,255}$/
const replayed = new WeakSet<Request>()

function refuse(message: string, code: string, status: number) {
  return { errors: [new GraphQLError(message, { extensions: { code, http: { status } } })] }
}

export function useIdempotency(): Plugin<Context & { request: Request }> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue
      const key = ctx.request.headers.get('idempotency-key')
      const operation = getOperationAST(args.document, args.operationName)
      if (key === null || operation?.operation !== 'mutation') return
      if (!KEY.test(key)) {
        setResultAndStopExecution(
          refuse('Idempotency-Key must be 1 to 255 visible ASCII characters.', 'BAD_USER_INPUT', 400),
        )
        return
      }
      // Without an editor there is nothing to apply; the mutation itself answers Forbidden.
      if (!ctx.viewer) return
      const requestHash = createHash('sha256')
        .update(JSON.stringify([print(operation), args.variableValues ?? {}]))
        .digest('hex')
      const stored = await findIdempotencyKey(ctx.prisma, ctx.viewer, key)
      if (stored && stored.requestHash !== requestHash) {
        setResultAndStopExecution(
          refuse('This Idempotency-Key was used for a different request.', 'IDEMPOTENCY_KEY_REUSED', 422),
        )
        return
      }
      if (stored && stored.response !== null) {
        replayed.add(ctx.request)
        setResultAndStopExecution(stored.response as never)
        return
      }
      if (stored) {
        setResultAndStopExecution(
          refuse('A request with this Idempotency-Key is still in progress.', 'IDEMPOTENCY_KEY_IN_USE', 409),
        )
        return
      }
      ctx.idempotency = { key, requestHash, claimed: false }
      const viewer = ctx.viewer
      return {
        async onExecuteDone({ result }) {
          // Only a request whose mutation committed holds the key; a failed one may be retried.
          if (ctx.idempotency?.claimed && !(Symbol.asyncIterator in result)) {
            await storeIdempotentResponse(ctx.prisma, viewer, key, result)
          }
        },
      }
    },
    onResponse({ request, response }) {
      if (replayed.has(request)) response.headers.set('idempotent-replayed', 'true')
    },
  }
}
