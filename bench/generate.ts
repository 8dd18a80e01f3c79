// The bench's data: a seeded generator that writes a newsroom's worth of stories, people,
// organisations, places, events and tags, with realistic links between them, into a PostgreSQL
// database of its own (created, migrated with the project's migrations, filled, analysed).
//
// Same seed, same data: ids come from the seeded generator too, and every date is counted from a
// fixed moment, not from the clock. Rows go in as multi-row INSERT … SELECT FROM unnest($1, $2 …)
// statements of a few thousand rows each, so 50,000 stories load in well under a minute.
//
//   npx tsx bench/generate.ts --stories 50000 [--db news_bench] [--seed 20261125]
import { parseArgs } from 'node:util'
import pg from 'pg'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { applyMigrations } from '../src/db/migrate.js'
import { allowedTransitions } from '../src/resolvers/event-status.js'
import { readingStats } from '../src/resolvers/reading.js'
import type { EventStatus } from '../src/generated/prisma/enums.js'
import { Random } from './prng.js'
import {
  AGENCIES,
  FIRST_NAMES,
  GENERAL_WORDS,
  LAST_NAMES,
  ORGANISATION_KINDS,
  SYLLABLES,
  TOPICS,
} from './vocabulary.js'

export const DEFAULT_SEED = 20261125

export interface DataSize {
  /** published stories (a few of them withdrawn, a few more scheduled for a far future) */
  stories: number
  people: number
  organisations: number
  places: number
  events: number
  tags: number
  /** drafts the write workload publishes, one per request */
  writeDrafts: number
  /** urgent drafts about the live events, published during the fan-out runs */
  liveDrafts: number
  /** events the per-event subscribers follow */
  liveEvents: number
}

export const SIZES = {
  full: {
    stories: 50_000,
    people: 5_000,
    organisations: 1_000,
    places: 500,
    events: 500,
    tags: 500,
    writeDrafts: 12_000,
    liveDrafts: 3_000,
    liveEvents: 10,
  },
  quick: {
    stories: 10_000,
    people: 5_000,
    organisations: 1_000,
    places: 500,
    events: 500,
    tags: 500,
    writeDrafts: 5_000,
    liveDrafts: 1_000,
    liveEvents: 10,
  },
  smoke: {
    stories: 400,
    people: 120,
    organisations: 40,
    places: 30,
    events: 30,
    tags: 30,
    writeDrafts: 300,
    liveDrafts: 120,
    liveEvents: 3,
  },
} satisfies Record<string, DataSize>

/** Every date is counted back from here (stories span the two years before it). */
const END = Date.UTC(2026, 0, 1)
const SPAN = 730 * 86_400_000
/** Scheduled stories wait for a moment no bench run will reach. */
const FAR_FUTURE = Date.UTC(2100, 0, 1)

/** Slugs of the drafts and live events, so a run finds them again by name. */
export const slugs = {
  writeDraft: (i: number) => `bench-write-${String(i).padStart(6, '0')}`,
  liveDraft: (i: number) => `live-${String(i).padStart(6, '0')}`,
  liveEvent: (i: number) => `newsdesk-live-${String(i + 1).padStart(2, '0')}`,
}

// ---------------------------------------------------------------------------------------------
// The database

/** Drops and creates `name` on the server at `adminUrl`, applies the migrations; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`)
  await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin(adminUrl, `CREATE DATABASE ${name}`)
  const url = databaseUrl(adminUrl, name)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await applyMigrations({
      query: async (sql, params) => (await client.query(sql, params)).rows,
      exec: async (sql) => void (await client.query(sql)),
    })
  } finally {
    await client.end()
  }
  return url
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function admin(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

// ---------------------------------------------------------------------------------------------
// Bulk inserts

type Column = [name: string, type: string]
type Value = string | number | boolean | null

/** Rows as columns; INSERT … SELECT FROM unnest, a few thousand rows per statement. */
class Table {
  readonly values: Value[][]
  constructor(
    readonly name: string,
    readonly columns: Column[],
  ) {
    this.values = columns.map(() => [])
  }
  add(...row: Value[]) {
    for (let i = 0; i < row.length; i++) this.values[i].push(row[i])
  }
  get size() {
    return this.values[0].length
  }
  async flush(client: pg.Client, chunk = 5_000): Promise<number> {
    const n = this.size
    // text[] columns travel as one string joined with \x1f (unnest cannot take ragged arrays)
    const select = this.columns
      .map(([, type], i) => (type === 'text[]' ? `string_to_array(c${i}, E'\\x1f')` : `c${i}`))
      .join(', ')
    const unnest = this.columns.map(([, type], i) => `$${i + 1}::${type === 'text[]' ? 'text' : type}[]`).join(', ')
    const aliases = this.columns.map((_, i) => `c${i}`).join(', ')
    const sql = `INSERT INTO "${this.name}" (${this.columns.map(([c]) => `"${c}"`).join(', ')}) SELECT ${select} FROM unnest(${unnest}) AS t(${aliases})`
    for (let start = 0; start < n; start += chunk) {
      await client.query(
        sql,
        this.values.map((column) => column.slice(start, start + chunk)),
      )
    }
    for (const column of this.values) column.length = 0
    return n
  }
}

const ARRAY_SEPARATOR = '\x1f'
const iso = (ms: number) => new Date(ms).toISOString()

// ---------------------------------------------------------------------------------------------
// Words

class Writer {
  constructor(private readonly random: Random) {}

  word(topic: (typeof TOPICS)[number], names: string[]): string {
    const r = this.random.float()
    if (r < 0.3) return this.random.pick(topic.words)
    if (r < 0.35 && names.length) return this.random.pick(names)
    return this.random.skewed(GENERAL_WORDS, 1.6)
  }

  sentence(topic: (typeof TOPICS)[number], names: string[], min: number, max: number): string {
    const n = this.random.int(min, max)
    const words: string[] = []
    for (let i = 0; i < n; i++) words.push(this.word(topic, names))
    const text = words.join(' ')
    return text[0].toUpperCase() + text.slice(1) + '.'
  }

  headline(topic: (typeof TOPICS)[number], place: string): string {
    const a = this.random.pick(topic.words)
    const words = [
      a[0].toUpperCase() + a.slice(1),
      this.random.skewed(GENERAL_WORDS, 1.6),
      this.random.pick(topic.words),
      this.random.skewed(GENERAL_WORDS, 1.6),
    ]
    if (this.random.chance(0.6)) words.push('in', place)
    else words.push(this.random.skewed(GENERAL_WORDS, 1.6), this.random.pick(topic.words))
    return words.join(' ')
  }

  name(syllables: number): string {
    let s = ''
    for (let i = 0; i < syllables; i++) s += this.random.pick(SYLLABLES)
    return s[0].toUpperCase() + s.slice(1)
  }
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
}

// ---------------------------------------------------------------------------------------------
// The graph

interface Entity {
  id: string
  slug: string
  name: string
}

interface EventInfo extends Entity {
  topic: number
  live: boolean
  /** published stories about it, oldest first */
  stories: number[]
}

interface StorySkeleton {
  id: string
  slug: string
  headline: string
  topic: number
  status: 'PUBLISHED' | 'WITHDRAWN' | 'SCHEDULED' | 'DRAFT'
  publishedAt: number | null
  events: number[]
  urgency: number
}

export interface GenerateSummary {
  seed: number
  rows: Record<string, number>
  seconds: number
}

/** Fills a migrated, empty database. */
export async function generate(
  url: string,
  size: DataSize,
  seed = DEFAULT_SEED,
  log: (line: string) => void = () => {},
): Promise<GenerateSummary> {
  const started = performance.now()
  const random = new Random(seed)
  const write = new Writer(random)
  const lanes = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })]
  const [client] = lanes
  const rows: Record<string, number> = {}
  const flush = async (table: Table) => {
    const n = await table.flush(client)
    rows[table.name] = (rows[table.name] ?? 0) + n
  }
  try {
    for (const lane of lanes) {
      await lane.connect()
      // Foreign keys hold by construction here; skipping their triggers makes the load fast.
      await lane.query(`SET session_replication_role = replica`)
    }
    // The search index is built once at the end, much faster than row by row.
    await client.query(`DROP INDEX IF EXISTS "Story_searchVector_idx"`)

    // Tags: one per topic (IPTC Media Topics), then keywords.
    const tags: Entity[] = []
    const tagTable = new Table('Tag', [
      ['id', 'uuid'],
      ['slug', 'text'],
      ['name', 'text'],
      ['scheme', '"TagScheme"'],
      ['code', 'text'],
      ['description', 'text'],
    ])
    const tagSlugs = new Set<string>()
    for (let i = 0; i < size.tags; i++) {
      const topic = TOPICS[i % TOPICS.length]
      let name: string
      let scheme = 'KEYWORD'
      let code: string | null = null
      if (i < TOPICS.length) {
        name = topic.name
        scheme = 'MEDIATOPIC'
        code = topic.code
      } else {
        name = `${write.name(2)} ${random.pick(topic.words)}`
      }
      let slug = slugify(name)
      if (tagSlugs.has(slug)) slug = `${slug}-${i}`
      tagSlugs.add(slug)
      const tag = { id: random.uuid(), slug, name }
      tags.push(tag)
      tagTable.add(tag.id, slug, name, scheme, code, i < TOPICS.length ? `News about ${name.toLowerCase()}.` : null)
    }
    await flush(tagTable)
    /** keyword tags of each topic */
    const topicTags = TOPICS.map((_, t) => tags.filter((_, i) => i >= TOPICS.length && i % TOPICS.length === t))

    // Places: countries, then cities in them.
    const places: (Entity & { country: string })[] = []
    const placeTable = new Table('Place', [
      ['id', 'uuid'],
      ['slug', 'text'],
      ['name', 'text'],
      ['alternateNames', 'text[]'],
      ['type', '"PlaceType"'],
      ['countryCode', 'text'],
      ['latitude', 'float8'],
      ['longitude', 'float8'],
      ['parentId', 'uuid'],
    ])
    const countries = Math.max(1, Math.round(size.places / 10))
    const codes = new Set<string>()
    for (let i = 0; i < size.places; i++) {
      const country = i < countries
      const name = write.name(country ? 2 : random.int(2, 3))
      const slug = `${slugify(name)}-${i}`
      let code: string
      if (country) {
        do code = String.fromCharCode(65 + random.int(0, 25), 65 + random.int(0, 25))
        while (codes.has(code))
        codes.add(code)
      } else code = places[random.int(0, countries - 1)].country
      const parent = country ? null : places.find((p, j) => j < countries && p.country === code)!.id
      const place = { id: random.uuid(), slug, name, country: code }
      places.push(place)
      placeTable.add(
        place.id,
        slug,
        name,
        '',
        country ? 'COUNTRY' : 'CITY',
        code,
        random.int(-60_000, 70_000) / 1000,
        random.int(-180_000, 180_000) / 1000,
        parent,
      )
    }
    await flush(placeTable)

    // Organisations: the news agencies first, then governments, parties, companies … of places.
    const organisations: Entity[] = []
    const orgTable = new Table('Organisation', [
      ['id', 'uuid'],
      ['slug', 'text'],
      ['name', 'text'],
      ['alternateNames', 'text[]'],
      ['type', '"OrganisationType"'],
      ['description', 'text'],
      ['countryCode', 'text'],
      ['sameAs', 'text[]'],
    ])
    for (let i = 0; i < size.organisations; i++) {
      let name: string
      let type: string
      let country: string | null = null
      if (i < AGENCIES.length) {
        name = `${AGENCIES[i]} News Agency`
        type = 'AGENCY'
      } else {
        const kind = random.pick(ORGANISATION_KINDS)
        const place = random.pick(places)
        name = `${place.name} ${kind.suffix}`
        type = kind.type
        country = place.country
      }
      const slug = `${slugify(name)}-${i}`
      const org = { id: random.uuid(), slug, name }
      organisations.push(org)
      orgTable.add(
        org.id,
        slug,
        name,
        i < AGENCIES.length ? AGENCIES[i] : '',
        type,
        `${name}, as the news knows it.`,
        country,
        '',
      )
    }
    await flush(orgTable)

    // People: the newsroom's reporters first, then the people the news is about.
    const people: Entity[] = []
    const reporters = Math.max(5, Math.round(size.people / 25))
    const personTable = new Table('Person', [
      ['id', 'uuid'],
      ['slug', 'text'],
      ['name', 'text'],
      ['alternateNames', 'text[]'],
      ['description', 'text'],
      ['sameAs', 'text[]'],
    ])
    const affiliationTable = new Table('Affiliation', [
      ['id', 'uuid'],
      ['personId', 'uuid'],
      ['organisationId', 'uuid'],
      ['role', 'text'],
      ['startDate', 'timestamp'],
    ])
    const personSlugs = new Set<string>()
    const ROLES = [
      'minister',
      'spokesperson',
      'chair',
      'director',
      'adviser',
      'member',
      'envoy',
      'coach',
      'player',
      'chief executive',
    ]
    for (let i = 0; i < size.people; i++) {
      const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`
      let slug = slugify(name)
      if (personSlugs.has(slug)) slug = `${slug}-${i}`
      personSlugs.add(slug)
      const person = { id: random.uuid(), slug, name }
      people.push(person)
      const role = i < reporters ? 'reporter' : random.pick(ROLES)
      personTable.add(
        person.id,
        slug,
        name,
        '',
        i < reporters ? 'Reporter on the news desk.' : `A ${role} in the news.`,
        '',
      )
      if (i >= reporters) {
        affiliationTable.add(
          random.uuid(),
          person.id,
          random.pick(organisations).id,
          role,
          iso(END - random.int(400, 4000) * 86_400_000),
        )
      }
    }
    await flush(personTable)
    await flush(affiliationTable)

    // Events: each about a topic, somewhere, with its participants. Statuses come after the
    // stories (a status change names the story that reported it).
    const events: EventInfo[] = []
    const eventCreated: number[] = []
    for (let i = 0; i < size.events; i++) {
      const live = i < size.liveEvents
      const topic = i % TOPICS.length
      const place = random.pick(places)
      const name = live
        ? `Newsdesk live ${i + 1}: ${TOPICS[topic].events[0]} in ${place.name}`
        : `${cap(random.pick(TOPICS[topic].events))} in ${place.name}`
      const slug = live ? slugs.liveEvent(i) : `${slugify(name)}-${i}`
      events.push({ id: random.uuid(), slug, name, topic, live, stories: [] })
      // moved to just before the first story about it, once the stories are known
      eventCreated.push(END - random.int(30, 720) * 86_400_000)
    }
    const participantTable = new Table('EventParticipant', [
      ['id', 'uuid'],
      ['eventId', 'uuid'],
      ['role', '"ParticipantRole"'],
      ['organisationId', 'uuid'],
      ['personId', 'uuid'],
    ])
    const PARTICIPANT_ROLES = ['PARTY', 'PARTY', 'MEDIATOR', 'HOST', 'OBSERVER', 'ORGANISER']
    for (const event of events) {
      const n = random.int(2, 4)
      for (let k = 0; k < n; k++) {
        const person = random.chance(0.25)
        participantTable.add(
          random.uuid(),
          event.id,
          random.pick(PARTICIPANT_ROLES),
          person ? null : random.pick(organisations).id,
          person ? random.pick(people).id : null,
        )
      }
    }
    /** events of each topic, live ones left out (their stories are the live drafts only) */
    const topicEvents = TOPICS.map((_, t) =>
      events.map((e, i) => (e.topic === t && !e.live ? i : -1)).filter((i) => i >= 0),
    )

    // Story skeletons: every story's id, slug, topic, time and events, before any text, so
    // related stories can point anywhere.
    const skeletons: StorySkeleton[] = []
    const storySlugs = new Set<string>()
    const step = SPAN / Math.max(1, size.stories)
    for (let i = 0; i < size.stories; i++) {
      const topic = random.int(0, TOPICS.length - 1)
      const headline = write.headline(TOPICS[topic], random.pick(places).name)
      let slug = slugify(headline)
      if (storySlugs.has(slug)) slug = `${slug}-${i.toString(36)}`
      storySlugs.add(slug)
      const r = random.float()
      const status = r < 0.003 ? 'WITHDRAWN' : r < 0.004 ? 'SCHEDULED' : 'PUBLISHED'
      // strictly increasing: the front page's order is total
      const publishedAt =
        status === 'SCHEDULED'
          ? FAR_FUTURE + i * 60_000
          : Math.floor(END - SPAN + i * step + random.float() * step * 0.9)
      const eventIds: number[] = []
      if (status !== 'SCHEDULED' && topicEvents[topic].length && random.chance(0.7)) {
        eventIds.push(random.pick(topicEvents[topic]))
        if (random.chance(0.07)) {
          const other = random.pick(topicEvents[random.int(0, TOPICS.length - 1)])
          if (other !== undefined && !eventIds.includes(other)) eventIds.push(other)
        }
      }
      const skeleton: StorySkeleton = {
        id: random.uuid(),
        slug,
        headline,
        topic,
        status,
        publishedAt,
        events: eventIds,
        urgency: random.chance(0.03) ? random.int(1, 3) : random.int(4, 8),
      }
      skeletons.push(skeleton)
      if (status === 'PUBLISHED') for (const e of eventIds) events[e].stories.push(i)
    }
    for (let i = 0; i < size.writeDrafts; i++) {
      const topic = i % TOPICS.length
      const headline = write.headline(TOPICS[topic], random.pick(places).name)
      const eventIds = topicEvents[topic].length ? [random.pick(topicEvents[topic])] : []
      skeletons.push({
        id: random.uuid(),
        slug: slugs.writeDraft(i),
        headline,
        topic,
        status: 'DRAFT',
        publishedAt: null,
        events: eventIds,
        urgency: 5,
      })
    }
    // Live drafts are about every live event at once: each publish reaches every per-event subscriber.
    const liveEventIds = events.map((e, i) => (e.live ? i : -1)).filter((i) => i >= 0)
    for (let i = 0; i < size.liveDrafts; i++) {
      const topic = events[liveEventIds[0] ?? 0]?.topic ?? 0
      const headline = `Breaking: ${write.headline(TOPICS[topic], random.pick(places).name)}`
      skeletons.push({
        id: random.uuid(),
        slug: slugs.liveDraft(i),
        headline,
        topic,
        status: 'DRAFT',
        publishedAt: null,
        events: liveEventIds,
        urgency: random.int(1, 3),
      })
    }
    const published = skeletons.map((s, i) => (s.status === 'PUBLISHED' ? i : -1)).filter((i) => i >= 0)
    const publishedByTopic = TOPICS.map((_, t) => published.filter((i) => skeletons[i].topic === t))

    // Stories, with their text, photo, contributors, links, related stories and corrections, in
    // batches (the text of 50,000 stories need not be held at once).
    // Each batch of stories gets fresh tables, flushed on one of two connections while the next
    // batch is written (the database's tsvector work is the slow part; two cores share it).
    const newBatch = () => ({
      media: new Table('MediaAsset', [
        ['id', 'uuid'],
        ['type', '"MediaType"'],
        ['caption', 'text'],
        ['altText', 'text'],
        ['creditLine', 'text'],
        ['copyrightHolder', 'text'],
        ['createdAt', 'timestamp'],
      ]),
      story: new Table('Story', [
        ['id', 'uuid'],
        ['slug', 'text'],
        ['headline', 'text'],
        ['lede', 'text'],
        ['language', 'text'],
        ['type', '"StoryType"'],
        ['status', '"StoryStatus"'],
        ['urgency', 'int2'],
        ['firstPublishedAt', 'timestamp'],
        ['contentUpdatedAt', 'timestamp'],
        ['embargoedUntil', 'timestamp'],
        ['byline', 'text'],
        ['bodyText', 'text'],
        ['wordCount', 'int4'],
        ['readTimeMinutes', 'int2'],
        ['photoId', 'uuid'],
        ['withdrawnAt', 'timestamp'],
        ['withdrawalReason', 'text'],
        ['createdAt', 'timestamp'],
        ['updatedAt', 'timestamp'],
      ]),
      headline: new Table('StoryHeadline', [
        ['id', 'uuid'],
        ['storyId', 'uuid'],
        ['role', '"HeadlineRole"'],
        ['value', 'text'],
      ]),
      section: new Table('StorySection', [
        ['id', 'uuid'],
        ['storyId', 'uuid'],
        ['position', 'int4'],
        ['heading', 'text'],
        ['paragraphs', 'text[]'],
      ]),
      rendition: new Table('MediaRendition', [
        ['id', 'uuid'],
        ['assetId', 'uuid'],
        ['name', 'text'],
        ['href', 'text'],
        ['mimeType', 'text'],
        ['width', 'int4'],
        ['height', 'int4'],
      ]),
      contributor: new Table('StoryContributor', [
        ['id', 'uuid'],
        ['storyId', 'uuid'],
        ['role', '"ContributorRole"'],
        ['position', 'int4'],
        ['name', 'text'],
        ['personId', 'uuid'],
        ['organisationId', 'uuid'],
      ]),
      tag: new Table('StoryTag', [
        ['storyId', 'uuid'],
        ['tagId', 'uuid'],
      ]),
      person: new Table('StoryPerson', [
        ['storyId', 'uuid'],
        ['personId', 'uuid'],
        ['relation', '"EntityRelation"'],
      ]),
      organisation: new Table('StoryOrganisation', [
        ['storyId', 'uuid'],
        ['organisationId', 'uuid'],
        ['relation', '"EntityRelation"'],
      ]),
      place: new Table('StoryPlace', [
        ['storyId', 'uuid'],
        ['placeId', 'uuid'],
        ['relation', '"EntityRelation"'],
      ]),
      event: new Table('StoryEvent', [
        ['storyId', 'uuid'],
        ['eventId', 'uuid'],
        ['relation', '"EntityRelation"'],
      ]),
      related: new Table('RelatedStory', [
        ['storyId', 'uuid'],
        ['relatedId', 'uuid'],
        ['reason', '"RelatedReason"'],
        ['position', 'int4'],
      ]),
      correction: new Table('Correction', [
        ['id', 'uuid'],
        ['storyId', 'uuid'],
        ['kind', '"CorrectionKind"'],
        ['text', 'text'],
        ['field', 'text'],
        ['before', 'text'],
        ['after', 'text'],
        ['createdAt', 'timestamp'],
        ['createdBy', 'text'],
      ]),
    })
    let batch = newBatch()
    const inFlight: Promise<void>[] = [Promise.resolve(), Promise.resolve()]
    let batches = 0
    const sendBatch = async () => {
      const full = batch
      batch = newBatch()
      const lane = batches++ % 2
      await inFlight[lane] // at most one batch waiting per connection
      inFlight[lane] = (async () => {
        // parents before children: the media a story points at, then the stories, then their rows
        for (const table of Object.values(full)) {
          const n = await table.flush(lanes[lane])
          rows[table.name] = (rows[table.name] ?? 0) + n
        }
      })()
    }
    const subjects = people.slice(reporters)
    const newsroom = people.slice(0, reporters)
    const orgSubjects = organisations.slice(AGENCIES.length)
    const TYPES = [
      'ARTICLE',
      'ARTICLE',
      'ARTICLE',
      'ARTICLE',
      'ANALYSIS',
      'FEATURE',
      'EXPLAINER',
      'BRIEF',
      'OPINION',
      'LIVE',
    ]
    const CORRECTION_KINDS = ['CORRECTION', 'CORRECTION', 'CLARIFICATION', 'UPDATE']
    for (let i = 0; i < skeletons.length; i++) {
      const s = skeletons[i]
      const topic = TOPICS[s.topic]
      const created =
        s.publishedAt !== null && s.publishedAt < FAR_FUTURE
          ? s.publishedAt - random.int(10, 600) * 60_000
          : END - random.int(1, 30) * 86_400_000
      // who and where the story is about
      const storyPeople = random.sample(subjects, random.int(1, 4))
      const storyOrgs = random.sample(orgSubjects, random.int(0, 3))
      const storyPlaces = random.sample(places, random.int(1, 2))
      const names = [...storyPeople.map((p) => p.name.split(' ')[1]), ...storyPlaces.map((p) => p.name)]
      // text
      const lede = write.sentence(topic, names, 15, 25)
      const sections: { heading: string | null; paragraphs: string[] }[] = []
      const draft = s.status === 'DRAFT'
      const nSections = draft ? 1 : random.int(2, 3)
      for (let k = 0; k < nSections; k++) {
        const paragraphs: string[] = []
        const nParagraphs = draft ? 1 : random.int(1, 3)
        for (let p = 0; p < nParagraphs; p++)
          paragraphs.push(`${write.sentence(topic, names, 8, 16)} ${write.sentence(topic, names, 8, 16)}`)
        sections.push({
          heading:
            k > 0 && random.chance(0.5) ? cap(`${random.pick(topic.words)} ${random.skewed(GENERAL_WORDS)}`) : null,
          paragraphs,
        })
      }
      const stats = readingStats({ lede, sections })
      // byline: staff reporters, or an agency's copy
      const agency = random.chance(0.2)
      let byline: string
      if (agency) {
        const a = random.int(0, AGENCIES.length - 1)
        byline = AGENCIES[a]
        batch.contributor.add(
          random.uuid(),
          s.id,
          'AUTHOR',
          0,
          organisations[a]?.name ?? byline,
          null,
          organisations[a]?.id ?? null,
        )
      } else {
        const authors = random.sample(newsroom, random.chance(0.25) ? 2 : 1)
        byline = authors.map((a) => a.name).join(' and ')
        authors.forEach((a, k) => batch.contributor.add(random.uuid(), s.id, 'REPORTER', k, a.name, a.id, null))
      }
      // photo
      let photoId: string | null = null
      if (random.chance(0.9)) {
        photoId = random.uuid()
        const photographer = random.pick(newsroom).name
        batch.media.add(
          photoId,
          'PICTURE',
          write.sentence(topic, names, 6, 12),
          `A picture of ${random.pick(topic.words)}.`,
          `Photo: ${photographer}/${random.pick(AGENCIES)}`,
          random.pick(AGENCIES),
          iso(created),
        )
        batch.rendition.add(
          random.uuid(),
          photoId,
          'landscape',
          `https://media.example.org/${photoId}/1600.jpg`,
          'image/jpeg',
          1600,
          900,
        )
        batch.rendition.add(
          random.uuid(),
          photoId,
          'thumbnail',
          `https://media.example.org/${photoId}/400.jpg`,
          'image/jpeg',
          400,
          225,
        )
      }
      if (random.chance(0.3))
        batch.headline.add(random.uuid(), s.id, 'SHORT', s.headline.split(' ').slice(0, 4).join(' '))
      sections.forEach((section, k) =>
        batch.section.add(random.uuid(), s.id, k, section.heading, section.paragraphs.join(ARRAY_SEPARATOR)),
      )
      // links
      const tagIds = new Set([tags[s.topic % tags.length].id])
      for (const t of random.sample(topicTags[s.topic].length ? topicTags[s.topic] : tags, random.int(1, 3)))
        tagIds.add(t.id)
      for (const id of tagIds) batch.tag.add(s.id, id)
      storyPeople.forEach((p, k) => batch.person.add(s.id, p.id, k === 0 ? 'ABOUT' : 'MENTIONS'))
      storyOrgs.forEach((o, k) => batch.organisation.add(s.id, o.id, k === 0 ? 'ABOUT' : 'MENTIONS'))
      storyPlaces.forEach((p, k) => batch.place.add(s.id, p.id, k === 0 ? 'ABOUT' : 'MENTIONS'))
      for (const e of s.events) batch.event.add(s.id, events[e].id, 'ABOUT')
      // Related stories ("more news"), the editors' picks: published ones only, 10 to 12 of them
      // (every hundredth story is a hub with 50). Ours lists the picks first and then suggestions
      // of its own; with at least as many picks as the page asks for, the page is the picks, which
      // is what the baselines serve.
      let contentUpdatedAt: number | null = null
      if (s.status === 'PUBLISHED' || s.status === 'WITHDRAWN') {
        const hub = i % 100 === 0
        const wanted = Math.min(hub ? 50 : random.int(10, 12), published.length - 1)
        const related = new Map<number, string>()
        const sameEvent = s.events.length ? events[s.events[0]].stories : []
        for (let tries = 0; related.size < wanted && tries < wanted * 50; tries++) {
          const r = random.float()
          let j: number
          let reason: string
          if (r < 0.4 && sameEvent.length > 1) [j, reason] = [random.pick(sameEvent), 'SAME_EVENT']
          else if (r < 0.8)
            [j, reason] = [random.pick(publishedByTopic[s.topic]), r < 0.6 ? 'SHARED_TAGS' : 'SHARED_ENTITIES']
          else [j, reason] = [random.pick(published), 'EDITORIAL_PICK']
          if (j !== undefined && j !== i && !related.has(j)) related.set(j, reason)
        }
        let position = 0
        for (const [j, reason] of related) batch.related.add(s.id, skeletons[j].id, reason, position++)
        // corrections on one story in twenty
        if (s.status === 'PUBLISHED' && random.chance(0.05)) {
          let at = s.publishedAt! + random.int(1, 48) * 3_600_000
          const n = random.int(1, 2)
          for (let k = 0; k < n; k++) {
            const kind = random.pick(CORRECTION_KINDS)
            const before = random.pick(topic.words)
            const after = random.pick(topic.words)
            batch.correction.add(
              random.uuid(),
              s.id,
              kind,
              `An earlier version of this story said ${before}; it was ${after}.`,
              kind === 'CORRECTION' ? 'lede' : null,
              kind === 'CORRECTION' ? before : null,
              kind === 'CORRECTION' ? after : null,
              iso(at),
              'desk-editor',
            )
            contentUpdatedAt = at
            at += random.int(1, 24) * 3_600_000
          }
        }
      }
      const withdrawn = s.status === 'WITHDRAWN'
      const firstPublishedAt = s.publishedAt
      const updated = Math.max(
        created,
        contentUpdatedAt ?? 0,
        firstPublishedAt && firstPublishedAt < FAR_FUTURE ? firstPublishedAt : 0,
      )
      batch.story.add(
        s.id,
        s.slug,
        s.headline,
        lede,
        'en',
        random.pick(TYPES),
        s.status,
        s.urgency,
        firstPublishedAt === null ? null : iso(firstPublishedAt),
        contentUpdatedAt === null ? null : iso(contentUpdatedAt),
        s.status === 'SCHEDULED' ? iso(firstPublishedAt!) : null,
        byline,
        stats.bodyText,
        stats.wordCount,
        stats.readTimeMinutes,
        photoId,
        withdrawn ? iso(firstPublishedAt! + 86_400_000) : null,
        withdrawn ? 'Withdrawn: it could not be verified.' : null,
        iso(created),
        iso(withdrawn ? firstPublishedAt! + 86_400_000 : updated),
      )
      if (batch.story.size >= 2_500 || i === skeletons.length - 1) {
        await sendBatch()
        if (batches % 4 === 0 || i === skeletons.length - 1) log(`  stories ${i + 1}/${skeletons.length}`)
      }
    }
    await Promise.all(inFlight)

    // Event statuses: a walk along the allowed transitions, each change reported by a story about
    // the event when there is one. Live events are under way.
    const eventTable = new Table('Event', [
      ['id', 'uuid'],
      ['slug', 'text'],
      ['name', 'text'],
      ['description', 'text'],
      ['status', '"EventStatus"'],
      ['startAt', 'timestamp'],
      ['expectedStartFrom', 'timestamp'],
      ['expectedStartTo', 'timestamp'],
      ['expectedStartPrecision', '"DatePrecision"'],
      ['locationId', 'uuid'],
      ['version', 'int4'],
      ['createdAt', 'timestamp'],
      ['updatedAt', 'timestamp'],
    ])
    const changeTable = new Table('EventStatusChange', [
      ['id', 'uuid'],
      ['eventId', 'uuid'],
      ['at', 'timestamp'],
      ['fromStatus', '"EventStatus"'],
      ['toStatus', '"EventStatus"'],
      ['note', 'text'],
      ['reportedById', 'uuid'],
    ])
    events.forEach((event, i) => {
      const first = event.stories.length ? skeletons[event.stories[0]].publishedAt! : null
      if (first !== null)
        eventCreated[i] = Math.min(
          eventCreated[i],
          first - random.int(1, 10) * 86_400_000 - random.int(0, 86_399) * 1000,
        )
      const last = event.stories.length ? skeletons[event.stories[event.stories.length - 1]].publishedAt! : END
      let at = eventCreated[i]
      let status: EventStatus = 'SCHEDULED'
      let begun = false
      let startAt: number | null = null
      changeTable.add(random.uuid(), event.id, iso(at), null, 'SCHEDULED', 'First reported.', null)
      const steps = event.live ? 1 : random.int(1, 5)
      for (let k = 0; k < steps; k++) {
        const allowed: EventStatus[] = event.live ? ['UNDERWAY'] : allowedTransitions(status, begun)
        if (allowed.length === 0) break
        const to: EventStatus = random.pick(allowed)
        // the changes spread over the time the event is in the news
        at += Math.max(3_600_000, Math.floor((random.float() * Math.max(0, last - at)) / 2))
        if (at >= END) break
        // reported by a story about the event published by then, when there is one
        const before = event.stories.filter((j) => skeletons[j].publishedAt! <= at)
        const reporter = before.length ? skeletons[random.pick(before)].id : null
        changeTable.add(
          random.uuid(),
          event.id,
          iso(at),
          status,
          to,
          `${cap(to.toLowerCase())}, as reported.`,
          reporter,
        )
        if (to === 'UNDERWAY' && startAt === null) startAt = at
        begun ||= ['UNDERWAY', 'SUSPENDED', 'RESUMED'].includes(to)
        status = to
      }
      const expected = status === 'SCHEDULED' || status === 'CONFIRMED' || status === 'POSTPONED'
      const from = at + 7 * 86_400_000
      eventTable.add(
        event.id,
        event.slug,
        event.name,
        `${event.name}: what is known so far.`,
        status,
        startAt === null ? null : iso(startAt),
        expected ? iso(from) : null,
        expected ? iso(from + 7 * 86_400_000) : null,
        expected ? 'WEEK' : null,
        random.pick(places).id,
        1,
        iso(eventCreated[i]),
        iso(at),
      )
    })
    await flush(eventTable)
    await flush(changeTable)
    await flush(participantTable)

    log('  indexing and analysing')
    // as the migration defines it
    await client.query(`CREATE INDEX "Story_searchVector_idx" ON "Story" USING GIN ("searchVector")`)
    await client.query('VACUUM ANALYZE')
    return { seed, rows, seconds: (performance.now() - started) / 1000 }
  } finally {
    await Promise.all(lanes.map((lane) => lane.end().catch(() => {})))
  }
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1)

// ---------------------------------------------------------------------------------------------
// What the workloads need from the data, found again by query (so a kept database works too)

export interface Fixtures {
  /** published stories with an event, for the story page (a hub with 50 related among them) */
  storySlugs: string[]
  /** every story the public may read, by slug: the varied workload draws its pages from them */
  publicSlugs: string[]
  /** a story with at least 50 related stories, for the page-size proof */
  hubSlug: string
  /** drafts for the write workload, in order: id is the global ID publishStory takes */
  writeDrafts: { id: string; slug: string }[]
  /** urgent drafts about every live event, published during the fan-out runs */
  liveDrafts: { id: string; slug: string }[]
  liveEventSlugs: string[]
  counts: Record<string, number>
}

export async function loadFixtures(url: string, storyPageCount = 200): Promise<Fixtures> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const q = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[]
    const storySlugs = (
      await q<{ slug: string }>(
        `SELECT s.slug FROM "Story" s
         WHERE s.status = 'PUBLISHED' AND EXISTS (SELECT 1 FROM "StoryEvent" e WHERE e."storyId" = s.id)
         ORDER BY md5(s.slug) LIMIT $1`,
        [storyPageCount],
      )
    ).map((r) => r.slug)
    const publicSlugs = (
      await q<{ slug: string }>(
        `SELECT slug FROM "Story" WHERE status = 'PUBLISHED'
           AND ("embargoedUntil" IS NULL OR "embargoedUntil" <= (now() AT TIME ZONE 'UTC')) ORDER BY slug`,
      )
    ).map((r) => r.slug)
    const [hub] = await q<{ slug: string }>(
      `SELECT s.slug FROM "Story" s JOIN "RelatedStory" r ON r."storyId" = s.id
       WHERE s.status = 'PUBLISHED' GROUP BY s.id HAVING count(*) >= 50 ORDER BY s.slug LIMIT 1`,
    )
    const drafts = async (prefix: string) =>
      (
        await q<{ id: string; slug: string }>(
          `SELECT id::text, slug FROM "Story" WHERE status = 'DRAFT' AND slug LIKE $1 ORDER BY slug`,
          [`${prefix}%`],
        )
      ).map((r) => ({ id: encodeGlobalID('Story', r.id), slug: r.slug }))
    const liveEventSlugs = (
      await q<{ slug: string }>(`SELECT slug FROM "Event" WHERE slug LIKE 'newsdesk-live-%' ORDER BY slug`)
    ).map((r) => r.slug)
    const counts: Record<string, number> = {}
    for (const [name, sql] of Object.entries({
      publishedStories: `SELECT count(*)::int AS n FROM "Story" WHERE status = 'PUBLISHED'`,
      stories: `SELECT count(*)::int AS n FROM "Story"`,
      people: `SELECT count(*)::int AS n FROM "Person"`,
      organisations: `SELECT count(*)::int AS n FROM "Organisation"`,
      places: `SELECT count(*)::int AS n FROM "Place"`,
      events: `SELECT count(*)::int AS n FROM "Event"`,
      tags: `SELECT count(*)::int AS n FROM "Tag"`,
      storyLinks: `SELECT ((SELECT count(*) FROM "StoryTag") + (SELECT count(*) FROM "StoryPerson") + (SELECT count(*) FROM "StoryOrganisation") + (SELECT count(*) FROM "StoryPlace") + (SELECT count(*) FROM "StoryEvent"))::int AS n`,
      relatedStories: `SELECT count(*)::int AS n FROM "RelatedStory"`,
      corrections: `SELECT count(*)::int AS n FROM "Correction"`,
      eventStatusChanges: `SELECT count(*)::int AS n FROM "EventStatusChange"`,
    })) {
      counts[name] = (await q<{ n: number }>(sql))[0].n
    }
    return {
      storySlugs,
      publicSlugs,
      hubSlug: hub?.slug ?? storySlugs[0],
      writeDrafts: await drafts('bench-write-'),
      liveDrafts: await drafts('live-'),
      liveEventSlugs,
      counts,
    }
  } finally {
    await client.end()
  }
}

// ---------------------------------------------------------------------------------------------
// Command line: generate into a database of its own

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'news_bench' },
      size: { type: 'string', default: 'full' },
      stories: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      'admin-url': {
        type: 'string',
        default: process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
    },
  })
  const size: DataSize = { ...SIZES[values.size as keyof typeof SIZES] }
  if (values.stories) size.stories = Number(values.stories)
  const url = await createDatabase(values['admin-url'], values.db)
  const summary = await generate(url, size, Number(values.seed), (line) => console.log(line))
  console.log(`${values.db}: ${JSON.stringify(summary.rows)} in ${summary.seconds.toFixed(1)} s`)
}
