// Server processes the bench starts: ours (src/main.ts) and each baseline, every one its own
// Node process on 127.0.0.1, with bench/probe.ts preloaded so the bench can read its CPU time,
// memory and event-loop delay over IPC. The load generator is always another process.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ProbeRequest, ProbeStats } from './probe.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PROBE = pathToFileURL(fileURLToPath(new URL('./probe.ts', import.meta.url))).href

export interface ServerProcess {
  name: string
  port: number
  /** http://127.0.0.1:port */
  origin: string
  child: ChildProcess
  /** the last lines it printed, for when it fails */
  output(): string
  stats(options?: { gc?: boolean }): Promise<ProbeStats>
  /** starts a new event-loop delay measurement */
  resetEventLoop(): Promise<void>
  /** starts a CPU profile; stopProfile() returns it (a .cpuprofile's JSON) */
  startProfile(): Promise<void>
  stopProfile(): Promise<object>
  stop(): Promise<void>
}

export interface StartOptions {
  name: string
  /** the script to run, relative to the project root */
  script: string
  env?: Record<string, string>
  /** answers true once the server serves */
  ready: (origin: string) => Promise<boolean>
  /** more options for node, e.g. --cpu-prof */
  nodeArgs?: string[]
  timeoutMs?: number
  /** the port to listen on (one picked with freePort() beforehand); unset: a free one */
  port?: number
}

/** Every process the bench starts, killed when the bench exits however it exits. */
const children = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})
export function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The soft and hard limits on open files of this process (children inherit them). */
export function openFileLimits(): { soft: number; hard: number } {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))!
    const [soft, hard] = line
      .trim()
      .split(/\s+/)
      .slice(3, 5)
      .map((v) => (v === 'unlimited' ? Infinity : Number(v)))
    return { soft, hard }
  } catch {
    return { soft: 1024, hard: 1024 }
  }
}

/** node with tsx and the probe. (Node raises its soft limit on open files to the hard one by
 *  itself; the bench warns when the hard one is too low for its largest fan-out.) */
export function nodeCommand(script: string, extraArgs: string[] = []): [string, string[]] {
  return [process.execPath, ['--expose-gc', '--import', 'tsx', '--import', PROBE, ...extraArgs, script]]
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort())
  const origin = `http://127.0.0.1:${port}`
  const [command, args] = nodeCommand(options.script, options.nodeArgs)
  const child = track(
    spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    }),
  )
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean))
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  let exited: number | null | undefined
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null)
      resolve()
    }),
  )

  let nextId = 0
  const waiting = new Map<number, (message: any) => void>()
  child.on('message', (message: any) => {
    const resolve = waiting.get(message?.id)
    if (resolve) {
      waiting.delete(message.id)
      resolve(message)
    }
  })
  const ask = <T>(
    request: { probe: 'stats'; gc?: boolean } | { probe: 'reset' | 'profile-start' | 'profile-stop' },
    timeoutMs = 30_000,
  ): Promise<T> => {
    const id = ++nextId
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id)
        reject(new Error(`${options.name}: no answer from the probe`))
      }, timeoutMs)
      waiting.set(id, (message) => {
        clearTimeout(timer)
        resolve(message)
      })
      child.send({ ...request, id } as ProbeRequest)
    })
  }

  const server: ServerProcess = {
    name: options.name,
    port,
    origin,
    child,
    output: () => lines.join('\n'),
    stats: async ({ gc = false } = {}) => (await ask<{ stats: ProbeStats }>({ probe: 'stats', gc })).stats,
    resetEventLoop: async () => void (await ask({ probe: 'reset' })),
    startProfile: async () => void (await ask({ probe: 'profile-start' })),
    stopProfile: async () => (await ask<{ profile: object }>({ probe: 'profile-stop' }, 120_000)).profile,
    async stop() {
      if (exited !== undefined) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exit
      clearTimeout(timer)
    },
  }

  const deadline = Date.now() + (options.timeoutMs ?? 120_000)
  for (;;) {
    if (exited !== undefined)
      throw new Error(`${options.name} exited (${exited}) before it was ready:\n${server.output()}`)
    if (await options.ready(origin).catch(() => false)) return server
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`${options.name} was not ready in time:\n${server.output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Ready when GET path answers 200. */
export const answers200 = (path: string) => async (origin: string) =>
  (await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(2_000) })).status === 200

/** Ready when a GraphQL endpoint answers `{ __typename }`. */
export const answersGraphQL =
  (path = '/graphql') =>
  async (origin: string) => {
    const response = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
      signal: AbortSignal.timeout(2_000),
    })
    return response.status === 200
  }
