// The benchmark suite (`npm run bench`, bench/) keeps working: its smoke mode runs every phase on
// tiny data in its own database — statement counts, the same-data check, every HTTP workload
// against ours and every baseline, "newsroom at work" (readers while editors write), "through the
// edge" (story pages via a real Varnish and directly, purges while editors write), fan-out against
// ours, the raw ws floor and two processes on Redis — and must produce every figure the full run
// reports, with every delivery delivered and every change purged.
// No timing is judged here: the figures of a smoke run mean nothing; timing targets are judged
// from the full run's output.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Results } from '../../bench/report.js'
import { ADMIN_URL } from '../helpers/database.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUN_TIMEOUT_MS = 280_000
/** the edge phase runs where varnishd does (else the run says it skipped it) */
const VARNISH = spawnSync('varnishd', ['-V']).status === 0

let out: string
let results: Results
let report: string
let output = ''

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'bench-smoke-'))
  const db = `news_bench_smoke_${randomBytes(4).toString('hex')}`
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out, '--db', db, '--admin-url', ADMIN_URL],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  if (code !== 0) throw new Error(`npm run bench -- --smoke exited with ${code}:\n${output.slice(-4000)}`)
  const files = await readdir(out)
  const json = files.find((f) => f.endsWith('-smoke.json'))
  const md = files.find((f) => f.endsWith('-smoke.md'))
  if (!json || !md) throw new Error(`the smoke run wrote ${files.join(', ') || 'nothing'}`)
  results = JSON.parse(await readFile(path.join(out, json), 'utf8'))
  report = await readFile(path.join(out, md), 'utf8')
}, RUN_TIMEOUT_MS + 20_000)

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true })
})

const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0
const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n)

describe('npm run bench -- --smoke', () => {
  it('describes the machine and the data it ran on', () => {
    expect(results.mode).toBe('smoke')
    expect(results.machine.cpus).toBeGreaterThan(0)
    for (const key of ['cpuModel', 'node', 'postgres', 'redis'] as const) expect(results.machine[key]).toMatch(/\S/)
    expect(results.data.counts.publishedStories).toBeGreaterThan(300)
    for (const key of [
      'people',
      'organisations',
      'places',
      'events',
      'tags',
      'relatedStories',
      'corrections',
      'eventStatusChanges',
    ]) {
      expect(results.data.counts[key], key).toBeGreaterThan(0)
    }
  })

  it('counts SQL statements for every workload, server and page size, and per publish with subscribers', () => {
    const { http, write, fanOut } = results.statements
    const servers = {
      frontPage: ['ours', 'naive', 'floor', 'postgraphile'],
      storyPage: ['ours', 'naive', 'floor', 'postgraphile'],
      search: ['ours', 'naive', 'postgraphile'],
    }
    for (const [workload, targets] of Object.entries(servers)) {
      expect(Object.keys(http[workload]).sort(), workload).toEqual([...targets].sort())
      for (const target of targets) {
        const counts = http[workload][target as 'ours']!
        expect(Object.keys(counts), `${workload} ${target}`).toEqual(['5', '20', '50'])
        for (const n of Object.values(counts)) expect(positive(n), `${workload} ${target}`).toBe(true)
      }
    }
    // the naive baseline's statements grow with the page: what the counts are there to show
    expect(http.frontPage.naive!['50']).toBeGreaterThan(http.frontPage.naive!['5'])
    expect(positive(write)).toBe(true)
    for (const kind of ['breakingNews', 'eventUpdated'] as const) {
      const counts = Object.values(fanOut[kind])
      expect(counts).toHaveLength(2)
      for (const n of counts) expect(n).toBeGreaterThan(write - 1)
    }
  })

  it('checked that every baseline answers the same data as ours before measuring', () => {
    // ours with its response cache off too: the cache answers the same data as a request that runs
    expect(Object.keys(results.equality.frontPage).sort()).toEqual(['floor', 'naive', 'oursUncached', 'postgraphile'])
    expect(Object.keys(results.equality.storyPage).sort()).toEqual(['floor', 'naive', 'oursUncached', 'postgraphile'])
    expect(Object.keys(results.equality.search).sort()).toEqual(['naive', 'oursUncached', 'postgraphile'])
    expect(Object.keys(results.equality.varied).sort()).toEqual(['oursUncached', 'postgraphile'])
    for (const byTarget of Object.values(results.equality))
      for (const verdict of Object.values(byTarget)) expect(verdict).toMatch(/^same data as ours/)
  })

  it('measured every HTTP workload on every server, with no failed request', () => {
    const { http, fixedRate, write } = results.summary
    expect(Object.keys(http.frontPage).sort()).toEqual(['floor', 'naive', 'ours', 'oursUncached', 'postgraphile'])
    expect(Object.keys(http.storyPage).sort()).toEqual(['floor', 'naive', 'ours', 'oursUncached', 'postgraphile'])
    expect(Object.keys(http.search).sort()).toEqual(['naive', 'ours', 'oursUncached', 'postgraphile'])
    expect(Object.keys(http.varied).sort()).toEqual(['ours', 'oursUncached', 'postgraphile'])
    for (const byTarget of Object.values(http)) {
      for (const s of Object.values(byTarget)) {
        expect(positive(s!.rps)).toBe(true)
        expect(finite(s!.p99) && finite(s!.cpuMsPerRequest)).toBe(true)
        expect(s!.failures).toBe(0)
      }
    }
    for (const workload of ['frontPage', 'storyPage']) {
      expect(positive(fixedRate[workload].rate)).toBe(true)
      expect(finite(fixedRate[workload].ours.p99) && finite(fixedRate[workload].postgraphile.p99)).toBe(true)
    }
    expect(positive(write.rps)).toBe(true)
    expect(write.failures).toBe(0)
  })

  it('measured the newsroom at work, ours and PostGraphile, quiet and while the desk wrote through ours', () => {
    const newsroom = results.summary.newsroom!
    expect(newsroom.stories).toBeGreaterThan(300)
    for (const load of ['storyPages', 'mix'] as const) {
      expect(Object.keys(newsroom.http[load]).sort(), load).toEqual(['ours', 'postgraphile'])
      for (const [target, byCondition] of Object.entries(newsroom.http[load])) {
        for (const condition of ['quiet', 'writing'] as const) {
          const s = byCondition[condition]
          expect(positive(s.rps) && finite(s.p99), `${load} ${target} ${condition}`).toBe(true)
          expect(s.failures, `${load} ${target} ${condition}`).toBe(0)
          // ours' response cache counted its lookups (a ratio of hits to them)
          if (target === 'ours') expect(s.hitRatio! >= 0 && s.hitRatio! <= 1, `${load} ${condition}`).toBe(true)
        }
      }
    }
    expect(newsroom.desk.updates).toBeGreaterThan(0)
    expect(newsroom.desk.publishes).toBeGreaterThan(0)
    expect(newsroom.desk.failures).toBe(0)
  })

  it('measured story pages through the edge, via Varnish and directly, and purged every change the desk made', () => {
    const edge = results.summary.edge
    if (!VARNISH) {
      expect(edge).toBeUndefined()
      expect(results.skipped.join('\n')).toMatch(/through the edge: no varnishd/)
      return
    }
    expect(edge!.stories).toBeGreaterThan(300)
    for (const variant of ['varnish', 'direct', 'varnishWriting'] as const) {
      const s = edge!.http[variant]
      for (const figure of [s.p50, s.p99, s.cpuMsPerRequest]) expect(finite(figure), variant).toBe(true)
      expect(positive(s.rps), variant).toBe(true)
      expect(s.failures, variant).toBe(0)
      // Varnish's own counts (varnishstat), or ours' response cache's when read directly
      expect(s.hitRatio >= 0 && s.hitRatio <= 1, variant).toBe(true)
    }
    expect(positive(edge!.ratio)).toBe(true)
    expect(edge!.desk.updates).toBeGreaterThan(0)
    expect(edge!.desk.failures).toBe(0)
    // the server's purger, read at GET /cache-stats: every change committed while the phase ran
    const { purge } = edge!
    expect(purge.target).toMatch(/^varnish:127\.0\.0\.1:\d+$/)
    expect(purge.changes).toBeGreaterThan(0)
    expect(purge.purged).toBeGreaterThanOrEqual(purge.changes)
    expect(finite(purge.p50) && finite(purge.p99)).toBe(true)
  })

  it('fanned out to every subscriber, every publish, at every size and in every variant', () => {
    const redis = results.machine.redis !== 'not installed'
    const variants = ['breakingNews', 'eventUpdated', 'rawWs', ...(redis ? ['crossProcess'] : [])]
    for (const size of results.settings.fanOutSizes) {
      for (const variant of variants) {
        const f = results.summary.fanOut.find((x) => x.subscribers === size && x.variant === variant)
        expect(f, `${variant} at ${size}`).toBeDefined()
        expect(f!.deliveredPercent, `${variant} at ${size}`).toBe(100)
        expect(f!.complete, `${variant} at ${size}`).toBe(size)
        for (const figure of [
          f!.p50,
          f!.p99,
          f!.max,
          f!.fanOutRate,
          f!.sustainedRate,
          f!.cpuUsPerDelivery,
          f!.rssPerSubscriber,
          f!.eventLoopP99,
        ]) {
          expect(finite(figure), `${variant} at ${size}`).toBe(true)
        }
        if (variant === 'crossProcess') expect(finite(f!.remoteMinusLocalP50)).toBe(true)
      }
    }
    for (const run of results.fanOut) {
      expect(run.duplicates, `${run.variant} at ${run.subscribers}`).toBe(0)
      expect(run.unexpected, `${run.variant} at ${run.subscribers}`).toBe(0)
    }
  })

  it('judges every target, and writes the report with them', () => {
    const ids = results.targets.map((t) => t.id)
    const sizes = results.settings.fanOutSizes
    const expected = [
      'statements.frontPage',
      'statements.storyPage',
      'statements.search',
      'statements.write',
      'statements.breakingNews',
      'statements.eventUpdated',
      ...['frontPage', 'storyPage'].flatMap((w) => [`throughput.${w}.naive`, `throughput.${w}.floor`, `latency.${w}`]),
      // issue 15: every read, ours with the response cache off against PostGraphile
      ...['frontPage', 'storyPage', 'search', 'varied'].flatMap((w) => [
        `throughput.${w}.postgraphile`,
        `cpu.${w}.postgraphile`,
        `throughput.${w}.cached`,
      ]),
      'write.throughput',
      'newsroom.storyPages',
      'newsroom.mix',
      'newsroom.cache',
      ...(VARNISH ? ['edge.storyPage', 'edge.purgeLag', 'edge.writing'] : []),
      ...sizes.flatMap((s) => [
        `fanout.complete.${s}`,
        `fanout.rate.${s}`,
        `fanout.memory.${s}`,
        `fanout.cpu.${s}`,
        ...(results.machine.redis !== 'not installed' ? [`fanout.redis.${s}`] : []),
      ]),
      'fanout.p99.1000',
      'fanout.p99.5000',
      'fanout.p99.10000',
      'cpu.request',
      'cpu.delivery',
      'memory.subscriber',
    ]
    for (const id of expected) expect(ids, id).toContain(id)
    // what does not depend on timing holds even in a smoke run
    for (const id of [
      'statements.frontPage',
      'statements.storyPage',
      'statements.search',
      ...sizes.map((s) => `fanout.complete.${s}`),
    ]) {
      expect(results.targets.find((t) => t.id === id)?.met, id).toBe(true)
    }
    expect(report).toContain('## Targets')
    expect(report).toContain('## Newsroom at work')
    if (VARNISH) expect(report).toContain('## Through the edge')
    expect(report).toContain('## Fan-out')
    for (const t of results.targets) expect(report).toContain(t.target)
  })
})
