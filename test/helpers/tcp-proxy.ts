// A TCP proxy between a server under test and the real PostgreSQL, so a test can take "the
// database" away from that server alone: `down()` refuses new connections (nothing listens) and
// resets every open one, as a database that crashed; `up()` listens again on the same port.
import { createConnection, createServer, type Server, type Socket } from 'node:net'

export interface TcpProxy {
  /** the port the proxy listens on (the same after down/up) */
  port: number
  /** `url` (a postgres:// URL of the target) with its host and port replaced by the proxy's */
  via(url: string): string
  /** whether the proxy is up */
  readonly isUp: boolean
  down(): Promise<void>
  up(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let server: Server | null = null
  let port = 0

  function listen(): Promise<void> {
    const s = createServer((client) => {
      const upstream = createConnection({ host: target.host, port: target.port })
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => {})
      }
      // either side gone: the other is reset too, as a network that broke
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
      client.pipe(upstream)
      upstream.pipe(client)
    })
    return new Promise((resolve, reject) => {
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject)
        server = s
        port = (s.address() as { port: number }).port
        resolve()
      })
    })
  }

  async function down() {
    const s = server
    server = null
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve()
    for (const socket of sockets) socket.resetAndDestroy()
    await closed
  }

  await listen()
  return {
    get port() {
      return port
    },
    via(url: string) {
      const u = new URL(url)
      u.hostname = '127.0.0.1'
      u.port = String(port)
      return u.toString()
    },
    get isUp() {
      return server !== null
    },
    down,
    async up() {
      if (!server) await listen()
    },
    close: down,
  }
}
