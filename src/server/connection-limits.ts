// Open WebSocket and SSE connections per client address (src/server/client-address.ts: the
// socket's peer or, behind TRUST_PROXY_HOPS proxies, the address they saw; IPv6 by its /64). Each
// holds a file descriptor for as long as the client likes, and one address filling the process's
// open-files limit would lock everyone out, /health included. So an address may hold
// CONNECTION_LIMIT_PUBLIC of them, or CONNECTION_LIMIT_EDITOR with an editor's token, counted per
// process (they are its descriptors). Plain HTTP requests do not count: they end, and Node closes
// idle keep-alive connections by itself.
//
// An SSE stream's token is in its request: the stream is refused with 429 at once. A WebSocket is
// counted from its upgrade request and refused there with 429, before the handshake completes;
// but its token only comes with connection_init, so the upgrade lets through up to the higher of
// the two limits, and a socket let through beyond the public one is closed with 4429 if its
// connection_init brings no editor's token.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import { addressKey, clientAddress } from './client-address.js'

export type ConnectionLimitSettings = Pick<
  Config,
  'CONNECTION_LIMIT_PUBLIC' | 'CONNECTION_LIMIT_EDITOR' | 'TRUST_PROXY_HOPS'
>

/** Close code for a socket over its address's limit (graphql-ws's "too many" code, which its
 *  client does not retry). */
export const TOO_MANY_CONNECTIONS = 4429

export const tooManyMessage = (limit: number) =>
  `Too many open connections from your address (at most ${limit}); close one first.`

export class ConnectionLimits {
  /** connections open per address key */
  private readonly open = new Map<string, number>()
  /** sockets let through the upgrade beyond the public limit, until connection_init */
  private readonly beyondPublic = new WeakSet<IncomingMessage>()
  /** addresses whose refusal was logged, until they hold no connection */
  private readonly logged = new Set<string>()

  constructor(
    private readonly settings: ConnectionLimitSettings,
    private readonly log: Logger,
  ) {}

  limit(editor: boolean): number {
    return editor ? this.settings.CONNECTION_LIMIT_EDITOR : this.settings.CONNECTION_LIMIT_PUBLIC
  }

  /** What an upgrade is held to: the higher limit (the token comes later). */
  get upgradeLimit(): number {
    return Math.max(this.settings.CONNECTION_LIMIT_PUBLIC, this.settings.CONNECTION_LIMIT_EDITOR)
  }

  /** Connections open from `req`'s address. */
  count(req: IncomingMessage): number {
    const key = this.keyOf(req)
    return key === null ? 0 : (this.open.get(key) ?? 0)
  }

  /** A WebSocket's upgrade: counted until its TCP socket closes, if its address has room. */
  admitUpgrade(req: IncomingMessage): boolean {
    const publicFull = this.count(req) >= this.settings.CONNECTION_LIMIT_PUBLIC
    const release = this.take(req, this.upgradeLimit)
    if (!release) return false
    req.socket.once('close', release)
    if (publicFull) this.beyondPublic.add(req)
    return true
  }

  /** A socket's connection_init: false for one let through beyond the public limit that brings no
   *  editor's token while its address is still over that limit. */
  admitInit(req: IncomingMessage, editor: boolean): boolean {
    if (editor || !this.beyondPublic.has(req)) return true
    if (this.count(req) <= this.settings.CONNECTION_LIMIT_PUBLIC) return true
    this.refused(this.keyOf(req)!, this.settings.CONNECTION_LIMIT_PUBLIC)
    return false
  }

  /** An SSE stream: counted until its response closes, if its address has room. */
  admitStream(req: IncomingMessage, res: ServerResponse, editor: boolean): boolean {
    const release = this.take(req, this.limit(editor))
    if (!release) return false
    res.once('close', release)
    return true
  }

  /** Counts a connection from `req`'s address if it holds fewer than `limit`; returns its release. */
  private take(req: IncomingMessage, limit: number): (() => void) | null {
    const key = this.keyOf(req)
    if (key === null) return () => {}
    const count = this.open.get(key) ?? 0
    if (count >= limit) {
      this.refused(key, limit)
      return null
    }
    this.open.set(key, count + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.open.get(key) ?? 1) - 1
      if (left > 0) this.open.set(key, left)
      else {
        this.open.delete(key)
        this.logged.delete(key)
      }
    }
  }

  /** Said once per address while it keeps connections open: a flood would flood the log too. */
  private refused(key: string, limit: number) {
    if (this.logged.has(key)) return
    this.logged.add(key)
    this.log.warn({ address: key, limit }, 'connection limit reached; refusing more connections from this address')
  }

  private keyOf(req: IncomingMessage): string | null {
    const address = clientAddress(req, this.settings.TRUST_PROXY_HOPS)
    return address === undefined ? null : addressKey(address)
  }
}
