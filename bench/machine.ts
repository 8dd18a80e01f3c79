// The machine a run was measured on, written with its results.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import pg from 'pg'
import { openFileLimits } from './processes.js'

export interface Machine {
  cpus: number
  cpuModel: string
  memoryGiB: number
  os: string
  node: string
  postgres: string
  redis: string
  /** the hard limit on open files (Node raises its soft limit to it) */
  openFiles: number
  /** the load average when the run started: the machine may be shared */
  loadAverage: number[]
}

export async function describeMachine(databaseUrl: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  let postgres: string
  try {
    postgres = (await client.query('SHOW server_version')).rows[0].server_version
  } finally {
    await client.end()
  }
  let redis = 'not installed'
  try {
    redis = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1] ?? 'unknown'
  } catch {
    // no redis-server on this machine: say so in the report
  }
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres,
    redis,
    openFiles: openFileLimits().hard,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  }
}
