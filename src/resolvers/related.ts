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
import { visibleStorySql } from './visibility-sql.js'

/** What each shared thing adds to the score: an event says most, a topic least. */
export const RELATED_WEIGHTS = { event: 3, person: 2, organisation: 2, place: 1, tag: 1 } as const

/** How many of the stories sharing one thing are considered: the newest ones. */
export const RELATED_PER_THING = 100

export interface RelatedExplanation {
  kind: RelatedReason
  /** what this reason adds to the score */
  score: number
  /** row ids of what the two stories share, each list in slug order */
  events: string[]
  people: string[]
  organisations: string[]
  places: string[]
  tags: string[]
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
  /** 1-based place in the list */
  rank: number
}

export interface RelatedPage {
  rows: Related[]
  total: number
  /** what the story is filed under, as "Type:<row id>", for the response cache (src/live/invalidation.ts):
   *  a story enters its related stories by sharing one of these; null when the list is empty */
  filedUnder: string[] | null
}

export function relatedPage(ctx: Context, batchKey: string, storyId: string, window: { offset: number; limit: number }): Promise<RelatedPage> {
  return batched(ctx, `related:${batchKey}`, storyId, (ids) => readPages(ctx.prisma, ctx.viewer, ids, window)).then(
    (page) => page ?? { rows: [], total: 0, filedUnder: null },
  )
}

interface Row {
  parent: string
  related: string
  stored: RelatedReason | null
  score: number
  events: string[]
  people: string[]
  organisations: string[]
  places: string[]
  tags: string[]
  rn: number
  total: number
  filed: string[] | null
}

// The five ways two stories can share something: the join table, its column, the entity table.
const THROUGH = {
  event: ['StoryEvent', 'eventId', 'Event'],
  person: ['StoryPerson', 'personId', 'Person'],
  organisation: ['StoryOrganisation', 'organisationId', 'Organisation'],
  place: ['StoryPlace', 'placeId', 'Place'],
  tag: ['StoryTag', 'tagId', 'Tag'],
} as const
type Shared = keyof typeof THROUGH
const names = (what: Shared) => THROUGH[what].map((name) => Prisma.raw(`"${name}"`))

/**
 * Up to RELATED_PER_THING stories sharing each thing that one of `ids` has through `what`, the
 * newest first: (parent, related, weight) per thing shared. Ids are UUIDv7, ordered by creation,
 * so the (thing, story) index hands them out newest first without touching the stories, and a
 * topic filed under on ten thousand stories costs no more than one on ten.
 */
function sharedThrough(what: Shared, ids: string[]): Prisma.Sql {
  const [table, column] = names(what)
  return Prisma.sql`
    SELECT a."storyId" AS parent, b."storyId" AS related, ${RELATED_WEIGHTS[what]}::int AS weight, NULL::int AS position, NULL::text AS stored
      FROM ${table} a
      CROSS JOIN LATERAL (
        SELECT b."storyId" FROM ${table} b
         WHERE b.${column} = a.${column} AND b."storyId" <> a."storyId"
         ORDER BY b."storyId" DESC
         LIMIT ${RELATED_PER_THING}
      ) b
     WHERE a."storyId" = ANY(${ids}::uuid[])`
}

/** What the page's story `page.related` shares with `page.parent` through `what`: ids in slug order. */
function sharedIds(what: Shared): Prisma.Sql {
  const [table, column, entity] = names(what)
  return Prisma.sql`ARRAY(
    SELECT x.id::text FROM ${table} a JOIN ${table} b ON b."storyId" = page.related AND b.${column} = a.${column} JOIN ${entity} x ON x.id = a.${column}
     WHERE a."storyId" = page.parent ORDER BY x.slug)`
}

/** "Type:<row id>" of everything the page's story is filed under. */
function filedUnderSql(): Prisma.Sql {
  const parts = Object.values(THROUGH).map(([table, column, entity]) => `SELECT '${entity}:' || f."${column}" FROM "${table}" f WHERE f."storyId" = page.parent`)
  return Prisma.raw(parts.join(' UNION ALL '))
}

/**
 * The statement: a page of related stories for each of `storyIds` (exported for EXPLAIN, see
 * scripts/). Every candidate is scored from the link tables alone; only the stories of the page
 * are then explained, each by a few lookups on the link tables' primary keys.
 */
export function relatedSql(viewer: Viewer | null, storyIds: string[], { offset, limit }: { offset: number; limit: number }): Prisma.Sql {
  // The first row of each story comes along even when the page is past the end: it carries the total.
  return Prisma.sql`
    WITH scored AS (
      SELECT c.parent, c.related, sum(c.weight)::float8 AS score, min(c.position) AS position, min(c.stored) AS stored
        FROM (
          SELECT r."storyId" AS parent, r."relatedId" AS related, 0 AS weight, r.position, r.reason::text AS stored
            FROM "RelatedStory" r
           WHERE r."storyId" = ANY(${storyIds}::uuid[])
          UNION ALL ${sharedThrough('event', storyIds)}
          UNION ALL ${sharedThrough('person', storyIds)}
          UNION ALL ${sharedThrough('organisation', storyIds)}
          UNION ALL ${sharedThrough('place', storyIds)}
          UNION ALL ${sharedThrough('tag', storyIds)}
        ) c
       GROUP BY c.parent, c.related
    ), ranked AS (
      SELECT sc.*,
             row_number() OVER (PARTITION BY sc.parent ORDER BY sc.position ASC NULLS LAST, sc.score DESC, s."firstPublishedAt" DESC NULLS LAST, sc.related) AS rn,
             count(*) OVER (PARTITION BY sc.parent) AS total
        FROM scored sc JOIN "Story" s ON s.id = sc.related
       WHERE ${visibleStorySql(viewer, 's')}
    )
    SELECT page.parent::text AS parent, page.related::text AS related, page.stored, page.score, page.rn::int AS rn, page.total::int AS total,
           ${sharedIds('event')} AS events, ${sharedIds('person')} AS people, ${sharedIds('organisation')} AS organisations,
           ${sharedIds('place')} AS places, ${sharedIds('tag')} AS tags,
           CASE WHEN page.rn = 1 THEN ARRAY(${filedUnderSql()}) END AS filed
      FROM ranked page
     WHERE (page.rn > ${offset} AND page.rn <= ${offset + limit}) OR page.rn = 1
     ORDER BY page.parent, page.rn`
}

async function readPages(
  prisma: PrismaClient,
  viewer: Viewer | null,
  storyIds: string[],
  window: { offset: number; limit: number },
): Promise<Map<string, RelatedPage>> {
  const { offset } = window
  const rows = await prisma.$queryRaw<Row[]>(relatedSql(viewer, storyIds, window))
  const pages = new Map<string, RelatedPage>(storyIds.map((id) => [id, { rows: [], total: 0, filedUnder: null }]))
  for (const r of rows) {
    const page = pages.get(r.parent)!
    page.total = r.total
    if (r.filed) page.filedUnder = r.filed
    if (r.rn > offset) page.rows.push(explain(r))
  }
  return pages
}

const none = { events: [], people: [], organisations: [], places: [], tags: [] }

/** The reasons behind one related story: the editor's first, then the computed ones by score. */
function explain(r: Row): Related {
  const w = RELATED_WEIGHTS
  const computed: RelatedExplanation[] = []
  if (r.events.length > 0) computed.push({ ...none, kind: 'SAME_EVENT', score: w.event * r.events.length, events: r.events })
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
  return { id: r.related, stored: r.stored, reason: reasons[0].kind, reasons, score: r.score, rank: r.rn }
}
