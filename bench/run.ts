// `npm run bench` — the benchmark suite (see docs/performance.md). In one run, on one machine:
//
//   1. a database of its own (news_bench), filled by the seeded generator (bench/generate.ts);
//   2. SQL statements per request of every workload on every server, at several page sizes;
//   3. a check that every baseline answers the same data as ours;
//   4. HTTP throughput and latency, ours and the baselines interleaved round by round; then
//      "newsroom at work": readers while editors write, ours and PostGraphile, quiet and writing;
//   5. "through the edge": story pages via Varnish (the shipped VCL) against ours directly, and the
//      purge lag while editors write (skipped without varnishd);
//   6. fan-out: 1,000, 5,000 and 10,000 WebSocket subscribers, against the raw ws floor and across
//      two processes sharing Redis;
//
// then bench/results/<time>-<mode>.md and .json, with the machine, every figure, the ratios and
// whether each target is met. Options: --quick (10,000 stories, short rounds: minutes on two
// cores), --smoke (CI: tiny, seconds), --out DIR, --db NAME, --keep-db, --reuse-db, --seed N.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { mintToken } from '../src/auth/token.js'
import { DraftPool, type BenchContext } from './context.js'
import { createDatabase, databaseUrl, DEFAULT_SEED, dropDatabase, generate, loadFixtures } from './generate.js'
import { describeMachine } from './machine.js'
import { measureEdge, startEdge, type EdgeFigures } from './phase-edge.js'
import { checkSameData } from './phase-equality.js'
import {
  captureFrame,
  runFanOut,
  startClients,
  type ClientProcess,
  type FanOutRun,
  type FanOutServers,
  type Variant,
} from './phase-fanout.js'
import { measureHttp } from './phase-http.js'
import { measureNewsroom } from './phase-newsroom.js'
import { countStatements } from './phase-statements.js'
import { openFileLimits, ROOT, type ServerProcess } from './processes.js'
import { judge, markdown, summarise, type Results } from './report.js'
import { send } from './requests.js'
import { startOurs, startRawWs, startRedis, startTarget, type RedisServer } from './servers.js'
import { BENCH_JWT_SECRET, SETTINGS, type Mode } from './settings.js'
import type { Target } from './workloads/http.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
    db: { type: 'string' },
    'keep-db': { type: 'boolean', default: false },
    'reuse-db': { type: 'boolean', default: false },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    'admin-url': {
      type: 'string',
      default:
        process.env.BENCH_ADMIN_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
})

const mode: Mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full'
const settings = SETTINGS[mode]
const dbName = values.db ?? (mode === 'full' ? 'news_bench' : `news_bench_${mode}`)
/** every run is bounded: past this the bench stops what it started and exits with an error */
const LIMIT_MINUTES = { full: 120, quick: 20, smoke: 5 }[mode]

const started = Date.now()
const startedAt = new Date(started).toISOString()
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`)
const running: ServerProcess[] = []
let redis: RedisServer | null = null
let varnish: { stop(): Promise<void> } | null = null
let clients: ClientProcess[] = []

async function cleanUp() {
  await Promise.all(clients.map((c) => c.exit().catch(() => {})))
  await Promise.all(running.map((s) => s.stop().catch(() => {})))
  await redis?.stop().catch(() => {})
  await varnish?.stop().catch(() => {})
  if (!values['keep-db']) await dropDatabase(values['admin-url'], dbName).catch(() => {})
}

const watchdog = setTimeout(() => {
  console.error(`the bench ran past its ${LIMIT_MINUTES} minutes; stopping`)
  void cleanUp().finally(() => process.exit(2))
}, LIMIT_MINUTES * 60_000)
watchdog.unref()

async function main() {
  log(`${mode} run`)
  const adminUrl = values['admin-url']
  const url = databaseUrl(adminUrl, dbName)
  const machine = await describeMachine(adminUrl)
  log(
    `machine: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, PostgreSQL ${machine.postgres}, Redis ${machine.redis}, load ${machine.loadAverage.join(' ')}`,
  )
  // each server holds every subscriber's socket, each client process half of them
  const openFiles = Math.max(...settings.fanOutSizes) + 2_000
  if (openFileLimits().hard < openFiles) {
    log(
      `warning: the hard limit on open files (ulimit -Hn ${openFileLimits().hard}) is below the ${openFiles} the largest fan-out needs; raise it, or expect refused sockets`,
    )
  }

  let generateSeconds = 0
  if (values['reuse-db']) {
    log(`reusing ${dbName}`)
  } else {
    log(`generating ${settings.size.stories.toLocaleString('en-US')} stories into ${dbName} (seed ${values.seed})`)
    await createDatabase(adminUrl, dbName)
    generateSeconds = (await generate(url, settings.size, Number(values.seed), log)).seconds
    log(`generated in ${generateSeconds.toFixed(1)} s`)
  }
  const fixtures = await loadFixtures(url)
  const token = await mintToken(
    { JWT_SECRET: BENCH_JWT_SECRET, JWT_ISSUER: 'news-graph' },
    { sub: 'bench-editor', role: 'editor' },
    '6h',
  )
  const ctx: BenchContext = { settings, databaseUrl: url, fixtures, token, drafts: new DraftPool(fixtures), log }
  const skipped: string[] = []

  log('SQL statements per request')
  const statements = await countStatements(ctx)

  log('starting ours and the baselines')
  const targets: Target[] = ['ours', 'oursUncached', 'naive', 'floor', 'postgraphile']
  const servers = {} as Record<Target, ServerProcess>
  await Promise.all(
    targets.map(async (target) => {
      servers[target] = await startTarget(target, url)
      running.push(servers[target])
    }),
  )
  log('checking that every baseline answers the same data as ours')
  const equality = await checkSameData(ctx, servers)

  log('HTTP workloads')
  const http = await measureHttp(ctx, servers)
  log('newsroom at work')
  const newsroom = await measureNewsroom(ctx, servers)
  for (const target of ['oursUncached', 'naive', 'floor', 'postgraphile'] as const) {
    await servers[target].stop()
    running.splice(running.indexOf(servers[target]), 1)
  }

  log('through the edge')
  let edge: EdgeFigures | undefined
  const front = await startEdge(url)
  if (front) {
    varnish = front.varnish
    running.push(front.server)
    edge = await measureEdge(ctx, front)
    await front.server.stop()
    running.splice(running.indexOf(front.server), 1)
    await front.varnish.stop()
    varnish = null
  } else {
    skipped.push('through the edge: no varnishd on this machine (Debian: apt-get install varnish varnish-modules)')
  }

  log('fan-out')
  const rawWs = await startRawWs()
  running.push(rawWs)
  const frame = await captureFrame(ctx, servers.ours)
  await send(rawWs, { method: 'POST', path: '/template', body: frame })
  redis = await startRedis()
  let cross: FanOutServers['cross'] = null
  if (redis) {
    cross = (await Promise.all(['ours-a', 'ours-b'].map((name) => startOurs(url, { name, redisUrl: redis!.url })))) as [
      ServerProcess,
      ServerProcess,
    ]
    running.push(...cross)
  } else {
    skipped.push('cross-process fan-out: no redis-server on this machine')
  }
  const fanOutServers: FanOutServers = { ours: servers.ours, rawWs, cross }
  const variants: Variant[] = ['breakingNews', 'rawWs', 'eventUpdated', ...(cross ? (['crossProcess'] as const) : [])]
  const fanOut: FanOutRun[] = []
  clients = startClients()
  for (const size of settings.fanOutSizes) {
    for (let round = 0; round < settings.fanOutRounds; round++) {
      for (const variant of variants.map((_, i) => variants[(i + round) % variants.length])) {
        const run = await runFanOut(ctx, fanOutServers, clients, variant, size)
        fanOut.push(run)
        log(
          `  ${size} ${variant}: ${run.delivered}/${run.expected} delivered, p50 ${run.latencyMs.p50.toFixed(1)} ms, p99 ${run.latencyMs.p99.toFixed(1)} ms, ` +
            `${Math.round(run.fanOutRate)} deliveries/s per publish, ${run.cpuUsPerDelivery.toFixed(1)} µs CPU/delivery, ${(run.heapPerSubscriber / 1024).toFixed(1)} KiB/subscriber (connected in ${run.connectSeconds.toFixed(1)} s${run.failedPublishes ? `, ${run.failedPublishes} publishes failed` : ''})`,
        )
      }
    }
  }

  const summary = summarise(http, fanOut, newsroom, edge)
  const results: Results = {
    mode,
    command: `npm run bench${mode === 'full' ? '' : ` -- --${mode}`}`,
    startedAt,
    wallSeconds: (Date.now() - started) / 1000,
    machine,
    data: {
      seed: Number(values.seed),
      generateSeconds,
      counts: fixtures.counts,
      note:
        mode === 'full'
          ? ''
          : `The ${mode} run uses ${settings.size.stories.toLocaleString('en-US')} published stories (the full run: ${SETTINGS.full.size.stories.toLocaleString('en-US')}).`,
    },
    settings,
    statements,
    equality,
    http,
    newsroom,
    edge,
    fanOut,
    skipped,
    summary,
    targets: judge(settings, statements, summary, skipped),
  }
  const stamp = startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')
  await mkdir(values.out, { recursive: true })
  const base = path.join(values.out, `${stamp}-${mode}`)
  const report = markdown(results)
  await writeFile(`${base}.json`, JSON.stringify(results, jsonReplacer, 2) + '\n')
  await writeFile(`${base}.md`, report + '\n')
  console.log(`\n${report}`)
  log(`wrote ${path.relative(process.cwd(), base)}.md and .json (${(results.wallSeconds / 60).toFixed(1)} minutes)`)
}

/** Typed arrays and NaN as plain JSON. */
function jsonReplacer(_key: string, value: unknown) {
  if (ArrayBuffer.isView(value)) return undefined
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  return value
}

try {
  await main()
  await cleanUp()
  process.exit(0)
} catch (error) {
  console.error(error instanceof Error ? error.stack : error)
  await cleanUp()
  process.exit(1)
}
