// `npm run bench:profile -- --workload frontPage` — where ours spends its CPU under one workload:
// our server is started, warmed up, and profiled (through the bench's probe, bench/probe.ts)
// while the workload is sent to it, start-up left out. The profile goes to
// bench/results/profiles/ (open it in Chrome DevTools or speedscope); its heaviest packages and
// functions by self time are printed. What docs/performance.md cites when a target is not met.
//
// Workloads: frontPage, storyPage, search, varied, write, breakingNews (--subscribers N, a publish every
// 100 ms). --uncached profiles the server with its response cache off. Uses the bench database
// when it holds data (--db, default news_bench_quick), else generates the quick data set into it
// first.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { mintToken } from '../src/auth/token.js'
import { DraftPool, type BenchContext } from './context.js'
import { createDatabase, databaseUrl, generate, loadFixtures } from './generate.js'
import { runLoad } from './http-load.js'
import { runFanOut, startClients } from './phase-fanout.js'
import { ROOT } from './processes.js'
import { startOurs } from './servers.js'
import { BENCH_JWT_SECRET, SETTINGS } from './settings.js'
import { searchQueries } from './vocabulary.js'
import { frontPage } from './workloads/front-page.js'
import { search } from './workloads/search.js'
import { storyPage } from './workloads/story-page.js'
import { varied, variedParams } from './workloads/varied.js'
import { publishRequest, published } from './workloads/write.js'
import type { HttpRequest } from './workloads/http.js'

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'frontPage' },
    seconds: { type: 'string', default: '10' },
    subscribers: { type: 'string', default: '5000' },
    db: { type: 'string', default: 'news_bench_quick' },
    'admin-url': {
      type: 'string',
      default: process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    top: { type: 'string', default: '25' },
    // the server with its response cache off: where a request that runs spends its CPU
    uncached: { type: 'boolean', default: false },
  },
})

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

/** Self time by function and by package, heaviest first. */
export function summarizeProfile(
  profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] },
  top = 25,
) {
  const total = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1
  const byFunction = new Map<string, number>()
  const byPackage = new Map<string, number>()
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (!hits) continue
    const { functionName, url, lineNumber } = node.callFrame
    const file = url.replace(/^file:\/\//, '').replace(ROOT, '')
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim()
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits)
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ??
      (file.startsWith('src/') ? 'src (ours)' : file ? file.split('/')[0] || 'node' : functionName || '(native)')
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits)
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, percent: Math.round((1000 * hits) / total) / 10 }))
  return {
    seconds: (profile.endTime - profile.startTime) / 1e6,
    functions: ranked(byFunction),
    packages: ranked(byPackage),
  }
}

async function main() {
  const url = databaseUrl(values['admin-url'], values.db)
  const settings = { ...SETTINGS.quick }
  const client = new pg.Client({ connectionString: url })
  const exists = await client.connect().then(
    async () =>
      (await client.query(`SELECT to_regclass('"Story"') IS NOT NULL AND EXISTS (SELECT 1 FROM "Story") AS ok`)).rows[0]
        .ok as boolean,
    () => false,
  )
  await client.end().catch(() => {})
  if (!exists) {
    console.log(`generating the quick data set into ${values.db}`)
    await createDatabase(values['admin-url'], values.db)
    await generate(url, settings.size)
  }
  const fixtures = await loadFixtures(url)
  const token = await mintToken(
    { JWT_SECRET: BENCH_JWT_SECRET, JWT_ISSUER: 'news-graph' },
    { sub: 'bench-editor', role: 'editor' },
    '2h',
  )
  const ctx: BenchContext = {
    settings,
    databaseUrl: url,
    fixtures,
    token,
    drafts: new DraftPool(fixtures),
    log: console.log,
  }
  const subscribers = Number(values.subscribers)
  const workload = values.workload
  const ours = await startOurs(url, { responseCache: !values.uncached })
  let profile: object
  try {
    const seconds = Number(values.seconds)
    if (workload === 'breakingNews') {
      const clients = startClients()
      try {
        await ours.startProfile()
        const run = await runFanOut(ctx, { ours, rawWs: ours, cross: null }, clients, 'breakingNews', subscribers)
        profile = await ours.stopProfile()
        console.log(
          `${subscribers} subscribers: p50 ${run.latencyMs.p50.toFixed(1)} ms, p99 ${run.latencyMs.p99.toFixed(1)} ms, ${run.delivered}/${run.expected} delivered`,
        )
      } finally {
        await Promise.all(clients.map((c) => c.exit()))
      }
    } else {
      const cycle = (requests: HttpRequest[]) => {
        let i = 0
        return () => requests[i++ % requests.length]
      }
      const next =
        workload === 'frontPage'
          ? cycle([frontPage.request('ours', { first: 20 })])
          : workload === 'storyPage'
            ? cycle(fixtures.storySlugs.map((slug) => storyPage.request('ours', { slug, related: 10 })))
            : workload === 'search'
              ? cycle(searchQueries().map((query) => search.request('ours', { query, first: 20 })))
              : workload === 'varied'
                ? cycle(variedParams(fixtures.publicSlugs).map((p) => varied.request('ours', p)))
                : workload === 'write'
                  ? () => publishRequest(ctx.drafts.nextWrite().id, token)
                  : null
      if (!next) throw new Error(`unknown workload ${workload}`)
      const ok =
        workload === 'write' ? published : (body: string) => body.startsWith('{"data"') && !body.includes('"errors"')
      const load = (s: number) =>
        runLoad({
          server: ours,
          next,
          ok,
          seconds: s,
          connections: settings.connections,
          maxRequests: workload === 'write' ? ctx.drafts.writesLeft - 10 : undefined,
        })
      await load(2) // warm up: the profile is of the steady state
      await ours.startProfile()
      const result = await load(seconds)
      profile = await ours.stopProfile()
      console.log(
        `${workload}: ${result.rps.toFixed(1)} req/s, p99 ${result.latencyMs.p99} ms, ${result.cpuMsPerRequest.toFixed(2)} ms CPU per request, ${result.failures} failed`,
      )
    }
  } finally {
    await ours.stop()
  }
  const dir = path.join(ROOT, 'bench', 'results', 'profiles')
  await mkdir(dir, { recursive: true })
  const stamp = new Date()
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z')
  const target = path.join(dir, `${stamp}-${workload}.cpuprofile`)
  // paths relative to the project, so the profile names no path of this machine
  await writeFile(target, JSON.stringify(profile).replaceAll(`file://${ROOT}`, ''))
  const summary = summarizeProfile(profile as Parameters<typeof summarizeProfile>[0], Number(values.top))
  console.log(
    `\nprofile: ${path.relative(process.cwd(), target)} (${summary.seconds.toFixed(1)} s)\n\nself time by package:`,
  )
  for (const p of summary.packages) console.log(`  ${String(p.percent).padStart(5)}%  ${p.name}`)
  console.log('\nself time by function:')
  for (const f of summary.functions) console.log(`  ${String(f.percent).padStart(5)}%  ${f.name}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main()
  process.exit(0)
}
