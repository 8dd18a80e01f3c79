// The peer a team would pick instead: PostGraphile 5 (amber preset) serving the same PostgreSQL
// database, its schema generated from our tables (allStories, storyBySlug, storyTagsByStoryId …).
// The bench sends it the front-page, story-page and varied queries written in that schema
// (bench/workloads/*.ts), and search through a SQL function of the bench's own (SEARCH_FUNCTION,
// installed here at start-up: a kept database gets it too). Plain Node HTTP, like ours.
//
//   DATABASE_URL=postgres://… PORT=4003 node --import tsx bench/baselines/postgraphile.ts
import { createServer } from 'node:http'
import pg from 'pg'
import { postgraphile } from 'postgraphile'
import { makePgService } from 'postgraphile/adaptors/pg'
import { grafserv } from 'postgraphile/grafserv/node'
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber'

const connectionString = process.env.DATABASE_URL
if (!connectionString) throw new Error('DATABASE_URL is required')
const port = Number(process.env.PORT ?? 4003)
const host = process.env.HOST ?? '127.0.0.1'
const poolMax = Number(process.env.DATABASE_POOL_MAX ?? 10)

// Search as ours does it (src/resolvers/search.ts, searchPageSql for the public): the query parsed
// in every text-search configuration, each story matched in its own language's; ts_rank_cd ranks,
// best first, then the newest, then by id; ts_headline cuts the snippet of the page's hits only,
// with the same options, and the snippet is HTML-escaped with its matches in <mark>, as
// markHighlights does. Only what the public may see: published and past any embargo. PostGraphile
// exposes it as the root field searchStories(query:, hits:), a list in rank order (`first` is
// its connections' own argument). Made afresh at each start, so a kept database has this one.
const SCHEMA = 'bench_search'
const SEARCH_FUNCTION = /* SQL */ `
DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE;
CREATE SCHEMA ${SCHEMA};
CREATE FUNCTION ${SCHEMA}.search_stories(query text, hits int)
RETURNS TABLE (rank float8, snippet text, slug text, headline text, byline text)
LANGUAGE sql STABLE STRICT AS $fn$
  WITH q AS (
    SELECT c.cfg, websearch_to_tsquery(c.cfg, query) AS query
    FROM (SELECT oid::regconfig FROM pg_ts_config) AS c(cfg)
  )
  SELECT h.rank,
         replace(replace(replace(
           replace(replace(replace(replace(replace(
             ts_headline(h.cfg, replace(coalesce(nullif(concat_ws(' ', h.lede, nullif(h."bodyText", '')), ''), h.headline), '<', chr(4)), h.query,
                         'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'),
             '&', '&#38;'), '<', '&#60;'), '>', '&#62;'), '"', '&#34;'), '''', '&#39;'),
           chr(4), '&#60;'), chr(2), '<mark>'), chr(3), '</mark>') AS snippet,
         h.slug, h.headline, h.byline
  FROM (
    SELECT s.id, s.slug, s.byline, s."firstPublishedAt", s.lede, s."bodyText", s.headline, q.cfg, q.query,
           ts_rank_cd(s."searchVector", q.query)::float8 AS rank
    FROM "Story" s JOIN q ON q.cfg = text_search_config(s.language)
    WHERE ((s.status = 'PUBLISHED' AND (s."embargoedUntil" IS NULL OR s."embargoedUntil" <= (now() AT TIME ZONE 'UTC')))
           OR (s.status = 'SCHEDULED' AND s."embargoedUntil" <= (now() AT TIME ZONE 'UTC')))
      AND s."searchVector" @@ ANY (ARRAY(SELECT DISTINCT query FROM q)) AND s."searchVector" @@ q.query
  ) h
  ORDER BY h.rank DESC, h."firstPublishedAt" DESC NULLS LAST, h.id ASC
  LIMIT hits
$fn$;
COMMENT ON FUNCTION ${SCHEMA}.search_stories(text, int) IS E'@name search_stories\n@behavior -connection +list';
`

// one installer at a time (a second PostGraphile may start while the first does)
const setup = new pg.Client({ connectionString })
await setup.connect()
try {
  await setup.query('BEGIN')
  await setup.query(`SELECT pg_advisory_xact_lock(hashtext('${SCHEMA}'))`)
  await setup.query(SEARCH_FUNCTION)
  await setup.query('COMMIT')
} finally {
  await setup.end()
}

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  // PostGraphile orders and filters by indexed columns only, unless told otherwise; the story
  // page lists related stories in the editor's order (RelatedStory.position, not indexed), as ours.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString, schemas: ['public', SCHEMA], poolConfig: { max: poolMax } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, websockets: false, watch: false },
  grafast: { explain: false },
}

const pgl = postgraphile(preset)
const serv = pgl.createServ(grafserv)
const server = createServer()
await serv.addTo(server)
await pgl.getSchema()
server.listen(port, host)

if (process.env.PRINT_SCHEMA) {
  const { printSchema } = await import('postgraphile/graphql')
  console.log(printSchema(await pgl.getSchema()))
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    void Promise.resolve(pgl.release()).finally(() => process.exit(0))
  })
}
