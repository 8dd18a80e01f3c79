// npm run measure:graph [-- --stories 50000 --runs 20 --keep]
//
// Measures "who is involved" (coMentioned), related stories and the event timeline on a generated
// newsroom in PostgreSQL: a fresh database on the server at TEST_DATABASE_URL (default the local
// one), migrated, filled with stories linked to people, organisations, events and tags (popular
// ones far more often, as in real news), then asked through the API in-process. Prints each
// statement's plan (EXPLAIN ANALYZE) and the median and 95th-percentile time of each request.
// The database is dropped afterwards unless --keep. Nothing is committed: the data is made here.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { pino } from 'pino'
import { createDatabase, dropDatabase } from '../bench/generate.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { type Prisma } from '../src/generated/prisma/client.js'
import { coMentionsSql } from '../src/resolvers/co-mentions.js'
import { relatedSql } from '../src/resolvers/related.js'
import { createApp } from '../src/server/app.js'

const { values } = parseArgs({
  options: {
    stories: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
})
const STORIES = Number(values.stories)
const RUNS = Number(values.runs)
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const PEOPLE = Math.max(50, Math.round(STORIES / 25))
const ORGANISATIONS = Math.max(20, Math.round(STORIES / 100))
const EVENTS = Math.max(10, Math.round(STORIES / 250))
const TAGS = 100

const name = `news_measure_${randomBytes(4).toString('hex')}`
// a database of its own, migrated (the bench's)
const url = new URL(await createDatabase(ADMIN_URL, name))
const db = await openDatabase({
  DATABASE_URL: url.toString(),
  DATA_DIR: 'memory://',
  DATABASE_POOL_MAX: 4,
  DATABASE_CONNECT_TIMEOUT_MS: 5000,
})

try {
  const started = Date.now()
  await generate(url.toString())
  console.log(
    `generated ${STORIES} stories, ${PEOPLE} people, ${ORGANISATIONS} organisations, ${EVENTS} events, ${TAGS} tags in ${Date.now() - started} ms`,
  )
  const counts = await db.prisma.$queryRaw<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM "StoryPerson") AS "people links", (SELECT count(*)::int FROM "StoryOrganisation") AS "organisation links",
           (SELECT count(*)::int FROM "StoryEvent") AS "event links", (SELECT count(*)::int FROM "StoryTag") AS "tag links",
           (SELECT count(*)::int FROM "Correction") AS corrections, (SELECT count(*)::int FROM "EventStatusChange") AS "status changes"`
  console.log(counts[0])

  // the most linked person, organisation and event, a story of the busiest event, and a person
  // as busy as the hundredth
  const [top] = await db.prisma.$queryRaw<
    {
      person: string
      organisation: string
      event: string
      story: string
      eventSlug: string
      personSlug: string
      orgSlug: string
      storySlug: string
      typical: string
      typicalSlug: string
      typicalStories: number
    }[]
  >`
    WITH p AS (SELECT "personId" AS id, count(*) FROM "StoryPerson" GROUP BY 1 ORDER BY 2 DESC LIMIT 1),
         t AS (SELECT "personId" AS id, count(*)::int AS n FROM "StoryPerson" GROUP BY 1 ORDER BY 2 DESC OFFSET 99 LIMIT 1),
         o AS (SELECT "organisationId" AS id, count(*) FROM "StoryOrganisation" GROUP BY 1 ORDER BY 2 DESC LIMIT 1),
         e AS (SELECT "eventId" AS id, count(*) FROM "StoryEvent" GROUP BY 1 ORDER BY 2 DESC LIMIT 1)
    SELECT p.id::text AS person, o.id::text AS organisation, e.id::text AS event,
           (SELECT slug FROM "Person" WHERE id = p.id) AS "personSlug", (SELECT slug FROM "Organisation" WHERE id = o.id) AS "orgSlug",
           (SELECT slug FROM "Event" WHERE id = e.id) AS "eventSlug",
           (SELECT s.id::text FROM "StoryEvent" se JOIN "Story" s ON s.id = se."storyId" WHERE se."eventId" = e.id AND s.status = 'PUBLISHED' ORDER BY s."firstPublishedAt" DESC LIMIT 1) AS story,
           (SELECT s.slug FROM "StoryEvent" se JOIN "Story" s ON s.id = se."storyId" WHERE se."eventId" = e.id AND s.status = 'PUBLISHED' ORDER BY s."firstPublishedAt" DESC LIMIT 1) AS "storySlug",
           t.id::text AS typical, (SELECT slug FROM "Person" WHERE id = t.id) AS "typicalSlug", t.n AS "typicalStories"
      FROM p, o, e, t`
  const [busiest] = await db.prisma.$queryRaw<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM "StoryPerson" WHERE "personId" = ${top.person}::uuid`
  console.log(
    `the busiest person is named in ${busiest.n} stories, the hundredth busiest (the "typical" one below) in ${top.typicalStories}`,
  )

  // the first page of ten, as `first: 10` reads it
  const FIRST_10 = { forward: true, size: 10, cursor: null }
  const plans: [string, Prisma.Sql][] = [
    [
      'coMentioned: a typical person, ORGANISATION, 365 days',
      coMentionsSql(null, 'person', [top.typical], { within: 365, type: 'ORGANISATION', window: FIRST_10 }),
    ],
    [
      'coMentioned: the busiest person, PERSON, 30 days',
      coMentionsSql(null, 'person', [top.person], { within: 30, type: 'PERSON', window: FIRST_10 }),
    ],
    [
      'coMentioned: the busiest person, ORGANISATION, 365 days',
      coMentionsSql(null, 'person', [top.person], { within: 365, type: 'ORGANISATION', window: FIRST_10 }),
    ],
    ['related: a story of the busiest event', relatedSql(null, [top.story], FIRST_10)],
  ]
  for (const [what, sql] of plans) {
    const plan = await db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN (ANALYZE, BUFFERS) ${sql}`
    console.log(`\n== ${what}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`)
  }

  // measured as is: no rate limit, no cost limit in the way
  const config = {
    ...loadConfig({}),
    LOG_LEVEL: 'silent' as const,
    RATE_LIMIT_PUBLIC_POINTS: 0,
    COST_LIMIT_PUBLIC: 1_000_000,
  }
  const app = createApp({ db, logger: pino({ level: 'silent' }), config, schedule: false })
  await app.feedStarted
  const ask = async (query: string) => {
    const response = await app.yoga.fetch('http://measure/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    })
    const body = (await response.json()) as { errors?: unknown }
    if (body.errors) throw new Error(JSON.stringify(body.errors))
  }
  const requests: [string, string][] = [
    [
      'Person.coMentioned(within: 365, type: ORGANISATION, first: 10), a typical person',
      `{ person(slug: "${top.typicalSlug}") { coMentioned(within: 365, type: ORGANISATION, first: 10) { totalCount edges { count latestStory { headline } node { ... on Organisation { name } } } } } }`,
    ],
    [
      'Person.coMentioned(within: 30, type: PERSON, first: 10), the busiest person',
      `{ person(slug: "${top.personSlug}") { coMentioned(within: 30, type: PERSON, first: 10) { totalCount edges { count latestStory { headline } node { ... on Person { name } } } } } }`,
    ],
    [
      'Person.coMentioned(within: 365, type: ORGANISATION, first: 10), the busiest person',
      `{ person(slug: "${top.personSlug}") { coMentioned(within: 365, type: ORGANISATION, first: 10) { totalCount edges { count latestStory { headline } node { ... on Organisation { name } } } } } }`,
    ],
    [
      'Organisation.coMentioned(within: 365, type: PERSON, first: 10), the busiest organisation',
      `{ organisation(slug: "${top.orgSlug}") { coMentioned(within: 365, type: PERSON, first: 10) { totalCount edges { count node { ... on Person { name } } } } } }`,
    ],
    [
      'Event.coMentioned(within: 365, type: ORGANISATION, first: 10), the busiest event',
      `{ event(slug: "${top.eventSlug}") { coMentioned(within: 365, type: ORGANISATION, first: 10) { totalCount edges { count node { ... on Organisation { name } } } } } }`,
    ],
    [
      'stories(first: 20) { people { coMentioned(within: 30, type: PERSON, first: 5) } }',
      `{ stories(first: 20) { edges { node { people { edges { node { coMentioned(within: 30, type: PERSON, first: 5) { edges { count node { ... on Person { name } } } } } } } } } } }`,
    ],
    [
      'Story.related(first: 10) with reasons, a story of the busiest event',
      `{ story(slug: "${top.storySlug}") { related(first: 10) { totalCount edges { score reasons { kind score tags { name } people { name } } node { headline } } } } }`,
    ],
    [
      'stories(first: 20) { related(first: 5) }',
      `{ stories(first: 20) { edges { node { related(first: 5) { edges { score reason node { headline } } } } } } }`,
    ],
    [
      'Event.timeline(first: 20) with totalCount, the busiest event',
      `{ event(slug: "${top.eventSlug}") { timeline(first: 20) { totalCount edges { node { __typename ... on TimelineStory { story { headline } } ... on TimelineStatusChange { to } ... on TimelineCorrection { correction { text } } } } } } }`,
    ],
  ]
  console.log(`\n${RUNS} runs each, after one warm-up, through the API in-process (median / 95th percentile):`)
  for (const [what, query] of requests) {
    await ask(query)
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now()
      await ask(query)
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1)
    console.log(`  ${what}: ${at(0.5)} ms / ${at(0.95)} ms`)
  }
  await app.close()
} finally {
  await db.close().catch(() => {})
  if (values.keep) console.log(`kept the database: ${url}`)
  else await dropDatabase(ADMIN_URL, name)
}

/**
 * The newsroom, made in SQL: stories spread at random over the last year,
 * nine in ten published; each names 2–4 people, 1–3 organisations and 1–3 tags, and one in three
 * reports an event. Who is named follows a power law: a few people are in a great many stories.
 */
async function generate(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const run = (sql: string) => client.query(sql)
  try {
    await run(`SELECT setseed(0.42)`)
    await run(
      `INSERT INTO "Person" (id, slug, name) SELECT gen_random_uuid(), 'person-' || i, 'Person ' || i FROM generate_series(1, ${PEOPLE}) i`,
    )
    await run(
      `INSERT INTO "Organisation" (id, slug, name) SELECT gen_random_uuid(), 'organisation-' || i, 'Organisation ' || i FROM generate_series(1, ${ORGANISATIONS}) i`,
    )
    await run(
      `INSERT INTO "Event" (id, slug, name, "updatedAt") SELECT gen_random_uuid(), 'event-' || i, 'Event ' || i, now() FROM generate_series(1, ${EVENTS}) i`,
    )
    await run(
      `INSERT INTO "Tag" (id, slug, name) SELECT gen_random_uuid(), 'tag-' || i, 'Tag ' || i FROM generate_series(1, ${TAGS}) i`,
    )
    // ids as the API makes them, UUIDv7: time-ordered, here by the time the story was published
    await run(`
      INSERT INTO "Story" (id, slug, headline, status, "firstPublishedAt", "updatedAt")
      SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 16, 3) || substr(r, 19))::uuid,
             'story-' || i, 'Story ' || i, CASE WHEN draft THEN 'DRAFT' ELSE 'PUBLISHED' END::"StoryStatus",
             CASE WHEN draft THEN NULL ELSE at END, now()
        FROM (SELECT i, i % 10 = 0 AS draft, at, gen_random_uuid()::text AS r,
                     lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') AS h
                FROM (SELECT i, (now() AT TIME ZONE 'UTC') - random() * interval '365 days' AS at FROM generate_series(1, ${STORIES}) i) t) x`)
    // numbered rows to link by number; power(random(), 3) favours the first ones
    const link = (table: string, column: string, entity: string, count: number, perStory: string, share = '') => `
      INSERT INTO "${table}" ("storyId", "${column}")
      SELECT x.story, e.id
        FROM (SELECT s.id AS story, 1 + floor(${count} * power(random(), 3))::int AS n
                FROM "Story" s CROSS JOIN LATERAL generate_series(1, ${perStory}) k ${share}) x
        JOIN (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM "${entity}") e ON e.n = x.n
      ON CONFLICT DO NOTHING`
    await run(
      link(
        'StoryPerson',
        'personId',
        'Person',
        PEOPLE,
        "2 + (right(s.id::text, 12) < '8')::int + (right(s.id::text, 12) < '4')::int",
      ),
    )
    await run(
      link(
        'StoryOrganisation',
        'organisationId',
        'Organisation',
        ORGANISATIONS,
        "1 + (right(s.id::text, 12) < 'a')::int + (right(s.id::text, 12) < '5')::int",
      ),
    )
    await run(
      link(
        'StoryTag',
        'tagId',
        'Tag',
        TAGS,
        "1 + (right(s.id::text, 12) < 'a')::int + (right(s.id::text, 12) < '5')::int",
      ),
    )
    await run(link('StoryEvent', 'eventId', 'Event', EVENTS, '1', `WHERE right(s.id::text, 12) < '55'`))
    // a status history for each event, and a correction to one story in twenty
    await run(`
      INSERT INTO "EventStatusChange" (id, "eventId", at, "fromStatus", "toStatus", note)
      SELECT gen_random_uuid(), e.id, (now() AT TIME ZONE 'UTC') - (k * interval '20 days'), NULL, 'UNDERWAY', 'Under way.'
        FROM "Event" e CROSS JOIN generate_series(1, 3) k`)
    await run(`
      INSERT INTO "Correction" (id, "storyId", kind, text, "createdAt", "createdBy")
      SELECT gen_random_uuid(), s.id, 'CORRECTION', 'A name was misspelt.', s."firstPublishedAt" + interval '2 hours', 'measure'
        FROM "Story" s WHERE s.status = 'PUBLISHED' AND right(s.id::text, 12) < '0c'`)
    // as autovacuum would leave it: statistics current, the visibility map set (index-only scans)
    await run(`VACUUM ANALYZE`)
  } finally {
    await client.end()
  }
}
