// Counts the SQL statements a server sends, at the wire: a TCP proxy between the server and
// PostgreSQL that reads the frontend messages as they pass (forwarding every byte unchanged) and
// counts each Query ('Q', simple protocol) and each Execute ('E', extended protocol: one per
// statement run). It sees every server the same way, ours and the baselines, whatever driver or
// ORM they use, and keeps the text of what it counted (from 'Q' and 'P'arse messages) as proof.
// Only the bench's statement-counting phase goes through it; throughput runs connect directly.
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

export interface SqlCounter {
  port: number
  /** statements since the last reset */
  readonly count: number
  /** the text of the statements parsed or sent since the last reset (prepared ones once) */
  readonly texts: string[]
  reset(): void
  close(): Promise<void>
}

export async function startSqlCounter(target: { host: string; port: number }): Promise<SqlCounter> {
  let count = 0
  let texts: string[] = []
  const sockets = new Set<Socket>()

  const server: Server = createServer((client) => {
    const upstream = createConnection(target)
    sockets.add(client).add(upstream)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    let pending: Buffer = Buffer.alloc(0)
    let started = false
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk)
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      for (;;) {
        if (!started) {
          // the startup message (and an SSL or GSS request before it) has no type byte
          if (pending.length < 8) break
          const length = pending.readInt32BE(0)
          if (pending.length < length) break
          const code = pending.readInt32BE(4)
          pending = pending.subarray(length)
          if (code !== 80877103 && code !== 80877104) started = true
          continue
        }
        if (pending.length < 5) break
        const type = pending[0]
        const length = pending.readInt32BE(1)
        if (pending.length < 1 + length) break
        const body = pending.subarray(5, 1 + length)
        if (type === 0x51 /* Q */) {
          count++
          texts.push(cString(body, 0))
        } else if (type === 0x45 /* E */) {
          count++
        } else if (type === 0x50 /* P */) {
          const name = cString(body, 0)
          texts.push(cString(body, Buffer.byteLength(name) + 1))
        }
        pending = pending.subarray(1 + length)
      }
    })
    upstream.pipe(client)
    const close = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    get count() {
      return count
    },
    get texts() {
      return texts
    },
    reset() {
      count = 0
      texts = []
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

function cString(buffer: Buffer, offset: number): string {
  const end = buffer.indexOf(0, offset)
  return buffer.toString('utf8', offset, end < 0 ? buffer.length : end)
}
