// Loaded into every server process the bench starts (`node --import tsx --import ./bench/probe.ts
// …`), ours and the baselines alike, so each is measured the same way from outside its code: over
// the IPC channel the bench opened, it answers with the process's CPU time, memory and event-loop
// delay. Nothing here runs unless the process was started with an IPC channel.
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'

export interface ProbeStats {
  /** user + system CPU time since the process started, ms */
  cpuMs: number
  rss: number
  heapUsed: number
  /** memory outside the JS heap held by JS objects (socket buffers among it) */
  external: number
  /** event-loop delay since the last reset, ms */
  eventLoop: { p50: number; p99: number; max: number; mean: number }
}

export type ProbeRequest =
  | { probe: 'stats'; id: number; gc?: boolean }
  | { probe: 'reset'; id: number }
  | { probe: 'profile-start'; id: number }
  | { probe: 'profile-stop'; id: number }

if (process.send) {
  const delay = monitorEventLoopDelay({ resolution: 5 })
  delay.enable()
  const gc = (globalThis as { gc?: () => void }).gc
  // a CPU profile of a window the bench chooses (bench/profile.ts), not of the start-up
  let session: Session | null = null
  process.on('message', async (message: ProbeRequest) => {
    if (!message || typeof message !== 'object' || !('probe' in message)) return
    if (message.probe === 'profile-start') {
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 500 })
      await session.post('Profiler.start')
      process.send!({ probe: 'profile-start', id: message.id })
      return
    }
    if (message.probe === 'profile-stop') {
      const { profile } = await session!.post('Profiler.stop')
      session!.disconnect()
      session = null
      process.send!({ probe: 'profile-stop', id: message.id, profile })
      return
    }
    if (message.probe === 'reset') {
      delay.reset()
      process.send!({ probe: 'reset', id: message.id })
      return
    }
    if (message.gc && gc) {
      gc()
      gc()
    }
    const cpu = process.cpuUsage()
    const memory = process.memoryUsage()
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0)
    const stats: ProbeStats = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      eventLoop: {
        p50: ms(delay.percentile(50)),
        p99: ms(delay.percentile(99)),
        max: ms(delay.max),
        mean: ms(delay.mean),
      },
    }
    process.send!({ probe: 'stats', id: message.id, stats })
  })
  // the channel must not keep a server alive that was told to stop
  process.channel?.unref()
  // and if the bench itself dies, its servers stop too (as if told to), never left running
  process.once('disconnect', () => {
    process.kill(process.pid, 'SIGTERM')
    setTimeout(() => process.exit(1), 10_000).unref()
  })
}
