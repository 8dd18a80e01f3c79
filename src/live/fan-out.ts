// Efficient fan-out: subscribers holding the same subscription share one execution of it. The
// payload for a change is computed once and the same result is handed to every one of them,
// instead of the subscription being executed again per subscriber.
//
// "The same subscription" is the same document, operation name and variables, seen by the same
// role: what a subscription may see (and so what its payloads hold) depends on the viewer's role
// only (src/resolvers/visibility.ts: editors see everything, the public — no viewer — what is
// published). The shared execution runs with the context of the subscriber that started it, and
// what a subscription looks up when it starts (a filter's slugs, as ids) is looked up once, then.
// A subscriber that joins a running group gets what is published from then on, as it would alone.
//
// This is a Yoga (envelop) plugin, so it applies to every transport that subscribes through the
// envelope: Server-Sent Events, and the WebSocket (src/server/websocket.ts runs each operation
// through `yoga.getEnveloped`). Parsing and validation are not repeated per subscriber either:
// Yoga's default `useParserAndValidationCache` (graphql-yoga/cjs/server.js) hooks onParse and
// onValidate, which the `parse` and `validate` that getEnveloped hands out run, so the socket gets
// the same LRU document cache (by query text) and validation cache (by document) as HTTP — and,
// the cached document being one object, `printed` below prints each document once.
//
// Nor is a result serialised per subscriber where the transport can take it serialised (the
// WebSocket sets `sendSerialized` in the context): the group turns it into JSON once and each such
// subscriber's socket sends it, framed with its own operation id, at once — without a trip through
// the per-subscriber iterator, the envelope's result hooks and graphql-ws's serialisation. Those
// hooks only touch errors (masking, hiding suggestions, logging), so this applies to results
// without errors; a result with errors, and everything after it for that subscriber (keeping the
// order), goes the ordinary way.
import { GraphQLError, Kind, print, visit, type DocumentNode, type ExecutionResult } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import type { Context } from '../context.js'
import { inRootSpan } from '../server/tracing.js'

export interface SharedSubscriptionsOptions {
  /** results one subscriber may have waiting for it; past that it is sent an error and dropped */
  maxQueue?: number
  /** told of each subscriber dropped for its queue, with its context (src/server/metrics.ts) */
  onDropped?: (context: unknown) => void
}

export const DEFAULT_MAX_QUEUE = 1_000

type Source = AsyncIterator<ExecutionResult>
type SubscribeResult = ExecutionResult | AsyncIterable<ExecutionResult>

/** What one subscriber is sent when it has fallen too far behind (its backlog is dropped). */
export function overflowResult(maxQueue: number): ExecutionResult {
  return {
    errors: [
      new GraphQLError(
        `This subscription fell more than ${maxQueue} messages behind and was ended; subscribe again with \`since\` set to the last cursor received.`,
        { extensions: { code: 'SLOW_SUBSCRIBER' } },
      ),
    ],
  }
}

/** Yoga plugin: one execution per distinct subscription, its results multicast to every subscriber. */
export function useSharedSubscriptions({
  maxQueue = DEFAULT_MAX_QUEUE,
  onDropped,
}: SharedSubscriptionsOptions = {}): Plugin<Context> {
  const groups = new Map<string, Group>()
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const ownKey = shareKey(args.document, args.operationName, args.variableValues, args.contextValue)
      if (ownKey === null) return
      // the running group's copy of the key: what follows holds it as long as the subscriber lives,
      // and each subscriber's own copy (its document's text, and more) would be as large again
      const key = groups.get(ownKey)?.key ?? ownKey
      const underlying = subscribeFn
      setSubscribeFn(((subscriberArgs: typeof args) => {
        let group = groups.get(key)
        if (!group) {
          group = new Group(key, () => groups.get(key) === group && groups.delete(key), maxQueue)
          groups.set(key, group)
          group.start(() => underlying(withoutSignal(subscriberArgs)) as Promise<SubscribeResult> | SubscribeResult)
        }
        const context = subscriberArgs.contextValue as Partial<Context>
        return group.join(signalOf(subscriberArgs), context.sendSerialized, onDropped && (() => onDropped(context)))
      }) as typeof subscribeFn)
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

const printed = new WeakMap<DocumentNode, string>()

/**
 * The key subscribers share an execution by, or null for one that must run alone: a subscription
 * with a `since` cursor first replays, privately, what that subscriber missed, so it is never
 * shared (whether the cursor comes as a variable, a variable's default or a literal).
 */
export function shareKey(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  context: Pick<Context, 'viewer'> | null | undefined,
): string | null {
  if (hasStart(document, variables ?? {})) return null
  let text = printed.get(document)
  if (text === undefined) printed.set(document, (text = print(document)))
  return JSON.stringify([text, operationName ?? null, stableJson(variables ?? {}), context?.viewer?.role ?? 'public'])
}

/** Arguments that give a subscription a start of its own (a replay), so it cannot join a group. */
const START_ARGUMENTS = new Set(['since', 'last'])

function hasStart(document: DocumentNode, variables: Record<string, unknown>): boolean {
  const defaults = new Map<string, boolean>()
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue
    for (const v of definition.variableDefinitions ?? []) {
      defaults.set(v.variable.name.value, v.defaultValue !== undefined && v.defaultValue.kind !== Kind.NULL)
    }
  }
  let found = false
  visit(document, {
    Argument(node) {
      if (!START_ARGUMENTS.has(node.name.value)) return
      const value = node.value
      if (value.kind === Kind.NULL) return
      if (value.kind !== Kind.VARIABLE) found = true
      else {
        const name = value.name.value
        found ||= Object.hasOwn(variables, name) ? variables[name] != null : (defaults.get(name) ?? false)
      }
    },
  })
  return found
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same variables. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  )
}

// The shared execution outlives whichever subscriber started it, so that subscriber's abort signal
// (set when Yoga's execution cancellation is on) must not end it; each subscriber's own signal
// ends only its own share.
function withoutSignal<T extends object>(args: T): T {
  if (!('signal' in args)) return args
  const { signal: _signal, ...rest } = args as T & { signal?: unknown }
  return rest as T
}

function signalOf(args: object): AbortSignal | undefined {
  const signal = (args as { signal?: unknown }).signal
  return signal instanceof AbortSignal ? signal : undefined
}

// ---------------------------------------------------------------------------------------------
// Groups and subscribers

/** One execution and the subscribers it feeds. */
class Group {
  private readonly subscribers = new Set<Subscriber>()
  private started!: Promise<SubscribeResult>
  private source: Source | null = null
  private closed = false

  constructor(
    readonly key: string,
    /** takes the group out of the registry, so later subscribers start a new one */
    private readonly unregister: () => void,
    private readonly maxQueue: number,
  ) {}

  start(subscribe: () => Promise<SubscribeResult> | SubscribeResult): void {
    this.started = Promise.resolve().then(subscribe)
    this.started.then(
      (result) => {
        if (!isAsyncIterable(result)) return this.close()
        this.source = result[Symbol.asyncIterator]()
        if (this.closed) void this.source.return?.().catch(() => {})
        else void this.pump(this.source)
      },
      () => this.close(),
    )
  }

  /** A subscriber's own iterator, or the error result the subscription was refused with. */
  async join(
    signal: AbortSignal | undefined,
    sendSerialized?: (resultJson: string) => void,
    onDropped?: () => void,
  ): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const subscriber = new Subscriber(this, this.maxQueue, sendSerialized, onDropped)
    this.subscribers.add(subscriber) // from now on: what is published before it is handed out waits in its queue
    let result: SubscribeResult
    try {
      result = await this.started
    } catch (error) {
      this.leave(subscriber)
      throw error
    }
    // e.g. a bad argument: the ExecutionResult with its errors, to every subscriber that asked
    if (!isAsyncIterable(result)) {
      this.leave(subscriber)
      return result
    }
    if (signal) {
      if (signal.aborted) void subscriber.return()
      else signal.addEventListener('abort', () => void subscriber.return(), { once: true })
    }
    return subscriber as unknown as AsyncGenerator<ExecutionResult>
  }

  leave(subscriber: Subscriber): void {
    if (this.subscribers.delete(subscriber) && this.subscribers.size === 0) this.close()
  }

  /** No one is left (or the subscription failed): later subscribers start afresh; the source ends. */
  private close(): void {
    if (this.closed) return
    this.closed = true
    this.unregister()
    // Not awaited: an async generator parked on an await only returns at its next yield.
    if (this.source) void this.source.return?.().catch(() => {})
  }

  private async pump(source: Source): Promise<void> {
    try {
      while (!this.closed) {
        const step = await source.next()
        if (this.closed) return
        if (step.done) break
        const result = step.value
        // one result to every subscriber: a span of its own when tracing
        inRootSpan('subscription.deliver', { 'subscription.subscribers': this.subscribers.size }, () => {
          let json: string | undefined
          for (const subscriber of this.subscribers) {
            if (result.errors === undefined && subscriber.takesSerialized)
              subscriber.sendSerialized((json ??= JSON.stringify(result)))
            else subscriber.push(result)
          }
        })
      }
      for (const subscriber of this.subscribers) subscriber.end()
    } catch (error) {
      for (const subscriber of this.subscribers) subscriber.end(error)
    } finally {
      this.subscribers.clear()
      this.closed = true
      this.unregister()
    }
  }
}

/** One subscriber's view of the shared results: its own queue, read at its own pace. */
class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private queue: ExecutionResult[] = []
  private waiting: {
    resolve: (step: IteratorResult<ExecutionResult>) => void
    reject: (error: unknown) => void
  } | null = null
  private ended = false
  private failure: { error: unknown } | null = null

  constructor(
    private readonly group: Group,
    private readonly maxQueue: number,
    /** the transport's way to send a serialised result at once; dropped after the first result
     *  that goes the ordinary way, so that none overtakes it */
    private send?: (resultJson: string) => void,
    private readonly onDropped?: () => void,
  ) {}

  get takesSerialized(): boolean {
    return this.send !== undefined
  }

  /** Sends a result without errors, serialised, straight to the subscriber's connection. */
  sendSerialized(resultJson: string): void {
    if (!this.ended) this.send!(resultJson)
  }

  push(result: ExecutionResult): void {
    this.send = undefined
    if (this.ended) return
    if (this.waiting) {
      this.waiting.resolve({ value: result, done: false })
      this.waiting = null
    } else if (this.queue.length < this.maxQueue) {
      this.queue.push(result)
    } else {
      // Too slow: drop the backlog (bounded memory), tell it why, and stop feeding it. It can
      // resume from the last cursor it received, and the change log replays what it missed.
      this.queue = [overflowResult(this.maxQueue)]
      this.ended = true
      this.group.leave(this)
      this.onDropped?.()
    }
  }

  /** The source ended (or failed): what is queued is still delivered, then the end (or error). */
  end(error?: unknown): void {
    if (this.ended) return
    this.ended = true
    if (error !== undefined) this.failure = { error }
    if (this.waiting) {
      const { resolve, reject } = this.waiting
      this.waiting = null
      if (this.failure) reject(this.failure.error)
      else resolve({ value: undefined, done: true })
    }
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false })
    if (this.ended) {
      const failure = this.failure
      this.failure = null
      return failure ? Promise.reject(failure.error) : Promise.resolve({ value: undefined, done: true })
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }

  /** The subscriber leaves (unsubscribed, disconnected): the others carry on. */
  return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue = []
    this.failure = null
    this.ended = true
    if (this.waiting) {
      this.waiting.resolve({ value: undefined, done: true })
      this.waiting = null
    }
    this.group.leave(this)
    return Promise.resolve({ value: undefined, done: true })
  }

  throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    void this.return()
    return Promise.reject(error)
  }

  [Symbol.asyncIterator](): this {
    return this
  }
}
