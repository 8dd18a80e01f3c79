// The naive baseline: the same GraphQL schema (the committed schema.graphql), served by
// graphql-yoga with plain per-field resolvers: every field that needs data runs its own query
// through `pg`, one per parent object, with no DataLoader and no joins to fetch nested objects
// (the N+1 pattern). Only the fields the bench's queries use are implemented; they answer the
// same data as ours, which the bench checks before it measures. What batching buys is the
// difference between this and ours.
//
//   DATABASE_URL=postgres://… PORT=4001 node --import tsx bench/baselines/naive.ts
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { DateTimeResolver, JSONResolver } from 'graphql-scalars'
import { createSchema, createYoga } from 'graphql-yoga'
import pg from 'pg'

const connectionString = process.env.DATABASE_URL
if (!connectionString) throw new Error('DATABASE_URL is required')
const port = Number(process.env.PORT ?? 4001)
const host = process.env.HOST ?? '127.0.0.1'

// Prisma stores UTC in `timestamp without time zone`; read it back as UTC whatever the TZ.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (text) => new Date(`${text.replace(' ', 'T')}Z`))
const pool = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_POOL_MAX ?? 10) })
pool.on('error', () => {})

type Row = Record<string, any>
const all = async (sql: string, values: unknown[]): Promise<Row[]> => (await pool.query(sql, values)).rows
const one = async (sql: string, values: unknown[]): Promise<Row | null> => (await all(sql, values))[0] ?? null

const NOW = `(now() AT TIME ZONE 'UTC')`
/** publicStoryWhere (src/resolvers/visibility.ts), in SQL */
const visible = (s: string) =>
  `((${s}.status = 'PUBLISHED' AND (${s}."embargoedUntil" IS NULL OR ${s}."embargoedUntil" <= ${NOW})) OR (${s}.status = 'SCHEDULED' AND ${s}."embargoedUntil" <= ${NOW}))`
const DEFAULT_PAGE = 20
const page = (args: { first?: number | null }) => args.first ?? DEFAULT_PAGE
const heldBack = (story: Row) => story.status === 'WITHDRAWN'

// The search SQL and snippet marking of src/resolvers/search.ts, for pg.
const START = '\u0002'
const STOP = '\u0003'
const LT = '\u0004'
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`
const markHighlights = (text: string) =>
  text
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replaceAll(LT, '&#60;')
    .replaceAll(START, '<mark>')
    .replaceAll(STOP, '</mark>')

const storyById = (id: string) => one(`SELECT * FROM "Story" WHERE id = $1`, [id])

const resolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  Query: {
    stories: async (_: unknown, args: { first?: number }) => {
      const rows = await all(
        `SELECT * FROM "Story" s WHERE ${visible('s')} ORDER BY s."firstPublishedAt" DESC NULLS LAST, s.id DESC LIMIT $1`,
        [page(args)],
      )
      return { edges: rows.map((node) => ({ node })) }
    },
    story: (_: unknown, { slug }: { slug: string }) =>
      one(`SELECT * FROM "Story" s WHERE s.slug = $1 AND (${visible('s')} OR s.status = 'WITHDRAWN')`, [slug]),
    search: async (_: unknown, args: { query: string; first?: number }) => {
      const q = args.query.trim()
      const hits = await all(
        `SELECT s.id::text AS id, ts_rank_cd(s."searchVector", q.query)::float8 AS rank,
                ts_headline('english', replace(coalesce(nullif(concat_ws(' ', s.lede, nullif(s."bodyText", '')), ''), s.headline), '<', $2), q.query, $3) AS snippet
         FROM "Story" s, websearch_to_tsquery('english', $1) AS q(query)
         WHERE ${visible('s')} AND s."searchVector" @@ q.query
         ORDER BY rank DESC, s."firstPublishedAt" DESC NULLS LAST, s.id
         OFFSET 0 LIMIT $4`,
        [q, LT, HEADLINE_OPTIONS, page(args)],
      )
      return { edges: hits.map((hit) => ({ storyId: hit.id, rank: hit.rank, snippet: markHighlights(hit.snippet) })) }
    },
  },
  SearchEdge: { node: (edge: Row) => storyById(edge.storyId) },
  RelatedStoryEdge: { node: (edge: Row) => storyById(edge.relatedId) },
  Story: {
    lede: (story: Row) => (heldBack(story) ? null : story.lede),
    updatedAt: (story: Row) => story.contentUpdatedAt ?? story.firstPublishedAt,
    photo: (story: Row) =>
      heldBack(story) || !story.photoId ? null : one(`SELECT * FROM "MediaAsset" WHERE id = $1`, [story.photoId]),
    body: (story: Row) =>
      heldBack(story)
        ? []
        : all(`SELECT heading, paragraphs FROM "StorySection" WHERE "storyId" = $1 ORDER BY position`, [story.id]),
    tags: async (story: Row, args: { first?: number }) => ({
      edges: await all(`SELECT "tagId" FROM "StoryTag" WHERE "storyId" = $1 LIMIT $2`, [story.id, page(args)]),
    }),
    people: async (story: Row, args: { first?: number }) => ({
      edges: await all(`SELECT "personId", relation FROM "StoryPerson" WHERE "storyId" = $1 LIMIT $2`, [
        story.id,
        page(args),
      ]),
    }),
    events: async (story: Row, args: { first?: number }) => ({
      edges: await all(`SELECT "eventId", relation FROM "StoryEvent" WHERE "storyId" = $1 LIMIT $2`, [
        story.id,
        page(args),
      ]),
    }),
    corrections: async (story: Row, args: { first?: number }) => ({
      edges: (
        await all(`SELECT * FROM "Correction" WHERE "storyId" = $1 ORDER BY "createdAt", id LIMIT $2`, [
          story.id,
          page(args),
        ])
      ).map((node) => ({ node })),
    }),
    related: async (story: Row, args: { first?: number }) => ({
      edges: await all(
        `SELECT r."relatedId", r.reason FROM "RelatedStory" r
         WHERE r."storyId" = $1 AND EXISTS (SELECT 1 FROM "Story" o WHERE o.id = r."relatedId" AND ${visible('o')})
         ORDER BY r.position LIMIT $2`,
        [story.id, page(args)],
      ),
    }),
  },
  StoryTagsEdge: { node: (edge: Row) => one(`SELECT * FROM "Tag" WHERE id = $1`, [edge.tagId]) },
  StoryPeopleEdge: { node: (edge: Row) => one(`SELECT * FROM "Person" WHERE id = $1`, [edge.personId]) },
  StoryEventsEdge: { node: (edge: Row) => one(`SELECT * FROM "Event" WHERE id = $1`, [edge.eventId]) },
  Event: {
    statusHistory: async (event: Row, args: { first?: number }) => ({
      edges: (
        await all(`SELECT * FROM "EventStatusChange" WHERE "eventId" = $1 ORDER BY at, id LIMIT $2`, [
          event.id,
          page(args),
        ])
      ).map((node) => ({ node })),
    }),
  },
  EventStatusChange: {
    from: (change: Row) => change.fromStatus,
    to: (change: Row) => change.toStatus,
  },
}

const typeDefs = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8')
const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers }),
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
  logging: false,
})
const server = createServer(yoga)
server.listen(port, host)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    void pool.end().finally(() => process.exit(0))
  })
}
