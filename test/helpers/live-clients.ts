// Clients for the live transports as the connection and token suites need them: raw
// graphql-transport-ws sockets and SSE requests from a chosen local address (any 127.x.y.z reaches
// a server on 127.0.0.1, and counts as another client address), the latter readable or paused.
import { request, type IncomingMessage } from 'node:http'
import { expect } from 'vitest'
import WebSocket from 'ws'

export const until = (check: () => boolean | Promise<boolean>, timeout = 15_000) =>
  expect.poll(check, { timeout, interval: 20 }).toBe(true)

export interface RawSocket {
  socket: WebSocket
  /** every message received, parsed */
  messages: any[]
  /** the close code and reason, once closed */
  closed: Promise<{ code: number; reason: string; at: number }>
  send(message: unknown): void
  /** messages of one operation */
  of(id: string): any[]
  /** sends connection_init; resolves with 'acked' or how the socket closed ('closed 4403') */
  init(payload?: Record<string, unknown>): Promise<string>
  /** the socket answers a ping: it is open and has handled everything sent before */
  stillOpen(): Promise<void>
}

export interface SocketOptions {
  /** the local address to connect from */
  from?: string
  headers?: Record<string, string>
}

/** Opens a socket; rejects with `status <code>` when the upgrade is refused. */
export function rawSocket(wsUrl: string, { from = '127.0.0.1', headers }: SocketOptions = {}): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { localAddress: from, headers })
    const messages: any[] = []
    socket.on('message', (data) => messages.push(JSON.parse(String(data))))
    const closed = new Promise<{ code: number; reason: string; at: number }>((done) =>
      socket.on('close', (code, reason) => done({ code, reason: String(reason), at: Date.now() })),
    )
    socket.on('unexpected-response', (req, res) => {
      req.destroy()
      reject(new Error(`status ${res.statusCode}`))
    })
    socket.on('error', reject)
    socket.once('open', () => {
      const raw: RawSocket = {
        socket,
        messages,
        closed,
        send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
        of: (id) => messages.filter((m) => m.id === id),
        init(payload = {}) {
          const acked = new Promise<string>((done) => {
            const check = (data: WebSocket.RawData) => {
              if (JSON.parse(String(data)).type !== 'connection_ack') return
              socket.off('message', check)
              done('acked')
            }
            socket.on('message', check)
          })
          raw.send({ type: 'connection_init', payload })
          return Promise.race([acked, closed.then(({ code }) => `closed ${code}`)])
        },
        async stillOpen() {
          const pongs = messages.filter((m) => m.type === 'pong').length
          raw.send({ type: 'ping' })
          await until(() => messages.filter((m) => m.type === 'pong').length === pongs + 1)
          expect(socket.readyState).toBe(WebSocket.OPEN)
        },
      }
      resolve(raw)
    })
  })
}

/** What opening a socket and sending connection_init comes to: 'acked', 'closed <code>' or 'status <code>'. */
export async function attempt(
  wsUrl: string,
  options: SocketOptions = {},
  payload: Record<string, unknown> = {},
): Promise<{ outcome: string; socket?: RawSocket }> {
  let socket: RawSocket
  try {
    socket = await rawSocket(wsUrl, options)
  } catch (error) {
    return { outcome: (error as Error).message }
  }
  const outcome = await socket.init(payload)
  if (outcome !== 'acked') socket.socket.terminate()
  return { outcome, socket }
}

export interface HttpStream {
  status: number
  response: IncomingMessage
  /** everything received so far */
  text(): string
  /** the events received so far (`event: …\ndata: …`), keep-alive comments left out */
  events(): string[]
  /** resolves when the response has ended (or failed) */
  ended: Promise<void>
  close(): void
}

/** A POST to /graphql asking for text/event-stream, from `from`; resolves once the response begins. */
export function httpStream(
  origin: string,
  body: unknown,
  { from = '127.0.0.1', headers = {} }: { from?: string; headers?: Record<string, string> } = {},
): Promise<HttpStream> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/graphql`, {
      method: 'POST',
      localAddress: from,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    })
    req.on('error', reject)
    req.on('response', (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      const ended = new Promise<void>((done) => {
        response.on('end', done)
        response.on('close', done)
        response.on('error', () => done())
      })
      resolve({
        status: response.statusCode!,
        response,
        text: () => text,
        events: () => text.split('\n\n').filter((event) => event && !event.startsWith(':')),
        ended,
        close: () => req.destroy(),
      })
    })
    req.end(JSON.stringify(body))
  })
}

/** The JSON of each `next` event of a stream's events. */
export const nextPayloads = (events: string[]) =>
  events.filter((e) => e.startsWith('event: next')).map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)))

let stories = 0
/** An editor creates and publishes a story filed under `tag`; returns its headline. */
export async function publishStory(
  origin: string,
  editor: Record<string, string>,
  tag = 'gaza',
  paragraphs?: string[],
): Promise<string> {
  const run = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...editor },
      body: JSON.stringify({ query, variables }),
    })
    const { data, errors } = (await response.json()) as { data: any; errors?: unknown }
    expect(errors).toBeUndefined()
    return data
  }
  const { tag: found } = await run(`query($s: String!) { tag(slug: $s) { id } }`, { s: tag })
  const headline = `Live client story ${++stories} ${process.pid}`
  const created = await run(
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } ... on Error { code message } } }`,
    {
      input: {
        slug: `live-client-${process.pid}-${stories}`,
        headline,
        urgency: 2,
        tagIds: [found.id],
        sections: paragraphs && [{ paragraphs }],
      },
    },
  )
  const { id, version } = created.createStory
  await run(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, { id, v: version })
  return headline
}
