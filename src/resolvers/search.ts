// Full-text search over the stories the viewer may see (src/resolvers/visibility.ts, in SQL): the stored, weighted tsvector (headline > lede > body)
// and its GIN index do the matching; ts_rank_cd orders; ts_headline cuts the snippet.
import type { Viewer } from '../auth/token.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import { badInput } from '../errors.js'
import { keysetPage, ListOrder, type KeysetPage, type KeysetWindow, type PageArgs, type Position } from './paging.js'
import { mayEdit } from '../auth/roles.js'

export const MAX_QUERY_LENGTH = 200

// Control characters cannot occur in stored text, so they mark the highlights safely until the
// snippet is escaped as HTML.
const START = '\u0002'
const STOP = '\u0003'
// ts_headline's parser takes anything shaped like an HTML tag for markup and drops it; the text is
// plain, so every "<" stands in as LT while the snippet is cut, and comes back escaped.
const LT = '\u0004'
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`

export interface SearchHit {
  id: string
  rank: number
  /** HTML-escaped text with matches wrapped in <mark> */
  snippet: string
  /** the hit's position in the ranking (src/resolvers/paging.ts) */
  cursor: string
}

/** Best match first; among equals the newest, then by id. A cursor holds a hit's rank, date and id. */
const ORDER = new ListOrder('search', [
  { kind: 'float', dir: 'desc' },
  { kind: 'time', dir: 'desc', nulls: 'last' },
  { kind: 'uuid', dir: 'asc' },
])
const KEYS = [Prisma.sql`h.rank`, Prisma.sql`h."firstPublishedAt"`, Prisma.sql`h.id`]

/** The window of a page of search results that `args` ask for; a bad cursor is BAD_USER_INPUT. */
export const searchWindow = (args: PageArgs, defaultSize: number) => ORDER.window(args, defaultSize)

export function checkSearchQuery(query: string): string {
  const q = query.trim()
  if (q === '') throw badInput('search query must not be empty', 'query')
  if (q.length > MAX_QUERY_LENGTH)
    throw badInput(`search query must be at most ${MAX_QUERY_LENGTH} characters`, 'query')
  return q
}

/** The SQL twin of publicStoryWhere; editors search every story. */
function visibleSql(viewer: Viewer | null): Prisma.Sql {
  return mayEdit(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`((s.status = 'PUBLISHED' AND (s."embargoedUntil" IS NULL OR s."embargoedUntil" <= (now() AT TIME ZONE 'UTC')))
                 OR (s.status = 'SCHEDULED' AND s."embargoedUntil" <= (now() AT TIME ZONE 'UTC')))`
}

/**
 * One page of hits, ranked, past the window's cursor: one statement, whose snippets are cut for
 * the page's hits only. A hit's rank is that of its text now: a story re-ranked by an edit moves,
 * and the next page still goes on from the position the cursor holds.
 */
export async function searchStories(
  prisma: PrismaClient,
  viewer: Viewer | null,
  query: string,
  w: KeysetWindow<Position>,
): Promise<KeysetPage<SearchHit>> {
  const rows = await prisma.$queryRaw<{ id: string; rank: number; at: Date | null; snippet: string }[]>`
    SELECT h.id::text AS id, h.rank, h."firstPublishedAt" AS at,
           ts_headline('english', replace(coalesce(nullif(concat_ws(' ', h.lede, nullif(h."bodyText", '')), ''), h.headline), '<', ${LT}), h.query, ${HEADLINE_OPTIONS}) AS snippet
    FROM (
      SELECT s.id, s."firstPublishedAt", s.lede, s."bodyText", s.headline, q.query, ts_rank_cd(s."searchVector", q.query)::float8 AS rank
      FROM "Story" s, websearch_to_tsquery('english', ${query}) AS q(query)
      WHERE ${visibleSql(viewer)} AND s."searchVector" @@ q.query
    ) h
    ${ORDER.sqlWindow(KEYS, w)}`
  return keysetPage(
    rows.map((r) => ({
      id: r.id,
      rank: r.rank,
      snippet: markHighlights(r.snippet),
      cursor: ORDER.cursor([r.rank, r.at, r.id]),
    })),
    w,
  )
}

export async function countSearchHits(prisma: PrismaClient, viewer: Viewer | null, query: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Story" s
    WHERE ${visibleSql(viewer)} AND s."searchVector" @@ websearch_to_tsquery('english', ${query})`
  return row.n
}

function markHighlights(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  return escaped.replaceAll(LT, '&#60;').replaceAll(START, '<mark>').replaceAll(STOP, '</mark>')
}
