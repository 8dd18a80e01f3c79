// The address of the client a request comes from, for per-client limits. Yoga on Node's HTTP
// server hands every request's IncomingMessage to the context as `req` (@whatwg-node/server's
// Node adapter puts `{ req, res }` in the server context); the WebSocket path passes the upgrade
// request under the same name (src/server/websocket.ts). A request with neither (`yoga.fetch` in
// tests) has no address.
import type { IncomingMessage } from 'node:http'
import { isIP, isIPv6 } from 'node:net'

/**
 * The client's address: the socket's peer, or — behind `trustProxyHops` proxies (TRUST_PROXY_HOPS)
 * — the address the outermost trusted proxy saw. Each proxy appends the address it received the
 * request from to X-Forwarded-For, so reading from the right, the socket's peer is the nearest
 * proxy, the last entry the address that proxy saw, and so on: the client is `trustProxyHops`
 * steps along. Entries to the left of that were written by the client and are never trusted.
 * With fewer entries than hops, the leftmost is taken; an entry that is not an IP address leaves
 * the last trustworthy one.
 */
export function clientAddress(
  req: Pick<IncomingMessage, 'headers' | 'socket'> | undefined,
  trustProxyHops: number,
): string | undefined {
  const peer = req?.socket?.remoteAddress
  if (!req || !peer) return undefined
  let address = peer
  if (trustProxyHops > 0) {
    const header = req.headers['x-forwarded-for']
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .reverse()
    for (const entry of forwarded.slice(0, trustProxyHops)) {
      if (!isIP(entry)) break
      address = entry
    }
  }
  return address
}

/**
 * The key a client's budget is kept under: an IPv4 address as it is (IPv4-mapped IPv6 written as
 * IPv4), an IPv6 address by its /64 — one subscriber's network, which it can pick any address of.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1]
  const bare = address.replace(/%.*$/, '') // a zone index (fe80::1%eth0)
  if (!isIPv6(bare)) return address
  const [head, tail] = bare.split('::')
  const groups = (part: string | undefined) => (part ? part.split(':') : [])
  // a trailing dotted IPv4 part is two groups; it can only be in the low 64 bits anyway
  const width = (parts: string[]) => parts.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0)
  const left = groups(head)
  const right = groups(tail)
  const full =
    tail === undefined ? left : [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right]
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`
}
