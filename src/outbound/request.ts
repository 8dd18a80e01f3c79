// Every request this server makes to another system (webhooks, CDN purges) goes through here:
// bounded in time, never following redirects, and, when guarding (production), never reaching a
// non-public address unless allow-listed. The address is checked after DNS resolution, at the
// moment of connecting, and the connection goes to the address that was checked, so a name that
// resolves to a public address when registered and to 10.0.0.1 later (DNS rebinding) is refused.
import { lookup as dnsLookup } from 'node:dns/promises'
import type { LookupAddress } from 'node:dns'
import { isIP } from 'node:net'
import { Agent, request } from 'undici'
import type { Config } from '../config.js'
import { AllowList, isNonPublicAddress } from './address.js'

/** Resolves a host name to its addresses (node:dns by default; tests give their own). */
export type Resolver = (host: string) => Promise<LookupAddress[]>

export interface OutboundPolicy {
  /** refuse non-public addresses (on in production) */
  guard: boolean
  /** hosts and networks reached even so (OUTBOUND_ALLOW) */
  allow: AllowList
  /** the longest a request may take, connecting and reading the answer included */
  timeoutMs: number
  resolve?: Resolver
}

/** A destination that may not be reached; `code` for clients to branch on. */
export class OutboundRefused extends Error {
  readonly code = 'OUTBOUND_ADDRESS_REFUSED'
}

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true })

/** The addresses a URL's host reaches, each checked; throws OutboundRefused for any refused. */
export async function checkDestination(url: URL, policy: OutboundPolicy): Promise<LookupAddress[]> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefused(`${url.protocol} is not http(s)`)
  if (url.username || url.password) throw new OutboundRefused('credentials in the URL are not sent')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const family = isIP(host)
  const addresses = family ? [{ address: host, family }] : await (policy.resolve ?? systemResolver)(host)
  if (addresses.length === 0) throw new OutboundRefused(`${host} does not resolve`)
  if (policy.guard)
    for (const { address } of addresses)
      if (isNonPublicAddress(address) && !policy.allow.allows(host, address))
        throw new OutboundRefused(`${host} resolves to ${address}, which is not a public address (OUTBOUND_ALLOW)`)
  return addresses
}

export interface OutboundAnswer {
  status: number
  /** the first 2 KiB of the answer's body, for the delivery's record */
  body: string
}

export interface OutboundRequest {
  method: 'POST' | 'PURGE' | 'GET' | 'DELETE'
  headers: Record<string, string>
  body?: string
}

/** A client for outbound requests under one policy. */
export function createOutbound(policy: OutboundPolicy) {
  // net.connect's lookup: resolves and checks at connect time, and connects to what it checked
  const lookup = (
    hostname: string,
    options: { all?: boolean },
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    checkDestination(new URL(`http://${hostname.includes(':') ? `[${hostname}]` : hostname}`), policy).then(
      (addresses) =>
        options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family),
      (error: Error) => callback(error, ''),
    )
  }
  const agent = new Agent({
    connect: { lookup, timeout: policy.timeoutMs },
    headersTimeout: policy.timeoutMs,
    bodyTimeout: policy.timeoutMs,
  })
  return {
    policy,
    /** Sends a request; throws on a refused address, a failed connection or a timeout. */
    async send(url: string, { method, headers, body }: OutboundRequest): Promise<OutboundAnswer> {
      const target = new URL(url)
      // a literal address is never looked up: checked here
      if (isIP(target.hostname.replace(/^\[|\]$/g, ''))) await checkDestination(target, policy)
      const answer = await request(target, {
        method,
        headers,
        body,
        dispatcher: agent,
        signal: AbortSignal.timeout(policy.timeoutMs),
      })
      let text = ''
      for await (const chunk of answer.body) {
        if (text.length < 2048) text += (chunk as Buffer).toString('utf8')
      }
      return { status: answer.statusCode, body: text.slice(0, 2048) }
    },
    close: () => agent.close(),
  }
}

export type Outbound = ReturnType<typeof createOutbound>

/** The policy the configuration sets: guarding in production. */
export function outboundPolicy(
  config: Pick<Config, 'NODE_ENV' | 'OUTBOUND_ALLOW' | 'OUTBOUND_TIMEOUT_MS'>,
  resolve?: Resolver,
): OutboundPolicy {
  return {
    guard: config.NODE_ENV === 'production',
    allow: new AllowList(config.OUTBOUND_ALLOW),
    timeoutMs: config.OUTBOUND_TIMEOUT_MS,
    resolve,
  }
}
