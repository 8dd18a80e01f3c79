// The floor: a hand-written HTTP handler that answers the front page and the story page with one
// SQL statement each through `pg`, the JSON built by PostgreSQL and passed through as text. No
// GraphQL, no ORM: what the same data costs at the least. It answers the same data as our
// GraphQL queries (bench/workloads/*.ts), shaped like their responses, with the same rules for
// what the public may see (src/resolvers/visibility.ts).
//
//   GET /front-page?first=20            GET /story?slug=…&related=10            GET /ready
//
//   DATABASE_URL=postgres://… PORT=4002 node --import tsx bench/baselines/floor.ts
import { createServer } from 'node:http'
import pg from 'pg'

const connectionString = process.env.DATABASE_URL
if (!connectionString) throw new Error('DATABASE_URL is required')
const port = Number(process.env.PORT ?? 4002)
const host = process.env.HOST ?? '127.0.0.1'
const pool = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_POOL_MAX ?? 10) })
pool.on('error', () => {})

const NOW = `(now() AT TIME ZONE 'UTC')`
/** publicStoryWhere, in SQL */
const visible = (s: string) =>
  `((${s}.status = 'PUBLISHED' AND (${s}."embargoedUntil" IS NULL OR ${s}."embargoedUntil" <= ${NOW})) OR (${s}.status = 'SCHEDULED' AND ${s}."embargoedUntil" <= ${NOW}))`
/** DateTime as the GraphQL scalar prints it */
const isoDate = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const edges = (select: string) => `json_build_object('edges', coalesce((${select}), '[]'::json))`

// A story's tags, people and events: the first 20 of each, as the connections' default page.
const links = (s: string) => `
  'tags', ${edges(`SELECT json_agg(json_build_object('node', json_build_object('slug', t.slug, 'name', t.name)))
                   FROM (SELECT t.slug, t.name FROM "StoryTag" l JOIN "Tag" t ON t.id = l."tagId" WHERE l."storyId" = ${s}.id LIMIT 20) t`)},
  'people', ${edges(`SELECT json_agg(json_build_object('relation', p.relation, 'node', json_build_object('slug', p.slug, 'name', p.name)))
                     FROM (SELECT l.relation, p.slug, p.name FROM "StoryPerson" l JOIN "Person" p ON p.id = l."personId" WHERE l."storyId" = ${s}.id LIMIT 20) p`)}`

// The newest $1 stories the public may see, written so each part walks the index on (status,
// firstPublishedAt DESC) instead of sorting every visible story: published ones, and scheduled
// ones whose time has come. It relies on what the write path guarantees (publishStory sets
// firstPublishedAt, for a scheduled story its time), so no visible story lacks the date.
const NEWEST_VISIBLE = `
  SELECT * FROM (
    (SELECT * FROM "Story" WHERE status = 'PUBLISHED' AND "firstPublishedAt" IS NOT NULL
       AND ("embargoedUntil" IS NULL OR "embargoedUntil" <= ${NOW}) ORDER BY "firstPublishedAt" DESC, id DESC LIMIT $1)
    UNION ALL
    (SELECT * FROM "Story" WHERE status = 'SCHEDULED' AND "firstPublishedAt" IS NOT NULL
       AND "embargoedUntil" <= ${NOW} ORDER BY "firstPublishedAt" DESC, id DESC LIMIT $1)
  ) v ORDER BY "firstPublishedAt" DESC, id DESC LIMIT $1`

export const FRONT_PAGE_SQL = `
SELECT json_build_object('data', json_build_object('stories', json_build_object('edges', coalesce(json_agg(json_build_object('node', json_build_object(
  'slug', s.slug, 'headline', s.headline, 'byline', s.byline,
  'firstPublishedAt', ${isoDate('s."firstPublishedAt"')}, 'readTimeMinutes', s."readTimeMinutes",
  'photo', (SELECT json_build_object('caption', m.caption, 'creditLine', m."creditLine") FROM "MediaAsset" m WHERE m.id = s."photoId"),
  ${links('s')},
  'events', ${edges(`SELECT json_agg(json_build_object('node', json_build_object('slug', e.slug, 'name', e.name, 'status', e.status)))
                     FROM (SELECT e.slug, e.name, e.status FROM "StoryEvent" l JOIN "Event" e ON e.id = l."eventId" WHERE l."storyId" = s.id LIMIT 20) e`)}
)) ORDER BY s."firstPublishedAt" DESC NULLS LAST, s.id DESC), '[]'::json))))::text AS body
FROM (${NEWEST_VISIBLE}) s`

// For the public a withdrawn story is a notice: its lede, body and photo are held back.
export const STORY_PAGE_SQL = `
SELECT json_build_object('data', json_build_object('story', (
  SELECT json_build_object(
    'slug', s.slug, 'headline', s.headline,
    'lede', CASE WHEN s.status = 'WITHDRAWN' THEN NULL ELSE s.lede END,
    'byline', s.byline, 'firstPublishedAt', ${isoDate('s."firstPublishedAt"')},
    'updatedAt', ${isoDate('coalesce(s."contentUpdatedAt", s."firstPublishedAt")')},
    'readTimeMinutes', s."readTimeMinutes",
    'photo', CASE WHEN s.status = 'WITHDRAWN' THEN NULL ELSE
      (SELECT json_build_object('caption', m.caption, 'creditLine', m."creditLine", 'altText', m."altText") FROM "MediaAsset" m WHERE m.id = s."photoId") END,
    'body', CASE WHEN s.status = 'WITHDRAWN' THEN '[]'::json ELSE coalesce(
      (SELECT json_agg(json_build_object('heading', x.heading, 'paragraphs', x.paragraphs) ORDER BY x.position) FROM "StorySection" x WHERE x."storyId" = s.id), '[]'::json) END,
    'tags', ${edges(`SELECT json_agg(json_build_object('node', json_build_object('slug', t.slug, 'name', t.name)))
                     FROM (SELECT t.slug, t.name FROM "StoryTag" l JOIN "Tag" t ON t.id = l."tagId" WHERE l."storyId" = s.id LIMIT 20) t`)},
    'corrections', ${edges(`SELECT json_agg(json_build_object('node', json_build_object('kind', c.kind, 'text', c.text, 'createdAt', ${isoDate('c."createdAt"')})) ORDER BY c."createdAt", c.id)
                            FROM (SELECT * FROM "Correction" c WHERE c."storyId" = s.id ORDER BY c."createdAt", c.id LIMIT 20) c`)},
    'related', ${edges(`SELECT json_agg(json_build_object('reason', r.reason, 'node', json_build_object(
                          'slug', r.slug, 'headline', r.headline, 'byline', r.byline, 'firstPublishedAt', ${isoDate('r."firstPublishedAt"')})) ORDER BY r.position)
                        FROM (SELECT l.reason, l.position, o.slug, o.headline, o.byline, o."firstPublishedAt"
                              FROM "RelatedStory" l JOIN "Story" o ON o.id = l."relatedId"
                              WHERE l."storyId" = s.id AND ${visible('o')} ORDER BY l.position LIMIT $2) r`)},
    'events', ${edges(`SELECT json_agg(json_build_object('node', json_build_object('slug', e.slug, 'name', e.name, 'status', e.status,
                         'statusHistory', ${edges(`SELECT json_agg(json_build_object('node', json_build_object(
                              'at', ${isoDate('h.at')}, 'from', h."fromStatus", 'to', h."toStatus", 'note', h.note)) ORDER BY h.at, h.id)
                            FROM (SELECT * FROM "EventStatusChange" h WHERE h."eventId" = e.id ORDER BY h.at, h.id LIMIT 20) h`)})))
                       FROM (SELECT e.id, e.slug, e.name, e.status FROM "StoryEvent" l JOIN "Event" e ON e.id = l."eventId" WHERE l."storyId" = s.id LIMIT 20) e`)}
  )
  FROM "Story" s WHERE s.slug = $1 AND (${visible('s')} OR s.status = 'WITHDRAWN')
)))::text AS body`

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor')
  try {
    let body: string
    if (url.pathname === '/front-page') {
      const { rows } = await pool.query({
        name: 'front-page',
        text: FRONT_PAGE_SQL,
        values: [Number(url.searchParams.get('first') ?? 20)],
      })
      body = rows[0].body
    } else if (url.pathname === '/story') {
      const { rows } = await pool.query({
        name: 'story-page',
        text: STORY_PAGE_SQL,
        values: [url.searchParams.get('slug') ?? '', Number(url.searchParams.get('related') ?? 20)],
      })
      body = rows[0].body
    } else if (url.pathname === '/ready') {
      await pool.query('SELECT 1')
      body = '{"ready":true}'
    } else {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
  }
})
server.listen(port, host)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    void pool.end().finally(() => process.exit(0))
  })
}
