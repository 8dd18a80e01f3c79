// Who is involved: the people or organisations most often linked to the same stories as a person,
// an organisation or an event, over the stories first published in the last `within` days that
// the viewer may read. Ordered by how many stories they share, then by the latest one. One
// statement answers a page for every parent of a list (src/resolvers/batch.ts).
import type { Viewer } from '../auth/token.js'
import type { Context } from '../context.js'
import { badInput } from '../errors.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import { batched } from './batch.js'
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
  /** 1-based place in the order */
  rank: number
}

export interface CoMentionPage {
  rows: CoMention[]
  total: number
}

export interface CoMentionArgs {
  within: number
  type: CoMentionType
  /** the number of entities before the page, and the page size plus one */
  offset: number
  limit: number
}

export function checkWithin(within: number): void {
  if (!Number.isInteger(within) || within < 1 || within > MAX_WITHIN_DAYS) {
    throw badInput(`within must be a number of days from 1 to ${MAX_WITHIN_DAYS}`, 'within')
  }
}

export function coMentionPage(ctx: Context, batchKey: string, parent: CoMentionParent, parentId: string, args: CoMentionArgs): Promise<CoMentionPage> {
  checkWithin(args.within)
  return batched(ctx, `co-mentions:${parent}:${batchKey}`, parentId, (ids) => readPages(ctx.prisma, ctx.viewer, parent, ids, args)).then(
    (page) => page ?? { rows: [], total: 0 },
  )
}

interface Row {
  parent: string
  other: string
  n: number
  latest_at: Date
  latest_story: string
  rn: number
  total: number
}

/** The statement: a page of co-mentions for each of `parentIds` (exported for EXPLAIN, see scripts/). */
export function coMentionsSql(viewer: Viewer | null, parent: CoMentionParent, parentIds: string[], { within, type, offset, limit }: CoMentionArgs): Prisma.Sql {
  const [parentTable, parentColumn] = LINKS[parent].map((name) => Prisma.raw(`"${name}"`))
  const target = TARGETS[type]
  const [otherTable, otherColumn] = LINKS[target].map((name) => Prisma.raw(`"${name}"`))
  // a person is not involved with themselves
  const notSelf = target === parent ? Prisma.sql`AND o.${otherColumn} <> p.${parentColumn}` : Prisma.empty
  // The first row of each parent comes along even when the page is past the end: it carries the total.
  return Prisma.sql`
    SELECT ranked.parent::text AS parent, ranked.other::text AS other, ranked.n, ranked.latest_at,
           ranked.latest_story::text AS latest_story, ranked.rn::int AS rn, ranked.total::int AS total
      FROM (
        SELECT g.*, row_number() OVER (PARTITION BY g.parent ORDER BY g.n DESC, g.latest_at DESC, g.other) AS rn,
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
     WHERE (ranked.rn > ${offset} AND ranked.rn <= ${offset + limit}) OR ranked.rn = 1
     ORDER BY ranked.parent, ranked.rn`
}

async function readPages(
  prisma: PrismaClient,
  viewer: Viewer | null,
  parent: CoMentionParent,
  parentIds: string[],
  args: CoMentionArgs,
): Promise<Map<string, CoMentionPage>> {
  const { offset } = args
  const rows = await prisma.$queryRaw<Row[]>(coMentionsSql(viewer, parent, parentIds, args))
  const pages = new Map<string, CoMentionPage>(parentIds.map((id) => [id, { rows: [], total: 0 }]))
  for (const r of rows) {
    const page = pages.get(r.parent)!
    page.total = r.total
    if (r.rn > offset) page.rows.push({ id: r.other, count: r.n, latestAt: r.latest_at, latestStoryId: r.latest_story, rank: r.rn })
  }
  return pages
}
