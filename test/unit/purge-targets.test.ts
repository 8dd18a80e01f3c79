// The purge targets' limits (src/edge/targets): a batch of many keys goes out in as few requests as
// each target takes, none over its limit, every key once and in order, to a real local server; an
// answer that is not a success fails the purge with its status.
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { purgeAt, purgeTargets } from '../../src/edge/purger.js'
import { groupsOf, PurgeFailed, type PurgeTarget } from '../../src/edge/targets/target.js'
import { createOutbound, outboundPolicy } from '../../src/outbound/request.js'

const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = []
let status = 200
let answer = '{"success":true}'
const server = createServer((req, res) => {
  let body = ''
  req.on('data', (chunk: Buffer) => (body += chunk.toString()))
  req.on('end', () => {
    received.push({ path: req.url!, headers: req.headers, body })
    res.writeHead(status, { 'content-type': 'application/json' }).end(answer)
  })
})
const outbound = createOutbound(outboundPolicy(loadConfig({ OUTBOUND_TIMEOUT_MS: '5000' })))
let targets: Record<string, PurgeTarget>

beforeAll(async () => {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const config = loadConfig({
    PURGE_VARNISH_URLS: `${url},${url}/`,
    PURGE_HTTP_URL: url,
    PURGE_FASTLY_API_URL: url,
    PURGE_FASTLY_SERVICE_ID: 'service',
    PURGE_FASTLY_TOKEN: 'token',
    PURGE_CLOUDFLARE_API_URL: url,
    PURGE_CLOUDFLARE_ZONE_ID: 'zone',
    PURGE_CLOUDFLARE_TOKEN: 'token',
  })
  targets = Object.fromEntries(purgeTargets(config).map((target) => [target.name.split(':')[0], target]))
  expect(Object.keys(targets)).toEqual(['varnish', 'http', 'fastly', 'cloudflare'])
})
afterAll(async () => {
  await outbound.close()
  server.close()
})

/** The keys each request carried, as the target sends them. */
const sentKeys: Record<string, (r: (typeof received)[number]) => string[]> = {
  varnish: (r) => String(r.headers.xkey).split(' '),
  http: (r) => (JSON.parse(r.body) as { keys: string[] }).keys,
  fastly: (r) => (JSON.parse(r.body) as { surrogate_keys: string[] }).surrogate_keys,
  cloudflare: (r) => (JSON.parse(r.body) as { tags: string[] }).tags,
}

describe('purge targets', () => {
  it('group keys within a count and a size, in order', () => {
    expect(groupsOf(['a', 'b', 'c', 'd', 'e'], { keys: 2 })).toEqual([['a', 'b'], ['c', 'd'], ['e']])
    // "aaa bbb" is 7 bytes: a third key would pass 9
    expect(groupsOf(['aaa', 'bbb', 'ccc', 'ddd'], { keys: 10, bytes: 9 })).toEqual([
      ['aaa', 'bbb'],
      ['ccc', 'ddd'],
    ])
    // a key longer than the size still goes, alone
    expect(groupsOf(['a', 'x'.repeat(20), 'b'], { keys: 10, bytes: 9 })).toEqual([['a'], ['x'.repeat(20)], ['b']])
    expect(groupsOf([], { keys: 10 })).toEqual([])
  })

  it.each([
    ['varnish', 100],
    ['http', 1000],
    ['fastly', 256],
    ['cloudflare', 30],
  ])('%s: 1200 keys in requests of at most %i, each once, in order', async (name, most) => {
    const keys = Array.from({ length: 1200 }, (_, i) => `Story-${String(i).padStart(12, '0')}`)
    received.length = 0
    await purgeAt(outbound, targets[name]!, keys)
    expect(received).toHaveLength(Math.ceil(1200 / most))
    const groups = received.map(sentKeys[name]!)
    for (const group of groups) expect(group.length).toBeLessThanOrEqual(most)
    expect(groups.flat()).toEqual(keys)
    if (name === 'varnish') for (const r of received) expect(String(r.headers.xkey).length).toBeLessThanOrEqual(4096)
  })

  it('fail on an error status, and on Cloudflare\'s "success": false', async () => {
    status = 429
    await expect(purgeAt(outbound, targets.fastly!, ['k'])).rejects.toMatchObject({
      code: 'PURGE_FAILED',
      status: 429,
    })
    status = 200
    answer = '{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}'
    const failed = await purgeAt(outbound, targets.cloudflare!, ['k']).catch((error: unknown) => error)
    expect(failed).toBeInstanceOf(PurgeFailed)
    expect((failed as Error).message).toMatch(/cloudflare: answered 200: .*Authentication error/)
    answer = '{"success":true}'
  })

  it('are refused at start when a setting is wrong', () => {
    expect(() => loadConfig({ PURGE_FASTLY_SERVICE_ID: 'service' })).toThrow(
      /PURGE_FASTLY_SERVICE_ID and PURGE_FASTLY_TOKEN go together/,
    )
    expect(() => loadConfig({ PURGE_CLOUDFLARE_TOKEN: 'token' })).toThrow(/PURGE_CLOUDFLARE_ZONE_ID and/)
    expect(() => loadConfig({ PURGE_VARNISH_URLS: 'http://a:6081,ftp://b' })).toThrow(/PURGE_VARNISH_URLS/)
    expect(() => loadConfig({ PURGE_FASTLY_SERVICE_ID: '../x', PURGE_FASTLY_TOKEN: 't' })).toThrow(
      /PURGE_FASTLY_SERVICE_ID/,
    )
    expect(() => loadConfig({ PURGE_CLOUDFLARE_API_URL: 'http://api.example' })).toThrow(/PURGE_CLOUDFLARE_API_URL/)
    expect(() =>
      loadConfig({ PURGE_HTTP_URL: 'http://purge.internal/', PURGE_HTTP_TOKEN: 'a-token-of-16-chars' }),
    ).toThrow(/PURGE_HTTP_TOKEN needs PURGE_HTTP_URL to be an https:\/\/ URL/)
    expect(
      loadConfig({ PURGE_VARNISH_URLS: ' http://a:6081 , http://a:6081,http://b:6081' }).PURGE_VARNISH_URLS,
    ).toEqual(['http://a:6081', 'http://b:6081'])
  })
})
