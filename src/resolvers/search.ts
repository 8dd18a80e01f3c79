// Full-text search over the stories the viewer may see (src/resolvers/visibility.ts, in SQL): the stored, weighted tsvector (headline > lede > body)
// and its GIN index do the matching; ts_rank_cd orders; ts_headline cuts the snippet. Each story is
// indexed, matched and cut in its own language's text-search configuration (text_search_config(),
// the SQL function in prisma/migrations/20261206160000_search_in_story_language).
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

/** What to search for: a checked query (checkSearchQuery), and the language to search in, if one. */
export interface SearchArgs {
  query: string
  language: string | null
}

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
 * The query parsed once in each configuration a story may be in (`q`: cfg, query), and the
 * stories it matches, each by the query in its own configuration. Every configuration the
 * server has stands in for "the ones text_search_config() can yield" (a superset, so no second
 * list of them): the GIN index is probed once per distinct parsed query (`@@ ANY`, a bitmap
 * index scan), and the join keeps a story only where its own configuration's query matched.
 * With `language`, only that language's stories, and the query parsed in its configuration.
 */
function matchSql(viewer: Viewer | null, query: string, language: string | null) {
  const configs = language
    ? Prisma.sql`(VALUES (text_search_config(${language}::text))) AS c(cfg)`
    : Prisma.sql`(SELECT oid::regconfig FROM pg_ts_config) AS c(cfg)`
  return {
    with: Prisma.sql`WITH q AS (SELECT c.cfg, websearch_to_tsquery(c.cfg, ${query}::text) AS query FROM ${configs})`,
    from: Prisma.sql`FROM "Story" s JOIN q ON q.cfg = text_search_config(s.language)
      WHERE ${visibleSql(viewer)} ${language ? Prisma.sql`AND s.language = ${language}::text` : Prisma.empty}
        AND s."searchVector" @@ ANY (ARRAY(SELECT DISTINCT query FROM q)) AND s."searchVector" @@ q.query`,
  }
}

/**
 * The statement of one page of hits, ranked, past the window's cursor, whose snippets are cut for
 * the page's hits only. Ranks of stories in different languages are compared as they are:
 * ts_rank_cd weighs matched lexemes, whatever the stemmer that made them. Exported, like
 * searchCountSql, for the test that EXPLAINs it.
 */
export function searchPageSql(viewer: Viewer | null, { query, language }: SearchArgs, w: KeysetWindow<Position>) {
  const match = matchSql(viewer, query, language)
  return Prisma.sql`${match.with}
    SELECT h.id::text AS id, h.rank, h."firstPublishedAt" AS at,
           ts_headline(h.cfg, replace(coalesce(nullif(concat_ws(' ', h.lede, nullif(h."bodyText", '')), ''), h.headline), '<', ${LT}), h.query, ${HEADLINE_OPTIONS}) AS snippet
    FROM (
      SELECT s.id, s."firstPublishedAt", s.lede, s."bodyText", s.headline, q.cfg, q.query, ts_rank_cd(s."searchVector", q.query)::float8 AS rank
      ${match.from}
    ) h
    ${ORDER.sqlWindow(KEYS, w)}`
}

export function searchCountSql(viewer: Viewer | null, { query, language }: SearchArgs) {
  const match = matchSql(viewer, query, language)
  return Prisma.sql`${match.with} SELECT count(*)::int AS n ${match.from}`
}

/**
 * One page of hits: one statement. A hit's rank is that of its text now: a story re-ranked by an
 * edit moves, and the next page still goes on from the position the cursor holds.
 */
export async function searchStories(
  prisma: PrismaClient,
  viewer: Viewer | null,
  args: SearchArgs,
  w: KeysetWindow<Position>,
): Promise<KeysetPage<SearchHit>> {
  const rows = await prisma.$queryRaw<{ id: string; rank: number; at: Date | null; snippet: string }[]>(
    searchPageSql(viewer, args, w),
  )
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

export async function countSearchHits(prisma: PrismaClient, viewer: Viewer | null, args: SearchArgs): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>(searchCountSql(viewer, args))
  return row.n
}

function markHighlights(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  return escaped.replaceAll(LT, '&#60;').replaceAll(START, '<mark>').replaceAll(STOP, '</mark>')
}
