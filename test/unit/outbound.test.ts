import { describe, expect, it } from 'vitest'
import { AllowList, isNonPublicAddress, parseAllowEntry } from '../../src/outbound/address.js'
import { retryDelay } from '../../src/outbound/backoff.js'
import { checkDestination, OutboundRefused, type OutboundPolicy } from '../../src/outbound/request.js'

const resolving = (table: Record<string, string[]>) => async (host: string) =>
  (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))

describe('outbound addresses', () => {
  it('tells public addresses from private, loopback, link-local and reserved ones', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1'])
      expect(isNonPublicAddress(address), address).toBe(true)
    for (const address of [
      '::1',
      '[::1]',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::',
      '0.0.0.0',
    ])
      expect(isNonPublicAddress(address), address).toBe(true)
    for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:1.1.1.1'])
      expect(isNonPublicAddress(address), address).toBe(false)
    expect(isNonPublicAddress('not-an-address')).toBe(true)
  })

  it('allows listed hosts, addresses and networks only', () => {
    const allow = new AllowList(['purge.internal', '10.1.0.0/16', '::1'])
    expect(allow.allows('purge.internal', '10.9.9.9')).toBe(true)
    expect(allow.allows('x.example', '10.1.2.3')).toBe(true)
    expect(allow.allows('x.example', '10.2.0.1')).toBe(false)
    expect(allow.allows('::1', '::1')).toBe(true)
    expect(() => parseAllowEntry('10.0.0.0/99')).toThrow(/not a network/)
    expect(() => parseAllowEntry('a/b/c')).toThrow(/not a host/)
  })

  it('refuses, when guarding, any destination that resolves to a non-public address', async () => {
    const policy: OutboundPolicy = {
      guard: true,
      allow: new AllowList(['hooks.internal']),
      timeoutMs: 1000,
      resolve: resolving({
        'public.example': ['93.184.216.34'],
        'sneaky.example': ['93.184.216.34', '127.0.0.1'],
        'hooks.internal': ['10.0.0.7'],
      }),
    }
    await expect(checkDestination(new URL('https://public.example/hook'), policy)).resolves.toHaveLength(1)
    await expect(checkDestination(new URL('https://hooks.internal/hook'), policy)).resolves.toHaveLength(1)
    for (const url of ['https://sneaky.example/', 'http://127.0.0.1/', 'http://[::1]/', 'ftp://public.example/'])
      await expect(checkDestination(new URL(url), policy), url).rejects.toBeInstanceOf(OutboundRefused)
    await expect(checkDestination(new URL('http://127.0.0.1/'), { ...policy, guard: false })).resolves.toHaveLength(1)
  })
})

describe('retry delays', () => {
  it('double from the base up to the ceiling, each within half of its nominal wait', () => {
    const settings = { baseMs: 1000, maxMs: 60_000 }
    expect([1, 2, 3, 4].map((n) => retryDelay(n, settings, () => 1))).toEqual([1000, 2000, 4000, 8000])
    expect([1, 2, 3].map((n) => retryDelay(n, settings, () => 0))).toEqual([500, 1000, 2000])
    expect(retryDelay(30, settings, () => 1)).toBe(60_000)
    expect(retryDelay(1000, settings, () => 0.5)).toBe(45_000)
  })
})
