// What the ninjs and schema.org documents share: who may read a story's document, and how values
// are written into both.

/** The notice documents give a picture with a copyright holder (ninjs and schema.org copyrightNotice). */
export const copyrightNotice = (holder: string) => `© ${holder}`

export const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null)

/** A date as precise as it is known: "2025", "2025-07", "2025-07-28" or the full time. */
export function truncatedDate(at: Date, precision: string | null): string {
  const full = at.toISOString()
  switch (precision) {
    case 'YEAR':
      return full.slice(0, 4)
    case 'QUARTER':
    case 'MONTH':
      return full.slice(0, 7)
    case 'WEEK':
    case 'DAY':
      return full.slice(0, 10)
    default:
      return full
  }
}

export function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/** Without the properties that say nothing (null, undefined, empty lists): documents leave them out. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(
    Object.entries(object).filter(
      ([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0),
    ),
  ) as T
}
