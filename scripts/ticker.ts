// npm run ticker -- [--min-urgency 5] [--tag gaza --tag ceasefire] [--language en] [--since <cursor>]
// Breaking news in a terminal, one line per item: time, urgency, headline, tags. It subscribes to
// breakingNews over WebSocket (graphql-ws) at TICKER_URL (default ws://localhost:4000/graphql),
// keeps the last cursor, and after a drop reconnects (graphql-ws retries) and subscribes again
// with `since: <cursor>`, so nothing is missed and nothing is printed twice. The operation is a
// trusted document (src/clients/terminal-ticker.graphql), sent by its hash.
import { parseArgs } from 'node:util'
import { createClient, type ExecutionResult } from 'graphql-ws'
import WebSocket from 'ws'
import { persistedQuery, TerminalTickerDocument, type TerminalTickerSubscription } from '../src/clients/documents.js'

const usage = 'usage: npm run ticker -- [--min-urgency 1..9] [--tag <slug>]… [--language <code>] [--since <cursor>]'

const { values } = parseArgs({
  options: {
    'min-urgency': { type: 'string', default: '5' },
    tag: { type: 'string', multiple: true, default: [] },
    language: { type: 'string' },
    since: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log(usage)
  process.exit(0)
}
const minUrgency = Number(values['min-urgency'])
if (!Number.isInteger(minUrgency) || minUrgency < 1 || minUrgency > 9)
  fail('--min-urgency must be a whole number from 1 to 9')
if (values.since !== undefined && !/^\d+$/.test(values.since)) fail('--since must be a cursor from an earlier message')
const tags = values.tag
  .flatMap((t) => t.split(','))
  .map((t) => t.trim())
  .filter(Boolean)
const url = process.env.TICKER_URL ?? 'ws://localhost:4000/graphql'

type BreakingNews = TerminalTickerSubscription

/** How many recent items the ticker opens with. */
const OPENING_ITEMS = 10

/** The last cursor printed: every (re)subscription starts after it. */
let cursor: string | null = values.since ?? null
/** Ends the current subscription; null while there is none. */
let stop: (() => void) | null = null

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false, // hold the connection (and retry it) even between subscriptions
  retryAttempts: Infinity,
  shouldRetry: () => true, // a refused connection (server not up yet) is retried too
  retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries))),
  onNonLazyError: (error) => fail(`connection refused for good: ${describe(error)}`),
  on: {
    connecting: (retrying) => retrying && status(`reconnecting to ${url}…`),
    // the first connection and every reconnection: subscribe from the last cursor
    connected: () => {
      status(
        `connected to ${url}; breaking news, urgency 1–${minUrgency}${tags.length ? `, tags ${tags.join(', ')}` : ''}${cursor ? `, since ${cursor}` : ''}`,
      )
      subscribe()
    },
    // the connection dropped: that subscription is over (graphql-ws would resend it with the
    // cursor it started from; ours resumes from the last one instead, on `connected`)
    closed: (event) => {
      stop?.()
      stop = null
      status(`connection closed (${(event as { code?: number }).code ?? 'error'})`)
    },
  },
})

function subscribe() {
  stop?.()
  const variables = {
    minUrgency,
    ...(tags.length ? { tags } : {}),
    ...(values.language ? { language: values.language } : {}),
    // the first time, the newest items; after that, what came since the last one printed
    ...(cursor ? { since: cursor } : { last: OPENING_ITEMS }),
  }
  const mine = client.subscribe<BreakingNews>(
    // by its hash; graphql-ws asks for a query string, which the hash stands in for
    { query: '', operationName: 'TerminalTicker', variables, extensions: persistedQuery(TerminalTickerDocument) },
    {
      next: (result: ExecutionResult<BreakingNews>) => {
        if (result.errors?.length) status(`error: ${result.errors.map((e) => e.message).join('; ')}`)
        const change = result.data?.breakingNews
        if (!change) return
        if (cursor !== null && BigInt(change.cursor) <= BigInt(cursor)) return // seen already
        cursor = change.cursor
        print(change)
      },
      // refused by the server (a bad argument): retrying will not help
      error: (error) => fail(describe(error)),
      // the server ended the subscription while the connection stays up: subscribe again
      complete: () => {
        if (stop !== mine) return
        stop = null
        setTimeout(() => stop === null && subscribe(), 1000)
      },
    },
  )
  stop = mine
}

// no terminal escapes from data: control characters (C0, DEL and C1) become spaces
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
const time = (at: string) => new Date(at).toLocaleTimeString('en-GB', { hour12: false })
const KINDS: Record<string, string> = {
  'story.updated': ' (updated)',
  'story.corrected': ' (corrected)',
  'story.restored': ' (restored)',
}

function print({ at, kind, story }: BreakingNews['breakingNews']) {
  if (!story) return
  const tagNames = story.tags.edges.map((e) => clean(e.node.name))
  console.log(
    `${time(at)}  ${story.urgency}  ${clean(story.headline)}${KINDS[kind] ?? ''}${tagNames.length ? `  [${tagNames.join(', ')}]` : ''}`,
  )
}

function status(message: string) {
  console.error(`# ${message}`)
}

function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((e) => (e as { message?: string }).message ?? String(e)).join('; ')
  if (error instanceof Error) return error.message
  const close = error as { code?: number; reason?: string }
  if (typeof close?.code === 'number') return `closed ${close.code}${close.reason ? ` ${close.reason}` : ''}`
  return String(error)
}

function fail(message: string): never {
  console.error(message)
  console.error(usage)
  process.exit(1)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stop?.()
    void client.dispose()
    process.exit(0)
  })
}
