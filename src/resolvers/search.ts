// Full-text search over the stories the viewer may see (src/resolvers/visibility.ts, in SQL): the stored, weighted tsvector (headline > lede > body)
// and its GIN index do the matching; ts_rank_cd orders; ts_headline cuts the snippet.
import type { Viewer } from '../auth/token.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import { badInput } from '../errors.js'
import { isEditor } from './visibility.js'

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
}

export function checkSearchQuery(query: string): string {
  const q = query.trim()
  if (q === '') throw badInput('search query must not be empty', 'query')
  if (q.length > MAX_QUERY_LENGTH) throw badInput(`search query must be at most ${MAX_QUERY_LENGTH} characters`, 'query')
  return q
}

/** The SQL twin of publicStoryWhere; editors search every story. */
function visibleSql(viewer: Viewer | null): Prisma.Sql {
  return isEditor(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`((s.status = 'PUBLISHED' AND (s."embargoedUntil" IS NULL OR s."embargoedUntil" <= (now() AT TIME ZONE 'UTC')))
                 OR (s.status = 'SCHEDULED' AND s."embargoedUntil" <= (now() AT TIME ZONE 'UTC')))`
}

export async function searchStories(prisma: PrismaClient, viewer: Viewer | null, query: string, offset: number, limit: number): Promise<SearchHit[]> {
  const rows = await prisma.$queryRaw<{ id: string; rank: number; snippet: string }[]>`
    SELECT s.id::text AS id,
           ts_rank_cd(s."searchVector", q.query)::float8 AS rank,
           ts_headline('english', replace(coalesce(nullif(concat_ws(' ', s.lede, nullif(s."bodyText", '')), ''), s.headline), '<', ${LT}), q.query, ${HEADLINE_OPTIONS}) AS snippet
    FROM "Story" s, websearch_to_tsquery('english', ${query}) AS q(query)
    WHERE ${visibleSql(viewer)} AND s."searchVector" @@ q.query
    ORDER BY rank DESC, s."firstPublishedAt" DESC NULLS LAST, s.id
    OFFSET ${offset} LIMIT ${limit}`
  return rows.map((r) => ({ ...r, snippet: markHighlights(r.snippet) }))
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
