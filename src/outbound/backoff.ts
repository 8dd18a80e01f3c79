// When to try a failed delivery (a webhook, a purge) again: exponential backoff with jitter
// (half of each wait fixed, half drawn at random), so that endpoints that failed together do not all come back at the same moment.

export interface Backoff {
  /** the wait before the first retry (give or take half of it) */
  baseMs: number
  /** the longest wait between two tries */
  maxMs: number
}

/** The wait before try number `attempt + 1` (attempt 1 is the first that failed). */
export function retryDelay(attempt: number, { baseMs, maxMs }: Backoff, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
