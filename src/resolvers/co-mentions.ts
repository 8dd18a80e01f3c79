// Who is involved: the people or organisations most often linked to the same stories as a person,
// an organisation or an event, over the stories first published in the last `within` days that
// the viewer may read. Ordered by how many stories they share, then by the latest one. One
// statement answers a page for every parent of a list (src/resolvers/batch.ts).
import type { Viewer } from '../auth/token.js'
import type { Context } from '../context.js'
import { badInput } from '../errors.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import { batched } from './batch.js'
import { keysetPage, ListOrder, type KeysetPage, type KeysetWindow, type PageArgs, type Position } from './paging.js'
import { NOW_UTC, visibleStorySql } from './visibility-sql.js'

export type CoMentionParent = 'person' | 'organisation' | 'event'
export type CoMentionType = 'PERSON' | 'ORGANISATION'

/** How far back a question may look: ten years. */
export const MAX_WITHIN_DAYS = 3660

// The join table from stories to each kind of entity, and its column for the entity.
const LINKS = {
  person: ['StoryPerson', 'personId'],
  organisation: ['StoryOrganisation', 'organisationId'],
  event: ['StoryEvent', 'eventId'],
} as const
const TARGETS: Record<CoMentionType, CoMentionParent> = { PERSON: 'person', ORGANISATION: 'organisation' }

export interface CoMention {
  /** the person's or organisation's row id */
  id: string
  /** how many stories it shares with the parent */
  count: number
  latestAt: Date
  latestStoryId: string
  /** its position in the list (src/resolvers/paging.ts) */
  cursor: string
}

export interface CoMentionPage extends KeysetPage<CoMention> {
  total: number
}

export interface CoMentionArgs {
  within: number
  type: CoMentionType
  /** the page: its direction, size and the position of its cursor */
  window: KeysetWindow<Position>
}

/**
 * Most shared stories first, then the latest of them, then by id. A cursor holds those three of
 * an entity, so the next page goes on from there even if the counts have changed since (a story
 * withdrawn, a link removed) and that entity has moved or gone.
 */
const ORDER = new ListOrder('co-mentions', [
  { kind: 'int', dir: 'desc' },
  { kind: 'time', dir: 'desc' },
  { kind: 'uuid', dir: 'asc' },
])
const KEYS = [Prisma.sql`g.n`, Prisma.sql`g.latest_at`, Prisma.sql`g.other`]

/** The window of a page of co-mentions that `args` ask for; a bad cursor is BAD_USER_INPUT. */
export const coMentionWindow = (args: PageArgs, defaultSize: number) => ORDER.window(args, defaultSize)

const EMPTY: CoMentionPage = { items: [], hasNextPage: false, hasPreviousPage: false, total: 0 }

export function checkWithin(within: number): void {
  if (!Number.isInteger(within) || within < 1 || within > MAX_WITHIN_DAYS) {
    throw badInput(`within must be a number of days from 1 to ${MAX_WITHIN_DAYS}`, 'within')
  }
}

export function coMentionPage(
  ctx: Context,
  batchKey: string,
  parent: CoMentionParent,
  parentId: string,
  args: CoMentionArgs,
): Promise<CoMentionPage> {
  checkWithin(args.within)
  return batched(ctx, `co-mentions:${parent}:${batchKey}`, parentId, (ids) =>
    readPages(ctx.prisma, ctx.viewer, parent, ids, args),
  ).then((page) => page ?? EMPTY)
}

interface Row {
  parent: string
  other: string
  n: number
  latest_at: Date
  latest_story: string
  /** whether the row is on the page (else it only carries the total) */
  shown: boolean
  total: number
}

/** The statement: a page of co-mentions for each of `parentIds` (exported for EXPLAIN, see scripts/). */
export function coMentionsSql(
  viewer: Viewer | null,
  parent: CoMentionParent,
  parentIds: string[],
  { within, type, window: w }: CoMentionArgs,
): Prisma.Sql {
  const [parentTable, parentColumn] = LINKS[parent].map((name) => Prisma.raw(`"${name}"`))
  const target = TARGETS[type]
  const [otherTable, otherColumn] = LINKS[target].map((name) => Prisma.raw(`"${name}"`))
  // a person is not involved with themselves
  const notSelf = target === parent ? Prisma.sql`AND o.${otherColumn} <> p.${parentColumn}` : Prisma.empty
  // Rows past the cursor are numbered in reading order (k); the first row of each parent's list
  // comes along even when none is on the page: it carries the total.
  return Prisma.sql`
    SELECT ranked.parent::text AS parent, ranked.other::text AS other, ranked.n, ranked.latest_at,
           ranked.latest_story::text AS latest_story, (ranked.past AND ranked.k <= ${w.size + 1}) AS shown, ranked.total::int AS total
      FROM (
        SELECT g.*, ${ORDER.sqlPast(KEYS, w)} AS past,
               row_number() OVER (PARTITION BY g.parent ORDER BY ${ORDER.sqlOrder(KEYS, { forward: true })}) AS rn,
               count(*) FILTER (WHERE ${ORDER.sqlPast(KEYS, w)}) OVER (PARTITION BY g.parent ORDER BY ${ORDER.sqlOrder(KEYS, w)} ROWS UNBOUNDED PRECEDING) AS k,
               count(*) OVER (PARTITION BY g.parent) AS total
          FROM (
            SELECT p.${parentColumn} AS parent, o.${otherColumn} AS other, count(*)::int AS n,
                   max(s."firstPublishedAt") AS latest_at,
                   (array_agg(s.id ORDER BY s."firstPublishedAt" DESC, s.id DESC))[1] AS latest_story
              FROM ${parentTable} p
              JOIN "Story" s ON s.id = p."storyId"
              JOIN ${otherTable} o ON o."storyId" = p."storyId"
             WHERE p.${parentColumn} = ANY(${parentIds}::uuid[])
               AND s."firstPublishedAt" >= ${NOW_UTC} - make_interval(days => ${within}::int)
               AND s."firstPublishedAt" <= ${NOW_UTC}
               AND ${visibleStorySql(viewer, 's')}
               ${notSelf}
             GROUP BY p.${parentColumn}, o.${otherColumn}
          ) g
      ) ranked
     WHERE (ranked.past AND ranked.k <= ${w.size + 1}) OR ranked.rn = 1
     ORDER BY ranked.parent, ranked.past DESC, ranked.k`
}

async function readPages(
  prisma: PrismaClient,
  viewer: Viewer | null,
  parent: CoMentionParent,
  parentIds: string[],
  args: CoMentionArgs,
): Promise<Map<string, CoMentionPage>> {
  const rows = await prisma.$queryRaw<Row[]>(coMentionsSql(viewer, parent, parentIds, args))
  const byParent = new Map<string, { rows: CoMention[]; total: number }>(
    parentIds.map((id) => [id, { rows: [], total: 0 }]),
  )
  for (const r of rows) {
    const list = byParent.get(r.parent)!
    list.total = r.total
    if (r.shown) {
      list.rows.push({
        id: r.other,
        count: r.n,
        latestAt: r.latest_at,
        latestStoryId: r.latest_story,
        cursor: ORDER.cursor([r.n, r.latest_at, r.other]),
      })
    }
  }
  return new Map([...byParent].map(([id, list]) => [id, { ...keysetPage(list.rows, args.window), total: list.total }]))
}
