// The purger (src/edge/purger.ts): an editor's correction to a story goes out to every configured
// edge as exactly the change's purge keys, in each target's documented request shape; a burst of
// commits goes out in fewer requests; a failed purge is tried again until it is done, the cursor
// staying put until then; a purger started after another stopped resumes from the stored cursor;
// a target that never answers is retried without holding back another; and the purge lag shows on
// /metrics. Real local HTTP servers play Fastly, Cloudflare, a purge service and Varnish.
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config.js'
import { ALL, purgeKeys } from '../../src/edge/keys.js'
import { batchKeys } from '../../src/edge/purger.js'
import { pruneChangeLog } from '../../src/live/change-feed.js'
import { changeOf, type Change } from '../../src/live/changes.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { AddCorrectionDocument } from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { until } from '../helpers/poll.js'

const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'
const CLOUDFLARE_OK = JSON.stringify({ success: true, errors: [], messages: [], result: { id: 'purge-1' } })

interface Recorded {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}
/** What an endpoint answers a request with; `hang`: never (until the server closes). */
type Answer = { status: number; body?: string } | 'hang'

/** A local HTTP server recording every request, answering as `answer` says (it may wait). */
async function endpoint(answer: (request: Recorded, n: number) => Answer | Promise<Answer>) {
  const requests: Recorded[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const request = { method: req.method!, path: req.url!, headers: req.headers, body }
      requests.push(request)
      void Promise.resolve(answer(request, requests.length)).then((given) => {
        if (given === 'hang') return
        res.writeHead(given.status, { 'content-type': 'application/json' }).end(given.body ?? '{}')
      })
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  servers.push(server)
  return { requests, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

let db: TestDatabase
let editor: Record<string, string>
/** the sample story's global id, then other published stories' */
let stories: string[]
const servers: Server[] = []
const apps: ReturnType<typeof testApp>[] = []

/** An app purging with `settings`, once every target's cursor is made (at the newest change); no
 *  second purges unless asked for, so that each purge is one request. */
async function purging(settings: Partial<Config>) {
  const app = testApp(db, { settings: { LIVE_POLL_MS: 60_000, PURGE_REPEAT_MS: 0, ...settings } })
  apps.push(app)
  await app.feedStarted
  const targets = app.purger!.targets
  await until('every target has its cursor', async () =>
    (await db.prisma.purgeCursor.count({ where: { target: { in: targets } } })) === targets.length ? true : undefined,
  )
  return app
}

/** An editor's correction to a story (the sample story unless told), through the API; the change it committed. */
async function correct(app: ReturnType<typeof testApp>, text = 'An earlier version misspelt a name.', story = 0) {
  const storyId = stories[story % stories.length]!
  const { data, errors } = await app.run(AddCorrectionDocument, { storyId, kind: 'CORRECTION', text }, editor)
  expect(errors).toBeUndefined()
  expect(data?.addCorrection.__typename).toBe('Story')
  return changeOf(await db.prisma.change.findFirstOrThrow({ orderBy: { seq: 'desc' } }))
}

const cursorOf = async (target: string) => (await db.prisma.purgeCursor.findUniqueOrThrow({ where: { target } })).seq

/** Waits until `target` has purged up to `seq`. */
const purgedThrough = (target: string, seq: bigint) =>
  until(`${target} purged through ${seq}`, async () => ((await cursorOf(target)) >= seq ? true : undefined))

const fastly = (url: string): Partial<Config> => ({
  PURGE_FASTLY_API_URL: url,
  PURGE_FASTLY_SERVICE_ID: 'SU1Z0isxPaozGVKXdv0eY',
  PURGE_FASTLY_TOKEN: 'fastly-api-token',
})
const cloudflare = (url: string): Partial<Config> => ({
  PURGE_CLOUDFLARE_API_URL: `${url}/client/v4`,
  PURGE_CLOUDFLARE_ZONE_ID: '023e105f4ecef8ad9ca31a8372d0c353',
  PURGE_CLOUDFLARE_TOKEN: 'cloudflare-api-token',
})
/** Small waits between tries: the retries happen within the test. */
const QUICK_RETRIES: Partial<Config> = { PURGE_RETRY_BASE_MS: 20, PURGE_RETRY_MAX_MS: 100 }

/** A /metrics line's value. */
async function metric(app: ReturnType<typeof testApp>, series: string): Promise<number | undefined> {
  const text = await (await app.yoga.fetch('http://test/metrics')).text()
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  editor = await asRole('editor', 'purger-editor')
  const published = await db.prisma.story.findMany({
    where: { status: 'PUBLISHED' },
    select: { id: true, slug: true },
    orderBy: { slug: 'asc' },
  })
  published.sort((a, b) => Number(b.slug === SAMPLE) - Number(a.slug === SAMPLE))
  stories = published.map((story) => encodeGlobalID('Story', story.id))
  expect(stories.length).toBeGreaterThan(2)
})
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
  // each test's targets start afresh, at the newest change
  await db.prisma.purgeCursor.deleteMany()
})
afterAll(async () => {
  await db?.drop()
})

describe('the purger', () => {
  it("sends a correction's purge keys to every target, each in its documented request shape", async () => {
    const fastlyApi = await endpoint(() => ({ status: 200, body: '{"k":"108-1391560174-974124"}' }))
    const cloudflareApi = await endpoint(() => ({ status: 200, body: CLOUDFLARE_OK }))
    const service = await endpoint(() => ({ status: 204 }))
    const varnish = await endpoint(() => ({ status: 200 }))
    const app = await purging({
      ...fastly(fastlyApi.url),
      PURGE_FASTLY_SOFT: true,
      ...cloudflare(cloudflareApi.url),
      PURGE_HTTP_URL: `${service.url}/purge`,
      PURGE_HTTP_TOKEN: 'purge-service-token-0123',
      PURGE_VARNISH_URLS: [varnish.url],
      METRICS: true,
    })
    const varnishName = `varnish:${new URL(varnish.url).host}`
    expect(app.purger!.targets).toEqual([varnishName, 'http', 'fastly', 'cloudflare'])

    const change = await correct(app)
    expect(change.kind).toBe('story.corrected')
    const keys = purgeKeys(change)
    expect(keys.length).toBeGreaterThan(1)
    for (const target of app.purger!.targets) await purgedThrough(target, change.seq)

    expect(fastlyApi.requests).toHaveLength(1)
    expect(fastlyApi.requests[0]).toMatchObject({
      method: 'POST',
      path: '/service/SU1Z0isxPaozGVKXdv0eY/purge',
      headers: { 'fastly-key': 'fastly-api-token', 'fastly-soft-purge': '1', 'content-type': 'application/json' },
    })
    expect(JSON.parse(fastlyApi.requests[0]!.body)).toEqual({ surrogate_keys: keys })

    // at most 30 tags a request
    expect(cloudflareApi.requests).toHaveLength(Math.ceil(keys.length / 30))
    for (const request of cloudflareApi.requests)
      expect(request).toMatchObject({
        method: 'POST',
        path: '/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache',
        headers: { authorization: 'Bearer cloudflare-api-token', 'content-type': 'application/json' },
      })
    expect(cloudflareApi.requests.flatMap((r) => (JSON.parse(r.body) as { tags: string[] }).tags)).toEqual(keys)

    expect(service.requests).toHaveLength(1)
    expect(service.requests[0]).toMatchObject({
      method: 'POST',
      path: '/purge',
      headers: { authorization: 'Bearer purge-service-token-0123', 'content-type': 'application/json' },
    })
    expect(JSON.parse(service.requests[0]!.body)).toEqual({ keys })

    expect(varnish.requests).toHaveLength(1)
    expect(varnish.requests[0]).toMatchObject({ method: 'PURGE', path: '/', headers: { xkey: keys.join(' ') } })

    // the lag of each target's purge, on /metrics and on the purger; nothing left to purge
    for (const target of app.purger!.targets) {
      expect(await metric(app, `news_graph_purge_lag_seconds_count{target="${target}"}`)).toBe(1)
      expect(await metric(app, `news_graph_purge_failures_total{target="${target}"}`)).toBe(0)
      expect(await metric(app, `news_graph_purge_pending_changes{target="${target}"}`)).toBe(0)
      expect(app.purger!.lag(target)).toMatchObject({ count: 1 })
    }
  })

  it('sends a burst of commits in fewer requests, carrying every key in order', async () => {
    let release!: () => void
    const released = new Promise<Answer>((resolve) => (release = () => resolve({ status: 200 })))
    // the first purge is answered only once the burst has committed
    const service = await endpoint((_request, n) => (n === 1 ? released : { status: 200 }))
    const app = await purging({ PURGE_HTTP_URL: service.url, OUTBOUND_TIMEOUT_MS: 30_000 })

    const first = await correct(app, 'The first of a burst.')
    await until('the first purge arrives', () => (service.requests.length === 1 ? true : undefined))
    const burst: Change[] = []
    for (let i = 0; i < 8; i++) burst.push(await correct(app, `Correction ${i} of a burst.`, i))
    release()
    await purgedThrough('http', burst.at(-1)!.seq)

    const sent = service.requests.map((r) => (JSON.parse(r.body) as { keys: string[] }).keys)
    expect(sent).toEqual([purgeKeys(first), batchKeys(burst)])
    // each story's own key is in the batch once, in the order of the commits
    const own = burst.map((change) => purgeKeys(change)[0]!)
    expect(sent[1]!.filter((key) => own.includes(key))).toEqual([...new Set(own)])
  })

  it('tries a failed purge again until it is done, and moves the cursor only then', async () => {
    const before = (await db.prisma.change.findFirstOrThrow({ orderBy: { seq: 'desc' } })).seq
    let cursorAtLastTry: bigint | undefined
    // an error status, then an answer that says it failed, then done
    const cloudflareApi = await endpoint(async (_request, n) => {
      if (n === 1) return { status: 503, body: '{"success":false}' }
      if (n === 2) return { status: 200, body: '{"success":false,"errors":[{"code":1134,"message":"busy"}]}' }
      cursorAtLastTry = await cursorOf('cloudflare')
      return { status: 200, body: CLOUDFLARE_OK }
    })
    const app = await purging({ ...cloudflare(cloudflareApi.url), ...QUICK_RETRIES, METRICS: true })
    const change = await correct(app)
    await purgedThrough('cloudflare', change.seq)

    expect(cloudflareApi.requests).toHaveLength(3 * Math.ceil(purgeKeys(change).length / 30))
    expect(cursorAtLastTry).toBe(before)
    expect(await metric(app, 'news_graph_purge_failures_total{target="cloudflare"}')).toBe(2)
    const warnings = app.logLines.filter((line) => line.msg === 'purge failed; trying again')
    expect(warnings.map((line) => line.attempt)).toEqual([1, 2])
    expect(warnings[0]).toMatchObject({ target: 'cloudflare', error: expect.stringMatching(/answered 503/) })
    expect(warnings.some((line) => 'stack' in line || 'err' in line)).toBe(false)
  })

  it('resumes from the stored cursor after a restart: nothing skipped', async () => {
    let down = true
    const fastlyApi = await endpoint(() => (down ? { status: 500 } : { status: 200 }))
    const first = await purging({ ...fastly(fastlyApi.url), ...QUICK_RETRIES })
    const start = await cursorOf('fastly')
    const missed = [await correct(first, 'Missed while Fastly was down.')]
    await until('a purge was tried', () => (fastlyApi.requests.length > 0 ? true : undefined))
    missed.push(await correct(first, 'Also missed, on another story.', 1))
    await first.close()
    expect(await cursorOf('fastly')).toBe(start)

    down = false
    const tried = fastlyApi.requests.length
    const second = await purging({ ...fastly(fastlyApi.url), ...QUICK_RETRIES })
    await purgedThrough('fastly', missed[1]!.seq)
    const done = fastlyApi.requests.slice(tried)
    expect(done.map((r) => (JSON.parse(r.body) as { surrogate_keys: string[] }).surrogate_keys)).toEqual([
      batchKeys(missed),
    ])
    expect(batchKeys(missed)).not.toEqual(purgeKeys(missed[0]!))
    expect(second.purger!.lag('fastly').count).toBe(2)
  })

  it('retries a target that never answers, without holding back another', async () => {
    let answering = false
    const varnish = await endpoint(() => (answering ? { status: 200 } : 'hang'))
    const service = await endpoint(() => ({ status: 200 }))
    const app = await purging({
      PURGE_VARNISH_URLS: [varnish.url],
      PURGE_HTTP_URL: service.url,
      OUTBOUND_TIMEOUT_MS: 300,
      ...QUICK_RETRIES,
    })
    const varnishName = `varnish:${new URL(varnish.url).host}`
    const start = await cursorOf(varnishName)
    const change = await correct(app)

    await purgedThrough('http', change.seq)
    await until('varnish was tried again', () => (varnish.requests.length >= 2 ? true : undefined))
    expect(await cursorOf(varnishName)).toBe(start)
    expect(app.logLines.some((line) => line.target === varnishName && /no answer/.test(String(line.error)))).toBe(true)

    answering = true
    await purgedThrough(varnishName, change.seq)
    expect(varnish.requests.at(-1)!.headers.xkey).toBe(purgeKeys(change).join(' '))
  })

  it('purges each batch a second time, PURGE_REPEAT_MS after the first', async () => {
    const service = await endpoint(() => ({ status: 200 }))
    const app = await purging({ PURGE_HTTP_URL: service.url, PURGE_REPEAT_MS: 50 })
    const change = await correct(app, 'Purged twice.')
    await until('the second purge', () => (service.requests.length === 2 ? true : undefined))
    const sent = service.requests.map((r) => (JSON.parse(r.body) as { keys: string[] }).keys)
    expect(sent).toEqual([purgeKeys(change), purgeKeys(change)])
    expect(app.purger!.lag('http').count).toBe(1)
  })

  // last: it prunes the change log
  it('purges everything once when the log no longer holds every change since its cursor', async () => {
    const service = await endpoint(() => ({ status: 200 }))
    const first = await purging({ PURGE_HTTP_URL: service.url })
    await first.close()
    // changes committed while nothing purged, then pruned from the log
    const writer = testApp(db)
    apps.push(writer)
    const lost = await correct(writer, 'Committed while nothing purged.')
    await pruneChangeLog(db.prisma, new Date(Date.now() + 60_000))
    const kept = await correct(writer, 'Committed after the pruning.')
    expect((await db.prisma.changeLogHorizon.findUniqueOrThrow({ where: { id: 1 } })).prunedThru).toBe(lost.seq)

    await purging({ PURGE_HTTP_URL: service.url })
    await purgedThrough('http', kept.seq)
    expect(service.requests.map((r) => (JSON.parse(r.body) as { keys: string[] }).keys)).toEqual([
      [ALL],
      purgeKeys(kept),
    ])
  })
})
