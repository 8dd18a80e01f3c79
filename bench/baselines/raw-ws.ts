// The floor for fan-out: a raw `ws` broadcast. The same bytes our server sends a subscriber (a
// graphql-ws `next` message captured from it, with the story's slug in it) written to every open
// socket, with no GraphQL, no protocol, no per-subscriber work: what delivering costs at the least.
//
//   POST /template   the message, with __SLUG__ where the story's slug goes
//   POST /publish    {"slug": "live-000001"}: broadcast now; answers how many sockets it wrote to
//   WebSocket        ws://…/graphql, any number of plain sockets
//
//   PORT=4004 node --import tsx bench/baselines/raw-ws.ts
import { createServer, type IncomingMessage } from 'node:http'
import { WebSocket, WebSocketServer } from 'ws'

export const SLUG_PLACEHOLDER = '__SLUG__'

const port = Number(process.env.PORT ?? 4004)
const host = process.env.HOST ?? '127.0.0.1'
let template = `{"type":"next","payload":{"data":{"breakingNews":{"story":{"slug":"${SLUG_PLACEHOLDER}"}}}}}`

const read = async (req: IncomingMessage) => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    const { slug } = JSON.parse(await read(req)) as { slug: string }
    const frame = Buffer.from(template.replace(SLUG_PLACEHOLDER, slug))
    let sent = 0
    for (const socket of wss.clients) {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(frame)
        sent++
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sent }))
  } else if (req.method === 'POST' && req.url === '/template') {
    template = await read(req)
    res.writeHead(200).end()
  } else if (req.url === '/ready') {
    res.writeHead(200).end('{"ready":true}')
  } else {
    res.writeHead(404).end()
  }
})
const wss = new WebSocketServer({ server, path: '/graphql' })
server.listen(port, host)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const socket of wss.clients) socket.terminate()
    server.close()
    process.exit(0)
  })
}
