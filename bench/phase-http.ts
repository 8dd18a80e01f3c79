// Phase 3: HTTP throughput and latency. Every workload runs against ours and its baselines in the
// same run, interleaved: round after round, each server in turn (the order rotating each round),
// so a noisy neighbour or a warming cache hits all of them alike. Throughput is measured with a
// fixed number of connections, as fast as each server answers; latency also at a fixed request
// rate (half of what the slower of ours and PostGraphile managed), where p99 is comparable.
import type { BenchContext } from './context.js'
import { runLoad, type LoadResult } from './http-load.js'
import type { ServerProcess } from './processes.js'
import { sleep } from './requests.js'
import { median } from './stats.js'
import { searchQueries } from './vocabulary.js'
import { frontPage } from './workloads/front-page.js'
import { search } from './workloads/search.js'
import { storyPage } from './workloads/story-page.js'
import { varied, variedParams } from './workloads/varied.js'
import { publishRequest, published } from './workloads/write.js'
import type { HttpRequest, HttpWorkload, Target } from './workloads/http.js'

export interface HttpFigures {
  /** workload → server → one result per round */
  throughput: Record<string, Partial<Record<Target, LoadResult[]>>>
  /** workload → the rate, and server → one result per round at it */
  fixedRate: Record<string, { rate: number; runs: Partial<Record<Target, LoadResult[]>> }>
  /** the write (ours only), one result per round */
  write: LoadResult[]
}

/** A workload's requests in a fixed cycle, the same sequence for every server. */
function requests(ctx: BenchContext, workload: HttpWorkload<any>): (target: Target) => () => HttpRequest {
  const queries = searchQueries()
  const params: unknown[] =
    workload === frontPage
      ? [{ first: 20 }]
      : workload === storyPage
        ? ctx.fixtures.storySlugs.map((slug) => ({ slug, related: 10 }))
        : workload === varied
          ? variedParams(ctx.fixtures.publicSlugs)
          : queries.map((query) => ({ query, first: 20 }))
  return (target) => {
    const bodies = params.map((p) => workload.request(target, p))
    let i = 0
    return () => bodies[i++ % bodies.length]
  }
}

/** A success: data and no errors (GraphQL answers errors with 200 too). */
export const isData = (body: string) =>
  body.startsWith('{"data"') && !body.includes('"errors"') && !body.includes('"story":null')

export const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length])

export async function measureHttp(ctx: BenchContext, servers: Record<Target, ServerProcess>): Promise<HttpFigures> {
  const { settings } = ctx
  const workloads = [frontPage, storyPage, search, varied]
  const figures: HttpFigures = { throughput: {}, fixedRate: {}, write: [] }
  const load = (target: Target, workload: HttpWorkload<any>, seconds: number, rate?: number) =>
    runLoad({
      server: servers[target],
      next: requests(ctx, workload)(target),
      ok: isData,
      seconds,
      connections: settings.connections,
      rate,
    })

  for (let round = 0; round < settings.rounds; round++) {
    for (const workload of workloads) {
      const results = (figures.throughput[workload.name] ??= {})
      for (const target of rotate(workload.targets, round)) {
        if (round === 0 && settings.warmupSeconds > 0) await load(target, workload, settings.warmupSeconds)
        const result = await load(target, workload, settings.seconds)
        ;(results[target] ??= []).push(result)
        ctx.log(
          `  round ${round + 1} ${workload.name} ${target}: ${result.rps.toFixed(1)} req/s, p99 ${result.latencyMs.p99} ms${result.failures ? `, ${result.failures} failed` : ''}`,
        )
        await sleep(300)
      }
    }
  }

  for (const workload of [frontPage, storyPage]) {
    const throughput = figures.throughput[workload.name]
    const rate = Math.max(
      5,
      Math.floor(
        0.5 * Math.min(median(throughput.ours!.map((r) => r.rps)), median(throughput.postgraphile!.map((r) => r.rps))),
      ),
    )
    const runs: Partial<Record<Target, LoadResult[]>> = {}
    for (let round = 0; round < settings.rounds; round++) {
      for (const target of rotate<Target>(['ours', 'postgraphile'], round)) {
        const result = await load(target, workload, settings.seconds, rate)
        ;(runs[target] ??= []).push(result)
        ctx.log(
          `  round ${round + 1} ${workload.name} at ${rate} req/s ${target}: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`,
        )
        await sleep(300)
      }
    }
    figures.fixedRate[workload.name] = { rate, runs }
  }

  // The write: each request publishes another draft; a run stops early if the drafts run out.
  for (let round = 0; round < settings.rounds; round++) {
    const reserve = 10
    const next = () => publishRequest(ctx.drafts.nextWrite().id, ctx.token)
    if (round === 0 && settings.warmupSeconds > 0) {
      await runLoad({
        server: servers.ours,
        next,
        ok: published,
        seconds: settings.warmupSeconds,
        connections: settings.connections,
        maxRequests: Math.max(settings.connections, ctx.drafts.writesLeft - reserve),
      })
    }
    const result = await runLoad({
      server: servers.ours,
      next,
      ok: published,
      seconds: settings.seconds,
      connections: settings.connections,
      maxRequests: Math.max(settings.connections, ctx.drafts.writesLeft - reserve),
    })
    figures.write.push(result)
    ctx.log(
      `  round ${round + 1} write ours: ${result.rps.toFixed(1)} req/s, p99 ${result.latencyMs.p99} ms${result.failures ? `, ${result.failures} failed` : ''}`,
    )
    await sleep(300)
  }
  return figures
}
