// The server as its own process (`node --import tsx src/main.ts`, as `npm start` runs it), for
// what only a process shows: starting without its database, signals, exit codes, its log.
import { spawn, type ChildProcess } from 'node:child_process'

export interface ServerProcess {
  child: ChildProcess
  /** the port it listens on */
  port: number
  origin: string
  wsUrl: string
  /** every JSON log line it printed, in order */
  lines: Record<string, any>[]
  /** everything it printed */
  output: string[]
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>
  /** waits for a log line (from index `from` on) that satisfies `match`, and returns it */
  waitForLog(
    match: (line: Record<string, any>) => boolean,
    from?: number,
    timeoutMs?: number,
  ): Promise<Record<string, any>>
  /** SIGKILL, unless it has exited */
  kill(): Promise<void>
}

/** `cwd`: the checkout to run, this one unless given (a production install, say). */
export async function spawnServer(env: Record<string, string>, cwd?: string): Promise<ServerProcess> {
  // node with tsx's loader, not the tsx CLI: one process, so its pid is the server's own
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd,
    env: { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: Record<string, any>[] = []
  const output: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let rest = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    rest += chunk.toString()
    const parts = rest.split('\n')
    rest = parts.pop()!
    for (const line of parts) {
      output.push(line)
      try {
        lines.push(JSON.parse(line))
      } catch {
        // not a log line
      }
    }
  })
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()))

  async function waitForLog(match: (line: Record<string, any>) => boolean, from = 0, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const line = lines.slice(from).find(match)
      if (line) return line
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${output.join('\n')}`)
      if (Date.now() > deadline) throw new Error(`no such log line within ${timeoutMs} ms:\n${output.join('\n')}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  const listening = await waitForLog((l) => typeof l.port === 'number' && /^listening/.test(l.msg), 0, 60_000)
  const port = listening.port as number
  return {
    child,
    port,
    origin: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    lines,
    output,
    exited,
    waitForLog,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
