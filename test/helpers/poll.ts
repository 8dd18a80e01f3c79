// Waiting on observable state that announces nothing (another process's log, a scrape, spans
// arriving at a receiver): `check` is asked until it answers, within a deadline. The interval
// only sets how often it asks; what is waited for is the answer, never a time.
import { setTimeout as interval } from 'node:timers/promises'

/** `check`'s first answer other than undefined; a check that throws counts as no answer yet. */
export async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 30_000, everyMs = 25 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await Promise.resolve()
      .then(check)
      .catch(() => undefined)
    if (answer !== undefined) return answer
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await interval(everyMs)
  }
}
