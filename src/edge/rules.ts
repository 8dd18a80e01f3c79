// How long a public answer may be kept, and where: by browsers (max-age, which nobody can purge, so
// short), by shared caches (s-maxage: a CDN, which the purger empties of what a change touches, so it
// may be long), and served stale by a shared cache while it fetches a fresh copy
// (stale-while-revalidate). EDGE_MAX_AGE_SECONDS, EDGE_S_MAXAGE_SECONDS and
// EDGE_STALE_WHILE_REVALIDATE_SECONDS are the defaults; EDGE_CACHE_RULES sets other values for
// answers that read a root field or show a type:
//
//   search=max-age:10,s-maxage:60;Event=s-maxage:300
//
// An answer takes, for each directive, the lowest value among the rules that match it (by the root
// fields it reads, and the types of the objects it shows), and the default where none of them sets
// that directive. A browser never keeps an answer longer than a shared cache would.
import { isObjectType, type GraphQLSchema } from 'graphql'

export const DIRECTIVES = ['max-age', 's-maxage', 'stale-while-revalidate'] as const
export type Directive = (typeof DIRECTIVES)[number]

/** Seconds, for each directive. */
export type Lifetimes = Record<Directive, number>

/** A root field's or a type's name → the directives its rule sets. */
export type CacheRules = ReadonlyMap<string, Partial<Lifetimes>>

/** The longest any directive may say: a year, as RFC 9111 advises for "never expires". */
export const MAX_LIFETIME_SECONDS = 31_536_000

/** Reads EDGE_CACHE_RULES; throws saying what is wrong. */
export function parseCacheRules(text: string): CacheRules {
  const rules = new Map<string, Partial<Lifetimes>>()
  for (const rule of text
    .split(';')
    .map((r) => r.trim())
    .filter(Boolean)) {
    const match = /^([_A-Za-z][_0-9A-Za-z]*)\s*=\s*(.+)$/.exec(rule)
    if (!match) throw new Error(`"${rule}" is not name=directive:seconds,… (e.g. search=s-maxage:60)`)
    const [, name, list] = match
    if (rules.has(name)) throw new Error(`${name} has two rules`)
    const lifetimes: Partial<Lifetimes> = {}
    for (const part of list.split(',').map((p) => p.trim())) {
      const [directive, seconds, ...rest] = part.split(':').map((p) => p.trim())
      if (!DIRECTIVES.includes(directive as Directive) || rest.length > 0)
        throw new Error(`"${part}" in ${name}'s rule is not one of ${DIRECTIVES.join(', ')} with :seconds`)
      if (!/^\d+$/.test(seconds ?? '') || Number(seconds) > MAX_LIFETIME_SECONDS)
        throw new Error(`"${part}" in ${name}'s rule needs whole seconds from 0 to ${MAX_LIFETIME_SECONDS}`)
      lifetimes[directive as Directive] = Number(seconds)
    }
    rules.set(name, lifetimes)
  }
  return rules
}

/** Throws at start for a rule that names neither a root query field nor an object type: it would
 *  never match (a typo), and the answers it meant would keep the defaults unnoticed. */
export function checkRuleNames(rules: CacheRules, schema: GraphQLSchema): void {
  const rootFields = schema.getQueryType()?.getFields() ?? {}
  const unknown = [...rules.keys()].filter((name) => !(name in rootFields) && !isObjectType(schema.getType(name)))
  if (unknown.length > 0)
    throw new Error(
      `invalid configuration: EDGE_CACHE_RULES names ${unknown.join(', ')}, neither a root query field nor an object type`,
    )
}

/** The lifetimes of an answer that reads these root fields and shows objects of these types. */
export function lifetimesOf(defaults: Lifetimes, rules: CacheRules, names: Iterable<string>): Lifetimes {
  const lowest: Partial<Lifetimes> = {}
  for (const name of names) {
    const rule = rules.get(name)
    if (!rule) continue
    for (const directive of DIRECTIVES) {
      const seconds = rule[directive]
      if (seconds !== undefined) lowest[directive] = Math.min(seconds, lowest[directive] ?? Infinity)
    }
  }
  const lifetimes = { ...defaults, ...lowest }
  return { ...lifetimes, 'max-age': Math.min(lifetimes['max-age'], lifetimes['s-maxage']) }
}

/** The Cache-Control header of a public answer. */
export const publicCacheControl = (lifetimes: Lifetimes) =>
  `public, ${DIRECTIVES.map((directive) => `${directive}=${lifetimes[directive]}`).join(', ')}`
