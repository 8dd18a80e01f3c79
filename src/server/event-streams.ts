// Server-Sent Events streams (Yoga answers a request that accepts text/event-stream with one),
// held to what a WebSocket is held to:
//
// - the connections of their address (src/server/connection-limits.ts): 429 beyond the limit;
// - a stream opened with an editor's token ends when the token expires, with an
//   UNAUTHENTICATED (reason `expired`) result;
// - a client that stops reading may leave at most sendBufferCap bytes waiting (the WebSocket's
//   budget): the stream is read as fast as it yields, what the client has not taken is held, and
//   a result beyond the budget ends the stream with SLOW_SUBSCRIBER after what it holds, so the
//   client resumes from the last cursor it read.
//
// A stream the server ended that the client still does not read is cut GRACE_MS later (as ws
// cuts a socket that does not complete its close).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { GraphQLError, type ExecutionResult } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import { unauthenticated } from '../auth/authenticate.js'
import { TokenError, verifyToken, type TokenSettings } from '../auth/token.js'
import type { Context } from '../context.js'
import { tooManyMessage, type ConnectionLimits } from './connection-limits.js'
import { NO_LIVE_COUNTERS, type LiveCounters } from './metrics.js'

const GRACE_MS = 30_000

export interface EventStreamOptions {
  /** the GraphQL endpoint's path */
  endpoint: string
  auth: TokenSettings
  limits: ConnectionLimits
  /** bytes of results a stream may hold for a client that is not reading */
  sendBufferCap: number
  /** counts deliveries and slow streams dropped (src/server/metrics.ts) */
  counters?: LiveCounters
}

interface Stream {
  /** when the request's token expires (ms), if it has one */
  expiresAt: number | null
  res?: ServerResponse
}

export function useEventStreams({
  endpoint,
  auth,
  limits,
  sendBufferCap,
  counters = NO_LIVE_COUNTERS,
}: EventStreamOptions): Plugin<Context> {
  const streams = new WeakMap<Request, Stream>()
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname.replace(/\/$/, '') !== endpoint || !request.headers.get('accept')?.includes('text/event-stream'))
        return
      const { req, res } = serverContext as { req?: IncomingMessage; res?: ServerResponse }
      // a bad token is answered with 401 when the context is built; here it is no editor's
      const token = await verifyToken(auth, request.headers.get('authorization')).catch(() => null)
      if (req && res && !limits.admitStream(req, res, token !== null)) {
        const body = {
          errors: [
            { message: tooManyMessage(limits.limit(token !== null)), extensions: { code: 'TOO_MANY_CONNECTIONS' } },
          ],
        }
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: 429,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        )
        return
      }
      streams.set(request, { expiresAt: token?.expiresAt ?? null, res })
    },
    onSubscribe({ args }) {
      const stream = streams.get((args.contextValue as { request?: Request }).request!)
      if (!stream) return
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return
          setResult(
            bounded(result, sendBufferCap, stream.expiresAt, (slow) => {
              if (slow) counters.dropped('sse', 'send_buffer')
              if (!stream.res || stream.res.closed) return
              const cut = setTimeout(() => stream.res!.destroy(), GRACE_MS).unref()
              stream.res.once('close', () => clearTimeout(cut))
            }),
          )
        },
      }
    },
  }
}

/** What a stream over its byte budget ends with. */
function tooSlowResult(cap: number): ExecutionResult {
  const message = `This stream fell more than ${cap} bytes behind and was ended; subscribe again with \`since\` set to the last cursor received.`
  return { errors: [new GraphQLError(message, { extensions: { code: 'SLOW_SUBSCRIBER' } })] }
}

/**
 * `source` read as fast as it yields; what the reader has not taken yet is held, up to `cap`
 * bytes (as JSON). A result beyond that, or the token's expiry, ends it: the source is let go, and
 * the reader gets what is held, then the reason, then the end. `ended` is told when that happens.
 */
function bounded(
  source: AsyncIterable<ExecutionResult>,
  cap: number,
  expiresAt: number | null,
  ended: (slow: boolean) => void,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]()
  const held: { result: ExecutionResult; bytes: number }[] = []
  let bytes = 0
  let reader: { resolve: (step: IteratorResult<ExecutionResult>) => void; reject: (error: unknown) => void } | null =
    null
  let finished = false
  let failure: { error: unknown } | null = null
  const expiry =
    expiresAt === null ? undefined : setTimeout(() => stop(expiredResult()), Math.max(0, expiresAt - Date.now()))

  function hand(result: ExecutionResult) {
    if (reader) {
      reader.resolve({ value: result, done: false })
      reader = null
    } else {
      held.push({ result, bytes: 0 })
    }
  }
  /** Lets go of the source; the reader gets what is held, `last`, then the end (or `error`). */
  function stop(last?: ExecutionResult, error?: { error: unknown }) {
    if (finished) return
    finished = true
    clearTimeout(expiry)
    if (last) hand(last)
    if (error) failure = error
    if (reader && held.length === 0) {
      if (failure) reader.reject(failure.error)
      else reader.resolve({ value: undefined, done: true })
      reader = null
    }
    void Promise.resolve(iterator.return?.()).catch(() => {})
    if (last) ended(last.errors?.[0]?.extensions?.code === 'SLOW_SUBSCRIBER')
  }

  void (async () => {
    try {
      for (;;) {
        const step = await iterator.next()
        if (finished) return
        if (step.done) return stop()
        if (reader) {
          hand(step.value)
          continue
        }
        // measured only when it must wait: a client that keeps up costs no second serialisation
        const size = Buffer.byteLength(JSON.stringify(step.value))
        if (bytes + size > cap) return stop(tooSlowResult(cap))
        held.push({ result: step.value, bytes: size })
        bytes += size
      }
    } catch (error) {
      stop(undefined, { error })
    }
  })()

  return {
    next() {
      const first = held.shift()
      if (first) {
        bytes -= first.bytes
        return Promise.resolve({ value: first.result, done: false })
      }
      if (finished) {
        const error = failure
        failure = null
        return error ? Promise.reject(error.error) : Promise.resolve({ value: undefined, done: true })
      }
      return new Promise((resolve, reject) => (reader = { resolve, reject }))
    },
    return() {
      held.length = 0
      failure = null
      stop()
      return Promise.resolve({ value: undefined, done: true })
    },
    throw(error?: unknown) {
      held.length = 0
      stop()
      return Promise.reject(error)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

function expiredResult(): ExecutionResult {
  return { errors: [unauthenticated(new TokenError('The token has expired.', 'expired'))] }
}
