// A webhook receiver: a real HTTP server on 127.0.0.1 that records every request and answers as
// the test says (a status, or never: it holds the request open until closed).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
  /** what the receiver answered: a status, or 'hang' */
  answer: number | 'hang'
}

export type Answer = (request: { id: string; count: number }) => number | 'hang'

export interface Receiver {
  url: string
  port: number
  /** every request, in the order it arrived */
  received: Received[]
  /** decides each answer; change it at will */
  answer: Answer
  /** the webhook-ids of the requests answered 2xx, in order, first arrivals only */
  delivered(): string[]
  /** the parsed bodies of the requests answered 2xx, in order, first arrivals only */
  bodies(): Record<string, any>[]
  /** stops listening (again: nothing to do) */
  close(): Promise<void>
  /** listens again on the same port (after close) */
  restart(): Promise<void>
}

/** Starts a receiver on `port` (a free one when 0). */
export async function startReceiver(answer: Answer = () => 200, port = 0): Promise<Receiver> {
  const received: Received[] = []
  const hanging = new Set<ServerResponse>()
  const counts = new Map<string, number>()
  let server: Server
  const receiver: Receiver = {
    url: '',
    port,
    received,
    answer,
    delivered: () => [...new Set(ok().map((r) => String(r.headers['webhook-id'])))],
    bodies: () => {
      const seen = new Set<string>()
      return ok()
        .filter((r) => !seen.has(String(r.headers['webhook-id'])) && seen.add(String(r.headers['webhook-id'])))
        .map((r) => JSON.parse(r.body))
    },
    close: async () => {
      if (!server.listening) return
      for (const response of hanging) response.destroy()
      hanging.clear()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
    restart: () => listen(receiver.port),
  }
  const ok = () => received.filter((r) => typeof r.answer === 'number' && r.answer >= 200 && r.answer < 300)

  async function listen(at: number) {
    server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const id = String(request.headers['webhook-id'])
        const count = (counts.get(id) ?? 0) + 1
        counts.set(id, count)
        const status = receiver.answer({ id, count })
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString(), answer: status })
        if (status === 'hang') hanging.add(response)
        else response.writeHead(status).end()
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(at, '127.0.0.1', () => resolve())
    })
    receiver.port = (server.address() as AddressInfo).port
    receiver.url = `http://127.0.0.1:${receiver.port}/hook`
  }
  await listen(port)
  return receiver
}

/** Whether a request verifies with this secret (Standard Webhooks' own check). */
export function verifies(secret: string, { headers, body }: Pick<Received, 'headers' | 'body'>): boolean {
  try {
    new Webhook(secret).verify(body, headers as Record<string, string>)
    return true
  } catch {
    return false
  }
}
