// Traces (OpenTelemetry), off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Then startTracing
// (src/main.ts, before the app is built) loads the SDK (src/server/tracing-sdk.ts, imported only
// then) and spans go over OTLP/HTTP: one per HTTP request (continuing a client's W3C
// `traceparent`), one per WebSocket operation, the GraphQL phases beneath (operation name and a
// hash of the document, never the variables), every SQL statement (Prisma), Redis calls, each
// change-feed read and each subscription delivery batch. Log lines carry trace_id and span_id.
//
// This module uses only @opentelemetry/api: with tracing off every helper here returns at once.
import { createHash } from 'node:crypto'
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api'
import { getOperationAST, parse as parseDocument, type DocumentNode } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { requestIdOf } from './request-id.js'

export const TRACER_NAME = 'news-graph'
/** the span attribute naming the request id (X-Request-Id, echoed on the response) */
export const REQUEST_ID_ATTRIBUTE = 'news_graph.request_id'

let enabled = false

/** Whether spans are made (the SDK was started). */
export const tracingEnabled = () => enabled

export interface Tracing {
  /** flushes the spans not yet sent and stops the SDK */
  shutdown(): Promise<void>
}

/**
 * Starts the SDK when `endpoint` (OTEL_EXPORTER_OTLP_ENDPOINT) is set; else does nothing and
 * loads nothing. Call before anything the instrumentations patch is used (the app is built).
 */
export async function startTracing(endpoint: string | undefined, serviceName: string): Promise<Tracing | null> {
  if (!endpoint) return null
  const { startSdk } = await import('./tracing-sdk.js')
  const sdk = await startSdk(serviceName)
  enabled = true
  return {
    async shutdown() {
      enabled = false
      await sdk.shutdown()
    },
  }
}

const tracer = () => trace.getTracer(TRACER_NAME)

/** trace_id and span_id of the active span, for log lines (pino's mixin; src/logger.ts). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  if (!enabled) return {}
  const spanContext = trace.getSpan(context.active())?.spanContext()
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {}
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId }
}

/**
 * Runs `fn` in a span of its own trace (background work: a change-feed read, a delivery batch),
 * linked to the span it was started from if any, so that it does not stretch a request's trace.
 */
export function inRootSpan<T>(name: string, attributes: Attributes, fn: (span: Span | null) => T): T {
  if (!enabled) return fn(null)
  const from = trace.getSpan(context.active())?.spanContext()
  const links = from && trace.isSpanContextValid(from) ? [{ context: from }] : []
  return tracer().startActiveSpan(name, { root: true, links, attributes }, ROOT_CONTEXT, (span) =>
    endAfter(span, () => fn(span)),
  )
}

/** Runs `fn`, then ends `span`: when it returns, or when its promise settles; an error marks it failed. */
function endAfter<T>(span: Span, fn: () => T): T {
  try {
    const result = fn()
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => (span.end(), value),
        (error: unknown) => {
          failed(span, error)
          span.end()
          throw error
        },
      ) as T
    }
    span.end()
    return result
  } catch (error) {
    failed(span, error)
    span.end()
    throw error
  }
}

function failed(span: Span, error: unknown) {
  span.recordException(error instanceof Error ? error : String(error))
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) })
}

/** A hash of an operation's text (SHA-256, hex): names the document in a span without showing it. */
export const documentHash = (text: string) => createHash('sha256').update(text).digest('hex')

interface Params {
  query?: string
  operationName?: string | null
}

/** The operation's name and type, and its document's hash, from its parameters (never its variables). */
function operationAttributes(params: Params | undefined, document?: DocumentNode): Attributes {
  const attributes: Attributes = {}
  if (typeof params?.query === 'string') attributes['graphql.document.hash'] = documentHash(params.query)
  const operation = document ? getOperationAST(document, params?.operationName ?? undefined) : null
  const name = params?.operationName ?? operation?.name?.value
  if (name) attributes['graphql.operation.name'] = name
  if (operation) attributes['graphql.operation.type'] = operation.operation
  return attributes
}

/** Runs a GraphQL phase in a span (the active one meanwhile); ends it when the phase ends. */
function phase(name: string, attributes: () => Attributes, wrapped: () => unknown): unknown {
  if (!enabled) return wrapped()
  const span = tracer().startSpan(`graphql.${name}`, { attributes: attributes() })
  // once parsed, the document names the operation (when the request did not)
  return inSpan(span, () => {
    const result = wrapped()
    if (name === 'parse') span.setAttributes(attributes())
    return result
  })
}

function inSpan(span: Span, wrapped: () => unknown): unknown {
  const ctx = trace.setSpan(context.active(), span)
  return endAfter(span, () => context.with(ctx, wrapped))
}

/** The documents parsed by each operation's context, for the later phases' attributes. */
const documents = new WeakMap<object, DocumentNode>()

/**
 * Spans for GraphQL's parse, validate, context building, execute and subscribe (Yoga's
 * instrumentation: each phase runs inside its span), named by the operation and its document's
 * hash; and the request id on the request's span (the HTTP or WebSocket operation span).
 */
export function useTracing(): Plugin {
  const attributesOf = (ctx: { params?: unknown }) => () =>
    operationAttributes(ctx.params as Params | undefined, documents.get(ctx as object))
  return {
    onRequest({ request }) {
      if (enabled) trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, requestIdOf(request))
    },
    onParse({ context: ctx }) {
      if (!enabled) return
      return ({ result }) => {
        if (result && typeof result === 'object' && 'kind' in result) documents.set(ctx, result as DocumentNode)
      }
    },
    instrumentation: {
      parse: ({ context: ctx }, wrapped) => void phase('parse', attributesOf(ctx), wrapped),
      validate: ({ context: ctx }, wrapped) => void phase('validate', attributesOf(ctx), wrapped),
      context: ({ context: ctx }, wrapped) => {
        // the request's span (HTTP, or the WebSocket operation's) is the active one here
        if (enabled && ctx.request instanceof Request)
          trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, requestIdOf(ctx.request))
        void phase('context', attributesOf(ctx), wrapped)
      },
      execute: ({ context: ctx }, wrapped) => phase('execute', attributesOf(ctx), wrapped) as Promise<void> | void,
      subscribe: ({ context: ctx }, wrapped) => phase('subscribe', attributesOf(ctx), wrapped) as Promise<void> | void,
    },
  }
}

/** The open span of each WebSocket operation, by socket and operation id. */
const operationSpans = new WeakMap<object, Map<string, Span>>()

interface SocketLike {
  once(event: 'close', listener: () => void): unknown
}

/**
 * graphql-ws's onSubscribe, traced: each operation gets a span (the root of its own trace, from
 * its subscribe message to its completion: endSocketOperation) inside which it is prepared,
 * parsed, validated, and executed or subscribed.
 */
export function traceSocketOperations<Ctx extends { extra: { socket: SocketLike } }, P extends Params, R>(
  onSubscribe: (ctx: Ctx, id: string, params: P) => Promise<R>,
): (ctx: Ctx, id: string, params: P) => Promise<R> {
  return async (ctx, id, params) => {
    if (!enabled) return onSubscribe(ctx, id, params)
    const socket = ctx.extra.socket
    let spans = operationSpans.get(socket)
    if (!spans) {
      operationSpans.set(socket, (spans = new Map()))
      socket.once('close', () => endSocketOperation(socket))
    }
    spans.get(id)?.end()
    let document: DocumentNode | undefined
    try {
      document = typeof params.query === 'string' ? parseDocument(params.query, { noLocation: true }) : undefined
    } catch {
      document = undefined
    }
    const attributes = operationAttributes(params, document)
    const name = ['graphql.ws', attributes['graphql.operation.type'], attributes['graphql.operation.name']]
    const span = tracer().startSpan(
      name.filter(Boolean).join(' '),
      { kind: SpanKind.SERVER, root: true, attributes: { ...attributes, 'graphql.ws.operation_id': id } },
      ROOT_CONTEXT,
    )
    spans.set(id, span)
    const active = trace.setSpan(ROOT_CONTEXT, span)
    try {
      const result = await context.with(active, () => onSubscribe(ctx, id, params))
      if (Array.isArray(result)) endSocketOperation(socket, id, result[0])
      const root = (result as { rootValue?: Record<string, unknown> } | undefined)?.rootValue
      // graphql-ws runs the operation later, outside this call: in the operation's span
      for (const key of ['execute', 'subscribe'])
        if (root && typeof root[key] === 'function') root[key] = context.bind(active, root[key] as () => unknown)
      return result
    } catch (error) {
      endSocketOperation(socket, id, error)
      throw error
    }
  }
}

/** Ends a WebSocket operation's span (every one of the socket's when no id is given). */
export function endSocketOperation(socket: object, id?: string, error?: unknown): void {
  const spans = operationSpans.get(socket)
  if (!spans) return
  for (const [key, span] of spans) {
    if (id !== undefined && key !== id) continue
    if (error !== undefined) failed(span, error)
    span.end()
    spans.delete(key)
  }
}
