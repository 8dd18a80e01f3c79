// When the server ends a WebSocket on its own: when a token it runs on expires, and when it has
// had no operation open for a while. (An HTTP request is authenticated once and ends; a socket
// would otherwise outlive its token, and an idle one holds a descriptor for nothing.)
import { WebSocket, type WebSocketServer } from 'ws'

/** graphql-ws's Forbidden, as for a bad token at connection_init: the token has expired. */
export const TOKEN_EXPIRED = 4403

/** No operation open for SOCKET_IDLE_TIMEOUT_MS (the first of the private-use codes). */
export const IDLE = 4000

/** Node's timers hold at most 2^31 − 1 ms (24.8 days); JWT_MAX_LIFETIME_SECONDS stays below. */
const MAX_DELAY = 2 ** 31 - 1

/**
 * The expiry of each token a socket runs on: the one its connection_init brought (key ''), and
 * those operations brought of their own (key: the operation's id). At a token's expiry the socket
 * is closed with 4403, if what the token was for is still running.
 */
export class TokenExpiry {
  private static readonly of = new WeakMap<WebSocket, TokenExpiry>()
  private readonly timers = new Map<string, NodeJS.Timeout>()

  static for(socket: WebSocket): TokenExpiry {
    let expiry = TokenExpiry.of.get(socket)
    if (!expiry) TokenExpiry.of.set(socket, (expiry = new TokenExpiry(socket)))
    return expiry
  }

  private constructor(private readonly socket: WebSocket) {
    socket.once('close', () => {
      for (const timer of this.timers.values()) clearTimeout(timer)
      this.timers.clear()
    })
  }

  at(key: string, expiresAt: number, stillRunning: () => boolean = () => true): void {
    this.drop(key)
    if (this.socket.readyState !== WebSocket.OPEN) return
    const timer = setTimeout(
      () => {
        this.timers.delete(key)
        if (stillRunning()) this.socket.close(TOKEN_EXPIRED, 'Token expired')
      },
      Math.min(Math.max(0, expiresAt - Date.now()), MAX_DELAY),
    )
    this.timers.set(key, timer)
  }

  /** The token of `key` no longer matters (its operation is over). */
  static forget(socket: WebSocket, key: string): void {
    TokenExpiry.of.get(socket)?.drop(key)
  }

  private drop(key: string): void {
    clearTimeout(this.timers.get(key))
    this.timers.delete(key)
  }
}

/**
 * Closes the sockets of `wss` that have had no operation open for `idleMs`, looking every quarter
 * of it. Returns `busy`, which marks a socket as in use now (an operation starting or ending).
 */
export function closeIdleSockets(wss: WebSocketServer, idleMs: number, operationsOpen: (socket: WebSocket) => number) {
  const lastBusy = new WeakMap<WebSocket, number>()
  const busy = (socket: WebSocket) => lastBusy.set(socket, Date.now())
  wss.on('connection', busy)
  const sweep = setInterval(
    () => {
      const now = Date.now()
      for (const socket of wss.clients) {
        if (socket.readyState !== WebSocket.OPEN) continue
        if (operationsOpen(socket) > 0) busy(socket)
        else if (now - (lastBusy.get(socket) ?? now) >= idleMs)
          socket.close(IDLE, `Idle: no operation for ${idleMs / 1000} s`)
      }
    },
    Math.max(25, Math.floor(idleMs / 4)),
  )
  sweep.unref()
  wss.once('close', () => clearInterval(sweep))
  return { busy }
}
