// The rules of src/resolvers/visibility.ts as SQL conditions, for the queries written by hand
// (timeline, co-mentions, related stories, events expected). Times are stored as UTC timestamps
// without zone, so "now" is the database's clock read in UTC.
import type { Viewer } from '../auth/token.js'
import { Prisma } from '../generated/prisma/client.js'
import { mayEdit } from '../auth/roles.js'

export const NOW_UTC = Prisma.sql`(now() AT TIME ZONE 'UTC')`

/** The SQL twin of publicStoryWhere, for the story table under `alias`. */
export function publicStorySql(alias: string): Prisma.Sql {
  const s = Prisma.raw(`"${alias}"`)
  return Prisma.sql`((${s}.status = 'PUBLISHED' AND (${s}."embargoedUntil" IS NULL OR ${s}."embargoedUntil" <= ${NOW_UTC}))
    OR (${s}.status = 'SCHEDULED' AND ${s}."embargoedUntil" <= ${NOW_UTC}))`
}

/** The SQL twin of visibleStoryWhere: every story for editors, the public's for everyone else. */
export function visibleStorySql(viewer: Viewer | null | undefined, alias: string): Prisma.Sql {
  return mayEdit(viewer) ? Prisma.sql`TRUE` : publicStorySql(alias)
}
