// GraphQL over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the same port and path
// as HTTP. Every operation goes through Yoga's envelope — parse, validate, context, the same
// plugins as HTTP — so the socket is held to the same rules.
//
// Limits of one socket (see WebSocketOptions). What breaks the protocol closes the socket with
// graphql-ws's codes: 4400 a message that is not one (bad JSON, unknown type), 4401 subscribe
// before connection_ack, 4403 a forged token, 4408 no connection_init in time, 4409 an id already
// in use, 4429 a second connection_init. ws itself closes with 1009 on a frame over maxPayload; a
// consumer too slow to keep up is closed with 1013 (reconnect and resume with `since`). The
// server also ends a socket over its address's connection limit (429 at the upgrade, or 4429;
// src/server/connection-limits.ts), at the expiry of a token it runs on (4403), and after
// idleTimeoutMs without an operation (4000; src/server/socket-lifetime.ts).
import { setMaxListeners } from 'node:events'
import type { IncomingMessage, Server } from 'node:http'
import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql'
import type { YogaServerInstance } from 'graphql-yoga'
import type { Context as SocketContext, SubscribePayload } from 'graphql-ws'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocket, WebSocketServer } from 'ws'
import { unauthenticated } from '../auth/authenticate.js'
import { authorizationIn, TokenError, verifyToken, type TokenSettings } from '../auth/token.js'
import type { Context } from '../context.js'
import { TOO_MANY_CONNECTIONS, tooManyMessage, type ConnectionLimits } from './connection-limits.js'
import { NO_LIVE_COUNTERS, type LiveCounters } from './metrics.js'
import { closeIdleSockets, TokenExpiry } from './socket-lifetime.js'
import { endSocketOperation, traceSocketOperations } from './tracing.js'

/** Yoga's envelope of one operation, by which it runs. */
type Enveloped = Pick<
  ReturnType<YogaServerInstance<Record<string, unknown>, Context>['getEnveloped']>,
  'execute' | 'subscribe'
>

/** Limits of each socket; every one is optional. */
export interface WebSocketOptions {
  /** ms a client has after connecting to send connection_init; then 4408. Default 3 000. */
  initTimeoutMs?: number
  /** ms between keep-alive pings; a socket that has not answered a ping within as long again is
   *  dropped. 0 turns them off. Default 12 000. */
  keepAliveMs?: number
  /** the largest message a client may send, in bytes; ws closes the socket with 1009 on a bigger
   *  one. Default 65 536 (64 KiB). */
  maxPayload?: number
  /** subscriptions one socket may have open at once; the next gets an `error` message for its id
   *  (code TOO_MANY_SUBSCRIPTIONS) and the socket and the others go on. Queries and mutations over
   *  the socket do not count. Default 20. */
  maxSubscriptions?: number
  /** bytes that may wait in a socket's send buffer (a consumer not reading fast enough); a message
   *  to send beyond it closes the socket with 1013, and the client resumes by cursor. Default
   *  1 048 576 (1 MiB). */
  sendBufferCap?: number
  /** Runs before each operation is parsed, with the request made for it and its parameters:
   *  what HTTP requests go through before parsing (introspection exposure, trusted documents; see
   *  operationGate in exposure.ts). Returns the parameters to run; a GraphQLError refuses the
   *  operation with an `error` message. */
  prepare?: (request: Request, params: SubscribePayload, upgrade: IncomingMessage) => Promise<SubscribePayload>
  /** connections per client address (CONNECTION_LIMIT_*); none when not given */
  limits?: ConnectionLimits
  /** ms a socket may stay without an operation open before it is closed with 4000
   *  (SOCKET_IDLE_TIMEOUT_MS); never when not given */
  idleTimeoutMs?: number
  /** counts serialised deliveries and slow consumers closed (src/server/metrics.ts) */
  counters?: LiveCounters
}

export const WEBSOCKET_DEFAULTS: Required<Omit<WebSocketOptions, 'prepare' | 'limits' | 'idleTimeoutMs' | 'counters'>> =
  {
    initTimeoutMs: 3_000,
    keepAliveMs: 12_000,
    maxPayload: 65_536,
    maxSubscriptions: 20,
    sendBufferCap: 1_048_576,
  }

/** Close code for a consumer too slow for its send buffer (RFC 6455 "try again later"). */
export const TRY_AGAIN_LATER = 1013

export function attachWebSocket(
  server: Server,
  yoga: YogaServerInstance<Record<string, unknown>, Context>,
  auth: TokenSettings,
  options: WebSocketOptions = {},
) {
  const {
    initTimeoutMs,
    keepAliveMs,
    maxPayload,
    maxSubscriptions,
    sendBufferCap,
    prepare,
    limits,
    idleTimeoutMs,
    counters = NO_LIVE_COUNTERS,
  } = {
    ...WEBSOCKET_DEFAULTS,
    ...options,
  }
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload,
    // before the handshake completes: a refused client gets 429 and no socket
    verifyClient:
      limits &&
      (({ req }, done) =>
        limits.admitUpgrade(req) ? done(true) : done(false, 429, tooManyMessage(limits.upgradeLimit))),
  })
  /** graphql-ws's context of each socket, and the ids of the subscriptions open on it. */
  const contexts = new WeakMap<WebSocket, SocketContext>()
  const subscriptionIds = new WeakMap<SocketContext, Set<string>>()
  // Registered before useServer's listener, so the socket's send is bounded before anything is sent.
  wss.on('connection', (socket) =>
    capSendBuffer(socket, sendBufferCap, () => {
      counters.dropped('ws', 'send_buffer')
      endOperations(contexts.get(socket))
    }),
  )
  const idle = idleTimeoutMs
    ? closeIdleSockets(wss, idleTimeoutMs, (socket) => Object.keys(contexts.get(socket)?.subscriptions ?? {}).length)
    : null

  /** The subscriptions open on a socket: the ids recorded when they started that graphql-ws still
   *  runs (it forgets an id when the client completes it and when it ends by itself, also on the
   *  paths where onComplete is not called, e.g. an operation that failed to start). */
  function openSubscriptions(ctx: SocketContext): Set<string> {
    let ids = subscriptionIds.get(ctx)
    if (!ids) subscriptionIds.set(ctx, (ids = new Set()))
    for (const id of ids) if (!(id in ctx.subscriptions)) ids.delete(id)
    return ids
  }

  useServer(
    {
      connectionInitWaitTimeout: initTimeoutMs,
      // A bad token refuses the connection (4403), as a bad one refuses an HTTP request; a good
      // one closes it (4403) when it expires.
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra
        contexts.set(socket, ctx)
        let token: Awaited<ReturnType<typeof verifyToken>>
        try {
          token = await verifyToken(auth, authorizationIn(ctx.connectionParams))
        } catch (error) {
          if (error instanceof TokenError) return false
          throw error
        }
        if (limits && !limits.admitInit(request, token !== null)) {
          socket.close(TOO_MANY_CONNECTIONS, tooManyMessage(limits.limit(false)))
          return false
        }
        if (token) TokenExpiry.for(socket).at('', token.expiresAt)
        return true
      },
      // the operation's root value is its envelope's execute and subscribe (onSubscribe, below)
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      // each operation in a span of its own when tracing (src/server/tracing.ts)
      onSubscribe: traceSocketOperations(async (ctx, id, params) => {
        idle?.busy(ctx.extra.socket)
        // The context is built from a Request, as for HTTP: the upgrade's headers, with as its
        // Authorization the token the operation brought of its own (GraphiQL sends its Headers
        // pane in the operation's extensions) or else the one from connection_init.
        const headers = new Headers()
        const requestId = ctx.extra.request.headers['x-request-id']
        if (typeof requestId === 'string') headers.set('x-request-id', requestId)
        let own: string | undefined
        let authorization: string | undefined
        try {
          own = authorizationIn(headersOf(params.extensions))
          authorization = own ?? authorizationIn(ctx.connectionParams)
        } catch (error) {
          if (error instanceof TokenError) return [forTheSocket(unauthenticated(error))]
          throw error
        }
        if (authorization !== undefined) headers.set('authorization', authorization)
        // its signal aborts when the socket closes: a query or mutation still running is cancelled
        // (src/server/timeout.ts), as when an HTTP client goes away
        const request = new Request('http://websocket/graphql', {
          method: 'POST',
          headers,
          signal: closedSignal(ctx.extra.socket),
        })
        const sent = params
        if (prepare) {
          try {
            params = await prepare(request, params, ctx.extra.request)
          } catch (error) {
            if (error instanceof GraphQLError) return [forTheSocket(error)]
            throw error
          }
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
          params,
          socket: ctx.extra.socket,
          // the upgrade request, as Yoga's Node adapter passes an HTTP request's: for the client's
          // address (src/server/client-address.ts)
          req: ctx.extra.request,
          sendSerialized: nextMessageSender(ctx.extra.socket, id, counters),
        })
        // As over HTTP: parse, validate, then the context; a syntax error is an `error` message
        // for this operation, not a broken socket.
        let document: DocumentNode
        try {
          document = parse(params.query)
        } catch (error) {
          if (error instanceof GraphQLError) return [forTheSocket(error)]
          throw error
        }
        const errors = validate(schema, document)
        if (errors.length) return errors.map(forTheSocket)
        // graphql-ws holds the payload it was sent for as long as the operation runs, and the context
        // the one prepared from it: one copy of the text for all the operations that sent it (the
        // document cache hands them one document)
        const text = sharedText(document, params.query)
        for (const payload of [sent, params]) if (payload.query === text) (payload as { query: string }).query = text
        if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
          const open = openSubscriptions(ctx)
          if (open.size >= maxSubscriptions) {
            return [
              new GraphQLError(
                `At most ${maxSubscriptions} subscriptions may be open on one socket; complete one first.`,
                {
                  extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
                },
              ),
            ]
          }
          open.add(id)
        }
        let contextValue: Awaited<ReturnType<typeof contextFactory>>
        try {
          contextValue = await contextFactory()
        } catch (error) {
          // a bad token sent with the operation refuses that operation (UNAUTHENTICATED)
          if (error instanceof GraphQLError) return [forTheSocket(error)]
          throw error
        }
        // a subscription on a token of its own ends the socket when that token expires (one from
        // connection_init does already)
        if (own !== undefined && subscriptionIds.get(ctx)?.has(id)) {
          // (one that expired since the context was built expires now)
          const token = await verifyToken(auth, own).catch(() => null)
          TokenExpiry.for(ctx.extra.socket).at(id, token?.expiresAt ?? 0, () => id in ctx.subscriptions)
        }
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        }
      }),
      // Yoga's `http` extension (an error's HTTP status, e.g. a timeout's 504) is for HTTP
      // responses, which leave it out; results sent over the socket leave it out too
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.some((error) => error instanceof GraphQLError && error.extensions?.http)
          ? {
              ...result,
              errors: result.errors.map((error) =>
                error instanceof GraphQLError ? forTheSocket(error).toJSON() : error,
              ),
            }
          : undefined,
      onComplete: (ctx, id) => {
        endSocketOperation(ctx.extra.socket, id)
        subscriptionIds.get(ctx)?.delete(id)
        TokenExpiry.forget(ctx.extra.socket, id)
        idle?.busy(ctx.extra.socket)
      },
    },
    wss,
    keepAliveMs,
  )
  return wss
}

const queryTexts = new WeakMap<DocumentNode, string>()

/** The first text seen of a document, for every operation whose text parsed to that document. */
function sharedText(document: DocumentNode, text: string): string {
  const first = queryTexts.get(document)
  if (first !== undefined) return first
  queryTexts.set(document, text)
  return text
}

/** Sends this operation a `next` message whose payload is already JSON (shared subscriptions
 *  serialise a result once for all their subscribers: src/live/fan-out.ts), the same bytes
 *  graphql-ws would send; through the socket's bounded send (capSendBuffer). The JSON, the same
 *  string for every subscriber of a result, is encoded once (utf8Of); each socket's message is
 *  then its own head, that and the tail, copied into one buffer sent as a text frame. */
function nextMessageSender(socket: WebSocket, id: string, counters: LiveCounters): (resultJson: string) => void {
  const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`)
  return (resultJson) => {
    if (socket.readyState !== WebSocket.OPEN) return
    const payload = utf8Of(resultJson)
    socket.send(Buffer.concat([head, payload, MESSAGE_TAIL], head.length + payload.length + 1), AS_TEXT)
    counters.delivered('ws')
  }
}

const MESSAGE_TAIL = Buffer.from('}')
const AS_TEXT = { binary: false }
let lastJson: string | null = null
let lastUtf8 = Buffer.alloc(0)

/** The last result's JSON as UTF-8, encoded when it changes (once per result, not per socket). */
function utf8Of(json: string): Buffer {
  if (json !== lastJson) {
    lastUtf8 = Buffer.from(json)
    lastJson = json
  }
  return lastUtf8
}

const closedSignals = new WeakMap<WebSocket, AbortSignal>()

/** A signal that aborts when the socket closes. */
function closedSignal(socket: WebSocket): AbortSignal {
  let signal = closedSignals.get(socket)
  if (!signal) {
    const controller = new AbortController()
    // one listener per operation on the socket; their number is bounded by maxSubscriptions
    setMaxListeners(0, controller.signal)
    if (socket.readyState === WebSocket.CLOSED) controller.abort()
    else socket.once('close', () => controller.abort())
    closedSignals.set(socket, (signal = controller.signal))
  }
  return signal
}

/** Bounds what may wait in a socket's send buffer. graphql-ws sends a subscription's next message
 *  only once the last one left the process, so a consumer that stops reading would hold its
 *  subscriptions' changes queued in memory, unbounded; instead each send returns at once and the
 *  buffer takes the backlog, up to `cap` bytes: a message to send beyond it is dropped and the
 *  socket closed with 1013 (after what it holds, so the client reads every message before the
 *  close and resumes from the last cursor). */
function capSendBuffer(socket: WebSocket, cap: number, onOverflow: () => void) {
  const send = socket.send.bind(socket)
  type Options = Parameters<typeof send>[1]
  // (called once per delivery per socket: no arrays or objects made on the way)
  socket.send = ((data: Parameters<WebSocket['send']>[0], options?: Options | Done, cb?: Done) => {
    const done = typeof options === 'function' ? options : cb
    if (socket.bufferedAmount > cap) {
      if (socket.readyState === WebSocket.OPEN) {
        socket.close(TRY_AGAIN_LATER, 'Too slow to keep up: reconnect and resume from your last cursor')
        onOverflow()
      }
    } else {
      send(data, typeof options === 'object' ? options : NO_OPTIONS)
    }
    done?.()
  }) as WebSocket['send']
}

type Done = (error?: Error) => void
const NO_OPTIONS = {}

/** Stops a socket's operations now rather than when its close handshake ends (which a client not
 *  reading may hold off for ws's 30 s): each ends at its next message. */
function endOperations(ctx: SocketContext | undefined) {
  for (const operation of Object.values(ctx?.subscriptions ?? {})) {
    if (operation && 'return' in operation && typeof operation.return === 'function')
      operation.return(undefined).catch(() => {})
  }
}

/** A GraphQL error as a socket sends it: without the `http` extension Yoga adds for its HTTP
 *  responses (and leaves out of them). */
function forTheSocket(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions ?? {}
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  })
}

/** The headers GraphiQL put in an operation's `extensions`. */
function headersOf(extensions: unknown): unknown {
  return (extensions as { headers?: unknown } | null | undefined)?.headers
}
