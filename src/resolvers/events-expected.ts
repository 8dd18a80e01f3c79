// Events expected in a span of time. An expected start is a window with a precision: "next week"
// is stored as that week with precision WEEK, and means any day of it. So a window is widened to
// whole units of its precision (UTC days, ISO weeks from Monday, months, quarters, years) before
// it is compared with the span asked about; EXACT windows are taken as they are. An event whose
// start is known (startAt) is found by that time too. Cancelled events are not expected.
import { badInput } from '../errors.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import type { DatePrecision } from '../generated/prisma/enums.js'
import { keysetPage, ListOrder, type KeysetPage, type PageArgs } from './paging.js'

/** The longest span one question may cover. */
export const MAX_SPAN_DAYS = 366

export interface ExpectedEvent {
  id: string
  /** the window that matched: the expected start widened to its precision, or the known start */
  window: { from: Date; to: Date; precision: DatePrecision }
  cursor: string
}

export function checkSpan(from: Date, to: Date): void {
  if (to < from) throw badInput('to must not be before from', 'to')
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * 86_400_000)
    throw badInput(`the span from from to to may be at most ${MAX_SPAN_DAYS} days`, 'to')
}

// soonest first, by the start of the window that matched, then by id
const ORDER = new ListOrder('expected', [
  { kind: 'time', dir: 'asc' },
  { kind: 'uuid', dir: 'asc' },
])

/**
 * Every event that may start in [from, to], each with the window that matched, ordered by the
 * window's start. The window ends one millisecond before the next unit begins (timestamps keep
 * milliseconds), so it reads as inclusive, like the span asked about.
 */
function matchesSql(from: Date, to: Date): Prisma.Sql {
  const qFrom = Prisma.sql`${from}::timestamp(3)`
  const qTo = Prisma.sql`${to}::timestamp(3)`
  return Prisma.sql`
    WITH widened AS (
      SELECT e.id, e."startAt", e."expectedStartPrecision"::text AS precision,
             CASE e."expectedStartPrecision"
               WHEN 'EXACT' THEN e."expectedStartFrom"
               WHEN 'DAY' THEN date_trunc('day', e."expectedStartFrom")
               WHEN 'WEEK' THEN date_trunc('week', e."expectedStartFrom")
               WHEN 'MONTH' THEN date_trunc('month', e."expectedStartFrom")
               WHEN 'QUARTER' THEN date_trunc('quarter', e."expectedStartFrom")
               WHEN 'YEAR' THEN date_trunc('year', e."expectedStartFrom")
             END AS starts,
             -- the first instant after the window
             CASE e."expectedStartPrecision"
               WHEN 'EXACT' THEN e."expectedStartTo" + interval '1 millisecond'
               WHEN 'DAY' THEN date_trunc('day', e."expectedStartTo") + interval '1 day'
               WHEN 'WEEK' THEN date_trunc('week', e."expectedStartTo") + interval '1 week'
               WHEN 'MONTH' THEN date_trunc('month', e."expectedStartTo") + interval '1 month'
               WHEN 'QUARTER' THEN date_trunc('quarter', e."expectedStartTo") + interval '3 months'
               WHEN 'YEAR' THEN date_trunc('year', e."expectedStartTo") + interval '1 year'
             END AS ends
        FROM "Event" e
       WHERE e.status <> 'CANCELLED' AND (e."expectedStartFrom" IS NOT NULL OR e."startAt" IS NOT NULL)
    ), matched AS (
      SELECT id, (starts <= ${qTo} AND ends > ${qFrom}) AS by_window, "startAt", precision, starts, ends
        FROM widened
    )
    SELECT id,
           CASE WHEN by_window THEN starts ELSE "startAt" END AS starts,
           CASE WHEN by_window THEN ends - interval '1 millisecond' ELSE "startAt" END AS ends,
           CASE WHEN by_window THEN precision ELSE 'EXACT' END AS precision
      FROM matched
     WHERE by_window OR "startAt" BETWEEN ${qFrom} AND ${qTo}`
}

const KEYS = [Prisma.sql`m.starts`, Prisma.sql`m.id`]

export async function expectedEvents(
  prisma: PrismaClient,
  from: Date,
  to: Date,
  args: PageArgs,
  defaultSize: number,
): Promise<KeysetPage<ExpectedEvent>> {
  checkSpan(from, to)
  const w = ORDER.window(args, defaultSize)
  const rows = await prisma.$queryRaw<{ id: string; starts: Date; ends: Date; precision: DatePrecision }[]>`
    SELECT m.id::text AS id, m.starts, m.ends, m.precision
      FROM (${matchesSql(from, to)}) m
     ${ORDER.sqlWindow(KEYS, w)}`
  return keysetPage(
    rows.map((r) => ({
      id: r.id,
      window: { from: r.starts, to: r.ends, precision: r.precision },
      cursor: ORDER.cursor([r.starts, r.id]),
    })),
    w,
  )
}

export async function countExpectedEvents(prisma: PrismaClient, from: Date, to: Date): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (${matchesSql(from, to)}) m`
  return row.n
}
