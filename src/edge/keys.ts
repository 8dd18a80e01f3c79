// The keys a CDN files a public answer under (the Surrogate-Key, xkey and Cache-Tag headers), and
// the keys a committed change purges. They are the response cache's keys (src/live/invalidation.ts),
// written as short header-safe tokens, so that the edge and the in-process cache drop the same
// answers for the same change. Every public answer also carries ALL, which a change that
// invalidates everything purges.
import { createHash } from 'node:crypto'
import type { ChangeEntry } from '../live/changes.js'
import { EVERYTHING, invalidatedBy, isInvalidatable } from '../live/invalidation.js'

export const ALL = 'all'

/** A dependency key as a token a header can carry: short keys (`list:stories`) as they are, an
 *  object's or an entity's list as its kind and a digest (`Story-3kqJ0rB9xQ1e`). */
export function edgeKey(key: string): string {
  if (key === EVERYTHING) return ALL
  if (/^[a-z:-]{1,24}$/.test(key)) return key
  const kind = key.slice(0, Math.max(0, key.indexOf(':'))) || 'key'
  return `${kind}-${createHash('sha256').update(key).digest('base64url').slice(0, 12)}`
}

/** The keys of an answer that depends on `keys` (ALL first): those a change can purge. The others
 *  (a tag's, a person's) would only lengthen the headers: a change to them purges ALL. */
export function answerKeys(keys: Iterable<string>): string[] {
  return [...new Set([ALL, ...[...keys].filter(isInvalidatable).map(edgeKey)])]
}

/** The keys a committed change purges. */
export function purgeKeys(change: ChangeEntry): string[] {
  return [...new Set(invalidatedBy(change).map(edgeKey))]
}
