// The phases of a server process and what each means for the requests it gets:
//
//   starting  listening, but the database is not prepared yet (unreachable, or migrating): /ready
//             answers 503 and every operation SERVICE_UNAVAILABLE, without touching the database.
//   serving   everything answers; /ready is 200 while the database does.
//   draining  shutting down (src/server/shutdown.ts): /ready answers 503, open subscriptions end
//             (an SSE stream gets `complete`; sockets are closed with 1001 by the app), new ones
//             are refused, and what still arrives on an open connection is served, its response
//             closing that connection.
//
// It also knows which queries and mutations are running, to say what a shutdown is waiting for.
import { getOperationAST, GraphQLError } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import type { Context } from '../context.js'

export type Phase = 'starting' | 'serving' | 'draining'

export interface RunningOperation {
  requestId: string
  operation: string
  /** ms since it began */
  ms: number
}

export class Lifecycle {
  private current: Phase
  private readonly enders = new Set<() => void>()
  private readonly starters: (() => void)[] = []
  private readonly operations = new Set<{ requestId: string; operation: string; since: number }>()

  constructor(phase: Phase = 'serving') {
    this.current = phase
  }

  get phase(): Phase {
    return this.current
  }

  /** The database is prepared: serve. */
  serve(): void {
    if (this.current !== 'starting') return
    this.current = 'serving'
    for (const start of this.starters.splice(0)) start()
  }

  /** Calls `start` once serving (at once if it is): for background work that needs the database. */
  whenServing(start: () => void): void {
    if (this.current === 'serving') start()
    else if (this.current === 'starting') this.starters.push(start)
  }

  /** Shutting down: every subscription ends now. */
  drain(): void {
    if (this.current === 'draining') return
    this.current = 'draining'
    for (const end of this.enders) end()
    this.enders.clear()
  }

  /** Calls `end` when draining begins; returns the unregistration. */
  onDrain(end: () => void): () => void {
    if (this.current === 'draining') {
      end()
      return () => {}
    }
    this.enders.add(end)
    return () => this.enders.delete(end)
  }

  /** Records a running operation; returns what to call when it is done. */
  track(requestId: string, operation: string): () => void {
    const entry = { requestId, operation, since: Date.now() }
    this.operations.add(entry)
    return () => this.operations.delete(entry)
  }

  /** The queries and mutations running now, oldest first. */
  running(): RunningOperation[] {
    const now = Date.now()
    return [...this.operations].map(({ requestId, operation, since }) => ({ requestId, operation, ms: now - since }))
  }
}

// Nothing ran, so the answer has no `data`: 503 for application/graphql-response+json, and 200
// for application/json (Yoga leaves out a `spec` status for it), as GraphQL over HTTP has it.
const UNAVAILABLE = { code: 'SERVICE_UNAVAILABLE', http: { status: 503, spec: true } }

export function notReadyError(): GraphQLError {
  return new GraphQLError('The database is not available right now; try again shortly.', { extensions: UNAVAILABLE })
}

export function shuttingDownError(): GraphQLError {
  return new GraphQLError('This server is shutting down; subscribe again (another server will answer).', {
    extensions: UNAVAILABLE,
  })
}

/** Holds operations to the phase. Goes before plugins that read the database on their own. */
export function useLifecycle(lifecycle: Lifecycle): Plugin<Context> {
  return {
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      if (lifecycle.phase === 'starting') return setResultAndStopExecution({ errors: [notReadyError()] })
      const operation = getOperationAST(args.document, args.operationName)
      const name = `${operation?.operation ?? 'query'} ${operation?.name?.value ?? '(anonymous)'}`
      // tracked until the execution itself is over, however it ends (also after a timeout answered)
      setExecuteFn(async (executeArgs) => {
        const done = lifecycle.track(args.contextValue.requestId, name)
        try {
          return await executeFn(executeArgs)
        } finally {
          done()
        }
      })
    },
    onSubscribe({ setResultAndStopExecution }) {
      if (lifecycle.phase !== 'serving') {
        return setResultAndStopExecution({
          errors: [lifecycle.phase === 'starting' ? notReadyError() : shuttingDownError()],
        })
      }
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilDrained(result, lifecycle))
        },
      }
    },
    onResponse({ response }) {
      if (lifecycle.phase === 'draining') response.headers.set('connection', 'close')
    },
  }
}

/** A subscription's stream that completes when draining begins (the source is told to stop). */
function untilDrained<T>(source: AsyncIterable<T>, lifecycle: Lifecycle): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]()
  let finished = false
  let drained!: (step: IteratorResult<T>) => void
  const end = new Promise<IteratorResult<T>>((resolve) => (drained = resolve))
  const unregister = lifecycle.onDrain(() => drained({ done: true, value: undefined }))
  function finish() {
    if (finished) return
    finished = true
    unregister()
    // Not awaited: a source parked on an await may only return at its next step.
    void Promise.resolve(iterator.return?.()).catch(() => {})
  }
  return {
    async next() {
      if (finished) return { done: true, value: undefined }
      try {
        const step = await Promise.race([iterator.next(), end])
        if (step.done) finish()
        return step
      } catch (error) {
        finish()
        throw error
      }
    },
    async return(value?: unknown) {
      finish()
      return { done: true, value: value as T }
    },
    async throw(error?: unknown) {
      finish()
      throw error
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
