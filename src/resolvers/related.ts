// Related stories, explained. A story's related stories are the editors' (RelatedStory rows, in
// their order) and then those the graph suggests: stories sharing an event, people,
// organisations, places or tags with it (the newest hundred for each thing shared), best score
// first. Each comes with why it is there. One statement answers a page for every story of a list
// (src/resolvers/batch.ts), and the viewer sees only stories they may read.
import type { Viewer } from '../auth/token.js'
import type { Context } from '../context.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import type { RelatedReason } from '../generated/prisma/enums.js'
import { batched } from './batch.js'
import { keysetPage, ListOrder, type KeysetPage, type KeysetWindow, type PageArgs, type Position } from './paging.js'
import { visibleStorySql } from './visibility-sql.js'

/** What each shared thing adds to the score: an event says most, a topic least. */
export const RELATED_WEIGHTS = { event: 3, person: 2, organisation: 2, place: 1, tag: 1 } as const

/** How many of the stories sharing one thing are considered: the newest ones. */
export const RELATED_PER_THING = 100

/** Row ids of what two stories share, each list in slug order. */
export interface SharedIds {
  events: string[]
  people: string[]
  organisations: string[]
  places: string[]
  tags: string[]
}

export interface RelatedExplanation extends SharedIds {
  kind: RelatedReason
  /** what this reason adds to the score */
  score: number
}

export interface Related {
  /** the related story's row id */
  id: string
  /** the reason an editor gave, for the editors' own picks */
  stored: RelatedReason | null
  /** the reason that put it there: the editor's, else the strongest computed one */
  reason: RelatedReason
  reasons: RelatedExplanation[]
  score: number
  /** its position in the list (src/resolvers/paging.ts) */
  cursor: string
}

export interface RelatedPage extends KeysetPage<Related> {
  total: number
  /** what the story is filed under, as "Type:<row id>", for the response cache (src/live/invalidation.ts):
   *  a story enters its related stories by sharing one of these; null when the list is empty */
  filedUnder: string[] | null
}

/**
 * The list's order: the editors' picks in their order, then by score, the newest first among
 * equals, then by id. A cursor holds those four of a related story, so the next page goes on from
 * there even if that story is no longer related (or no longer readable), or has moved.
 */
const ORDER = new ListOrder('related', [
  { kind: 'int', dir: 'asc', nulls: 'last' },
  { kind: 'float', dir: 'desc' },
  { kind: 'time', dir: 'desc', nulls: 'last' },
  { kind: 'uuid', dir: 'asc' },
])
const KEYS = [Prisma.sql`r.position`, Prisma.sql`r.score`, Prisma.sql`r.at`, Prisma.sql`r.related`]

/** The window of a page of related stories that `args` ask for; a bad cursor is BAD_USER_INPUT. */
export const relatedWindow = (args: PageArgs, defaultSize: number) => ORDER.window(args, defaultSize)

const EMPTY: RelatedPage = { items: [], hasNextPage: false, hasPreviousPage: false, total: 0, filedUnder: null }

/** A story's page of related stories, batched with the same field's of every story on the page.
 *  Without `total` (the connection's totalCount is not selected) the page's `total` may be short. */
export function relatedPage(
  ctx: Context,
  batchKey: string,
  storyId: string,
  window: KeysetWindow<Position>,
  total: boolean,
): Promise<RelatedPage> {
  return batched(ctx, `related:${batchKey}`, storyId, (ids) =>
    readPages(ctx.prisma, ctx.viewer, ids, window, total),
  ).then((page) => page ?? EMPTY)
}

interface Row extends SharedIds {
  parent: string
  related: string
  stored: RelatedReason | null
  score: number
  position: number | null
  at: Date | null
  /** whether the row is on the page (else it only carries the total) */
  shown: boolean
  total: number
  filed: string[] | null
}

// The five ways two stories can share something: the join table, its column, the entity table
// (related_shared and story_filed_under in the database list the same five).
const THROUGH = {
  event: ['StoryEvent', 'eventId', 'Event'],
  person: ['StoryPerson', 'personId', 'Person'],
  organisation: ['StoryOrganisation', 'organisationId', 'Organisation'],
  place: ['StoryPlace', 'placeId', 'Place'],
  tag: ['StoryTag', 'tagId', 'Tag'],
} as const
type Shared = keyof typeof THROUGH

/**
 * Up to RELATED_PER_THING stories sharing each thing that one of `ids` has through `what`, the
 * newest first: (parent, related, weight) per thing shared. Ids are UUIDv7, ordered by creation,
 * so the (thing, story) index hands them out newest first without touching the stories, and a
 * topic filed under on ten thousand stories costs no more than one on ten. Only for the stories
 * in `needy` when the statement is gated (see relatedSql).
 */
function sharedThrough(what: Shared, ids: string[], gated: boolean): Prisma.Sql {
  const [table, column] = THROUGH[what].map((name) => Prisma.raw(`"${name}"`))
  return Prisma.sql`
    SELECT a."storyId" AS parent, b."storyId" AS related, ${RELATED_WEIGHTS[what]}::int AS weight, NULL::int AS position, NULL::text AS stored
      FROM ${table} a
      CROSS JOIN LATERAL (
        SELECT b."storyId" FROM ${table} b
         WHERE b.${column} = a.${column} AND b."storyId" <> a."storyId"
         ORDER BY b."storyId" DESC
         LIMIT ${RELATED_PER_THING}
      ) b
     WHERE a."storyId" = ANY(${ids}::uuid[])${gated ? Prisma.sql` AND a."storyId" IN (SELECT id FROM needy)` : Prisma.empty}`
}

/**
 * The statement: a page of related stories for each of `storyIds` (exported for EXPLAIN, see
 * scripts/), past the window's cursor and one more than the page holds. Every candidate is scored
 * from the link tables alone; only the stories of the page are then explained, by related_shared,
 * and their lists' keys found by story_filed_under (functions, so that each connection keeps
 * their plans: as subqueries here they were planned for every request, which took longer than
 * running the whole statement; see their migration).
 *
 * A first page whose total is not asked for is gated: the editors' picks come first, so a story
 * with more readable picks than the page holds has its page from them alone, and the graph's
 * suggestions are scored only for the stories in `needy`, those without that many picks.
 */
export function relatedSql(
  viewer: Viewer | null,
  storyIds: string[],
  w: KeysetWindow<Position>,
  total = true,
): Prisma.Sql {
  const gated = !total && w.forward && w.cursor === null
  const needy = gated
    ? Prisma.sql`needy AS (
      SELECT p.id FROM unnest(${storyIds}::uuid[]) p(id)
       WHERE (SELECT count(*) FROM "RelatedStory" r JOIN "Story" s ON s.id = r."relatedId"
               WHERE r."storyId" = p.id AND ${visibleStorySql(viewer, 's')}) <= ${w.size}
    ),`
    : Prisma.empty
  // Rows past the cursor are numbered in reading order (k); the first row of each story's list
  // comes along even when none is on the page: it carries the total.
  return Prisma.sql`
    WITH ${needy} scored AS (
      SELECT c.parent, c.related, sum(c.weight)::float8 AS score, min(c.position) AS position, min(c.stored) AS stored
        FROM (
          SELECT r."storyId" AS parent, r."relatedId" AS related, 0 AS weight, r.position, r.reason::text AS stored
            FROM "RelatedStory" r
           WHERE r."storyId" = ANY(${storyIds}::uuid[])
          UNION ALL ${sharedThrough('event', storyIds, gated)}
          UNION ALL ${sharedThrough('person', storyIds, gated)}
          UNION ALL ${sharedThrough('organisation', storyIds, gated)}
          UNION ALL ${sharedThrough('place', storyIds, gated)}
          UNION ALL ${sharedThrough('tag', storyIds, gated)}
        ) c
       GROUP BY c.parent, c.related
    ), readable AS (
      -- an editor's pick is placed by its position: its score is no key (the same gated or not)
      SELECT sc.parent, sc.related, sc.position, sc.stored, CASE WHEN sc.position IS NULL THEN sc.score ELSE 0 END AS score,
             s."firstPublishedAt" AS at
        FROM scored sc JOIN "Story" s ON s.id = sc.related
       WHERE ${visibleStorySql(viewer, 's')}
    ), ranked AS (
      SELECT r.*, ${ORDER.sqlPast(KEYS, w)} AS past,
             row_number() OVER (PARTITION BY r.parent ORDER BY ${ORDER.sqlOrder(KEYS, { forward: true })}) AS rn,
             count(*) OVER (PARTITION BY r.parent) AS total
        FROM readable r
    ), paged AS (
      SELECT r.*, count(*) FILTER (WHERE r.past) OVER (PARTITION BY r.parent ORDER BY ${ORDER.sqlOrder(KEYS, w)} ROWS UNBOUNDED PRECEDING) AS k
        FROM ranked r
    )
    SELECT page.parent::text AS parent, page.related::text AS related, page.stored, page.score, page.position, page.at,
           (page.past AND page.k <= ${w.size + 1}) AS shown, page.total::int AS total,
           x.events, x.people, x.organisations, x.places, x.tags,
           CASE WHEN page.rn = 1 THEN story_filed_under(page.parent) END AS filed
      FROM paged page CROSS JOIN LATERAL related_shared(page.parent, page.related) x
     WHERE (page.past AND page.k <= ${w.size + 1}) OR page.rn = 1
     ORDER BY page.parent, page.past DESC, page.k`
}

async function readPages(
  prisma: PrismaClient,
  viewer: Viewer | null,
  storyIds: string[],
  w: KeysetWindow<Position>,
  total: boolean,
): Promise<Map<string, RelatedPage>> {
  const rows = await prisma.$queryRaw<Row[]>(relatedSql(viewer, storyIds, w, total))
  const byStory = new Map<string, { rows: Related[]; total: number; filed: string[] | null }>(
    storyIds.map((id) => [id, { rows: [], total: 0, filed: null }]),
  )
  for (const r of rows) {
    const list = byStory.get(r.parent)!
    list.total = r.total
    if (r.filed) list.filed = r.filed
    if (r.shown) list.rows.push(explain(r))
  }
  return new Map(
    [...byStory].map(([id, list]) => [id, { ...keysetPage(list.rows, w), total: list.total, filedUnder: list.filed }]),
  )
}

const none: SharedIds = { events: [], people: [], organisations: [], places: [], tags: [] }

/** The reasons behind one related story: the editor's first, then the computed ones by score. */
function explain(r: Row): Related {
  const w = RELATED_WEIGHTS
  const computed: RelatedExplanation[] = []
  if (r.events.length > 0)
    computed.push({ ...none, kind: 'SAME_EVENT', score: w.event * r.events.length, events: r.events })
  if (r.people.length + r.organisations.length + r.places.length > 0) {
    computed.push({
      ...none,
      kind: 'SHARED_ENTITIES',
      score: w.person * r.people.length + w.organisation * r.organisations.length + w.place * r.places.length,
      people: r.people,
      organisations: r.organisations,
      places: r.places,
    })
  }
  if (r.tags.length > 0) computed.push({ ...none, kind: 'SHARED_TAGS', score: w.tag * r.tags.length, tags: r.tags })
  // stable: equal scores keep the order above (event, entities, tags)
  computed.sort((a, b) => b.score - a.score)

  let reasons = computed
  if (r.stored) {
    // An editor's pick adds nothing to the score: its place in the list is the editor's. A reason
    // an editor gave is listed first, with what the stories share, even if they no longer do.
    const given = computed.find((c) => c.kind === r.stored) ?? { ...none, kind: r.stored, score: 0 }
    reasons = [given, ...computed.filter((c) => c !== given)]
  }
  return {
    id: r.related,
    stored: r.stored,
    reason: reasons[0].kind,
    reasons,
    // an editor's pick: the sum of its reasons, as documented (the statement scores picks 0: their
    // place is their position, and a gated statement does not score what they share)
    score: r.stored ? reasons.reduce((sum, reason) => sum + reason.score, 0) : r.score,
    cursor: ORDER.cursor([r.position, r.score, r.at, r.related]),
  }
}
