// A fan-out load generator: one process holding many WebSocket subscribers, each on its own
// socket: real graphql-ws clients (`createClient` over `ws`) against our server, or plain `ws`
// sockets against the raw broadcast floor. It records when each subscriber receives each
// published story (the monotonic clock, which every process on the machine shares), and at the
// end turns those times into publish→deliver latencies with the publish times the bench sends.
// The bench (bench/run.ts) starts two of these and talks to them over IPC.
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'
import { deliveredSlug, liveNumber, subscription, type FanOutKind } from './workloads/fan-out.js'

export type ClientCommand =
  | {
      type: 'connect'
      url: string
      mode: 'graphql-ws' | 'raw'
      kind: FanOutKind
      count: number
      offset: number
      liveEventSlugs: string[]
      batch: number
    }
  | { type: 'expect'; first: number; publishes: number; warmupFrom: number }
  | { type: 'progress' }
  | { type: 'finish'; publishTimes: Float64Array }
  | { type: 'disconnect' }
  | { type: 'exit' }

export type ClientReply =
  | { type: 'connected'; connected: number; failed: number; seconds: number }
  | { type: 'progress'; delivered: number; warmedUp: number; errors: number; closed: number }
  | { type: 'result'; result: ClientResult }
  | { type: 'disconnected' }

export interface ClientResult {
  subscribers: number
  publishes: number
  /** publish→deliver of every delivery, ms */
  latencies: Float64Array
  /** deliveries of the publishes that succeeded */
  delivered: number
  /** subscribers that received every publish */
  complete: number
  duplicates: number
  unexpected: number
  errors: number
  closed: number
  /** per publish: how many subscribers here received it, and the first and last delivery time
   *  (monotonic ms; NaN if none) */
  perPublish: Uint32Array
  firstDelivery: Float64Array
  lastDelivery: Float64Array
}

const now = () => Number(process.hrtime.bigint()) / 1e6

let subscribers = 0
let first = 0
let publishes = 0
/** numbers from here up to `first` are warm-up publishes */
let warmupFrom = -1
let received = new Float64Array(0)
let warmed = new Uint8Array(0)
let warmedUp = 0
let delivered = 0
let duplicates = 0
let unexpected = 0
let errors = 0
let closed = 0
const clients: Client[] = []
const sockets: WebSocket[] = []
/** bumped by every disconnect: what a previous run's sockets still report is ignored */
let generation = 0

function record(gen: number, subscriber: number, number: number) {
  if (gen !== generation) return
  const t = now()
  const k = number - first
  if (k >= 0 && k < publishes) {
    const at = subscriber * publishes + k
    if (Number.isNaN(received[at])) {
      received[at] = t
      delivered++
    } else duplicates++
  } else if (number >= warmupFrom && number < first) {
    if (!warmed[subscriber]) {
      warmed[subscriber] = 1
      warmedUp++
    }
  } else if (number >= first) unexpected++
  // else: a publish from before this run (the previous variant's): a process whose change feed had
  // not yet read it when the socket subscribed hands it on; it was committed before, so it is not
  // counted, neither as delivered nor as unexpected
}

async function connect(command: Extract<ClientCommand, { type: 'connect' }>): Promise<ClientReply> {
  const started = now()
  subscribers = command.count
  warmed = new Uint8Array(subscribers)
  let connected = 0
  let failed = 0
  for (let start = 0; start < command.count; start += command.batch) {
    const batch: Promise<boolean>[] = []
    for (let i = start; i < Math.min(command.count, start + command.batch); i++) {
      batch.push(command.mode === 'raw' ? openRaw(command.url, i) : openGraphqlWs(command, i))
    }
    for (const ok of await Promise.all(batch)) {
      if (ok) connected++
      else failed++
    }
  }
  return { type: 'connected', connected, failed, seconds: (now() - started) / 1000 }
}

function openGraphqlWs(command: Extract<ClientCommand, { type: 'connect' }>, i: number): Promise<boolean> {
  const gen = generation
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000)
    const client = createClient({
      url: command.url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      on: {
        connected: () => {
          clearTimeout(timer)
          resolve(true)
        },
        closed: () => {
          if (gen === generation) closed++
          clearTimeout(timer)
          resolve(false)
        },
      },
    })
    clients.push(client)
    client.subscribe(subscription(command.kind, command.offset + i, command.liveEventSlugs), {
      next: (result) => record(gen, i, liveNumber(deliveredSlug(result.data))),
      error: () => void (gen === generation && errors++),
      complete: () => {},
    })
  })
}

function openRaw(url: string, i: number): Promise<boolean> {
  const gen = generation
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { handshakeTimeout: 30_000, perMessageDeflate: false })
    sockets.push(socket)
    socket.on('open', () => resolve(true))
    socket.on('error', () => {
      if (gen === generation) errors++
      resolve(false)
    })
    socket.on('close', () => void (gen === generation && closed++))
    socket.on('message', (data) => record(gen, i, liveNumber(deliveredSlug(JSON.parse(data.toString()).payload?.data))))
  })
}

function finish(publishTimes: Float64Array): ClientResult {
  const latencies = new Float64Array(delivered)
  const firstDelivery = new Float64Array(publishes).fill(NaN)
  const lastDelivery = new Float64Array(publishes).fill(NaN)
  const perPublish = new Uint32Array(publishes)
  let n = 0
  let complete = 0
  for (let s = 0; s < subscribers; s++) {
    let all = true
    for (let k = 0; k < publishes; k++) {
      // a publish that failed (NaN) is expected of no one
      if (Number.isNaN(publishTimes[k])) continue
      const t = received[s * publishes + k]
      if (Number.isNaN(t)) {
        all = false
        continue
      }
      latencies[n++] = t - publishTimes[k]
      perPublish[k]++
      if (Number.isNaN(firstDelivery[k]) || t < firstDelivery[k]) firstDelivery[k] = t
      if (Number.isNaN(lastDelivery[k]) || t > lastDelivery[k]) lastDelivery[k] = t
    }
    if (all) complete++
  }
  return {
    subscribers,
    publishes,
    latencies: latencies.slice(0, n),
    delivered: n,
    complete,
    duplicates,
    unexpected,
    errors,
    closed,
    perPublish,
    firstDelivery,
    lastDelivery,
  }
}

// Between runs this process holds no socket: the channel to the bench keeps it alive (the probe
// preloaded into it lets go of the channel, as it should in a server).
process.channel?.ref()
// the bench is gone: so is this
process.once('disconnect', () => process.exit(0))

process.on('message', async (command: ClientCommand) => {
  const reply = (message: ClientReply) => process.send!(message)
  switch (command.type) {
    case 'connect':
      reply(await connect(command))
      break
    case 'expect':
      first = command.first
      publishes = command.publishes
      warmupFrom = command.warmupFrom
      received = new Float64Array(subscribers * publishes).fill(NaN)
      delivered = duplicates = unexpected = 0
      break
    case 'progress':
      reply({ type: 'progress', delivered, warmedUp, errors, closed })
      break
    case 'finish':
      reply({ type: 'result', result: finish(command.publishTimes) })
      break
    case 'disconnect':
      // every socket closed, and nothing kept: the process is ready for the next run
      generation++
      await Promise.all(clients.splice(0).map((c) => c.dispose()))
      for (const socket of sockets.splice(0)) socket.terminate()
      subscribers = publishes = 0
      warmupFrom = -1
      received = new Float64Array(0)
      warmed = new Uint8Array(0)
      warmedUp = delivered = duplicates = unexpected = errors = closed = 0
      reply({ type: 'disconnected' })
      break
    case 'exit':
      process.exit(0)
  }
})
