// Phase: "through the edge". Varnish with the shipped VCL (deploy/varnish/default.vcl, run by
// test/helpers/varnish.ts) in front of a server of ours started for this phase, whose purger follows
// the change log and purges Varnish by xkey. Readers ask for story pages as a web front end behind
// a CDN would (StoryBySlug by its hash, GET), over the newsroom's stories with its Zipf popularity:
// each round via Varnish, from ours directly (the same sequence, so ours' response cache answers
// the repeats) and via Varnish while the newsroom's desk writes twice a second, in rotating order.
// Then the server's purge lags (GET /cache-stats): from a change's commit to Varnish having dropped
// what it touched.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import pg from 'pg'
import { hashOf } from '../src/clients/documents.js'
import { StoryBySlugDocument } from '../src/generated/clients/graphql.js'
import { startVarnish, type Varnish } from '../test/helpers/varnish.js'
import type { BenchContext } from './context.js'
import { runLoad, type LoadResult } from './http-load.js'
import { Desk, type DeskFigures } from './newsroom-desk.js'
import { isData, rotate } from './phase-http.js'
import { loadNewsroom } from './phase-newsroom.js'
import { freePort, type ServerProcess } from './processes.js'
import { Random, Zipf } from './prng.js'
import { send, sleep, until } from './requests.js'
import { startOurs } from './servers.js'
import type { HttpRequest } from './workloads/http.js'
import { ZIPF_S } from './workloads/newsroom.js'

export type EdgeVariant = 'varnish' | 'direct' | 'varnishWriting'

export const EDGE_VARIANT_NAMES: Record<EdgeVariant, string> = {
  varnish: 'via Varnish',
  direct: 'ours directly',
  varnishWriting: 'via Varnish, the desk writing',
}

export interface CacheCounts {
  hits: number
  misses: number
}

export interface EdgeRun extends LoadResult {
  /** the answers of the cache that answered first: Varnish's (its X-Cache: HIT, or MISS and PASS),
   *  or directly ours' response cache's lookups (GET /cache-stats) */
  cache: CacheCounts
}

export interface PurgeFigures {
  /** the purger's name for the Varnish */
  target: string
  /** changes committed while the phase ran, and how many of them the purger purged */
  changes: number
  purged: number
  /** from a change's commit to Varnish's answer to its purge, seconds, over every purge */
  p50: number
  p99: number
}

export interface EdgeFigures {
  stories: number
  zipfExponent: number
  /** how long Varnish may keep an answer: only purges make it ask ours again */
  sMaxAgeSeconds: number
  /** variant → one run per round */
  runs: Record<EdgeVariant, EdgeRun[]>
  desk: DeskFigures
  purge: PurgeFigures
}

export interface Edge {
  varnish: Varnish
  /** ours, behind it */
  server: ServerProcess
}

const VARIANTS: EdgeVariant[] = ['varnish', 'direct', 'varnishWriting']
const S_MAXAGE_SECONDS = 3600
const DESK_SEED = 17
/** room for every story page of the full run's data (50,000 of a few KB) */
const VARNISH_STORAGE = 'malloc,512m'
const STORY_BY_SLUG = `sha256:${hashOf(StoryBySlugDocument)}`
const run = promisify(execFile)

/** Varnish, and ours behind it purging it; null when varnishd is not installed. */
export async function startEdge(databaseUrl: string): Promise<Edge | null> {
  if (
    !(await run('varnishd', ['-V']).then(
      () => true,
      () => false,
    ))
  )
    return null
  // Varnish needs the backend's port before the backend needs Varnish's origin
  const port = await freePort()
  const varnish = await startVarnish(port, { storage: VARNISH_STORAGE })
  try {
    const server = await startOurs(databaseUrl, {
      name: 'ours-edge',
      port,
      env: {
        PURGE_VARNISH_URLS: varnish.origin,
        // production mode refuses outbound requests to loopback addresses unless allowed
        OUTBOUND_ALLOW: '127.0.0.1',
        EDGE_S_MAXAGE_SECONDS: String(S_MAXAGE_SECONDS),
      },
    })
    return { varnish, server }
  } catch (error) {
    await varnish.stop()
    throw error
  }
}

/** A story page as a front end behind a CDN asks for it: one URL per story. */
export function storyPageByHash(slug: string): HttpRequest {
  const query = new URLSearchParams({ documentId: STORY_BY_SLUG, variables: JSON.stringify({ slug }) })
  return { method: 'GET', path: `/graphql?${query}`, headers: { accept: 'application/graphql-response+json' } }
}

/** Readers' story pages, Zipf-popular, seeded: the same sequence wherever it is sent. */
function readers(slugs: string[], zipf: Zipf, seed: number): () => HttpRequest {
  const ranks = new Random(seed)
  const pages = new Map<number, HttpRequest>()
  return () => {
    const rank = zipf.draw(ranks)
    let page = pages.get(rank)
    if (!page) pages.set(rank, (page = storyPageByHash(slugs[rank])))
    return page
  }
}

export async function measureEdge(ctx: BenchContext, { varnish, server }: Edge): Promise<EdgeFigures> {
  const { settings } = ctx
  const { stories, filings } = await loadNewsroom(ctx.databaseUrl)
  const slugs = stories.map((s) => s.slug)
  const zipf = new Zipf(slugs.length, ZIPF_S)
  // runLoad's requests go to Varnish; its CPU figures stay ours' process's
  const viaVarnish: ServerProcess = { ...server, name: 'varnish', origin: varnish.origin, port: varnish.port }
  const desk = new Desk(server, ctx.token, stories, filings, DESK_SEED)
  const stats = async () =>
    (await send(server, { method: 'GET', path: '/cache-stats', headers: { authorization: `Bearer ${ctx.token}` } }))
      .json
  const load = async (variant: EdgeVariant, seed: number, seconds: number): Promise<EdgeRun> => {
    const direct = variant === 'direct'
    const before = direct ? await stats() : null
    const cache = { hits: 0, misses: 0 }
    const result = await runLoad({
      server: direct ? server : viaVarnish,
      next: readers(slugs, zipf, seed),
      ok: isData,
      seconds,
      connections: settings.connections,
      onHeaders: direct ? undefined : (headers) => void (headers['X-Cache'] === 'HIT' ? cache.hits++ : cache.misses++),
    })
    if (!before) return { ...result, cache }
    const after = await stats()
    return { ...result, cache: { hits: after.hits - before.hits, misses: after.misses - before.misses } }
  }

  await expectKept(varnish, storyPageByHash(slugs[0]))
  const db = new pg.Client({ connectionString: ctx.databaseUrl })
  await db.connect()
  try {
    const newest = async () => BigInt((await db.query(`SELECT coalesce(max(seq), 0) AS seq FROM "Change"`)).rows[0].seq)
    const since = await newest()
    const runs: Record<EdgeVariant, EdgeRun[]> = { varnish: [], direct: [], varnishWriting: [] }
    for (let round = 0; round < settings.edgeRounds; round++) {
      for (const variant of rotate(VARIANTS, round)) {
        if (round === 0 && settings.warmupSeconds > 0 && variant !== 'varnishWriting')
          await load(variant, 1, settings.warmupSeconds)
        // the same readers via Varnish and direct; others each round, and while writing
        const writing = variant === 'varnishWriting'
        const seed = 200 + 10 * round + (writing ? 5 : 0)
        if (writing) desk.start()
        const result = await load(variant, seed, writing ? settings.edgeWritingSeconds : settings.seconds)
        if (writing) await desk.stop()
        const { cache } = result
        runs[variant].push(result)
        ctx.log(
          `  round ${round + 1} ${EDGE_VARIANT_NAMES[variant]}: ${result.rps.toFixed(1)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
            `ours' CPU ${result.cpuMsPerRequest.toFixed(3)} ms/request, cache hits ${((100 * cache.hits) / (cache.hits + cache.misses)).toFixed(0)}%${result.failures ? `, ${result.failures} failed` : ''}`,
        )
        await sleep(300)
      }
    }

    // every change committed is purged before the lags are read (or the wait gives up, and says so)
    const target = Object.keys((await stats()).purge ?? {})[0]
    if (!target) throw new Error(`${server.name} has no purger: ${JSON.stringify(await stats())}`)
    const last = await newest()
    const cursor = async () =>
      BigInt((await db.query(`SELECT seq FROM "PurgeCursor" WHERE target = $1`, [target])).rows[0]?.seq ?? -1)
    if (!(await until(async () => (await cursor()) >= last, 30_000)))
      ctx.log(`  the purger had not caught up 30 s after the last write (at ${await cursor()} of ${last})`)
    const changes = Number((await db.query(`SELECT count(*) AS n FROM "Change" WHERE seq > $1`, [since])).rows[0].n)
    const lag = (await stats()).purge[target] as { count: number; p50: number; p99: number }
    const purge: PurgeFigures = { target, changes, purged: lag.count, p50: lag.p50, p99: lag.p99 }
    const d = desk.figures
    ctx.log(
      `  the desk: ${d.updates} lede edits, ${d.publishes} stories published in ${d.seconds.toFixed(1)} s${d.failures ? `, ${d.failures} failed: ${d.errors[0]}` : ''}; ` +
        `${purge.purged} of ${purge.changes} changes purged, lag p50 ${(purge.p50 * 1000).toFixed(0)} ms, p99 ${(purge.p99 * 1000).toFixed(0)} ms`,
    )
    return { stories: slugs.length, zipfExponent: ZIPF_S, sMaxAgeSeconds: S_MAXAGE_SECONDS, runs, desk: d, purge }
  } finally {
    await db.end()
  }
}

/** Varnish keeps a public story page: its second GET is a hit (else nothing here measures the edge). */
async function expectKept(varnish: Varnish, request: HttpRequest): Promise<void> {
  let response: Response | undefined
  for (let i = 0; i < 2; i++) {
    response = await fetch(`${varnish.origin}${request.path}`, {
      headers: request.headers,
      signal: AbortSignal.timeout(30_000),
    })
    await response.text()
  }
  if (response!.headers.get('x-cache') !== 'HIT')
    throw new Error(
      `Varnish did not keep a story page: ${response!.status}, X-Cache ${response!.headers.get('x-cache')}, Cache-Control ${response!.headers.get('cache-control')}`,
    )
}
