// Phase 4: fan-out. N WebSocket subscribers (graphql-ws clients, one socket each, spread over two
// client processes) hold breakingNews or a per-event eventUpdated on ours; a story is published
// through the editor mutation every 100 ms; every delivery's publish→deliver latency is recorded,
// with completeness per subscriber, the server's memory per subscriber, CPU per delivery and
// event-loop delay. The same N plain sockets get the same bytes from a raw `ws` broadcast (the
// floor), and the same fan-out runs across two server processes told of commits through Redis.
import { spawn, type ChildProcess } from 'node:child_process'
import type { ClientCommand, ClientReply, ClientResult } from './fanout-client.js'
import { publishDraft, type BenchContext } from './context.js'
import { nodeCommand, ROOT, track, type ServerProcess } from './processes.js'
import { monotonicMs, send, sleep, until } from './requests.js'
import { median, percentile } from './stats.js'
import type { FanOutKind } from './workloads/fan-out.js'
import { JSON_HEADERS } from './workloads/http.js'

export type Variant = 'breakingNews' | 'eventUpdated' | 'rawWs' | 'crossProcess'

export const VARIANT_NAMES: Record<Variant, string> = {
  breakingNews: 'ours, breakingNews (one shared subscription)',
  eventUpdated: 'ours, eventUpdated (per event)',
  rawWs: 'raw ws broadcast (floor)',
  crossProcess: 'ours ×2 processes + Redis, breakingNews',
}

export interface FanOutRun {
  variant: Variant
  subscribers: number
  connected: number
  connectSeconds: number
  /** subscribers that had a warm-up publish before the measured ones began */
  warmedUp: number
  publishes: number
  /** publishes the server refused or did not finish (REQUEST_TIMEOUT_MS): expected of no one */
  failedPublishes: number
  expected: number
  delivered: number
  /** subscribers that received every publish, exactly once */
  complete: number
  duplicates: number
  unexpected: number
  /** publish→deliver over every delivery, ms */
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  /** cross-process: deliveries through the process that committed, and through the other one */
  byProcess?: { local: { p50: number; p99: number }; remote: { p50: number; p99: number } }
  /** the editor mutation's round trip (raw: the broadcast request's), ms */
  publishMs: { p50: number; p99: number }
  /** subscribers ÷ the time from a publish's first delivery to its last: the rate one broadcast
   *  goes out at (median over publishes) */
  fanOutRate: number
  /** every delivery ÷ the time from the first publish to the last delivery */
  sustainedRate: number
  /** server process(es): CPU per delivery (µs), memory per subscriber (bytes), event-loop delay */
  cpuUsPerDelivery: number
  rssPerSubscriber: number
  /** growth of the JS heap and external buffers (after GC), per subscriber */
  heapPerSubscriber: number
  eventLoopMs: { p50: number; p99: number; max: number }
  /** seconds from sending the last publish until the last delivery: how far deliveries fell behind */
  drainSeconds: number
}

export interface FanOutServers {
  ours: ServerProcess
  rawWs: ServerProcess
  /** two processes on one Redis, or null when no redis-server is installed */
  cross: [ServerProcess, ServerProcess] | null
}

const WORKERS = 2
/** warm-up publishes at most, before the measured ones */
const WARMUPS = 3

/** A fan-out client process (bench/fanout-client.ts) and its replies, in order. The same two
 *  serve every run: each run connects its subscribers and disconnects them at the end. */
export class ClientProcess {
  private replies: ClientReply[] = []
  private waiting: ((reply: ClientReply) => void) | null = null
  private readonly exited: Promise<void>
  private gone: Error | null = null
  private constructor(private readonly child: ChildProcess) {
    child.on('error', (error) => (this.gone ??= error))
    child.once('exit', (code, signal) => {
      this.gone ??= new Error(`a fan-out client process exited (${code ?? signal})`)
      this.failWaiting?.(this.gone)
    })
    child.on('message', (reply: ClientReply) => {
      if (this.waiting) {
        const resolve = this.waiting
        this.waiting = null
        resolve(reply)
      } else this.replies.push(reply)
    })
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()))
  }

  static start(): ClientProcess {
    const [command, args] = nodeCommand('bench/fanout-client.ts')
    const child = track(
      spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' }),
    )
    return new ClientProcess(child)
  }

  private failWaiting: ((error: Error) => void) | null = null

  async ask<T extends ClientReply['type']>(
    command: ClientCommand,
    type: T,
    timeoutMs = 120_000,
  ): Promise<Extract<ClientReply, { type: T }>> {
    if (this.gone) throw this.gone
    this.child.send(command)
    const reply = this.replies.shift() ?? (await this.next(timeoutMs))
    if (reply.type !== type) throw new Error(`fan-out client answered ${reply.type}, expected ${type}`)
    return reply as Extract<ClientReply, { type: T }>
  }

  tell(command: ClientCommand) {
    if (this.gone) throw this.gone
    this.child.send(command)
  }

  private next(timeoutMs: number): Promise<ClientReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('a fan-out client did not answer')), timeoutMs)
      this.waiting = (reply) => {
        clearTimeout(timer)
        this.failWaiting = null
        resolve(reply)
      }
      this.failWaiting = (error) => {
        clearTimeout(timer)
        this.waiting = null
        reject(error)
      }
    })
  }

  async disconnect() {
    await this.ask({ type: 'disconnect' }, 'disconnected', 60_000)
  }

  async exit() {
    if (!this.gone) this.tell({ type: 'exit' })
    await Promise.race([this.exited, sleep(5_000)])
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

/** The two client processes of the fan-out phase. */
export function startClients(): ClientProcess[] {
  return Array.from({ length: WORKERS }, () => ClientProcess.start())
}

/** Numbers the raw broadcast's messages go by: past the live drafts, so they never meet a real one. */
let rawNumber = 900_000

export async function runFanOut(
  ctx: BenchContext,
  servers: FanOutServers,
  workers: ClientProcess[],
  variant: Variant,
  subscribers: number,
): Promise<FanOutRun> {
  const { settings } = ctx
  const raw = variant === 'rawWs'
  const targets: ServerProcess[] = raw ? [servers.rawWs] : variant === 'crossProcess' ? servers.cross! : [servers.ours]
  const publisher = targets[0]
  const kind: FanOutKind = variant === 'eventUpdated' ? 'eventUpdated' : 'breakingNews'
  const wsUrl = (server: ServerProcess) => `${server.origin.replace('http', 'ws')}/graphql`
  const perWorker = Math.ceil(subscribers / workers.length)
  try {
    const before = await Promise.all(targets.map((s) => s.stats({ gc: true })))

    // connect: worker i to targets[i % targets.length] (cross-process: half on each process)
    const connects = await Promise.all(
      workers.map((worker, i) =>
        worker.ask(
          {
            type: 'connect',
            url: wsUrl(targets[i % targets.length]),
            mode: raw ? 'raw' : 'graphql-ws',
            kind,
            count: Math.min(perWorker, subscribers - i * perWorker),
            offset: i * perWorker,
            liveEventSlugs: ctx.fixtures.liveEventSlugs,
            batch: settings.connectBatch,
          },
          'connected',
          600_000,
        ),
      ),
    )
    const connected = connects.reduce((n, c) => n + c.connected, 0)
    const connectSeconds = Math.max(...connects.map((c) => c.seconds))

    // what is published: live drafts through the mutation, or numbered slugs through the broadcast
    const next = (): { slug: string; publish: () => Promise<void> } => {
      if (raw) {
        const slug = `live-${String(rawNumber++).padStart(6, '0')}`
        return {
          slug,
          publish: async () => {
            const { status } = await send(publisher, {
              method: 'POST',
              path: '/publish',
              body: JSON.stringify({ slug }),
              headers: JSON_HEADERS,
            })
            if (status !== 200) throw new Error(`raw broadcast answered ${status}`)
          },
        }
      }
      const draft = ctx.drafts.nextLive()
      return { slug: draft.slug, publish: () => publishDraft(publisher, draft, ctx.token) }
    }
    const number = (slug: string) => Number(slug.slice(5))
    const warmups = Array.from({ length: WARMUPS }, next)
    const measured = Array.from({ length: settings.publishes }, next)
    for (const worker of workers)
      worker.tell({
        type: 'expect',
        first: number(measured[0].slug),
        publishes: measured.length,
        warmupFrom: number(warmups[0].slug),
      })

    // Warm-up publishes: once every subscriber has had one, every subscription is in place (a
    // client is told it is connected before the server has set up its subscription).
    const progress = async () => {
      const replies = await Promise.all(workers.map((w) => w.ask({ type: 'progress' }, 'progress')))
      return replies.reduce(
        (sum, r) => ({ delivered: sum.delivered + r.delivered, warmedUp: sum.warmedUp + r.warmedUp }),
        { delivered: 0, warmedUp: 0 },
      )
    }
    let warmedUp = 0
    for (const warmup of warmups) {
      await sleep(300)
      await warmup.publish()
      if (await until(async () => (warmedUp = (await progress()).warmedUp) >= connected, 10_000 + subscribers * 3, 200))
        break
    }
    await sleep(200)
    const subscribed = await Promise.all(targets.map((s) => s.stats({ gc: true })))
    await Promise.all(targets.map((s) => s.resetEventLoop()))
    const cpuBefore = await Promise.all(targets.map((s) => s.stats()))

    // Publish every interval, on the clock (each publish is sent without waiting for the last).
    const publishTimes = new Float64Array(measured.length)
    const publishMs: number[] = []
    const started = monotonicMs()
    const sent: Promise<void>[] = []
    let failedPublishes = 0
    for (let k = 0; k < measured.length; k++) {
      const wait = started + k * settings.publishIntervalMs - monotonicMs()
      if (wait > 0) await sleep(wait)
      const at = (publishTimes[k] = monotonicMs())
      sent.push(
        measured[k].publish().then(
          () => void publishMs.push(monotonicMs() - at),
          (error: Error) => {
            // an overloaded server may refuse or time out a publish: it is counted, and expected of no one
            failedPublishes++
            publishTimes[k] = NaN
            ctx.log(`    publish ${k + 1} failed: ${error.message.slice(0, 200)}`)
          },
        ),
      )
    }
    // when the last publish was sent: deliveries after it are the backlog
    const lastPublish = monotonicMs()
    await Promise.all(sent)
    const expected = connected * (measured.length - failedPublishes)
    await until(async () => (await progress()).delivered >= expected, settings.drainTimeoutMs, 100)
    const after = await Promise.all(targets.map((s) => s.stats()))

    const results: ClientResult[] = await Promise.all(
      workers.map((w) => w.ask({ type: 'finish', publishTimes }, 'result').then((r) => r.result)),
    )
    const delivered = results.reduce((n, r) => n + r.delivered, 0)
    const all = concat(results.map((r) => r.latencies))
    // per publish, across both client processes: the spread of its deliveries
    const rates: number[] = []
    let lastDelivery = -Infinity
    for (let k = 0; k < measured.length; k++) {
      if (Number.isNaN(publishTimes[k])) continue
      const first = Math.min(...results.map((r) => r.firstDelivery[k]).filter(Number.isFinite))
      const last = Math.max(...results.map((r) => r.lastDelivery[k]).filter(Number.isFinite))
      if (Number.isFinite(last)) lastDelivery = Math.max(lastDelivery, last)
      const n = results.reduce((sum, r) => sum + r.perPublish[k], 0)
      if (Number.isFinite(first) && Number.isFinite(last) && last > first) rates.push(n / ((last - first) / 1000))
    }
    const cpuMs = sum(after.map((a, i) => a.cpuMs - cpuBefore[i].cpuMs))
    const rss = sum(subscribed.map((s, i) => s.rss - before[i].rss))
    // what the process holds for its subscribers: JS heap and the buffers outside it (sockets')
    const heap = sum(subscribed.map((s, i) => s.heapUsed + s.external - before[i].heapUsed - before[i].external))
    const worst = after.reduce((w, a) => (a.eventLoop.p99 > w.eventLoop.p99 ? a : w))
    const run: FanOutRun = {
      variant,
      subscribers,
      connected,
      connectSeconds,
      warmedUp,
      publishes: measured.length,
      failedPublishes,
      expected: subscribers * (measured.length - failedPublishes),
      delivered,
      complete: results.reduce((n, r) => n + r.complete, 0),
      duplicates: results.reduce((n, r) => n + r.duplicates, 0),
      unexpected: results.reduce((n, r) => n + r.unexpected, 0),
      latencyMs: {
        p50: percentile(all, 50),
        p90: percentile(all, 90),
        p99: percentile(all, 99),
        max: percentile(all, 100),
      },
      publishMs: { p50: percentile(publishMs, 50), p99: percentile(publishMs, 99) },
      fanOutRate: median(rates),
      sustainedRate: delivered / ((lastDelivery - started) / 1000),
      cpuUsPerDelivery: delivered ? (cpuMs * 1000) / delivered : NaN,
      rssPerSubscriber: rss / subscribers,
      heapPerSubscriber: heap / subscribers,
      eventLoopMs: { p50: worst.eventLoop.p50, p99: worst.eventLoop.p99, max: worst.eventLoop.max },
      drainSeconds: Number.isFinite(lastDelivery) ? Math.max(0, lastDelivery - lastPublish) / 1000 : NaN,
    }
    if (variant === 'crossProcess') {
      // worker 0 is on the process that commits, worker 1 on the one told through Redis
      const [local, remote] = results
      run.byProcess = {
        local: { p50: percentile(local.latencies, 50), p99: percentile(local.latencies, 99) },
        remote: { p50: percentile(remote.latencies, 50), p99: percentile(remote.latencies, 99) },
      }
    }
    return run
  } finally {
    await Promise.all(workers.map((w) => w.disconnect()))
    // let the server let go of the sockets before the next run measures its memory
    await sleep(500)
  }
}

/** Captures the exact `next` message our server sends a breakingNews subscriber, for the raw floor. */
export async function captureFrame(ctx: BenchContext, ours: ServerProcess): Promise<string> {
  const { default: WebSocket } = await import('ws')
  const { BREAKING_NEWS } = await import('./workloads/fan-out.js')
  const socket = new WebSocket(`${ours.origin.replace('http', 'ws')}/graphql`, 'graphql-transport-ws')
  const frames: string[] = []
  const acked = new Promise<void>((resolve, reject) => {
    socket.on('error', reject)
    socket.on('message', (data) => {
      const text = data.toString()
      const message = JSON.parse(text)
      if (message.type === 'connection_ack') resolve()
      else if (message.type === 'next') frames.push(text)
    })
  })
  await new Promise<void>((resolve, reject) => socket.once('open', resolve).once('error', reject))
  socket.send(JSON.stringify({ type: 'connection_init' }))
  await acked
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: BREAKING_NEWS } }))
  await sleep(300)
  const draft = ctx.drafts.nextLive()
  await publishDraft(ours, draft, ctx.token)
  const got = await until(() => frames.length > 0, 10_000)
  socket.close()
  if (!got) throw new Error('capturing the breakingNews message: nothing arrived')
  return frames[0].replaceAll(draft.slug, '__SLUG__')
}

function concat(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0))
  let at = 0
  for (const a of arrays) {
    out.set(a, at)
    at += a.length
  }
  return out
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
