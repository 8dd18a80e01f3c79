// An event's timeline: the stories about it, its status changes, the changes of when it is
// expected to start, and the corrections to its stories, merged oldest first. One UNION ALL
// statement, ordered by (at, kind, id) and paged by a keyset cursor on those three, answers the
// page for every event of a list at once (src/resolvers/batch.ts); a second counts, if asked.
import type { Viewer } from '../auth/token.js'
import type { Context } from '../context.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import type { DatePrecision, EntityRelation, EventStatus } from '../generated/prisma/enums.js'
import { badInput } from '../errors.js'
import { batched } from './batch.js'
import { keysetPage, keysetWindow, ListOrder, type KeysetPage, type KeysetWindow, type PageArgs } from './paging.js'
import { publicStorySql, visibleStorySql } from './visibility-sql.js'

/** In the order they sort in when they happen at the same instant: a story, then what it reported. */
export const TIMELINE_KINDS = ['STORY', 'STATUS', 'SCHEDULE', 'CORRECTION'] as const
export type TimelineKind = (typeof TIMELINE_KINDS)[number]

export interface Schedule {
  expectedStart: { from: Date; to: Date; precision: DatePrecision } | null
  startAt: Date | null
}

export interface TimelineItem {
  kind: TimelineKind
  /** the id of the row: the story, the status or schedule change, the correction */
  id: string
  at: Date
  cursor: string
  /** STORY and CORRECTION: the story; STATUS and SCHEDULE: the story that reported it, if the viewer may read it */
  storyId: string | null
  relation: EntityRelation | null
  fromStatus: EventStatus | null
  toStatus: EventStatus | null
  note: string | null
  from: Schedule | null
  to: Schedule | null
}

interface Row {
  event_id: string
  at: Date
  rank: number
  id: string
  story_id: string | null
  relation: EntityRelation | null
  from_status: EventStatus | null
  to_status: EventStatus | null
  note: string | null
  from_exp_from: Date | null
  from_exp_to: Date | null
  from_exp_precision: DatePrecision | null
  from_start_at: Date | null
  to_exp_from: Date | null
  to_exp_to: Date | null
  to_exp_precision: DatePrecision | null
  to_start_at: Date | null
}

const NO_SCHEDULE = Prisma.sql`NULL::timestamp(3), NULL::timestamp(3), NULL::text, NULL::timestamp(3), NULL::timestamp(3), NULL::timestamp(3), NULL::text, NULL::timestamp(3)`

/**
 * Every item of the event `event` (an SQL expression for its id), as the viewer may see them:
 * stories that are published (the public's rule, for editors too: a timeline is what happened in
 * public), corrections to those, every status and schedule change with its reporting story when
 * the viewer may read that story.
 */
function itemsSql(viewer: Viewer | null, event: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT s."firstPublishedAt" AS at, 0 AS rank, s.id, s.id AS story_id, se.relation::text AS relation,
           NULL::text AS from_status, NULL::text AS to_status, NULL::text AS note,
           NULL::timestamp(3) AS from_exp_from, NULL::timestamp(3) AS from_exp_to, NULL::text AS from_exp_precision,
           NULL::timestamp(3) AS from_start_at, NULL::timestamp(3) AS to_exp_from, NULL::timestamp(3) AS to_exp_to,
           NULL::text AS to_exp_precision, NULL::timestamp(3) AS to_start_at
      FROM "StoryEvent" se JOIN "Story" s ON s.id = se."storyId"
     WHERE se."eventId" = ${event} AND s."firstPublishedAt" IS NOT NULL AND ${publicStorySql('s')}
    UNION ALL
    SELECT c.at, 1, c.id, CASE WHEN ${visibleStorySql(viewer, 'r')} THEN r.id END, NULL,
           c."fromStatus"::text, c."toStatus"::text, c.note, ${NO_SCHEDULE}
      FROM "EventStatusChange" c LEFT JOIN "Story" r ON r.id = c."reportedById"
     WHERE c."eventId" = ${event}
    UNION ALL
    SELECT sc.at, 2, sc.id, CASE WHEN ${visibleStorySql(viewer, 'r')} THEN r.id END, NULL, NULL, NULL, sc.note,
           sc."fromExpectedStartFrom", sc."fromExpectedStartTo", sc."fromExpectedStartPrecision"::text, sc."fromStartAt",
           sc."toExpectedStartFrom", sc."toExpectedStartTo", sc."toExpectedStartPrecision"::text, sc."toStartAt"
      FROM "EventScheduleChange" sc LEFT JOIN "Story" r ON r.id = sc."reportedById"
     WHERE sc."eventId" = ${event}
    UNION ALL
    SELECT co."createdAt", 3, co.id, s.id, NULL, NULL, NULL, NULL, ${NO_SCHEDULE}
      FROM "StoryEvent" se JOIN "Story" s ON s.id = se."storyId" JOIN "Correction" co ON co."storyId" = s.id
     WHERE se."eventId" = ${event} AND ${publicStorySql('s')}`
}

/** The columns a row is read with (ids as text, whatever the driver makes of a uuid). */
const COLUMNS = Prisma.sql`u.at, u.rank, u.id::text AS id, u.story_id::text AS story_id, u.relation, u.from_status, u.to_status, u.note,
  u.from_exp_from, u.from_exp_to, u.from_exp_precision, u.from_start_at, u.to_exp_from, u.to_exp_to, u.to_exp_precision, u.to_start_at`

// ---------------------------------------------------------------------------------------------
// Cursors: the (at, kind, id) of an item

interface Position {
  at: Date
  rank: number
  id: string
}

// oldest first, the kind breaking ties in time (a story, then what it reported), then the id
const ORDER = new ListOrder('timeline', [
  { kind: 'time', dir: 'asc' },
  { kind: 'int', dir: 'asc' },
  { kind: 'uuid', dir: 'asc' },
])

export const timelineCursor = (p: Position) => ORDER.cursor([p.at, p.rank, p.id])

function parseCursor(cursor: string, field: 'after' | 'before'): Position {
  const [at, rank, id] = ORDER.parse(cursor, field) as [Date, number, string]
  if (!TIMELINE_KINDS[rank]) throw badInput(`${field} must be a cursor from this list`, field)
  return { at, rank, id }
}

function toItem(r: Row): TimelineItem {
  const schedule = (
    from: Date | null,
    to: Date | null,
    precision: DatePrecision | null,
    startAt: Date | null,
  ): Schedule => ({
    expectedStart: from && to && precision ? { from, to, precision } : null,
    startAt,
  })
  const kind = TIMELINE_KINDS[r.rank]
  return {
    kind,
    id: r.id,
    at: r.at,
    cursor: timelineCursor(r),
    storyId: r.story_id,
    relation: r.relation,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    note: r.note,
    from: kind === 'SCHEDULE' ? schedule(r.from_exp_from, r.from_exp_to, r.from_exp_precision, r.from_start_at) : null,
    to: kind === 'SCHEDULE' ? schedule(r.to_exp_from, r.to_exp_to, r.to_exp_precision, r.to_start_at) : null,
  }
}

// ---------------------------------------------------------------------------------------------
// Pages

export type TimelinePage = KeysetPage<TimelineItem>

/** One page of the timeline of the event `eventId`, batched with the other events of the list. */
export function timelinePage(
  ctx: Context,
  batchKey: string,
  eventId: string,
  args: PageArgs,
  defaultSize: number,
): Promise<TimelinePage> {
  const window = keysetWindow(args, defaultSize, parseCursor)
  return batched(ctx, `timeline:${batchKey}`, eventId, (ids) => readPages(ctx.prisma, ctx.viewer, ids, window)).then(
    (page) => page ?? { items: [], hasNextPage: false, hasPreviousPage: false },
  )
}

async function readPages(
  prisma: PrismaClient,
  viewer: Viewer | null,
  eventIds: string[],
  w: KeysetWindow<Position>,
): Promise<Map<string, TimelinePage>> {
  const dir = Prisma.raw(w.forward ? 'ASC' : 'DESC')
  const past = w.cursor
    ? Prisma.sql`(u.at, u.rank, u.id) ${Prisma.raw(w.forward ? '>' : '<')} (${w.cursor.at}::timestamp(3), ${w.cursor.rank}::int, ${w.cursor.id}::uuid)`
    : Prisma.sql`TRUE`
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT e.id::text AS event_id, page.*
      FROM unnest(${eventIds}::uuid[]) AS e(id)
      CROSS JOIN LATERAL (
        SELECT ${COLUMNS} FROM (${itemsSql(viewer, Prisma.sql`e.id`)}) u
         WHERE ${past}
         ORDER BY u.at ${dir}, u.rank ${dir}, u.id ${dir}
         LIMIT ${w.size + 1}
      ) page`
  const byEvent = new Map<string, Row[]>(eventIds.map((id) => [id, []]))
  for (const row of rows) byEvent.get(row.event_id)!.push(row)
  return new Map([...byEvent].map(([id, eventRows]) => [id, keysetPage(eventRows.map(toItem), w)]))
}

/** How many items the timeline of `eventId` holds, counted with the other events of the list. */
export function timelineCount(ctx: Context, batchKey: string, eventId: string): Promise<number> {
  return batched(ctx, `timeline-count:${batchKey}`, eventId, async (ids) => {
    const rows = await ctx.prisma.$queryRaw<{ event_id: string; n: number }[]>`
      SELECT e.id::text AS event_id, (SELECT count(*)::int FROM (${itemsSql(ctx.viewer, Prisma.sql`e.id`)}) u) AS n
        FROM unnest(${ids}::uuid[]) AS e(id)`
    return new Map(rows.map((r) => [r.event_id, r.n]))
  }).then((n) => n ?? 0)
}

/** The items named (by kind and id) of one event's timeline, oldest first: what a change added. */
export async function timelineItems(
  prisma: PrismaClient,
  viewer: Viewer | null,
  eventId: string,
  refs: { kind: TimelineKind; id: string }[],
): Promise<TimelineItem[]> {
  if (refs.length === 0) return []
  const wanted = Prisma.join(refs.map((r) => Prisma.sql`(${TIMELINE_KINDS.indexOf(r.kind)}::int, ${r.id}::uuid)`))
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT ${COLUMNS} FROM (${itemsSql(viewer, Prisma.sql`${eventId}::uuid`)}) u
     WHERE (u.rank, u.id) IN (${wanted})
     ORDER BY u.at, u.rank, u.id`
  return rows.map(toItem)
}
