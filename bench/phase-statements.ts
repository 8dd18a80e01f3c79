// Phase 1: SQL statements per request, counted at the wire (bench/sql-counter.ts) for every
// workload and server at several page sizes, to show they do not grow with the page; and, for
// ours, per publish with few and with many subscribers, to show the fan-out shares its reads.
// Each server runs here behind its own counting proxy, with the live feed's poll pushed out of
// the way; the throughput runs use other processes connected straight to PostgreSQL.
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { publishDraft, type BenchContext } from './context.js'
import { startSqlCounter, type SqlCounter } from './sql-counter.js'
import { send, sleep, until } from './requests.js'
import type { ServerProcess } from './processes.js'
import { startTarget } from './servers.js'
import { searchQueries } from './vocabulary.js'
import { frontPage } from './workloads/front-page.js'
import { storyPage } from './workloads/story-page.js'
import { search } from './workloads/search.js'
import { deliveredSlug, liveNumber, subscription, type FanOutKind } from './workloads/fan-out.js'
import { publishRequest, published } from './workloads/write.js'
import type { HttpRequest, HttpWorkload, Target } from './workloads/http.js'

export interface StatementFigures {
  /** workload → server → page size → statements for one request */
  http: Record<string, Partial<Record<Target, Record<string, number>>>>
  /** one publish through ours, with the live feed's read of it */
  write: number
  /** one publish through ours with N subscribers holding the subscription: statements in all */
  fanOut: Record<FanOutKind, Record<string, number>>
  /** what ours sent, for the record */
  samples: Record<string, string[]>
}

const TARGETS: Target[] = ['ours', 'naive', 'floor', 'postgraphile']
/** The feed's and scheduler's poll, as rare as the settings allow, so they stay out of the counts. */
const QUIET_POLL_MS = 60_000

export async function countStatements(ctx: BenchContext): Promise<StatementFigures> {
  const { settings, fixtures, token } = ctx
  const database = new URL(ctx.databaseUrl)
  const counters = {} as Record<Target, SqlCounter>
  const servers = {} as Record<Target, ServerProcess>
  try {
    await Promise.all(
      TARGETS.map(async (target) => {
        counters[target] = await startSqlCounter({ host: database.hostname, port: Number(database.port || 5432) })
        const proxied = new URL(ctx.databaseUrl)
        proxied.hostname = '127.0.0.1'
        proxied.port = String(counters[target].port)
        // ours with its response cache off: the statements a request sends when it runs (a
        // cached answer sends none)
        servers[target] = await startTarget(target, proxied.toString(), { pollMs: QUIET_POLL_MS, responseCache: false })
      }),
    )
    const figures: StatementFigures = {
      http: {},
      write: 0,
      fanOut: { breakingNews: {}, eventUpdated: {} },
      samples: {},
    }
    const query = searchQueries()[0]
    const cases: [HttpWorkload<any>, (size: number) => unknown][] = [
      [frontPage, (first) => ({ first })],
      [storyPage, (related) => ({ slug: fixtures.hubSlug, related })],
      [search, (first) => ({ query, first })],
    ]
    for (const [workload, params] of cases) {
      figures.http[workload.name] = {}
      for (const target of workload.targets.filter((t) => TARGETS.includes(t))) {
        const counts: Record<string, number> = {}
        for (const size of settings.pageSizes) {
          const request = workload.request(target, params(size))
          const { count, texts } = await measure(
            servers[target],
            counters[target],
            () => request,
            (r) => workload.canonical(target, r),
          )
          counts[String(size)] = count
          if (target === 'ours' && size === 20) figures.samples[`${workload.name}.ours`] = texts
        }
        figures.http[workload.name][target] = counts
        ctx.log(`  ${workload.name} ${target}: ${JSON.stringify(counts)}`)
      }
    }

    // a publish, with the live feed's read of what it committed
    const write = await measure(
      servers.ours,
      counters.ours,
      () => publishRequest(ctx.drafts.nextWrite().id, token),
      (response) => {
        if (!published(JSON.stringify(response)))
          throw new Error(`publish failed: ${JSON.stringify(response).slice(0, 300)}`)
      },
      400,
    )
    figures.write = write.count
    figures.samples['write.ours'] = write.texts
    ctx.log(`  write ours: ${write.count}`)

    for (const kind of ['breakingNews', 'eventUpdated'] as const) {
      for (const n of settings.statementSubscribers) {
        figures.fanOut[kind][String(n)] = await publishWithSubscribers(ctx, servers.ours, counters.ours, kind, n)
      }
      ctx.log(`  ${kind} ours, per publish: ${JSON.stringify(figures.fanOut[kind])}`)
    }
    return figures
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()))
    await Promise.all(Object.values(counters).map((c) => c.close()))
  }
}

/** Statements for one request, after the same kind of request once to warm up: the fewest of a
 *  few tries, so a background poll that happens to fall into one does not count. */
async function measure(
  server: ServerProcess,
  counter: SqlCounter,
  request: () => HttpRequest,
  check: (response: any) => unknown,
  settleMs = 150,
  tries = 3,
): Promise<{ count: number; texts: string[] }> {
  const warm = await send(server, request())
  check(warm.json)
  await sleep(settleMs)
  let best: { count: number; texts: string[] } | null = null
  for (let i = 0; i < tries; i++) {
    counter.reset()
    const { json } = await send(server, request())
    // what the request set off after answering (a write's live-feed read) counts too
    await sleep(settleMs)
    const result = { count: counter.count, texts: [...counter.texts] }
    check(json)
    if (!best || result.count < best.count) best = result
  }
  return best!
}

/** One publish with `n` subscribers on ours: every statement it set off, the write included. */
async function publishWithSubscribers(
  ctx: BenchContext,
  server: ServerProcess,
  counter: SqlCounter,
  kind: FanOutKind,
  n: number,
): Promise<number> {
  const seen = new Map<number, number>()
  const clients: Client[] = []
  const url = `${server.origin.replace('http', 'ws')}/graphql`
  try {
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true })
        clients.push(client)
        return new Promise<void>((resolve) => {
          const off = client.on('connected', () => {
            off()
            resolve()
          })
          client.subscribe(subscription(kind, i, ctx.fixtures.liveEventSlugs), {
            next: (result) => {
              const number = liveNumber(deliveredSlug(result.data))
              seen.set(number, (seen.get(number) ?? 0) + 1)
            },
            error: () => {},
            complete: () => {},
          })
        })
      }),
    )
    const reached = async (draft: { slug: string }, timeoutMs = 20_000) => {
      const number = liveNumber(draft.slug)
      if (!(await until(() => (seen.get(number) ?? 0) >= n, timeoutMs)))
        throw new Error(`${kind}: ${seen.get(number) ?? 0} of ${n} subscribers got ${draft.slug}`)
    }
    // Warm-up publishes until one reaches every subscriber: then every subscription is in place
    // (a client is told it is connected before the server has set up its subscription).
    for (let attempt = 1; ; attempt++) {
      await sleep(300)
      const warm = ctx.drafts.nextLive()
      await publishDraft(server, warm, ctx.token)
      try {
        await reached(warm, 5_000)
        break
      } catch (error) {
        if (attempt === 5) throw error
      }
    }
    await sleep(300)
    // the fewer of two publishes, so a background poll that falls into one does not count
    let fewest = Infinity
    for (let i = 0; i < 2; i++) {
      counter.reset()
      const measured = ctx.drafts.nextLive()
      await publishDraft(server, measured, ctx.token)
      await reached(measured)
      await sleep(400)
      fewest = Math.min(fewest, counter.count)
    }
    return fewest
  } finally {
    await Promise.all(clients.map((c) => c.dispose()))
  }
}
