// A flood of WebSockets from one client process, as a prober sends it: `count` sockets opened at
// once from `localAddress`, each sending connection_init and nothing else. Run as its own process
// (node --import tsx test/helpers/flood.ts <ws url> <count> <localAddress>) with an IPC channel:
// once every socket has its outcome it sends { acked, refused, closed, failed } (refused: how many
// upgrades got 429; closed: close codes of the others), holds the acknowledged sockets open, and
// exits when the parent disconnects.
import WebSocket from 'ws'

const [url, count, localAddress] = process.argv.slice(2)

function attempt(): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { localAddress })
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })))
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve('acked')
    })
    socket.on('unexpected-response', (request, response) => {
      resolve(`status ${response.statusCode}`)
      request.destroy()
    })
    socket.on('close', (code) => resolve(`closed ${code}`))
    socket.on('error', (error) => resolve(`failed ${error.message}`))
  })
}

const outcomes = await Promise.all(Array.from({ length: Number(count) }, attempt))
const tally = (prefix: string) => outcomes.filter((o) => o.startsWith(prefix))
process.send!({
  acked: tally('acked').length,
  refused: tally('status 429').length,
  closed: tally('closed').map((o) => o.slice(7)),
  failed: outcomes.filter((o) => !/^(acked|status 429|closed)/.test(o)),
})
process.on('disconnect', () => process.exit(0))
