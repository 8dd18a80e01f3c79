// Varnish in front of a server under test: the shipped deploy/varnish/default.vcl, its backend's
// port replaced by the server's, run by `varnishd` (Debian: varnish and varnish-modules) in the
// foreground as the current user, with a work directory of its own in a temporary folder, on a
// port the kernel picks. Ready once its management process names the address it listens on.
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { until } from './poll.js'

const VCL = new URL('../../deploy/varnish/default.vcl', import.meta.url)

export interface Varnish {
  /** http://127.0.0.1:port */
  origin: string
  port: number
  stop(): Promise<void>
}

/** `storage`: varnishd's -s (the bench keeps every story page of its data). */
export async function startVarnish(backendPort: number, { storage = 'malloc,64m' } = {}): Promise<Varnish> {
  const shipped = await readFile(VCL, 'utf8')
  const vcl = shipped.replace(/(backend default \{[^}]*\.port = )"\d+";/, `$1"${backendPort}";`)
  if (vcl === shipped) throw new Error('deploy/varnish/default.vcl: no backend default with a .port to replace')
  const dir = await mkdtemp(join(tmpdir(), 'news-graph-varnish-'))
  const file = join(dir, 'default.vcl')
  await writeFile(file, vcl)
  const workDir = join(dir, 'work')
  // -j none: no jail, run as whoever runs the tests (as root, the default jail wants users of its
  // own); -a :0 and -T :0: ports the kernel picks, read back through varnishadm
  const child = spawn(
    'varnishd',
    ['-F', '-j', 'none', '-a', '127.0.0.1:0', '-T', '127.0.0.1:0', '-f', file, '-n', workDir, '-s', storage],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const output: string[] = []
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  // 'error': varnishd could not be started at all (not installed: apt-get install varnish varnish-modules)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', (error) => {
      output.push(String(error))
      resolve()
    })
  })
  let running = true
  void exited.then(() => (running = false))

  async function stop() {
    if (running) child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }

  try {
    // 0: varnishd exited (a VCL that does not compile, say)
    const port = await until(
      'varnishd to listen',
      async () => {
        if (!running) return 0
        const { stdout } = await promisify(execFile)('varnishadm', ['-n', workDir, 'debug.listen_address'])
        // "a0 127.0.0.1 40123"
        const found = /^\S+ 127\.0\.0\.1 (\d+)$/m.exec(stdout)
        return found ? Number(found[1]) : undefined
      },
      { everyMs: 100 },
    )
    if (port === 0) throw new Error('varnishd exited')
    return { origin: `http://127.0.0.1:${port}`, port, stop }
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}\n${output.join('')}`, { cause: error })
  }
}
