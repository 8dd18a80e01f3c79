// GraphQL over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the same port and path
// as HTTP. Every operation goes through Yoga's envelope — parse, validate, context, the same
// plugins as HTTP — so the socket is held to the same rules.
import type { Server } from 'node:http'
import type { YogaServerInstance } from 'graphql-yoga'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import { TokenError, viewerFromHeader, type TokenSettings } from '../auth/token.js'
import type { Context } from '../context.js'

/** Connection parameters a client may send in connection_init. */
interface ConnectionParams {
  authorization?: unknown
}

export function attachWebSocket(server: Server, yoga: YogaServerInstance<Record<string, unknown>, Context>, auth: TokenSettings) {
  const wss = new WebSocketServer({ server, path: '/graphql' })
  useServer(
    {
      // A bad token refuses the connection (4403), as a bad one refuses an HTTP request.
      onConnect: async ({ connectionParams }) => {
        const header = (connectionParams as ConnectionParams | undefined)?.authorization
        if (header == null) return true
        try {
          return (await viewerFromHeader(auth, String(header))) !== null
        } catch (error) {
          if (error instanceof TokenError) return false
          throw error
        }
      },
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        // The context is built from a Request, as for HTTP: the upgrade's headers, with the
        // token from connection_init as its Authorization.
        const headers = new Headers()
        const requestId = ctx.extra.request.headers['x-request-id']
        if (typeof requestId === 'string') headers.set('x-request-id', requestId)
        const authorization = (ctx.connectionParams as ConnectionParams | undefined)?.authorization
        if (authorization != null) headers.set('authorization', String(authorization))
        const request = new Request('http://websocket/graphql', { method: 'POST', headers })
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
          params,
          socket: ctx.extra.socket,
        })
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        }
        const errors = validate(args.schema, args.document)
        if (errors.length) return errors
        return args
      },
    },
    wss,
  )
  return wss
}
