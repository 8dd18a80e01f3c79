// npm run soak -- --minutes N [--url http://127.0.0.1:PORT] [--rate 40] [--subscribers 6]
//
// A soak test: N minutes of mixed traffic against one server, checking that nothing degrades.
// Without --url it starts its own server (node --import tsx src/main.ts) on a free port of
// 127.0.0.1, on the embedded database in memory (or DATABASE_URL when set), with the rate limits
// raised: all of the soak's traffic comes from one address. Traffic goes to 127.0.0.1 only.
//
// The traffic: readers' queries (front page, story pages, search, node lookups), an editor's
// writes (stories created and published, then revised; an event's status changed), and live
// subscribers (WebSocket clients on breakingNews, storyPublished and eventUpdated, and one
// Server-Sent Events client) that must each receive every change they subscribed to: each
// subscriber's messages are counted against the writes made.
//
// Every 30 s a line: elapsed, requests, errors by class, p50/p99 latency, the server's RSS and
// heap, its open file descriptors. At the end a summary and a verdict: no 5xx, no event lost or
// duplicated, memory and descriptors flat (after a warm-up, the mean of the last third of the
// samples against the mean of the first third, within the tolerances printed). Exit code 1 when
// the verdict fails, 2 for bad arguments.
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { mintToken } from '../src/auth/token.js'
import { loadConfig } from '../src/config.js'

const usage =
  'usage: npm run soak -- --minutes N [--url http://127.0.0.1:PORT] [--rate REQUESTS_PER_SECOND] [--subscribers N]'
const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    url: { type: 'string' },
    rate: { type: 'string', default: '40' },
    subscribers: { type: 'string', default: '6' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log(usage)
  process.exit(0)
}
const minutes = Number(values.minutes)
const rate = Number(values.rate)
const subscriberCount = Number(values.subscribers)
if (!(minutes > 0)) fail('--minutes must be a number above 0')
/** seconds the editor's token is minted for: the soak and a margin (a server refuses longer ones) */
const tokenLifetime = Math.ceil(minutes * 60) + 600
if (!(rate > 0)) fail('--rate must be a number above 0')
if (!Number.isInteger(subscriberCount) || subscriberCount < 1 || subscriberCount > 200)
  fail('--subscribers must be a whole number from 1 to 200')
if (values.url !== undefined) {
  const url = URL.canParse(values.url) ? new URL(values.url) : null
  if (!url || url.protocol !== 'http:' || url.hostname !== '127.0.0.1')
    fail('--url must be http://127.0.0.1:PORT: the soak sends traffic to this machine only')
}

const DURATION_MS = minutes * 60_000
const REPORT_EVERY_MS = 30_000
const SAMPLE_EVERY_MS = 5_000
/** samples before this are warm-up (caches, JIT, pools filling), left out of the verdict */
const WARM_UP_MS = Math.min(60_000, DURATION_MS / 4)
/** how long subscribers get, once the traffic stops, to receive what is still on its way */
const DELIVERY_GRACE_MS = 30_000
const CONCURRENCY = 8
// Flat: the last third's mean may exceed the first third's by at most the larger of the two.
const TOLERANCE = {
  rss: { percent: 20, absolute: 32 * 2 ** 20 },
  heap: { percent: 20, absolute: 16 * 2 ** 20 },
  fds: { percent: 20, absolute: 10 },
}
const RUN = Date.now().toString(36)

// ---------------------------------------------------------------------------------------------
// The server: the one at --url, or one of our own

interface Target {
  origin: string
  /** the server's process, when this machine's /proc can see it */
  pid: number | null
  /** its V8 heap in use after a full collection, when it tells (our own server does, over IPC) */
  heapUsed: () => Promise<number | null>
  child: ChildProcess | null
  /** what it logged at level warn and above (our own server) */
  logged: { errors: number; last: string[]; lastErrors: string[]; printed: Map<string, number> }
}

async function startOwnServer(): Promise<Target> {
  const port = await freePort()
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    // every request of the soak comes from 127.0.0.1, so per-address limits would throttle it
    RATE_LIMIT_PUBLIC_POINTS: '100000000',
    RATE_LIMIT_EDITOR_POINTS: '100000000',
    CONNECTION_LIMIT_PUBLIC: '1000',
    // the editor's token lives as long as the soak (below)
    JWT_MAX_LIFETIME_SECONDS: String(Math.max(43_200, tokenLifetime)),
  }
  if (!env.DATABASE_URL) env.DATA_DIR = 'memory://'
  // The server tells us its heap over the IPC channel, from a preload: no endpoint of its own, and
  // nothing in src/ that only the soak needs. It collects garbage first (--expose-gc), so the
  // figure is what is alive, not what the collector has yet to reach.
  const reporter = `data:text/javascript,${encodeURIComponent(
    "process.on('message', (m) => { if (m === 'soak:heap') { globalThis.gc?.(); process.send?.({ soakHeap: process.memoryUsage().heapUsed }) } })",
  )}`
  const root = fileURLToPath(new URL('..', import.meta.url))
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', reporter, 'src/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  process.on('exit', () => child.kill('SIGKILL'))
  const heapReplies: ((heap: number) => void)[] = []
  child.on('message', (message) => {
    const value = (message as { soakHeap?: unknown }).soakHeap
    if (typeof value === 'number') heapReplies.shift()?.(value)
  })
  const heapUsed = () =>
    Promise.race([
      new Promise<number | null>((resolve) => {
        heapReplies.push(resolve)
        child.send('soak:heap')
      }),
      sleep(5_000).then(() => null),
    ])
  const logged = { errors: 0, last: [] as string[], lastErrors: [] as string[], printed: new Map<string, number>() }
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = ''
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines.filter(Boolean)) {
        let level: number
        try {
          level = (JSON.parse(line) as { level?: number }).level ?? 0
        } catch {
          // not a log line: something printed on its own (a library's console.warn)
          logged.printed.set(line.slice(0, 200), (logged.printed.get(line.slice(0, 200)) ?? 0) + 1)
          continue
        }
        if (level >= 50) {
          logged.errors++
          logged.lastErrors = [...logged.lastErrors.slice(-2), line.slice(0, 400)]
        } else if (level >= 40) logged.last = [...logged.last.slice(-2), line.slice(0, 200)]
      }
    })
  }
  const origin = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${logged.last.join('\n')}`)
    try {
      if ((await fetch(`${origin}/ready`)).status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server was not ready within 2 minutes')
    await sleep(250)
  }
  const database = env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : 'the embedded database in memory'
  console.log(`server: started node --import tsx src/main.ts (pid ${child.pid}) at ${origin}, on ${database}`)
  console.log(
    'server: rate limits and CONNECTION_LIMIT_PUBLIC raised (RATE_LIMIT_PUBLIC_POINTS and RATE_LIMIT_EDITOR_POINTS 100000000, CONNECTION_LIMIT_PUBLIC 1000): all soak traffic comes from one address',
  )
  return { origin, pid: child.pid ?? null, heapUsed, child, logged }
}

async function useServerAt(url: string): Promise<Target> {
  const origin = new URL(url).origin
  const ready = await fetch(`${origin}/ready`).catch(() => null)
  if (ready?.status !== 200) fail(`${origin}/ready does not answer 200`)
  const pid = listeningPid(Number(new URL(origin).port || 80))
  console.log(
    `server: ${origin}${pid ? ` (pid ${pid}, found by its listening socket)` : ' (its process is not visible here: no memory or descriptor figures)'}`,
  )
  console.log('server: its rate limits are its own; if they refuse the soak (429), raise them for the soak')
  return {
    origin,
    pid,
    heapUsed: async () => null,
    child: null,
    logged: { errors: 0, last: [], lastErrors: [], printed: new Map() },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The process listening on a TCP port of this machine: its socket's inode, found among /proc/<pid>/fd. */
function listeningPid(port: number): number | null {
  try {
    const inodes = new Set<string>()
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/)
        if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1].split(':')[1], 16) === port) inodes.add(cols[9])
      }
    }
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          const link = readlinkSafe(`/proc/${pid}/fd/${fd}`)
          if (link && inodes.has(/^socket:\[(\d+)\]$/.exec(link)?.[1] ?? '')) return Number(pid)
        }
      } catch {
        // another user's process, or gone
      }
    }
  } catch {
    // no /proc here
  }
  return null
}

function readlinkSafe(path: string): string | null {
  try {
    return readlinkSync(path)
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface Window {
  requests: number
  latencies: number[]
  status5xx: number
  status4xx: number
  graphqlErrors: number
  network: number
}
const newWindow = (): Window => ({
  requests: 0,
  latencies: [],
  status5xx: 0,
  status4xx: 0,
  graphqlErrors: 0,
  network: 0,
})
let window = newWindow()
const total = newWindow()
/** error messages seen, with how often, for the summary */
const errorSamples = new Map<string, number>()

function record(ms: number | null, kind: 'ok' | '5xx' | '4xx' | 'graphql' | 'network', sample?: string) {
  for (const w of [window, total]) {
    w.requests++
    if (ms !== null) w.latencies.push(ms)
    if (kind === '5xx') w.status5xx++
    if (kind === '4xx') w.status4xx++
    if (kind === 'graphql') w.graphqlErrors++
    if (kind === 'network') w.network++
  }
  if (sample) errorSamples.set(sample, (errorSamples.get(sample) ?? 0) + 1)
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

interface Sample {
  at: number
  rss: number | null
  heap: number | null
  fds: number | null
}
const samples: Sample[] = []

async function sampleServer(target: Target): Promise<Sample> {
  const at = performance.now() - started
  const heap = await target.heapUsed()
  if (!target.pid) return { at, rss: null, heap, fds: null }
  let rss: number | null = null
  let fds: number | null = null
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${target.pid}/status`, 'utf8'))?.[1]
    rss = kb ? Number(kb) * 1024 : null
    fds = readdirSync(`/proc/${target.pid}/fd`).length
  } catch {
    // the process is gone, or not ours to read
  }
  return { at, rss, heap, fds }
}

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(1)} MB`)
const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} ms`)

// ---------------------------------------------------------------------------------------------
// Traffic

let target: Target
let editor: Record<string, string>
/** when the traffic started: elapsed times count from here */
let started = performance.now()
let stopping = false

interface Body {
  data?: Record<string, any> | null
  errors?: { message: string; extensions?: { code?: string } }[]
}

/** One GraphQL request over HTTP, measured and classed; the body when there is one. */
async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Body | null> {
  const t0 = performance.now()
  try {
    const response = await fetch(`${target.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    })
    const text = await response.text()
    const elapsed = performance.now() - t0
    if (response.status >= 500) record(elapsed, '5xx', `${response.status} ${text.slice(0, 120)}`)
    else if (response.status >= 400) record(elapsed, '4xx', `${response.status} ${text.slice(0, 120)}`)
    const body = JSON.parse(text) as Body
    if (response.status < 400) {
      if (body.errors?.length)
        record(
          elapsed,
          'graphql',
          `${body.errors[0].extensions?.code ?? 'no code'}: ${body.errors[0].message.slice(0, 120)}`,
        )
      else record(elapsed, 'ok')
    }
    return body
  } catch (error) {
    record(null, 'network', `network: ${(error as Error).cause ?? (error as Error).message}`)
    return null
  }
}

const FRONT_PAGE = `query FrontPage { stories(first: 20) { totalCount edges { node { id slug headline lede urgency firstPublishedAt readTimeMinutes
  photo { caption creditLine } tags { edges { node { slug name } } } people(first: 5) { edges { node { name } } } events(first: 3) { edges { node { name status } } } } } } }`
const STORY_PAGE = `query StoryPage($slug: String!) { story(slug: $slug) { id headline lede body { heading paragraphs } byline readTimeMinutes
  photo { caption creditLine } people { edges { relation node { name } } } places { edges { node { name } } }
  events { edges { node { name status statusHistory(last: 3) { edges { node { at to note } } } } } }
  related(first: 5) { totalCount edges { reason node { headline } } } corrections { totalCount } } }`
const SEARCH = `query Search($q: String!) { search(query: $q, first: 10) { totalCount edges { rank snippet node { slug headline } } } }`
const NODE = `query Node($id: ID!) { node(id: $id) { id __typename ... on Story { headline } } }`
const NODES = `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Story { slug } } }`
const WORDS = [
  'ceasefire',
  'talks',
  'Qatar',
  'Gaza',
  '"ceasefire talks"',
  'soak',
  'negotiators -football',
  'Doha OR Cairo',
  'storm',
  'harbour',
]

/** what readers can look up: slugs and ids of published stories, more as the editor publishes */
const known = { slugs: [] as string[], ids: [] as string[] }
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]

async function readerRequest() {
  const roll = Math.random()
  if (roll < 0.35) {
    const body = await gql(FRONT_PAGE)
    for (const edge of body?.data?.stories?.edges ?? []) {
      if (!known.slugs.includes(edge.node.slug)) known.slugs.push(edge.node.slug)
      if (!known.ids.includes(edge.node.id)) known.ids.push(edge.node.id)
    }
  } else if (roll < 0.65) await gql(STORY_PAGE, { slug: pick(known.slugs) })
  else if (roll < 0.85) await gql(SEARCH, { q: pick(WORDS) })
  else if (roll < 0.93) await gql(NODE, { id: pick(known.ids) })
  else await gql(NODES, { ids: Array.from({ length: 5 }, () => pick(known.ids)) })
}

// The editor's writes, and what each must deliver to which subscription.
const soak = {
  tagSlug: `soak-${RUN}`,
  tagId: '',
  eventSlug: `soak-${RUN}`,
  eventId: '',
  eventVersion: 0,
  eventStatus: 'SCHEDULED',
}
type Stream = 'breaking' | 'published' | 'event'
/** per stream, per change key ("story.published:<id>"), how many messages it must bring */
const expected: Record<Stream, Map<string, number>> = { breaking: new Map(), published: new Map(), event: new Map() }
const owe = (stream: Stream, key: string) => expected[stream].set(key, (expected[stream].get(key) ?? 0) + 1)
const writes = { published: 0, revised: 0, statusChanges: 0, refused: 0 }
const publishedByUs: { id: string; version: number }[] = []
let storyCount = 0

const CREATE = `mutation Create($input: StoryInput!) { createStory(input: $input) { __typename ... on Story { id version } ... on Error { code message } } }`
const PUBLISH = `mutation Publish($id: ID!, $version: Int!) { publishStory(id: $id, version: $version) { __typename ... on Story { id version slug } ... on Error { code message } } }`
const REVISE = `mutation Revise($id: ID!, $version: Int!, $input: StoryUpdateInput!) { updateStory(id: $id, version: $version, input: $input) { __typename ... on Story { id version } ... on Error { code message } } }`
const CHANGE_STATUS = `mutation Status($id: ID!, $version: Int!, $to: EventStatus!) { changeEventStatus(eventId: $id, version: $version, to: $to, note: "soak") { __typename ... on Event { version status } ... on Error { code message } } }`

async function editorRequest() {
  const roll = Math.random()
  if (roll < 0.6 || publishedByUs.length === 0) {
    const n = ++storyCount
    const created = (
      await gql(
        CREATE,
        {
          input: {
            slug: `soak-${RUN}-${n}`,
            headline: `Soak story ${n} of run ${RUN}`,
            lede: `The soak publishes story ${n}; every subscriber must receive it.`,
            sections: [{ paragraphs: ['Negotiators met again in Doha as the soak went on.'] }],
            urgency: 1 + Math.floor(Math.random() * 9),
            tagIds: [soak.tagId],
            events: [{ id: soak.eventId, relation: 'ABOUT' }],
          },
        },
        editor,
      )
    )?.data?.createStory
    if (created?.__typename !== 'Story') return void writes.refused++
    const published = (await gql(PUBLISH, { id: created.id, version: created.version }, editor))?.data?.publishStory
    if (published?.__typename !== 'Story') return void writes.refused++
    writes.published++
    publishedByUs.push({ id: published.id, version: published.version })
    known.slugs.push(published.slug)
    known.ids.push(published.id)
    for (const stream of ['breaking', 'published', 'event'] as const) owe(stream, `story.published:${published.id}`)
  } else if (roll < 0.8) {
    const story = pick(publishedByUs)
    const revised = (
      await gql(
        REVISE,
        { id: story.id, version: story.version, input: { lede: `Revised at ${new Date().toISOString()}.` } },
        editor,
      )
    )?.data?.updateStory
    if (revised?.__typename !== 'Story') return void writes.refused++
    story.version = revised.version
    writes.revised++
    owe('breaking', `story.updated:${story.id}`)
  } else {
    const to = soak.eventStatus === 'SCHEDULED' ? 'CONFIRMED' : 'SCHEDULED'
    const changed = (await gql(CHANGE_STATUS, { id: soak.eventId, version: soak.eventVersion, to }, editor))?.data
      ?.changeEventStatus
    if (changed?.__typename !== 'Event') return void writes.refused++
    soak.eventVersion = changed.version
    soak.eventStatus = changed.status
    writes.statusChanges++
    owe('event', `event.status_changed:${soak.eventId}`)
  }
}

/** One worker: a request at a time, paced so that all of them together send `rate` a second. */
async function worker(index: number) {
  const interval = (CONCURRENCY / rate) * 1000
  let next = performance.now() + (index * interval) / CONCURRENCY
  while (!stopping) {
    await sleep(Math.max(0, next - performance.now()))
    next += interval
    if (stopping) break
    // one request in ten is the editor's (writes serialise on one editor: worker 0 only)
    if (index === 0 && Math.random() < 0.8) await editorRequest()
    else await readerRequest()
  }
}

// ---------------------------------------------------------------------------------------------
// Subscribers

interface Subscriber {
  name: string
  stream: Stream
  /** messages received, per change key */
  received: Map<string, number>
  /** messages that were errors, or for changes the soak did not make */
  errors: string[]
  reconnects: number
  stop(): Promise<void>
}

const SUBSCRIPTIONS: Record<Stream, string> = {
  breaking: `subscription Breaking($tags: [String!], $since: String) { breakingNews(minUrgency: 9, tags: $tags, since: $since) { cursor kind story { id } } }`,
  published: `subscription Published($tag: String, $since: String) { storyPublished(filter: { tag: $tag }, since: $since) { cursor kind story { id } } }`,
  event: `subscription EventNews($slug: String, $since: String) { eventUpdated(slug: $slug, since: $since) { cursor kind story { id } event { id } } }`,
}
const variablesFor = (stream: Stream) =>
  stream === 'breaking'
    ? { tags: [soak.tagSlug] }
    : stream === 'published'
      ? { tag: soak.tagSlug }
      : { slug: soak.eventSlug }

/** The change key of a message: what changed, and which object. */
function keyOf(message: { kind: string; story?: { id: string } | null; event?: { id: string } | null }): string {
  return `${message.kind}:${message.kind.startsWith('event.') ? message.event?.id : message.story?.id}`
}

function accept(
  subscriber: Subscriber,
  payload: { data?: Record<string, any> | null; errors?: { message: string }[] },
): string | null {
  if (payload.errors?.length) {
    subscriber.errors.push(payload.errors.map((e) => e.message).join('; '))
    return null
  }
  const message = Object.values(payload.data ?? {})[0] as {
    cursor: string
    kind: string
    story?: { id: string } | null
    event?: { id: string } | null
  }
  const key = keyOf(message)
  subscriber.received.set(key, (subscriber.received.get(key) ?? 0) + 1)
  return message.cursor
}

/** A WebSocket subscriber; after a drop it reconnects and resumes from its last cursor. */
function wsSubscriber(index: number, stream: Stream): Subscriber {
  let cursor: string | null = null
  let stopSubscription: (() => void) | null = null
  const subscriber: Subscriber = {
    name: `ws-${index} ${stream}`,
    stream,
    received: new Map(),
    errors: [],
    reconnects: 0,
    async stop() {
      stopSubscription?.()
      await Promise.resolve(client.dispose()).catch(() => {})
    },
  }
  const wsUrl = target.origin.replace(/^http/, 'ws') + '/graphql'
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => !stopping,
    retryWait: () => sleep(500),
    on: {
      connected: () => {
        stopSubscription?.()
        stopSubscription = client.subscribe(
          {
            query: SUBSCRIPTIONS[stream],
            variables: { ...variablesFor(stream), ...(cursor ? { since: cursor } : {}) },
          },
          {
            next: (payload) => {
              cursor = accept(subscriber, payload as never) ?? cursor
            },
            error: (error) => subscriber.errors.push(describe(error)),
            complete: () => {},
          },
        )
      },
      closed: () => {
        if (!stopping) subscriber.reconnects++
      },
    },
  })
  return subscriber
}

/** A Server-Sent Events subscriber (storyPublished); after a drop it resumes from its last cursor. */
function sseSubscriber(): Subscriber {
  let cursor: string | null = null
  const abort = new AbortController()
  const subscriber: Subscriber = {
    name: 'sse published',
    stream: 'published',
    received: new Map(),
    errors: [],
    reconnects: 0,
    async stop() {
      abort.abort()
      await running.catch(() => {})
    },
  }
  const running = (async () => {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(`${target.origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({
            query: SUBSCRIPTIONS.published,
            variables: { ...variablesFor('published'), ...(cursor ? { since: cursor } : {}) },
          }),
          signal: abort.signal,
        })
        const decoder = new TextDecoder()
        let buffer = ''
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true })
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            if (!/^event: next$/m.test(event)) continue
            const data = event
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n')
            cursor = accept(subscriber, JSON.parse(data)) ?? cursor
          }
        }
      } catch (error) {
        if (abort.signal.aborted) break
        subscriber.errors.push(`sse: ${(error as Error).message}`)
      }
      if (abort.signal.aborted) break
      subscriber.reconnects++
      await sleep(500)
    }
  })()
  return subscriber
}

/** Per subscriber: the changes it must have had and did not, and those it had more than once. */
function delivery(subscriber: Subscriber) {
  let lost = 0
  let duplicated = 0
  let got = 0
  for (const [key, n] of expected[subscriber.stream]) {
    const r = subscriber.received.get(key) ?? 0
    got += Math.min(r, n)
    if (r < n) lost += n - r
    if (r > n) duplicated += r - n
  }
  const unexpected = [...subscriber.received.keys()].filter((k) => !expected[subscriber.stream].has(k)).length
  return {
    expected: [...expected[subscriber.stream].values()].reduce((a, b) => a + b, 0),
    got,
    lost,
    duplicated,
    unexpected,
  }
}

// ---------------------------------------------------------------------------------------------
// The run

function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((e) => (e as { message?: string }).message ?? String(e)).join('; ')
  if (error instanceof Error) return error.message
  const close = error as { code?: number; reason?: string }
  return typeof close?.code === 'number' ? `closed ${close.code} ${close.reason ?? ''}` : String(error)
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms))
}

function fail(message: string): never {
  console.error(message)
  console.error(usage)
  process.exit(2)
}

function reportLine(subscribers: Subscriber[]) {
  const elapsed = Math.round((performance.now() - started) / 1000)
  const last = samples.at(-1)
  const lost = subscribers.reduce((n, s) => n + delivery(s).lost, 0)
  const w = window
  window = newWindow()
  console.log(
    `[${String(elapsed).padStart(5)} s] requests ${String(total.requests).padStart(7)} (+${w.requests}, ${(w.requests / (REPORT_EVERY_MS / 1000)).toFixed(1)}/s)` +
      ` | 5xx ${w.status5xx} 4xx ${w.status4xx} graphql ${w.graphqlErrors} network ${w.network}` +
      ` | p50 ${ms(percentile(w.latencies, 50))} p99 ${ms(percentile(w.latencies, 99))}` +
      ` | rss ${mb(last?.rss ?? null)} heap ${mb(last?.heap ?? null)} fds ${last?.fds ?? 'n/a'}` +
      ` | writes ${writes.published + writes.revised + writes.statusChanges} events behind ${lost}`,
  )
}

/** The mean of the last third of the samples after warm-up, against that of the first third. */
function flatness(pick: (s: Sample) => number | null, tolerance: { percent: number; absolute: number }) {
  const values = samples
    .filter((s) => s.at >= WARM_UP_MS)
    .map(pick)
    .filter((v): v is number => v !== null)
  if (!samples.some((s) => pick(s) !== null))
    return { judged: false as const, text: 'not measured: not visible from here' }
  if (values.length < 3) return { judged: false as const, text: 'too few samples after warm-up to judge' }
  const third = Math.floor(values.length / 3)
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const first = mean(values.slice(0, third))
  const last = mean(values.slice(-third))
  const allowed = first + Math.max((first * tolerance.percent) / 100, tolerance.absolute)
  return { judged: true as const, first, last, allowed, ok: last <= allowed }
}

async function main() {
  target = values.url ? await useServerAt(values.url) : await startOwnServer()
  editor = {
    authorization: `Bearer ${await mintToken(loadConfig(), { sub: `soak-editor-${RUN}`, role: 'editor' }, `${tokenLifetime}s`)}`,
  }

  // What the soak writes under: its own tag and event, so subscribers see only its changes.
  const setup = await gql(
    `mutation Setup($tag: String!, $event: String!) {
      upsertTag(input: { slug: $tag, name: "Soak" }) { __typename ... on Tag { id } ... on Error { code message } }
      createEvent(input: { slug: $event, name: "Soak event" }) { __typename ... on Event { id version status } ... on Error { code message } }
    }`,
    { tag: soak.tagSlug, event: soak.eventSlug },
    editor,
  )
  const { upsertTag, createEvent } = setup?.data ?? {}
  if (upsertTag?.__typename !== 'Tag' || createEvent?.__typename !== 'Event')
    throw new Error(`setup failed: ${JSON.stringify(setup)}`)
  Object.assign(soak, {
    tagId: upsertTag.id,
    eventId: createEvent.id,
    eventVersion: createEvent.version,
    eventStatus: createEvent.status,
  })
  const front = await gql(FRONT_PAGE)
  for (const edge of front?.data?.stories?.edges ?? []) {
    known.slugs.push(edge.node.slug)
    known.ids.push(edge.node.id)
  }
  if (known.slugs.length === 0)
    throw new Error('the server has no published story to read: seed it (SEED_ON_START) or publish some')

  const streams: Stream[] = ['breaking', 'published', 'event']
  const subscribers = [
    ...Array.from({ length: subscriberCount }, (_, i) => wsSubscriber(i, streams[i % 3])),
    sseSubscriber(),
  ]
  // a moment for the subscriptions to reach the server before the first write
  await sleep(1_000)
  window = newWindow()
  Object.assign(total, newWindow())
  console.log(
    `soak: ${minutes} min at ${rate} requests/s from ${CONCURRENCY} workers (one in ten an editor's write), ` +
      `${subscriberCount} WebSocket subscribers and 1 SSE subscriber; warm-up ${Math.round(WARM_UP_MS / 1000)} s; run ${RUN}`,
  )

  console.log(
    target.child
      ? `server memory: RSS from /proc/${target.pid}/status, heap in use after a full collection (asked over IPC), open descriptors from /proc/${target.pid}/fd; every ${SAMPLE_EVERY_MS / 1000} s`
      : `server memory: ${target.pid ? `RSS from /proc/${target.pid}/status and open descriptors from /proc/${target.pid}/fd; its heap is not visible from outside` : 'not visible'}`,
  )
  const startedTraffic = (started = performance.now())
  const sampler = setInterval(() => void sampleServer(target).then((s) => samples.push(s)), SAMPLE_EVERY_MS)
  const reporter = setInterval(() => reportLine(subscribers), REPORT_EVERY_MS)
  const workers = Array.from({ length: CONCURRENCY }, (_, i) => worker(i))
  await sleep(Math.max(0, DURATION_MS - (performance.now() - startedTraffic)))
  stopping = true
  await Promise.all(workers)
  clearInterval(reporter)
  clearInterval(sampler)
  samples.push(await sampleServer(target))
  const trafficSeconds = (performance.now() - startedTraffic) / 1000

  // what is still on its way to the subscribers
  const graceEnds = Date.now() + DELIVERY_GRACE_MS
  while (Date.now() < graceEnds && subscribers.some((s) => delivery(s).lost > 0)) await sleep(200)
  await Promise.all(subscribers.map((s) => s.stop()))

  // ------------------------------------------------------------------------------------------
  // Summary and verdict
  console.log('\nsummary')
  console.log(
    `  requests      ${total.requests} in ${trafficSeconds.toFixed(0)} s (${(total.requests / trafficSeconds).toFixed(1)}/s): ` +
      `5xx ${total.status5xx}, 4xx ${total.status4xx}, GraphQL errors ${total.graphqlErrors}, network errors ${total.network}`,
  )
  console.log(
    `  latency       p50 ${ms(percentile(total.latencies, 50))}, p95 ${ms(percentile(total.latencies, 95))}, p99 ${ms(percentile(total.latencies, 99))}, max ${ms(Math.max(...total.latencies))}`,
  )
  console.log(
    `  writes        ${writes.published} stories published, ${writes.revised} revised, ${writes.statusChanges} event status changes, ${writes.refused} refused`,
  )
  for (const [sample, n] of [...errorSamples].sort((a, b) => b[1] - a[1]).slice(0, 5))
    console.log(`  error ×${n}   ${sample}`)
  let lostTotal = 0
  let duplicatedTotal = 0
  for (const s of subscribers) {
    const d = delivery(s)
    lostTotal += d.lost
    duplicatedTotal += d.duplicated
    console.log(
      `  subscriber    ${s.name.padEnd(18)} expected ${d.expected}, received ${d.got}, lost ${d.lost}, duplicated ${d.duplicated}` +
        `${d.unexpected ? `, ${d.unexpected} others` : ''}, reconnects ${s.reconnects}${s.errors.length ? `, errors: ${s.errors.slice(0, 2).join(' | ')}` : ''}`,
    )
  }
  const first = samples.find((s) => s.at >= WARM_UP_MS)
  const last = samples.at(-1)
  console.log(
    `  server        rss ${mb(first?.rss ?? null)} → ${mb(last?.rss ?? null)}, heap ${mb(first?.heap ?? null)} → ${mb(last?.heap ?? null)}, fds ${first?.fds ?? 'n/a'} → ${last?.fds ?? 'n/a'} (after warm-up → end)`,
  )
  if (target.child) {
    console.log(`  server log    ${target.logged.errors} lines at level error or above`)
    for (const line of target.logged.lastErrors) console.log(`    error: ${line}`)
    for (const line of target.logged.last) console.log(`    warning: ${line}`)
    for (const [line, n] of target.logged.printed) console.log(`    printed ×${n}: ${line}`)
  }

  const failures: string[] = []
  const checks: string[] = []
  const check = (ok: boolean, text: string) => (ok ? checks : failures).push(text)
  check(total.status5xx === 0, `5xx responses: ${total.status5xx} (allowed 0)`)
  check(total.network === 0, `requests failed on the network: ${total.network} (allowed 0)`)
  check(lostTotal === 0, `subscription events lost: ${lostTotal} (allowed 0)`)
  check(duplicatedTotal === 0, `subscription events duplicated: ${duplicatedTotal} (allowed 0)`)
  for (const [what, pickValue, tolerance, unit] of [
    ['rss', (s: Sample) => s.rss, TOLERANCE.rss, 'MB'],
    ['heap', (s: Sample) => s.heap, TOLERANCE.heap, 'MB'],
    ['fds', (s: Sample) => s.fds, TOLERANCE.fds, ''],
  ] as const) {
    const f = flatness(pickValue, tolerance)
    const fmt = (v: number) => (unit === 'MB' ? mb(v) : v.toFixed(1))
    const rule = `+${tolerance.percent}% or +${unit === 'MB' ? mb(tolerance.absolute) : tolerance.absolute}, whichever is larger`
    if (!f.judged) checks.push(`${what} flat: not judged (${f.text})`)
    else
      check(
        f.ok,
        `${what} flat: last third ${fmt(f.last)} vs first third ${fmt(f.first)} after warm-up (allowed up to ${fmt(f.allowed)}: ${rule})`,
      )
  }
  console.log('\nverdict')
  for (const text of checks) console.log(`  ok    ${text}`)
  for (const text of failures) console.log(`  FAIL  ${text}`)
  console.log(failures.length === 0 ? '  PASS' : '  FAIL')

  if (target.child) {
    target.child.kill('SIGTERM')
    const exited = await Promise.race([
      new Promise((resolve) => target.child!.once('exit', () => resolve(true))),
      sleep(30_000).then(() => false),
    ])
    if (!exited) target.child.kill('SIGKILL')
  }
  process.exit(failures.length === 0 ? 0 : 1)
}

main().catch((error) => {
  console.error(`soak: ${(error as Error).stack ?? error}`)
  target?.child?.kill('SIGKILL')
  process.exit(1)
})
