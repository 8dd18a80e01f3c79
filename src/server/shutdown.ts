// Graceful shutdown, on SIGTERM (src/main.ts). In this order:
//
//   1. /ready answers 503 (src/server/lifecycle.ts), and the listening socket closes: a new
//      connection is refused, which is how a load balancer's probe or a client sees it at once.
//      Idle keep-alive connections are closed.
//   2. WebSockets are closed with 1001 (going away): graphql-ws clients reconnect, elsewhere, and
//      resume from their last cursor. Server-Sent Events streams end (`complete`).
//   3. Requests in flight finish, and their responses close their connections.
//   4. Then the background work stops (scheduler round, change feed, Redis notices) and the caller
//      closes the database pool.
//
// The caller bounds all of it by SHUTDOWN_TIMEOUT_MS (see stopServer in src/server/start.ts). A
// write is never cut in half either way: each is one transaction, and one whose connection is
// dropped by an exit rolls back.
import type { Server } from 'node:http'
import type { WebSocketServer } from 'ws'
import type { Lifecycle } from './lifecycle.js'

/** RFC 6455 "going away": the server is shutting down; the client may reconnect (elsewhere). */
export const GOING_AWAY = 1001

export interface Drainable {
  server: Server
  wss: WebSocketServer
  lifecycle: Lifecycle
  /** stops the background work once no request is left (awaits a write in progress) */
  stopBackground(): Promise<void>
}

/**
 * A response that ends while draining leaves a keep-alive connection idle, which Node would keep
 * until its keep-alive timeout: close it as soon as it is idle. Call once, when the server is made.
 */
export function closeConnectionsWhenIdle(server: Server, lifecycle: Lifecycle): void {
  server.on('request', (_request, response) => {
    response.once('close', () => {
      // after Node has detached the socket from the response, so it counts as idle
      if (lifecycle.phase === 'draining') setImmediate(() => server.closeIdleConnections())
    })
  })
}

/** Drains the server; resolves once every connection is closed and the background work stopped. */
export async function drain({ server, wss, lifecycle, stopBackground }: Drainable): Promise<void> {
  lifecycle.drain()
  // stops listening and closes idle connections; calls back once every connection is gone
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  for (const socket of wss.clients) socket.close(GOING_AWAY, 'Server shutting down; reconnect')
  wss.close()
  // a stream that ended just now leaves its connection idle
  setImmediate(() => server.closeIdleConnections())
  await closed
  await stopBackground()
}

/** What a shutdown is still waiting for: for the log when it runs out of time. */
export async function stillRunning({ server, wss, lifecycle }: Omit<Drainable, 'stopBackground'>) {
  const connections = await new Promise<number>((resolve) =>
    server.getConnections((error, count) => resolve(error ? -1 : count)),
  )
  return { operations: lifecycle.running(), connections, websockets: wss.clients.size }
}
