// Sending one request the way the load generator does, for the checks around the measurements.
import type { ServerProcess } from './processes.js'
import type { HttpRequest } from './workloads/http.js'

export async function send(
  server: ServerProcess,
  request: HttpRequest,
): Promise<{ status: number; text: string; json: any }> {
  const response = await fetch(`${server.origin}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(30_000),
  })
  const text = await response.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, text, json }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Monotonic milliseconds, the clock the fan-out clients stamp deliveries with (shared by every process). */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6

/** Waits until `done()` holds, checking every `everyMs`; false if `timeoutMs` passed first. */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await done()) return true
    if (Date.now() > deadline) return false
    await sleep(everyMs)
  }
}

/** The first place two JSON values differ, as a path, or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (a === b) return null
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
    return `${path}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array ≠ object`
  if (Array.isArray(a)) {
    const other = b as unknown[]
    if (a.length !== other.length) return `${path}: ${a.length} items ≠ ${other.length} items`
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], other[i], `${path}[${i}]`)
      if (d) return d
    }
    return null
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)])
  for (const key of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    )
    if (d) return d
  }
  return null
}
