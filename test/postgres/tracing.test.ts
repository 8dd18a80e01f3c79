// Traces: the server as its own process sends its spans over OTLP/HTTP (JSON) to a receiver in
// this test, when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it, nothing is sent and the SDK is
// not even loaded (a module hook in the child reports what it loads).
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { asRole } from '../helpers/api.js'
import { untilLive } from '../helpers/live.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { until } from '../helpers/poll.js'
import { spawnServer, type ServerProcess } from '../helpers/server-process.js'

interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  attributes: Record<string, unknown>
  scope: string
  service: string
}

type Attribute = { key: string; value: Record<string, unknown> }
const valueOf = (value: Record<string, unknown>) => Object.values(value)[0]
const attributesOf = (list: Attribute[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]))

let db: TestDatabase
let receiver: Server
let endpoint: string
const spans: OtlpSpan[] = []
const servers: ServerProcess[] = []
let traced: ServerProcess
const probe = join(tmpdir(), `otel-probe-${process.pid}.mjs`)

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        const payload = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: Attribute[] }
            scopeSpans: {
              scope: { name: string }
              spans: (Omit<OtlpSpan, 'attributes'> & { attributes: Attribute[] })[]
            }[]
          }[]
        }
        for (const resourceSpans of payload.resourceSpans ?? []) {
          const service = String(attributesOf(resourceSpans.resource.attributes)['service.name'])
          for (const { scope, spans: list } of resourceSpans.scopeSpans)
            for (const span of list)
              spans.push({ ...span, attributes: attributesOf(span.attributes), scope: scope.name, service })
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  // reports, on stderr, every module of the SDK the child loads
  writeFileSync(
    probe,
    `import { registerHooks } from 'node:module'
registerHooks({ load(url, context, next) {
  if (url.includes('/@opentelemetry/sdk-node/')) process.stderr.write('probe: SDK loaded\\n')
  return next(url, context)
} })
`,
  )
  db = await createTestDatabase('postgres')
  traced = await start({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_SERVICE_NAME: 'news-graph-traced',
    REDIS_URL: 'redis://127.0.0.1:6379',
  })
}, 90_000)

afterAll(async () => {
  await Promise.all(servers.map((server) => server.kill()))
  await db?.drop()
  await new Promise((resolve) => receiver?.close(resolve))
}, 30_000)

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer({
    DATABASE_URL: db.url!,
    SEED_ON_START: 'true',
    RESPONSE_CACHE_TTL_MS: '0',
    LIVE_POLL_MS: '60000',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    NODE_OPTIONS: `--import=${probe}`,
    ...env,
  })
  servers.push(server)
  await server.waitForLog((line) => /^news graph ready/.test(line.msg))
  return server
}

/** The received spans, once `done` holds for them (bounded). */
const spansUntil = (done: (received: OtlpSpan[]) => boolean, timeoutMs = 15_000) =>
  until('spans', () => (done(spans) ? spans : undefined), { timeoutMs }).catch(() => {
    throw new Error(`spans not received in time; got ${spans.map((s) => s.name).join(', ')}`)
  })

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

/** Whether `span` descends from `ancestor` within `trace`. */
function under(span: OtlpSpan, ancestor: OtlpSpan, trace: OtlpSpan[]): boolean {
  for (let parent = span.parentSpanId; parent; parent = trace.find((s) => s.spanId === parent)?.parentSpanId)
    if (parent === ancestor.spanId) return true
  return false
}

async function post(origin: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } }
}

describe('traces with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('makes one trace per HTTP request, continuing the client’s traceparent, with the GraphQL phases and SQL beneath', async () => {
    const traceId = hex(16)
    const clientSpan = hex(8)
    const requestId = `trace-test-${hex(4)}`
    const secret = `secret-${hex(6)}`
    const query = 'query TracedFront($first: Int) { stories(first: $first) { edges { node { headline } } } }'
    const { status, body } = await post(
      traced.origin,
      { query, operationName: 'TracedFront', variables: { first: 2, unused: secret } },
      { traceparent: `00-${traceId}-${clientSpan}-01`, 'x-request-id': requestId },
    )
    expect(status).toBe(200)
    expect(body.errors).toBeUndefined()

    const isDone = (received: OtlpSpan[]) => {
      const names = received.filter((s) => s.traceId === traceId).map((s) => s.name)
      return (
        ['graphql.parse', 'graphql.validate', 'graphql.execute', 'prisma:client:db_query'].every((n) =>
          names.includes(n),
        ) && received.some((s) => s.traceId === traceId && s.parentSpanId === clientSpan)
      )
    }
    const trace = (await spansUntil(isDone)).filter((s) => s.traceId === traceId)
    // the HTTP span is the root of the request's spans, the client's span its parent
    const roots = trace.filter((s) => !trace.some((t) => t.spanId === s.parentSpanId))
    expect(roots).toHaveLength(1)
    const [http] = roots
    expect(http).toMatchObject({ parentSpanId: clientSpan, service: 'news-graph-traced' })
    expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/graphql' })
    expect(http.attributes['news_graph.request_id']).toBe(requestId)
    // the request is in this trace only
    expect(spans.filter((s) => s.attributes['news_graph.request_id'] === requestId).map((s) => s.traceId)).toEqual([
      traceId,
    ])

    const { createHash } = await import('node:crypto')
    const hash = createHash('sha256').update(query).digest('hex')
    for (const name of ['graphql.parse', 'graphql.validate', 'graphql.execute']) {
      const phase = trace.find((s) => s.name === name)!
      expect(phase.parentSpanId, name).toBe(http.spanId)
      expect(phase.attributes, name).toMatchObject({
        'graphql.operation.name': 'TracedFront',
        'graphql.document.hash': hash,
      })
    }
    const execute = trace.find((s) => s.name === 'graphql.execute')!
    const sql = trace.filter((s) => s.name === 'prisma:client:db_query')
    expect(sql.length).toBeGreaterThan(0)
    for (const statement of sql) {
      expect(under(statement, execute, trace)).toBe(true)
      expect(String(statement.attributes['db.query.text'])).toMatch(/SELECT/)
    }
    // never the variables, nor the document's text
    const everything = JSON.stringify(spans)
    expect(everything).not.toContain(secret)
    expect(everything).not.toContain('stories(first: $first)')
    expect(spans.some((s) => Object.keys(s.attributes).some((key) => /variables/i.test(key)))).toBe(false)
  })

  it('gives each WebSocket operation a span of its own, the GraphQL phases beneath', async () => {
    const client = createClient({ url: traced.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true })
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let last: unknown
        client.subscribe(
          { query: 'query SocketFront { stories(first: 1) { edges { node { headline } } } }' },
          { next: (value) => (last = value), error: reject, complete: () => resolve(last) },
        )
      })
      expect(result).toMatchObject({ data: { stories: { edges: [{}] } } })
    } finally {
      await client.dispose()
    }
    const find = (received: OtlpSpan[]) => received.find((s) => s.name === 'graphql.ws query SocketFront')
    const isDone = (received: OtlpSpan[]) => {
      const operation = find(received)
      return !!operation && received.some((s) => s.traceId === operation.traceId && s.name === 'prisma:client:db_query')
    }
    const operation = find(await spansUntil(isDone))!
    expect(operation.parentSpanId ?? '').toBe('')
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'SocketFront',
      'graphql.operation.type': 'query',
    })
    expect(operation.attributes['news_graph.request_id']).toEqual(expect.any(String))
    const trace = spans.filter((s) => s.traceId === operation.traceId)
    const execute = trace.find((s) => s.name === 'graphql.execute')!
    expect(execute.parentSpanId).toBe(operation.spanId)
    expect(trace.find((s) => s.name === 'graphql.parse')?.parentSpanId).toBe(operation.spanId)
    expect(trace.some((s) => s.name === 'prisma:client:db_query' && under(s, execute, trace))).toBe(true)
    // the change feed's reads have spans of their own, with their SQL
    const read = spans.find((s) => s.name === 'change-feed.read' && !s.parentSpanId)!
    expect(read).toBeDefined()
  })

  it('traces a write’s notice through Redis, and the delivery of its change to a subscriber', async () => {
    const editor = await asRole('editor', 'trace-desk')
    const client = createClient({
      url: traced.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: editor.authorization },
    })
    // a tag written by the editor: its change names it by its global id
    const upsertTag = async () => {
      const mutation = `mutation { upsertTag(input: { slug: "traced-${hex(4)}", name: "Traced" }) { ... on Tag { id } } }`
      const { body } = await post(traced.origin, { query: mutation }, editor)
      const id = (body.data as { upsertTag: { id: string } } | undefined)?.upsertTag.id
      expect(id, JSON.stringify(body)).toEqual(expect.any(String))
      return id!
    }
    // live only (no `since`, no `last`): the shared execution whose deliveries are traced
    const heard: string[] = []
    const unsubscribe = client.subscribe(
      { query: 'subscription { changeLog { objectId } }' },
      {
        next: (value) => heard.push(JSON.stringify(value.data)),
        error: () => {},
        complete: () => {},
      },
    )
    try {
      await untilLive(upsertTag, (id) => heard.some((entry) => entry.includes(id)))
    } finally {
      unsubscribe()
      await client.dispose()
    }
    const redis = (s: OtlpSpan) => s.attributes['db.system'] === 'redis' || s.attributes['db.system.name'] === 'redis'
    const received = await spansUntil((all) => all.some((s) => s.name === 'subscription.deliver') && all.some(redis))
    const deliver = received.find((s) => s.name === 'subscription.deliver')!
    expect(deliver.parentSpanId ?? '').toBe('')
    expect(received.filter(redis).map((s) => s.name.toLowerCase())).toEqual(expect.arrayContaining(['publish']))
  })

  it('puts the trace id in the log lines of a request', async () => {
    const traceId = hex(16)
    const from = traced.lines.length
    // a client's mistake is logged, at info, with the request id
    const { body } = await post(
      traced.origin,
      { query: '{ noSuchField }' },
      { traceparent: `00-${traceId}-${hex(8)}-01` },
    )
    expect(body.errors).toHaveLength(1)
    const line = await traced.waitForLog((l) => l.trace_id === traceId, from, 10_000)
    expect(line).toMatchObject({ span_id: expect.stringMatching(/^[0-9a-f]{16}$/), requestId: expect.any(String) })
    expect(traced.output.join('\n')).toContain('probe: SDK loaded')
  })
})

describe('traces without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('sends nothing and does not load the SDK', async () => {
    // the SDK, were it loaded, would send there: the endpoint for traces is set, the switch is not
    const plain = await start({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces`,
      OTEL_SERVICE_NAME: 'news-graph-plain',
    })
    const traceId = hex(16)
    const { status } = await post(
      plain.origin,
      { query: '{ stories(first: 1) { edges { node { headline } } } }' },
      { traceparent: `00-${traceId}-${hex(8)}-01` },
    )
    expect(status).toBe(200)
    // the traced server's spans keep arriving meanwhile: a request to it, made after, is seen
    // first, and the plain server's would have been sent as soon
    const marker = hex(16)
    await post(traced.origin, { query: '{ __typename }' }, { traceparent: `00-${marker}-${hex(8)}-01` })
    await spansUntil((received) => received.some((s) => s.traceId === marker))
    expect(spans.some((s) => s.traceId === traceId || s.service === 'news-graph-plain')).toBe(false)
    expect(plain.output.join('\n')).not.toContain('probe: SDK loaded')
    expect(plain.lines.some((line) => 'trace_id' in line)).toBe(false)
  })
})
