// /metrics proven with a real Prometheus (/usr/bin/prometheus, or PROMETHEUS_PATH): it scrapes the
// app every second with the bearer token, and the series it stored are asserted through its HTTP
// API after known traffic. And /metrics is refused without the token, and not served on the main
// port when it has a port of its own.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { loadConfig } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, listening, testApp } from '../helpers/api.js'
import { until } from '../helpers/poll.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { publishStory } from '../helpers/live-clients.js'

const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus'
const TOKEN = 'metrics-test-token-0123456789'
const QUERIES = 5
const ERRORS = 3

let db: TestDatabase
let app: ReturnType<typeof testApp>
let origin: string
let prometheus: ChildProcess | null = null
let promUrl: string
let dir: string
let client: Client | null = null

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** An instant query's samples: labels and value. */
async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)
  const body = (await response.json()) as { status: string; data: { result: any[] } }
  expect(body.status).toBe('success')
  return body.data.result
}
const scalar = async (expr: string) => {
  const [sample] = await query(expr)
  return sample ? Number(sample.value[1]) : undefined
}

beforeAll(async () => {
  db = await createTestDatabase('postgres')
  await seedSampleGraph(db.prisma)
  app = testApp(db, {
    settings: { METRICS: true, METRICS_TOKEN: TOKEN, RESPONSE_CACHE_TTL_MS: 60_000, LIVE_POLL_MS: 200 },
  })
  origin = await listening(app)
  dir = mkdtempSync(join(tmpdir(), 'news-graph-prometheus-'))
  const port = await freePort()
  promUrl = `http://127.0.0.1:${port}`
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: news-graph',
      '    scrape_interval: 1s',
      '    scrape_timeout: 1s',
      `    authorization: { type: Bearer, credentials: ${TOKEN} }`,
      `    static_configs: [{ targets: ['${new URL(origin).host}'] }]`,
      '',
    ].join('\n'),
  )
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  )
  await until('Prometheus to be ready', async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined))
})

afterAll(async () => {
  await client?.dispose()
  if (prometheus?.pid && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus!.once('exit', resolve))
    process.kill(prometheus.pid, 'SIGTERM')
    await exited
  }
  await app?.close()
  await db?.drop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function post(body: object): Promise<any> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return response.json()
}

describe('a real Prometheus scraping /metrics', () => {
  it('stores the requests, errors, subscriptions, deliveries, cache and feed series the traffic implies', async () => {
    // a subscription over the WebSocket, open until the end
    const received: unknown[] = []
    client = createClient({
      url: `${origin.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    })
    client.subscribe(
      { query: 'subscription Breaking { breakingNews { cursor } }' },
      { next: (m) => received.push(m), error: () => {}, complete: () => {} },
    )
    await until('the subscription to be scraped', async () =>
      (await scalar('news_graph_subscriptions_open{transport="ws"}')) === 1 ? true : undefined,
    )

    // N public queries: the first a cache miss, the others hits; M refused at validation
    for (let i = 0; i < QUERIES; i++) {
      const { data, errors } = await post({ query: 'query Front { tag(slug: "gaza") { id } }', operationName: 'Front' })
      expect(errors).toBeUndefined()
      expect(data.tag.id).toBeTruthy()
    }
    for (let i = 0; i < ERRORS; i++) {
      const { errors } = await post({ query: 'query Broken { noSuchField }', operationName: 'Broken' })
      expect(errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED')
    }
    // a change: read by the feed (lag), applied to the cache, delivered to the subscriber
    await publishStory(origin, await asRole('editor', 'metrics-editor'))
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0)
    const trafficEnd = Date.now() / 1000

    // a scrape that began after the traffic
    await until('a scrape after the traffic', async () => {
      const [up] = await query('up{job="news-graph"}')
      return up && up.value[1] === '1' && (await scalar('timestamp(up{job="news-graph"})'))! > trafficEnd + 0.001
        ? true
        : undefined
    })

    expect(await scalar('sum(graphql_envelop_request{operationName="Front"})')).toBe(QUERIES)
    expect(await scalar('sum(graphql_envelop_request_duration_count{operationName="Front"})')).toBe(QUERIES)
    expect(await scalar('news_graph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(ERRORS)
    expect(await scalar('graphql_envelop_error_result{operationName="Broken",phase="validate"}')).toBe(ERRORS)
    expect(await scalar('sum(graphql_yoga_http_duration_count{operationName="Front",statusCode="200"})')).toBe(QUERIES)
    expect(await scalar('news_graph_response_cache_misses_total')).toBe(1)
    expect(await scalar('news_graph_response_cache_hits_total')).toBe(QUERIES - 1)
    expect(await scalar('news_graph_response_cache_invalidations_total')).toBeGreaterThanOrEqual(1)
    expect(await scalar('news_graph_subscriptions_open{transport="ws"}')).toBe(1)
    expect(await scalar('news_graph_connections_open{transport="ws"}')).toBe(1)
    expect(await scalar('news_graph_subscription_deliveries_total{transport="ws"}')).toBe(received.length)
    expect(await scalar('news_graph_change_feed_lag_seconds_count')).toBeGreaterThanOrEqual(1)
    expect(await scalar('news_graph_slow_consumers_dropped_total')).toBeUndefined()
    expect(await scalar('news_graph_db_pool_connections{state="idle"}')).toBeGreaterThan(0)
    expect(await scalar('news_graph_db_pool_waiting')).toBe(0)
    expect(await scalar('process_resident_memory_bytes')).toBeGreaterThan(0)
  })
})

describe('/metrics is not public', () => {
  it('is refused without the token, and served with it', async () => {
    expect((await fetch(`${origin}/metrics`)).status).toBe(401)
    const wrong = await fetch(`${origin}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all!!' } })
    expect(wrong.status).toBe(401)
    const right = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(right.status).toBe(200)
    expect(await right.text()).toContain('news_graph_graphql_errors_total')
  })

  it('in production, is refused at start on the main port without a token', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }
    expect(() => loadConfig({ ...production, METRICS: 'true' })).toThrow(/METRICS_PORT or METRICS_TOKEN/)
    expect(loadConfig(production).METRICS).toBe(false)
    expect(loadConfig({ ...production, METRICS: 'true', METRICS_TOKEN: TOKEN }).METRICS).toBe(true)
  })

  it('in production with METRICS_PORT: only on that port, not on the main one', async () => {
    const metricsPort = await freePort()
    const separate = testApp(db, {
      settings: { NODE_ENV: 'production', METRICS: true, METRICS_PORT: metricsPort, HOST: '127.0.0.1' },
    })
    try {
      const main = await listening(separate)
      expect((await fetch(`${main}/metrics`)).status).toBe(404)
      const scraped = await until('the metrics port', () => fetch(`http://127.0.0.1:${metricsPort}/metrics`))
      expect(scraped.status).toBe(200)
      expect(await scraped.text()).toContain('graphql_envelop_request_duration')
    } finally {
      await separate.close()
    }
  })
})
