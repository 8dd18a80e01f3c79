// Which addresses an outbound request (a webhook, a purge) may reach. In production nothing on a
// private, loopback, link-local or otherwise non-public address is reached unless allow-listed:
// a registered URL must not become a way into the newsroom's own network (SSRF).
import { BlockList, isIP } from 'node:net'

const NON_PUBLIC = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6')

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d, ::a.b.c.d) is judged as the IPv4 address. */
function unmapped(address: string): string {
  const match = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return match ? match[1]! : address
}

/** Whether an IP address is not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const bare = unmapped(address.replace(/^\[|\]$/g, ''))
  const family = isIP(bare)
  if (family === 0) return true // not an address: never reached as one
  return NON_PUBLIC.check(bare, family === 4 ? 'ipv4' : 'ipv6')
}

/** An allow-list of hosts and networks (OUTBOUND_ALLOW: `purge.internal,10.1.0.0/16,::1`). */
export class AllowList {
  private readonly hosts = new Set<string>()
  private readonly networks = new BlockList()

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [net, prefix] = entry.split('/')
      const bare = unmapped(net!.replace(/^\[|\]$/g, ''))
      const family = isIP(bare)
      if (family === 0) this.hosts.add(entry.toLowerCase())
      else if (prefix === undefined) this.networks.addAddress(bare, family === 4 ? 'ipv4' : 'ipv6')
      else this.networks.addSubnet(bare, Number(prefix), family === 4 ? 'ipv4' : 'ipv6')
    }
  }

  /** Whether the host (as named in the URL) or the address it resolved to is listed. */
  allows(host: string, address?: string): boolean {
    if (this.hosts.has(host.toLowerCase())) return true
    const bare = address ? unmapped(address) : null
    const family = bare ? isIP(bare) : 0
    return family !== 0 && this.networks.check(bare!, family === 4 ? 'ipv4' : 'ipv6')
  }
}

/** Parses OUTBOUND_ALLOW's entries; throws on a malformed network. */
export function parseAllowEntry(entry: string): string {
  const [net, prefix, extra] = entry.split('/')
  if (extra !== undefined || !net) throw new Error(`${entry}: not a host, address or network`)
  if (prefix === undefined) return entry
  const family = isIP(unmapped(net.replace(/^\[|\]$/g, '')))
  const bits = Number(prefix)
  if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128))
    throw new Error(`${entry}: not a network such as 10.1.0.0/16`)
  return entry
}
