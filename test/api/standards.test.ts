// IPTC ninjs and schema.org, out and in. Out: every story and event of the sample graph exports a
// ninjs 3.1 document the IPTC schema accepts (checked with ajv, draft 2020-12) and JSON-LD of the
// shape schema.org wants, under the rules of visibility, also at /ninjs/… and /jsonld/… URLs over
// a real socket; a page of stories with their documents is one query. In: every IPTC example in
// standards/ninjs/examples imports, each giving what is asserted here; a story exported and
// imported again comes back equal; importing a uri again updates (one story, one more revision);
// what is not stored is reported; a document that is not ninjs is a typed error, and the public
// is refused. And `npm run import` does the same from files.
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.js'
import { SWEDISH_ORIGINAL } from '../../src/seed/sample.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import {
  ImportNinjsDocument,
  StandardsEventDocument,
  StandardsStoriesDocument,
  StandardsStoriesWithPeopleDocument,
  StandardsStoryDocument,
  type ImportNinjsMutation,
} from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { COUNTING, createTestDatabase, requestSql, TEST_DB, type TestDatabase } from '../helpers/database.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { dataOf, sampleGraphWrites } from '../helpers/writes.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const EXAMPLES = path.join(ROOT, 'standards/ninjs/examples')
const MAIN = 'hamas-israel-ceasefire-talks-expected-to-resume'
const TALKS = 'gaza-ceasefire-talks-2025'

type Doc = Record<string, any>

// ---------------------------------------------------------------------------------------------
// The IPTC schema, compiled here on its own (not with the code under test)

const ajv = new Ajv2020({ allErrors: true, strict: false })
formats.default(ajv)
// places may carry GeoJSON, which the schema takes from geojson.org; not shipped, so a stand-in
// that checks a point is a point
ajv.addSchema({
  $id: 'https://geojson.org/schema/GeoJSON.json',
  type: 'object',
  required: ['type', 'coordinates'],
  properties: {
    type: { const: 'Point' },
    coordinates: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
  },
})
const ninjs31 = ajv.compile(
  JSON.parse(await readFile(path.join(ROOT, 'standards/ninjs/ninjs-schema_3.1.json'), 'utf8')),
)

/** The schema's complaints about a document: none for a valid one. */
function schemaErrors(document: unknown): Pick<ErrorObject, 'instancePath' | 'message'>[] {
  return ninjs31(document) ? [] : (ninjs31.errors ?? []).map(({ instancePath, message }) => ({ instancePath, message }))
}

/** The shape every story's JSON-LD must have. */
function expectArticleShape(ld: Doc, story: { slug: string; status: string }) {
  expect(ld['@context']).toBe('https://schema.org')
  expect([
    'NewsArticle',
    'LiveBlogPosting',
    'AnalysisNewsArticle',
    'OpinionNewsArticle',
    'BackgroundNewsArticle',
  ]).toContain(ld['@type'])
  expect(ld['@id']).toMatch(/^(urn:uuid:[0-9a-f-]{36}|https?:\/\/.+)$/)
  expect(ld.identifier).toBe(story.slug)
  expect(typeof ld.headline).toBe('string')
  expect(ld.inLanguage).toMatch(/^[a-z]{2}/)
  if (story.status === 'PUBLISHED') {
    expect(Date.parse(ld.datePublished)).not.toBeNaN()
    expect(Date.parse(ld.dateModified)).toBeGreaterThanOrEqual(Date.parse(ld.datePublished))
  }
  for (const author of ld.author ?? []) expect(['Person', 'Organization']).toContain(author['@type'])
  for (const thing of [...(ld.about ?? []), ...(ld.mentions ?? [])]) {
    expect(['Person', 'Organization', 'Place', 'Country', 'City', 'Event']).toContain(thing['@type'])
    expect(typeof thing.name).toBe('string')
  }
}

// ---------------------------------------------------------------------------------------------
// Out

describe('documents of the sample graph', () => {
  let db: TestDatabase
  let app: ReturnType<typeof testApp>
  let editor: Record<string, string>

  beforeAll(async () => {
    db = await createTestDatabase()
    await seedSampleGraph(db.prisma)
    app = testApp(db, { settings: COUNTING })
    editor = await asRole('editor')
  })
  afterAll(() => db?.drop())
  /** An operation that must succeed, as an editor unless told. */
  const raw = (query: string, variables: Record<string, unknown>, headers = editor) =>
    dataOf(app.run<Doc, Record<string, unknown>>(query, variables, headers))

  it('every seeded story and event exports a ninjs 3.1 document the IPTC schema accepts, and JSON-LD of schema.org’s shape', async () => {
    const seeded = await db.prisma.story.count()
    for (const viewer of [{}, editor]) {
      const { stories } = await dataOf(app.run(StandardsStoriesDocument, { first: 100 }, viewer))
      expect(stories.totalCount).toBe(seeded)
      expect(stories.edges).toHaveLength(seeded)
      for (const { node } of stories.edges) {
        expect(schemaErrors(node.ninjs), node.slug).toEqual([])
        // the main story's Swedish original is in Swedish; every other story in English
        const language = node.slug === SWEDISH_ORIGINAL.slug ? 'sv' : 'en'
        expect(node.ninjs).toMatchObject({ type: 'text', pubStatus: 'usable', slugline: node.slug, language })
        expectArticleShape(node.jsonLd as Doc, node)
      }
    }
    const events = await db.prisma.event.findMany({ select: { slug: true } })
    expect(events.length).toBeGreaterThan(0)
    for (const { slug } of events) {
      const { event } = await dataOf(app.run(StandardsEventDocument, { slug }))
      expect(schemaErrors(event!.ninjs), slug).toEqual([])
      expect(event!.ninjs).toMatchObject({ type: 'event', slugline: slug })
      expect(event!.jsonLd).toMatchObject({
        '@context': 'https://schema.org',
        '@type': 'Event',
        name: expect.any(String),
        eventStatus: expect.stringMatching(/^https:\/\/schema\.org\/Event/),
      })
    }
  })

  it('the main story in ninjs: headlines, lede, bodies from the sections, the photo with its credit, entities with their uris and relations', async () => {
    const { story } = await dataOf(app.run(StandardsStoryDocument, { slug: MAIN }))
    const doc = story!.ninjs as Doc
    expect(doc.uri).toBe(`urn:uuid:${(await db.prisma.story.findUniqueOrThrow({ where: { slug: MAIN } })).id}`)
    expect(doc).toMatchObject({
      standard: { name: 'ninjs', version: '3.1', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#' },
      representationType: 'full',
      version: '1',
      urgency: 3,
      by: 'TT',
      headlines: [
        { role: 'main', value: 'Hamas says truce talks with Israel should restart next week' },
        { role: 'short', value: 'Gaza truce talks set to restart' },
      ],
      genres: [{ name: 'Article', literal: 'article' }],
    })
    expect(doc.edNote).toBeUndefined()
    expect(doc.descriptions.map((d: Doc) => d.role)).toEqual(['summary', 'editionnote'])
    expect(doc.descriptions[0].value).toMatch(
      /^Negotiations with Israel on a ceasefire should get going again next week/,
    )
    const [plain, html] = doc.bodies
    expect(plain).toMatchObject({ contentType: 'text/plain', wordCount: 278 })
    expect(plain.value.split('\n\n')).toHaveLength(11)
    expect(html.contentType).toBe('text/html')
    expect(html.value).toContain(
      '<h2>Mediators keep up the pressure</h2>\n<p>Israeli Prime Minister Benjamin Netanyahu takes the same view.</p>',
    )
    expect(html.value.match(/<p>/g)).toHaveLength(9)
    expect(doc.subjects).toContainEqual({
      name: 'Conflict, war and peace',
      literal: 'conflict-war-and-peace',
      uri: 'http://cv.iptc.org/newscodes/mediatopic/16000000',
    })
    expect(doc.subjects).toHaveLength(5)
    expect(doc.people).toContainEqual({
      name: 'Donald Trump',
      rel: 'mentions',
      literal: 'donald-trump',
      uri: 'http://www.wikidata.org/entity/Q22686',
    })
    expect(doc.organisations).toContainEqual({
      name: 'Hamas',
      rel: 'about',
      literal: 'hamas',
      uri: 'http://www.wikidata.org/entity/Q38799',
    })
    expect(doc.places).toContainEqual({
      name: 'Gaza',
      rel: 'about',
      literal: 'gaza',
      uri: 'http://www.wikidata.org/entity/Q39760',
      geoJSON: { type: 'Point', coordinates: [34.3333, 31.4167] },
    })
    expect(doc.events).toEqual([
      { name: 'Gaza truce negotiations', rel: 'about', literal: TALKS, uri: expect.stringMatching(/^urn:uuid:/) },
    ])
    expect(doc.infoSources).toEqual([
      { name: 'TT', role: 'author', literal: 'tt' },
      { name: 'Sweden Herald', role: 'adapter', literal: 'sweden-herald' },
      { name: 'TT', role: 'source', literal: 'tt' },
      { name: 'Sweden Herald', role: 'adapted-by', literal: 'sweden-herald' },
    ])
    expect(doc.associations).toEqual([
      {
        name: 'photo',
        uri: expect.stringMatching(/^urn:uuid:/),
        type: 'picture',
        by: 'Francisco Seco/AP/TT',
        copyrightHolder: 'AP',
        copyrightNotice: '© AP',
        descriptions: [
          {
            role: 'caption',
            contentType: 'text/plain',
            value:
              'Picture accompanying the report that Hamas expects ceasefire talks with Israel to resume next week.',
          },
          {
            role: 'alt',
            contentType: 'text/plain',
            value: 'News photograph for the story on the Hamas–Israel ceasefire talks.',
          },
        ],
        renditions: [
          {
            name: 'original',
            href: 'https://media.example.org/images/2025/07/25/hamas-israel-ceasefire-talks/original.jpg',
            contentType: 'image/jpeg',
            width: 2048,
            height: 1365,
          },
          {
            name: 'thumbnail',
            href: 'https://media.example.org/images/2025/07/25/hamas-israel-ceasefire-talks/thumbnail.jpg',
            contentType: 'image/jpeg',
            width: 400,
            height: 267,
          },
        ],
      },
      // the story it is an edition of: TT's Swedish original
      {
        name: 'original',
        rel: 'adaptation-of',
        uri: `urn:uuid:${(await db.prisma.story.findUniqueOrThrow({ where: { slug: SWEDISH_ORIGINAL.slug } })).id}`,
        type: 'text',
        representationType: 'partial',
        language: 'sv',
        slugline: SWEDISH_ORIGINAL.slug,
        headlines: [{ role: 'main', value: SWEDISH_ORIGINAL.headline }],
      },
    ])
  })

  it('the main story as a schema.org NewsArticle: dates, author, publisher, picture credit, about and mentions, corrections', async () => {
    const { story: before } = await dataOf(app.run(StandardsStoryDocument, { slug: MAIN }))
    const ld = before!.jsonLd as Doc
    expectArticleShape(ld, { slug: MAIN, status: 'PUBLISHED' })
    expect(ld).toMatchObject({
      '@type': 'NewsArticle',
      '@id': (before!.ninjs as Doc).uri,
      headline: 'Hamas says truce talks with Israel should restart next week',
      alternativeHeadline: 'Gaza truce talks set to restart',
      datePublished: '2025-07-25T07:30:00.000Z',
      dateModified: '2025-07-25T07:30:00.000Z',
      creativeWorkStatus: 'Published',
      author: [{ '@type': 'Organization', name: 'TT', identifier: 'tt' }],
      publisher: { '@type': 'Organization', name: 'Sweden Herald', identifier: 'sweden-herald' },
      sourceOrganization: { '@type': 'Organization', name: 'TT', identifier: 'tt' },
      image: {
        '@type': 'ImageObject',
        contentUrl: 'https://media.example.org/images/2025/07/25/hamas-israel-ceasefire-talks/original.jpg',
        thumbnailUrl: 'https://media.example.org/images/2025/07/25/hamas-israel-ceasefire-talks/thumbnail.jpg',
        width: 2048,
        height: 1365,
        creditText: 'Francisco Seco/AP/TT',
        copyrightHolder: { '@type': 'Organization', name: 'AP' },
        copyrightNotice: '© AP',
      },
    })
    expect(ld.description).toMatch(/^Negotiations with Israel/)
    expect(ld.articleBody).toContain('Mediators keep up the pressure')
    expect(ld.about.map((t: Doc) => `${t['@type']}:${t.name}`)).toEqual([
      'Organization:Government of Israel',
      'Organization:Hamas',
      'Place:Gaza',
      'Event:Gaza truce negotiations',
    ])
    expect(ld.mentions).toHaveLength(4 + 4 + 4)
    expect(ld.keywords).toEqual(['Ceasefire', 'Conflict, war and peace', 'Gaza', 'Israel–Hamas war', 'Middle East'])
    expect(ld.correction).toBeUndefined()
    // an adaptation of TT's Swedish original
    expect(ld.isBasedOn).toEqual({
      '@type': 'NewsArticle',
      '@id': `urn:uuid:${(await db.prisma.story.findUniqueOrThrow({ where: { slug: SWEDISH_ORIGINAL.slug } })).id}`,
      headline: SWEDISH_ORIGINAL.headline,
      inLanguage: 'sv',
    })

    // a correction, and an adaptation of the story: schema.org's correction and isBasedOn
    const mainId = before!.id
    const corrected = await raw(
      `mutation($id: ID!) { addCorrection(storyId: $id, kind: CORRECTION, text: "The talks were in Doha.") { __typename } }`,
      { id: mainId },
    )
    expect(corrected).toEqual({ addCorrection: { __typename: 'Story' } })
    const adaptation = await raw(
      `mutation($source: ID!) { createStory(input: { slug: "talks-adapted", headline: "Truce talks to restart", type: LIVE, sourceStoryId: $source }) { __typename ... on Story { id version } } }`,
      { source: mainId },
    )
    const { story: after } = await dataOf(app.run(StandardsStoryDocument, { slug: MAIN }))
    expect((after!.jsonLd as Doc).correction).toEqual([
      {
        '@type': 'CorrectionComment',
        name: 'Correction',
        text: 'The talks were in Doha.',
        datePublished: expect.any(String),
      },
    ])
    expect(Date.parse((after!.jsonLd as Doc).dateModified)).toBeGreaterThan(Date.parse('2025-07-25T07:30:00.000Z'))
    const { story: adapted } = await dataOf(app.run(StandardsStoryDocument, { slug: 'talks-adapted' }, editor))
    expect(adapted!.jsonLd).toMatchObject({
      '@type': 'LiveBlogPosting',
      isBasedOn: {
        '@type': 'NewsArticle',
        '@id': (before!.ninjs as Doc).uri,
        headline: 'Hamas says truce talks with Israel should restart next week',
      },
      creativeWorkStatus: 'Draft',
    })
    expect((adapted!.jsonLd as Doc).datePublished).toBeUndefined()
    expect((adapted!.ninjs as Doc).genres).toEqual([{ name: 'Live', literal: 'live' }])
    expect(adaptation.createStory.__typename).toBe('Story')
  })

  it('the talks: ninjs event item and schema.org Event, rescheduled from their first start to the expected week', async () => {
    const { event } = await dataOf(app.run(StandardsEventDocument, { slug: TALKS }))
    const participant = (type: string, name: string, slug: string, sameAs?: string[]) => ({
      '@type': type,
      name,
      identifier: slug,
      ...(sameAs && { sameAs }),
    })
    expect(event!.jsonLd).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Event',
      '@id': `urn:uuid:${(await db.prisma.event.findUniqueOrThrow({ where: { slug: TALKS } })).id}`,
      identifier: TALKS,
      name: 'Gaza truce negotiations',
      description: expect.stringMatching(/^Negotiations between Hamas and Israel/),
      eventStatus: 'https://schema.org/EventRescheduled',
      startDate: '2025-07-28',
      previousStartDate: '2025-07-06T00:00:00.000Z',
      location: {
        '@type': 'Country',
        name: 'Qatar',
        identifier: 'qatar',
        sameAs: ['http://www.wikidata.org/entity/Q846'],
        address: { '@type': 'PostalAddress', addressCountry: 'QA' },
        geo: { '@type': 'GeoCoordinates', latitude: 25.3548, longitude: 51.1839 },
      },
      attendee: [
        participant('Organization', 'Hamas', 'hamas', ['http://www.wikidata.org/entity/Q38799']),
        participant('Organization', 'Government of Israel', 'government-of-israel'),
        participant('Organization', 'Qatar', 'qatar'),
        participant('Organization', 'Egypt', 'egypt'),
        participant('Organization', 'United States government', 'us-government'),
      ],
    })
    expect(event!.ninjs).toMatchObject({
      type: 'event',
      title: 'Gaza truce negotiations',
      eventDetails: {
        eventStatus: 'https://schema.org/EventRescheduled',
        dates: { startDate: '2025-07-06T00:00:00.000Z' },
      },
      places: [
        {
          name: 'Qatar',
          literal: 'qatar',
          uri: 'http://www.wikidata.org/entity/Q846',
          geoJSON: { type: 'Point', coordinates: [51.1839, 25.3548] },
        },
      ],
    })
    expect((event!.ninjs as Doc).organisations.map((o: Doc) => `${o.rel}:${o.literal}`).sort()).toEqual(
      [
        'party:hamas',
        'party:government-of-israel',
        'mediator:qatar',
        'mediator:egypt',
        'mediator:us-government',
      ].sort(),
    )

    // called off: EventCancelled, with no previous start
    await db.prisma.event.update({ where: { slug: TALKS }, data: { status: 'CANCELLED' } })
    const { event: cancelled } = await dataOf(app.run(StandardsEventDocument, { slug: TALKS }))
    expect(cancelled!.jsonLd).toMatchObject({
      eventStatus: 'https://schema.org/EventCancelled',
      startDate: '2025-07-06T00:00:00.000Z',
    })
    expect((cancelled!.jsonLd as Doc).previousStartDate).toBeUndefined()
    expect(schemaErrors(cancelled!.ninjs)).toEqual([])
    await db.prisma.event.update({ where: { slug: TALKS }, data: { status: 'SCHEDULED' } })
  })

  it('drafts and scheduled stories are the desk’s: null for the public; a withdrawn one shows the public its notice only', async () => {
    const create = async (slug: string) => {
      const { createStory } = await raw(
        `mutation($slug: String!) { createStory(input: { slug: $slug, headline: "A story in the making", lede: "What it says.", editorNote: "Check the figures.", sections: [{ paragraphs: ["One.", "Two."] }] }) { ... on Story { id version } } }`,
        { slug },
      )
      return createStory as { id: string; version: number }
    }
    const documents = async (slug: string, viewer: Record<string, string> = {}) =>
      (await dataOf(app.run(StandardsStoryDocument, { slug }, viewer))).story

    await create('standards-draft')
    expect(await documents('standards-draft')).toBeNull()
    const draft = await documents('standards-draft', editor)
    expect(schemaErrors(draft!.ninjs)).toEqual([])
    expect(draft!.ninjs).toMatchObject({ pubStatus: 'withheld', edNote: 'Check the figures.' })

    const scheduled = await create('standards-scheduled')
    const at = new Date(Date.now() + 86_400_000).toISOString()
    await raw(
      `mutation($id: ID!, $v: Int!, $at: DateTime) { publishStory(id: $id, version: $v, at: $at) { __typename } }`,
      { id: scheduled.id, v: scheduled.version, at },
    )
    expect(await documents('standards-scheduled')).toBeNull()
    const embargoed = await documents('standards-scheduled', editor)
    expect(schemaErrors(embargoed!.ninjs)).toEqual([])
    expect(embargoed!.ninjs).toMatchObject({ pubStatus: 'usable', embargoedUntil: at })
    expect(embargoed!.jsonLd).toMatchObject({ creativeWorkStatus: 'Scheduled' })

    const withdrawn = await create('standards-withdrawn')
    await raw(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, {
      id: withdrawn.id,
      v: withdrawn.version,
    })
    await raw(
      `mutation($id: ID!, $v: Int!) { withdrawStory(id: $id, version: $v, reason: "Legal advice.") { __typename } }`,
      { id: withdrawn.id, v: withdrawn.version + 1 },
    )
    const notice = await documents('standards-withdrawn')
    expect(schemaErrors(notice!.ninjs)).toEqual([])
    expect(notice!.ninjs).toMatchObject({
      pubStatus: 'canceled',
      representationType: 'partial',
      headlines: [{ role: 'main', value: 'A story in the making' }],
      descriptions: [{ role: 'withdrawal', contentType: 'text/plain', value: 'Legal advice.' }],
    })
    for (const held of ['bodies', 'associations', 'edNote']) expect(notice!.ninjs as Doc).not.toHaveProperty(held)
    expect(notice!.jsonLd).toMatchObject({ creativeWorkStatus: 'Withdrawn', backstory: 'Legal advice.' })
    for (const held of ['articleBody', 'description', 'image']) expect(notice!.jsonLd as Doc).not.toHaveProperty(held)
    const full = await documents('standards-withdrawn', editor)
    expect((full!.ninjs as Doc).bodies).toHaveLength(2)
    expect(full!.ninjs).toMatchObject({
      pubStatus: 'canceled',
      representationType: 'full',
      edNote: 'Check the figures.',
    })
  })

  it('a page of stories with both documents takes the same few queries whatever its size, beside other lists too', async () => {
    const statementsFor = async (first: number, withPeople: boolean) => {
      db.statements.length = 0
      const { stories } = withPeople
        ? await dataOf(app.run(StandardsStoriesWithPeopleDocument, { first }))
        : await dataOf(app.run(StandardsStoriesDocument, { first }))
      expect(stories.edges).toHaveLength(first)
      for (const { node } of stories.edges) expect(node.ninjs).toMatchObject({ slugline: node.slug })
      return requestSql(db)
    }
    for (const withPeople of [false, true]) {
      const small = await statementsFor(3, withPeople)
      const large = await statementsFor(20, withPeople)
      expect(large.length, `with people: ${withPeople}`).toBe(small.length)
      expect(large.length).toBeLessThanOrEqual(4)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The URLs

describe('document URLs', () => {
  let server: TestServer
  let editor: Record<string, string>
  const get = (pathname: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${server.origin}${pathname}`, { method, headers })

  beforeAll(async () => {
    server = await startTestServer()
    editor = await asRole('editor')
  })
  afterAll(() => server?.close())

  it('serves a story as ninjs (application/json) and JSON-LD (application/ld+json), as the public reads them, cacheable and revalidatable', async () => {
    const graphql = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ story(slug: "${MAIN}") { ninjs jsonLd } }` }),
    }).then((r) => r.json() as Promise<Doc>)
    for (const [format, contentType, field] of [
      ['ninjs', 'application/json; charset=utf-8', 'ninjs'],
      ['jsonld', 'application/ld+json; charset=utf-8', 'jsonLd'],
    ] as const) {
      const response = await get(`/${format}/stories/${MAIN}.json`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe(contentType)
      expect(response.headers.get('cache-control')).toBe('public, max-age=60')
      expect(response.headers.get('vary')).toBe('Authorization')
      expect(Date.parse(response.headers.get('last-modified')!)).not.toBeNaN()
      const etag = response.headers.get('etag')!
      expect(etag).toMatch(/^W\/".+"$/)
      expect(await response.json()).toEqual(graphql.data.story[field])

      const again = await get(`/${format}/stories/${MAIN}.json`, { 'if-none-match': etag })
      expect(again.status).toBe(304)
      expect(await again.text()).toBe('')
      const head = await get(`/${format}/stories/${MAIN}.json`, {}, 'HEAD')
      expect(head.status).toBe(200)
      expect(head.headers.get('etag')).toBe(etag)
    }
    expect(schemaErrors(await get(`/ninjs/stories/${MAIN}.json`).then((r) => r.json()))).toEqual([])
  })

  it('an unknown story and one the public may not see are the same 404 JSON; editors see theirs, privately', async () => {
    const created = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...editor },
      body: JSON.stringify({
        query: `mutation { createStory(input: { slug: "url-draft", headline: "Not yet" }) { __typename } }`,
      }),
    }).then((r) => r.json() as Promise<Doc>)
    expect(created).toEqual({ data: { createStory: { __typename: 'Story' } } })

    for (const slug of ['no-such-story', 'url-draft']) {
      for (const format of ['ninjs', 'jsonld']) {
        const response = await get(`/${format}/stories/${slug}.json`)
        expect(response.status).toBe(404)
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No story with that slug.' } })
      }
    }
    const desk = await get('/ninjs/stories/url-draft.json', editor)
    expect(desk.status).toBe(200)
    expect(desk.headers.get('cache-control')).toBe('private, no-store')
    expect(await desk.json()).toMatchObject({ pubStatus: 'withheld', headlines: [{ role: 'main', value: 'Not yet' }] })
  })

  it('serialises every document safe to inline in a page, at its URL and in GraphQL answers alike', async () => {
    const headline = '</script><script>window.__pwned=1</script><!--\u2028 & \u2029 (stored as given)'
    const gql = async (query: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      })
      return response.text()
    }
    const created = JSON.parse(
      await gql(
        `mutation { createStory(input: { slug: "inline-safe", headline: ${JSON.stringify(headline)} }) { ... on Story { id version } } }`,
        editor,
      ),
    ) as Doc
    const { id, version } = created.data.createStory
    expect(
      JSON.parse(await gql(`mutation { publishStory(id: "${id}", version: ${version}) { __typename } }`, editor)),
    ).toEqual({ data: { publishStory: { __typename: 'Story' } } })

    const texts = {
      jsonld: await get('/jsonld/stories/inline-safe.json').then((r) => r.text()),
      ninjs: await get('/ninjs/stories/inline-safe.json').then((r) => r.text()),
      graphql: await gql('{ story(slug: "inline-safe") { headline jsonLd ninjs } }'),
    }
    for (const [name, text] of Object.entries(texts)) {
      expect(text, name).not.toMatch(/[<>&\u2028\u2029]/)
      expect(text, name).toContain('\\u003c/script\\u003e\\u003cscript\\u003e')
    }
    expect(JSON.parse(texts.jsonld).headline).toBe(headline)
    expect(JSON.parse(texts.ninjs).headlines[0].value).toBe(headline)
    const { story } = JSON.parse(texts.graphql).data
    expect([story.headline, story.jsonLd.headline, story.ninjs.headlines[0].value]).toEqual([
      headline,
      headline,
      headline,
    ])
  })

  it('serves events too; refuses a bad token (401) and other methods (405), as JSON', async () => {
    const ninjs = await get(`/ninjs/events/${TALKS}.json`)
    expect(ninjs.status).toBe(200)
    expect(schemaErrors(await ninjs.json())).toEqual([])
    const ld = await get(`/jsonld/events/${TALKS}.json`)
    expect(ld.headers.get('content-type')).toBe('application/ld+json; charset=utf-8')
    expect(await ld.json()).toMatchObject({ '@type': 'Event', eventStatus: 'https://schema.org/EventRescheduled' })
    expect((await get('/jsonld/events/no-such-event.json')).status).toBe(404)

    const forged = await get(`/ninjs/stories/${MAIN}.json`, { authorization: 'Bearer not-a-token' })
    expect(forged.status).toBe(401)
    expect(forged.headers.get('www-authenticate')).toBe('Bearer')
    expect(await forged.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })

    const post = await get(`/ninjs/stories/${MAIN}.json`, {}, 'POST')
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect(await post.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: 'Use GET or HEAD.' } })
  })
})

// ---------------------------------------------------------------------------------------------
// In

type Imported = ImportNinjsMutation['importNinjs']
type Success = Extract<Imported, { __typename: 'NinjsImport' }>
type ImportedStory = NonNullable<Success['story']>
type ImportedEvent = NonNullable<Success['event']>

const readExample = async (file: string) => JSON.parse(await readFile(path.join(EXAMPLES, file), 'utf8')) as Doc

interface Expected {
  action: 'CREATED' | 'UPDATED'
  /** what the document became, checked against the story or the event */
  story?: (s: ImportedStory) => void
  event?: (e: ImportedEvent) => void
  /** the pointers reported as not stored, exactly */
  unsupported: string[]
}

const slugs = (connection: { edges: { node: { slug: string } }[] }) => connection.edges.map((e) => e.node.slug).sort()
const renditionNames = (s: ImportedStory) => s.photo?.renditions.map((r) => r.name).sort() ?? []

/** Each IPTC example, imported in name order into the sample graph, and what it must give. */
const EXAMPLE_OUTCOMES: Record<string, Expected> = {
  '3.0_20231004-UEFA-ChampionLeague.json': {
    // no type, only event details: an event
    action: 'CREATED',
    event: (e) => {
      expect(e).toMatchObject({
        name: 'Champions League 2023/2024 - Group E - Atlético de Madrid-Feyenoord',
        status: 'SCHEDULED',
        startAt: '2023-10-04T16:45:00.000Z',
        expectedStart: null,
        location: { name: 'Estadio Metropolitano' },
      })
      expect(e.description).toMatch(/^Feyenoord met Atlético de Madrid/)
      expect(e.participants.edges.map((p) => [p.node.role, p.node.organisation?.name])).toEqual([
        ['ORGANISER', 'Union of European Football Associations'],
      ])
    },
    unsupported: ['/places/0/contactInfo'],
  },
  '3.0_20231005-65-addb-event.json': {
    action: 'CREATED',
    event: (e) => {
      expect(e.expectedStart).toEqual({
        from: '2014-02-26T00:00:00.000Z',
        to: '2014-02-26T23:59:59.000Z',
        precision: 'DAY',
      })
      expect(e.startAt).toBeNull()
      expect(e.location!.name).toBe('Technical University of Madrid')
      // the organisation listed is the organiser: one participant
      expect(e.participants.edges.map((p) => [p.node.role, p.node.organisation?.name])).toEqual([
        ['ORGANISER', 'Spanish Agency for the Protection of Health in Sport'],
      ])
    },
    unsupported: [
      '/eventDetails/dates/expectedEndDate',
      '/genres',
      '/language',
      '/organisations/0/uri',
      '/places/0/contactInfo',
      '/pubStatus',
      '/urgency',
      '/version',
      '/versionCreated',
    ],
  },
  '3.0_20231016-addb-example-press-conference.json': {
    // a body makes it a story, though it describes an event too
    action: 'CREATED',
    story: (s) => {
      expect(s).toMatchObject({ headline: 'World Anti', status: 'PUBLISHED', type: 'ARTICLE', photo: null })
      expect(s.lede).toMatch(/^The World Anti-Doping Agency \(WADA\) invited media/)
      expect(s.body).toHaveLength(1)
      expect(s.body[0]!.paragraphs[0]).toMatch(/^The initiatives are being implemented/)
      expect(s.body[0]!.paragraphs).toHaveLength(12)
      // the indented list is one block of the plain text: one paragraph, its lines kept
      expect(s.body[0]!.paragraphs[2]!.split('\n')).toHaveLength(4)
      expect(s.people.edges.map((e) => e.node.name)).toContain('Director General, Olivier Niggli')
      expect(s.organisations.edges.map((e) => e.node.name)).toEqual(['World Anti-Doping Agency'])
      expect(s.places.edges.map((e) => e.node.name)).toEqual(['Beijing 2022 Main Media Centre'])
    },
    unsupported: ['/bodies/0', '/eventDetails', '/places/0/contactInfo'],
  },
  '3.0_SIPA_image_3.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s.headline).toBe('Italy: Italy Demonstration of the workers congresses and conferences')
      expect(s.photo).toMatchObject({
        creditLine: 'Insidefoto',
        copyrightHolder: 'SIPA USA',
        caption: expect.stringMatching(/^Demonstration of the workers/),
      })
      expect(s.photo!.renditions).toEqual([
        {
          name: 'supplied',
          href: expect.stringMatching(/^https:\/\/XXXXXX\.amazonaws\.com\//),
          mimeType: 'image/jpeg',
          width: 3543,
          height: 2362,
        },
      ])
      expect(s.lede).toBe(s.photo!.caption)
      expect(s.byline).toBe('Insidefoto')
      expect(s.tags.edges).toHaveLength(10)
      expect(s.places.edges).toEqual([{ relation: 'MENTIONS', node: expect.objectContaining({ name: 'Rome' }) }])
    },
    unsupported: [
      '/bodies/0',
      '/copyrightNotice',
      '/descriptions/0',
      '/firstCreated',
      '/objects',
      '/places/0/uri',
      '/profile',
      '/subjects/0/rel',
      '/subjects/0/uri',
      '/subjects/1/rel',
      '/subjects/1/uri',
      '/subjects/2/uri',
      '/subjects/3/uri',
      '/subjects/4/uri',
      '/subjects/5/uri',
      '/subjects/6/uri',
      '/subjects/7/uri',
      '/subjects/8/uri',
      '/subjects/9/uri',
      '/type',
      '/usageTerms',
      '/version',
      '/versionCreated',
    ],
  },
  '3.0_ap_audio.json': {
    // audio: no picture among its renditions, so no photo; the caption is the lede
    action: 'CREATED',
    story: (s) => {
      expect(s).toMatchObject({
        headline: 'Next up in impeachment hearings: A parade of key witnesses',
        urgency: 4,
        photo: null,
        body: [],
      })
      expect(s.lede).toBe('House Speaker Nancy Pelosi says the president committed an impeachable offense.')
      expect(s.people.edges).toEqual([
        {
          relation: 'MENTIONS',
          node: expect.objectContaining({
            name: 'Nancy Pelosi',
            sameAs: ['http://cv.ap.org/id/850c8ab4e24d4c128250621e377c83dd'],
          }),
        },
      ])
      expect(s.sourceOrganisation).toMatchObject({ name: 'ASSOCIATED PRESS' })
      expect(s.tags.edges.map((e) => e.node.name).sort()).toEqual([
        'Government and politics',
        'Impeachments',
        'Political News',
        'Political issues',
        'Trump impeachment inquiry',
      ])
    },
    unsupported: [
      '/firstCreated',
      '/located',
      '/profile',
      '/renditions',
      '/renditions/0',
      '/renditions/1',
      '/renditions/2',
      '/subjects/1/uri',
      '/subjects/2/uri',
      '/subjects/3/uri',
      '/subjects/4/uri',
      '/title',
      '/type',
      '/usageTerms',
      '/version',
      '/versionCreated',
    ],
  },
  '3.0_ap_image.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s.headline).toBe('Turkey Islamic State')
      expect(renditionNames(s)).toEqual(['main', 'preview', 'thumbnail'])
      expect(s.photo).toMatchObject({ creditLine: 'ASSOCIATED PRESS', copyrightHolder: null })
      expect(s.photo!.caption).toMatch(/^FILE - In this Monday, Nov\. 11, 2019 file photo/)
      // the seeded United States is linked, not a second one made
      expect(slugs(s.places)).toContain('united-states')
      expect(s.places.edges.find((e) => e.node.name === 'Turkey')!.node).toMatchObject({ latitude: 39, longitude: 35 })
      expect(s.sourceOrganisation!.name).toBe('DHA')
    },
    unsupported: [
      '/firstCreated',
      '/organisations/1/rel',
      '/places/0/uri',
      '/places/1/uri',
      '/places/2/uri',
      '/places/3/uri',
      '/places/4/uri',
      '/places/5/uri',
      '/renditions/0/format',
      '/renditions/0/sizeInBytes',
      '/renditions/0/title',
      '/renditions/1/format',
      '/renditions/1/sizeInBytes',
      '/renditions/1/title',
      '/renditions/2/format',
      '/renditions/2/sizeInBytes',
      '/renditions/2/title',
      '/renditions/3',
      '/subjects/2/uri',
      '/type',
      '/usageTerms',
      '/version',
      '/versionCreated',
    ],
  },
  '3.0_ap_video.json': {
    // video: its previews and thumbnails are the photo; the video files are reported
    action: 'CREATED',
    story: (s) => {
      expect(s.headline).toBe('House leaders double down on impeachment positions')
      expect(renditionNames(s)).toEqual([
        'preview',
        'preview_300',
        'thumbnail',
        'thumbnail_135',
        'thumbnail_69',
        'thumbnail_70',
      ])
      // Nancy Pelosi again: found by her uri, not made twice
      expect(s.people.edges.map((e) => e.node.slug).sort()).toEqual(['donald-trump', 'joe-biden', 'nancy-pelosi'])
    },
    unsupported: [
      '/firstCreated',
      '/located',
      '/people/2/uri',
      '/places/0/uri',
      '/places/1/uri',
      '/places/2/uri',
      '/renditions/0',
      '/renditions/1',
      ...[2, 3, 4, 5, 6, 7].flatMap((i) => [
        `/renditions/${i}/format`,
        `/renditions/${i}/sizeInBytes`,
        `/renditions/${i}/title`,
      ]),
      '/renditions/8',
      '/renditions/9',
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `/subjects/${i}/uri`),
      '/title',
      '/type',
      '/usageTerms',
      '/version',
      '/versionCreated',
    ],
  },
  '3.0_businesswire-newsml-20130731006140.json': {
    // composite: the logo (a graphic) is the photo; the video beside it is reported
    action: 'CREATED',
    story: (s) => {
      expect(s.headline).toBe('Lunch Taking a Toll? Let Applebee’s® Industrial Strength Lunch Decoy Stand In')
      expect(renditionNames(s)).toEqual(['lowres', 'thumbnail', 'viewimage'])
      expect(s.body).toHaveLength(1)
      expect(s.body[0]!.paragraphs[0]).toMatch(
        /^With more Applebee’s® Lunch Combos than ever – enough to try a new combination/,
      )
      expect(s.tags.edges).toHaveLength(10)
    },
    unsupported: [
      '/associations/0/renditions/0/sizeInBytes',
      '/associations/0/renditions/1/sizeInBytes',
      '/associations/0/renditions/2/sizeInBytes',
      '/associations/0/versionCreated',
      '/associations/1',
      '/version',
      '/versionCreated',
    ],
  },
  '3.0_imageEncodedRights.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s).toMatchObject({
        headline: 'MotoGP - Spain - Valentino Rossi',
        byline: 'John Smith',
        photo: { creditLine: 'John Smith' },
      })
      expect(renditionNames(s)).toEqual(['main', 'small'])
    },
    unsupported: ['/renditions/0/title', '/renditions/1/title', '/rightsInfo', '/type', '/versionCreated'],
  },
  '3.0_imageLinkedRights.json': {
    // the same uri as the one before: updated, not copied
    action: 'UPDATED',
    story: (s) => {
      expect(s).toMatchObject({ slug: 'motogp-spain-valentino-rossi', version: 3 })
      expect(s.revisions.totalCount).toBe(3)
    },
    unsupported: ['/renditions/0/title', '/renditions/1/title', '/rightsInfo', '/type', '/versionCreated'],
  },
  '3.0_ninjsExSimpleText_3.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s).toMatchObject({
        headline: 'Captain of wrecked cruise ship on trial in Italy',
        byline: "Paulo Santalucia and Frances d'Emilio",
        lede: null,
      })
      // the HTML body, paragraph by paragraph
      expect(s.body).toHaveLength(1)
      expect(s.body[0]!.paragraphs).toHaveLength(4)
      expect(s.body[0]!.paragraphs[3]).toMatch(/^Pepe said some 1,000 witnesses/)
    },
    unsupported: ['/bodies/0', '/versionCreated'],
  },
  '3.0_simpleEvent.json': {
    action: 'CREATED',
    event: (e) => {
      expect(e).toMatchObject({
        name: 'Tackling Doping in Sport Conference',
        location: { name: 'Twickenham Stadium' },
        expectedStart: { precision: 'DAY', from: '2011-03-16T00:00:00.000Z' },
      })
      expect(e.participants.edges).toEqual([])
    },
    unsupported: [
      '/copyrightHolder',
      '/copyrightNotice',
      '/eventDetails/dates/expectedEndDate',
      '/genres',
      '/language',
      '/organisations/0',
      '/places/0/contactInfo',
      '/pubStatus',
      '/urgency',
      '/version',
      '/versionCreated',
    ],
  },
  '3.1_001_simple_example.json': {
    action: 'UPDATED',
    story: (s) => {
      // a body without a content type is plain text: one paragraph here
      expect(s.body).toEqual([
        { heading: null, paragraphs: [expect.stringMatching(/^GROSSETO, Italy \(AP\) -- The trial/)] },
      ])
    },
    unsupported: ['/versionCreated'],
  },
  '3.1_002_renditions_example.json': {
    // no headline, no type, a uri that is not absolute: still a story, named by its body
    action: 'CREATED',
    story: (s) => {
      expect(s).toMatchObject({
        headline: '...',
        uri: 'renditions-example',
        slug: expect.stringMatching(/^story-[0-9a-f]{8}$/),
      })
      expect(renditionNames(s)).toEqual(['highres', 'thumbnail'])
    },
    unsupported: ['/headlines', '/renditions/0/sizeInBytes', '/renditions/1/sizeInBytes', '/uri'],
  },
  '3.1_003_associations_example.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s).toMatchObject({
        headline:
          'Dell Redefines Workstation Computing Boundaries with Smallest Tower and Most Powerful Rack Workstations',
        photo: null,
      })
      expect(s.body).toEqual([{ heading: null, paragraphs: ['[ ... ]'] }])
    },
    unsupported: ['/associations/0', '/associations/1', '/version', '/versionCreated'],
  },
  '3.1_004_simple_text_article.json': {
    action: 'UPDATED',
    story: (s) => {
      expect(s.body[0]!.paragraphs).toHaveLength(4)
      expect(s.revisions.totalCount).toBe(4)
    },
    unsupported: ['/bodies/0', '/versionCreated'],
  },
  '3.1_005_complex_text_article.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s.slug).toBe('captain-of-wrecked-cruise-ship-on-trial-in-italy-2')
      expect(s.people.edges).toEqual([
        {
          relation: 'ABOUT',
          node: expect.objectContaining({ name: 'Francesco Schettino', wikidataId: 'Q4421821', sameAs: [] }),
        },
      ])
      expect(s.places.edges.map((e) => [e.node.name, e.node.countryCode, e.relation])).toEqual(
        expect.arrayContaining([
          ['Grossetto', null, 'MENTIONS'],
          ['Tuscany', null, 'MENTIONS'],
          ['Italy', 'IT', 'MENTIONS'],
        ]),
      )
      expect(s.organisations.edges.map((e) => e.node.name)).toEqual(['Costa Crociere SpA'])
    },
    unsupported: ['/bodies/0', '/copyrightNotice', '/located', '/profile', '/versionCreated'],
  },
  '3.1_006_photo_only.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s.photo).toMatchObject({
        creditLine: 'Paulo Santalucia',
        caption: expect.stringMatching(/^The Costa Concordia cruise ship lies on its side/),
      })
      expect(s.photo!.renditions).toContainEqual({
        name: 'main',
        href: 'http://hosted.ap.org/photos/2/2643c588-dc8d-4923-bebd-e3b904edbb3a-big.jpg',
        mimeType: 'image/jpg',
        width: 429,
        height: 281,
      })
    },
    unsupported: ['/descriptions/1', '/renditions/0/title', '/renditions/1/title', '/type', '/versionCreated'],
  },
  '3.1_007_multimedia.json': {
    action: 'CREATED',
    story: (s) => {
      expect(s.photo).toMatchObject({
        caption: expect.stringMatching(/^The Costa Concordia cruise ship lies on its side/),
        creditLine: 'Paulo Santalucia',
        copyrightHolder: 'Copyright 2013 The News Agency, www.tna.org - all rights reserved.',
      })
      // Francesco Schettino is the one the previous item made (same Wikidata id)
      expect(slugs(s.people)).toEqual(['francesco-schettino'])
    },
    unsupported: [
      '/associations/0/descriptions/1',
      '/associations/0/headlines',
      '/associations/0/objects',
      '/associations/0/organisations',
      '/associations/0/places',
      '/associations/0/renditions/0/title',
      '/associations/0/renditions/1/title',
      '/associations/0/versionCreated',
      '/associations/1',
      '/bodies/0',
      '/copyrightNotice',
      '/located',
      '/profile',
      '/versionCreated',
    ],
  },
  '3.1_008_event.json': {
    action: 'CREATED',
    event: (e) => {
      expect(e).toMatchObject({
        name: '2023 NATO Summit Press Conference',
        uri: 'urn:nato.int:2023-nato-summit-press-conference',
        location: { name: 'LITEXPO' },
      })
      expect(e.expectedStart).toEqual({
        from: '2023-07-11T00:00:00.000Z',
        to: '2023-07-11T23:59:59.000Z',
        precision: 'DAY',
      })
    },
    unsupported: ['/places/0/contactInfo'],
  },
}

describe('importNinjs', () => {
  let db: TestDatabase
  let app: ReturnType<typeof testApp>
  let editor: Record<string, string>
  const { succeeds, fails, counts, open } = sampleGraphWrites()

  beforeAll(async () => {
    ;({ db, app, editor } = await open())
  })
  afterAll(() => db?.drop())

  const importNinjs = (document: unknown, headers = editor) =>
    dataOf(app.run(ImportNinjsDocument, { document }, headers)).then((d) => d.importNinjs)
  const imported = (document: unknown) => succeeds('NinjsImport', () => importNinjs(document))

  it('imports every IPTC example (text, pictures, audio, video, composites, events), each as asserted, writing once per document', async () => {
    const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.json')).sort()
    expect(files).toEqual(Object.keys(EXAMPLE_OUTCOMES).sort())
    for (const file of files) {
      const document = await readExample(file)
      const expected = EXAMPLE_OUTCOMES[file]!
      const result = await imported(document)
      expect(result.action, file).toBe(expected.action)
      expect(result.uri).toBe(document.uri)
      expect(
        result.unsupported.map((u) => u.pointer),
        file,
      ).toEqual(expected.unsupported)
      for (const part of result.unsupported) expect(part.reason, `${file} ${part.pointer}`).toMatch(/\S/)
      if (expected.story) {
        expect(result.event, file).toBeNull()
        expect(result.story!.uri).toBe(document.uri)
        expected.story(result.story!)
        // what came in goes out again as valid ninjs
        expect(schemaErrors(result.story!.ninjs), file).toEqual([])
      } else {
        expect(result.story, file).toBeNull()
        expect(result.event!.uri).toBe(document.uri)
        expected.event!(result.event!)
        expect(schemaErrors(result.event!.ninjs), file).toEqual([])
        expect(result.event!.jsonLd).toMatchObject({ '@type': 'Event', '@id': document.uri })
      }
    }
    // one story or event per distinct uri
    const uris = new Set(await Promise.all(files.map(async (f) => (await readExample(f)).uri as string)))
    const stored =
      (await db.prisma.story.count({ where: { uri: { not: null } } })) +
      (await db.prisma.event.count({ where: { uri: { not: null } } }))
    expect(stored).toBe(uris.size)
  })

  it('a story exported and imported under a new uri exports again equal, but for its identity and times', async () => {
    const { story } = await dataOf(app.run(StandardsStoryDocument, { slug: MAIN }, editor))
    const original = story!.ninjs as Doc
    const result = await imported({ ...original, uri: 'https://example.org/round-trip/1' })
    expect(result.action).toBe('CREATED')
    // only the sender's own metadata, the second (plain) rendering of the body and the link to the
    // story it is an edition of (an associated item, which an import does not follow) are not stored
    expect(result.unsupported.map((u) => u.pointer)).toEqual([
      '/associations/1',
      '/bodies/0',
      '/contentCreated',
      '/firstCreated',
      '/version',
      '/versionCreated',
    ])
    const copy = result.story!.ninjs as Doc
    // what must differ: identity (uri, slug, the photo's uri), version, times
    const comparable = ({
      uri,
      slugline,
      version,
      firstCreated,
      versionCreated,
      contentCreated,
      associations,
      ...rest
    }: Doc) => ({
      ...rest,
      associations: associations.map(({ uri, ...photo }: Doc) => photo),
    })
    expect(copy.uri).toBe('https://example.org/round-trip/1')
    expect(copy.slugline).toBe(`${MAIN}-2`)
    expect(original.associations[1]).toMatchObject({ name: 'original', rel: 'adaptation-of' })
    const photoOnly = { ...original, associations: original.associations.slice(0, 1) }
    expect(comparable(copy)).toEqual(comparable(photoOnly))
    expect(Object.keys(comparable(copy)).sort()).toEqual(
      [
        'associations',
        'bodies',
        'by',
        'descriptions',
        'events',
        'genres',
        'headlines',
        'infoSources',
        'language',
        'organisations',
        'people',
        'places',
        'pubStatus',
        'representationType',
        'standard',
        'subjects',
        'type',
        'urgency',
      ].sort(),
    )
    // and it links the very same entities rather than copies of them
    expect(await db.prisma.person.count({ where: { name: 'Donald Trump' } })).toBe(1)
    expect(await db.prisma.tag.count({ where: { name: 'Ceasefire' } })).toBe(1)

    // our own document as it is (its urn:uuid) names the story it came from: that one is updated, unchanged
    const stories = await db.prisma.story.count()
    const revisions = await db.prisma.storyRevision.count({ where: { story: { slug: MAIN } } })
    const same = await imported(original)
    expect(same).toMatchObject({ action: 'UPDATED', story: { id: story!.id, slug: MAIN, version: story!.version + 1 } })
    expect(await db.prisma.story.count()).toBe(stories)
    expect(await db.prisma.storyRevision.count({ where: { story: { slug: MAIN } } })).toBe(revisions + 1)
    expect(comparable(same.story!.ninjs as Doc)).toEqual(comparable(original))
  })

  it('importing the same uri again updates that story: one story, one more revision, the version bumped', async () => {
    const document = {
      ...(await readExample('3.1_005_complex_text_article.json')),
      uri: 'https://example.org/re-import/1',
    }
    const first = await imported(document)
    expect(first.action).toBe('CREATED')
    const revisions = first.story!.revisions.totalCount
    const changed = {
      ...document,
      headlines: [{ role: 'main', value: 'Captain’s trial opens in Grosseto' }],
      urgency: 2,
    }
    const second = await imported(changed)
    expect(second.action).toBe('UPDATED')
    expect(second.story).toMatchObject({
      id: first.story!.id,
      slug: first.story!.slug,
      headline: 'Captain’s trial opens in Grosseto',
      urgency: 2,
      version: first.story!.version + 1,
    })
    expect(second.story!.revisions.totalCount).toBe(revisions + 1)
    expect(await db.prisma.story.count({ where: { uri: document.uri } })).toBe(1)
    const revision = await db.prisma.storyRevision.findFirstOrThrow({
      where: { storyId: (await db.prisma.story.findUniqueOrThrow({ where: { uri: document.uri } })).id },
      orderBy: { version: 'desc' },
    })
    expect(revision).toMatchObject({ action: 'updated', actor: 'test-editor' })
    expect(Object.keys(revision.changes as object).sort()).toEqual(['headline', 'urgency'])
    // the change log says it was imported
    const change = await db.prisma.change.findFirstOrThrow({ orderBy: { seq: 'desc' } })
    expect(change).toMatchObject({
      kind: 'story.updated',
      objectType: 'Story',
      payload: expect.objectContaining({ imported: { format: 'ninjs', uri: document.uri, action: 'updated' } }),
    })
  })

  it('reports what it does not store, with a JSON pointer and a reason, and stores the rest', async () => {
    const result = await imported({
      uri: 'https://example.org/unknown-parts/1',
      type: 'text',
      headlines: [
        { role: 'main', value: 'Parts unknown' },
        { role: 'strapline', value: 'Another line' },
        { role: 'strapline2', value: 'And one more' },
      ],
      bodies: [
        {
          contentType: 'text/html',
          value: '<h3>First</h3><p>One &amp; two.</p><ul><li>Three</li></ul><h3>Second</h3><p>Four<br>five</p>',
        },
      ],
      'x-vendor': { score: 3 },
      associations: [{ name: 'clip', uri: 'https://example.org/clip/1', type: 'video', 'x-length': 30 }],
      subjects: [{ name: 'Unknown parts', uri: 'https://example.org/subjects/1', confidence: 40 }],
      people: [{ name: 'Somebody New', rel: 'quotedBy', uri: 'mailto:somebody@example.org' }],
    })
    expect(result.unsupported).toEqual([
      {
        pointer: '/associations/0',
        reason: 'not stored: associated video items are not kept with a story; import the item on its own',
      },
      { pointer: '/associations/0/x-length', reason: 'not part of ninjs 3.1; ignored' },
      {
        pointer: '/headlines/2',
        reason: 'not stored: a story keeps one headline of each role (short, seo, social, kicker, alternative)',
      },
      { pointer: '/people/0/rel', reason: '"quotedBy" is not "about" or "mentions"; linked as mentioned' },
      { pointer: '/people/0/uri', reason: 'not stored: a person keeps http(s) links and Wikidata ids only' },
      { pointer: '/subjects/0/confidence', reason: 'not stored' },
      { pointer: '/subjects/0/uri', reason: 'not stored: tags keep IPTC Media Topic codes only' },
      { pointer: '/x-vendor', reason: 'not part of ninjs 3.1; ignored' },
    ])
    expect(result.story).toMatchObject({
      headline: 'Parts unknown',
      alternativeHeadlines: [{ role: 'ALTERNATIVE', value: 'Another line' }],
      body: [
        { heading: 'First', paragraphs: ['One & two.', 'Three'] },
        { heading: 'Second', paragraphs: ['Four\nfive'] },
      ],
    })
    expect(result.story!.people.edges).toEqual([
      { relation: 'MENTIONS', node: expect.objectContaining({ slug: 'somebody-new', sameAs: [] }) },
    ])
    expect(slugs(result.story!.tags)).toEqual(['unknown-parts'])
  })

  it('maps pubStatus and embargoedUntil through the publishing writes: withheld stays a draft, a later embargo schedules, canceled withdraws', async () => {
    const base = { type: 'text', headlines: [{ value: 'Status test' }] }
    const withheld = await imported({ ...base, uri: 'https://example.org/status/withheld', pubStatus: 'withheld' })
    expect(withheld.story).toMatchObject({ status: 'DRAFT', embargoedUntil: null })

    const at = new Date(Date.now() + 3 * 86_400_000).toISOString()
    const embargoed = await imported({ ...base, uri: 'https://example.org/status/embargoed', embargoedUntil: at })
    expect(embargoed.story).toMatchObject({ status: 'SCHEDULED', embargoedUntil: at })
    // the public cannot see it yet
    expect((await dataOf(app.run(StandardsStoryDocument, { slug: embargoed.story!.slug }))).story).toBeNull()

    const canceled = await imported({
      ...base,
      uri: 'https://example.org/status/embargoed',
      pubStatus: 'canceled',
      descriptions: [{ role: 'withdrawal', value: 'Killed by the agency.' }],
    })
    expect(canceled).toMatchObject({
      action: 'UPDATED',
      story: { status: 'WITHDRAWN', withdrawal: { reason: 'Killed by the agency.' } },
    })
    const again = await imported({ ...base, uri: 'https://example.org/status/embargoed' })
    expect(again.story!.status).toBe('WITHDRAWN')
    expect(again.unsupported).toContainEqual({
      pointer: '/pubStatus',
      reason: 'the story is withdrawn, and stays so: publish a new item instead',
    })

    const published = await imported({ ...base, uri: 'https://example.org/status/published' })
    expect(published.story!.status).toBe('PUBLISHED')
    const late = await imported({ ...base, uri: 'https://example.org/status/published', embargoedUntil: at })
    expect(late.story!.status).toBe('PUBLISHED')
    expect(late.unsupported).toContainEqual({
      pointer: '/embargoedUntil',
      reason: 'not applied: the story is already public',
    })
  })

  it('an event item imported again is updated, its status moved along the allowed transitions only', async () => {
    const document = await readExample('3.1_008_event.json')
    const cancelled = await imported({
      ...document,
      uri: 'urn:example:event-status',
      eventDetails: { ...document.eventDetails, eventStatus: 'https://schema.org/EventPostponed' },
    })
    expect(cancelled.event).toMatchObject({ status: 'POSTPONED', version: 1 })
    const moved = await imported({
      ...document,
      uri: 'urn:example:event-status',
      eventDetails: { dates: { startDate: '2023-07-12T10:00:00Z' }, eventStatus: 'https://schema.org/EventCancelled' },
    })
    expect(moved).toMatchObject({
      action: 'UPDATED',
      event: { status: 'CANCELLED', startAt: '2023-07-12T10:00:00.000Z', expectedStart: null, version: 3 },
    })
    const refused = await imported({
      ...document,
      uri: 'urn:example:event-status',
      eventDetails: { ...document.eventDetails, eventStatus: 'https://schema.org/EventScheduled' },
    })
    expect(refused.event!.status).toBe('CANCELLED')
    expect(refused.unsupported).toContainEqual({
      pointer: '/eventDetails/eventStatus',
      reason: 'not applied: a CANCELLED event cannot become SCHEDULED',
    })
    expect(await db.prisma.event.count({ where: { uri: 'urn:example:event-status' } })).toBe(1)
  })

  it('refuses what is not ninjs with a ValidationError naming the JSON pointer at fault, writing nothing', async () => {
    const refusals: [unknown, string, RegExp][] = [
      [[1, 2, 3], '', /not a ninjs document/],
      ['just text', '', /not a ninjs document/],
      [
        { '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'JSON-LD, not ninjs' },
        '/uri',
        /must have required property 'uri'/,
      ],
      [{ uri: 'https://example.org/bad/1', urgency: 12 }, '/urgency', /must be <= 9/],
      [{ uri: 'https://example.org/bad/2', headlines: 'A headline' }, '/headlines', /must be array/],
      [
        { uri: 'https://example.org/bad/3', standard: { name: 'ninjs', version: '2.0' } },
        '/standard/version',
        /ninjs 2\.0 is not supported/,
      ],
      [
        { uri: 'https://example.org/bad/4', embargoedUntil: 'tomorrow', headlines: [{ value: 'x' }] },
        '/embargoedUntil',
        /must match format "date-time"/,
      ],
      [
        { uri: 'https://example.org/bad/5', headlines: [{ value: 'x'.repeat(301) }] },
        '/headlines/0/value',
        /at most 300 characters/,
      ],
      [{ uri: 'https://example.org/bad/6', type: 'text' }, '/headlines', /a story needs a headline/],
      [
        { uri: 'https://example.org/bad/7', type: 'planning', title: 'Coverage plan' },
        '/type',
        /planning items are not supported/,
      ],
      [{ uri: 'https://example.org/bad/8', language: 'English', headlines: [{ value: 'x' }] }, '/language', /BCP 47/],
    ]
    for (const [document, field, message] of refusals) {
      const refused = (await fails('ValidationError', field, () => importNinjs(document))) as unknown as {
        message: string
        issues: { field: string }[]
      }
      expect(refused.message, JSON.stringify(document)).toMatch(message)
      expect(refused.issues[0]!.field).toBe(field)
    }
    expect(await db.prisma.story.count({ where: { uri: { startsWith: 'https://example.org/bad/' } } })).toBe(0)
  })

  it('is for editors: the public gets Forbidden and nothing is written', async () => {
    const before = await counts()
    const refused = await importNinjs(await readExample('3.1_001_simple_example.json'), {})
    expect(refused).toMatchObject({
      __typename: 'Forbidden',
      code: 'FORBIDDEN',
      message: 'Sign in as an editor to do this.',
    })
    expect(await counts()).toEqual(before)
  })
})

// ---------------------------------------------------------------------------------------------
// The command line

/** A database of the project's kind for a child process, and a way to look into it afterwards. */
async function databaseForChild(): Promise<{
  env: NodeJS.ProcessEnv
  inspect<T>(look: (db: Database) => Promise<T>): Promise<T>
  drop(): Promise<void>
}> {
  const { DATABASE_URL: _inherited, ...env } = process.env
  if (TEST_DB === 'postgres') {
    const db = await createTestDatabase('postgres')
    return { env: { ...env, DATABASE_URL: db.url }, inspect: (look) => look(db), drop: () => db.drop() }
  }
  // the embedded database is one process's: the child's files, opened here once it has exited
  const dir = await mkdtemp(path.join(tmpdir(), 'news-import-'))
  return {
    env: { ...env, DATA_DIR: dir },
    async inspect(look) {
      const db = await openDatabase({ DATA_DIR: dir, DATABASE_POOL_MAX: 1, DATABASE_CONNECT_TIMEOUT_MS: 3000 })
      try {
        return await look(db)
      } finally {
        await db.close()
      }
    },
    drop: () => rm(dir, { recursive: true, force: true }),
  }
}

function npmImport(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'import', '--', ...args], {
      cwd: ROOT,
      env: { ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('npm run import', () => {
  let target: Awaited<ReturnType<typeof databaseForChild>>
  beforeAll(async () => {
    target = await databaseForChild()
  })
  afterAll(() => target?.drop())

  it(
    'imports a folder through the same writes, with a summary per file, and exits 0',
    { timeout: 180_000 },
    async () => {
      const { code, stdout, stderr } = await npmImport(['standards/ninjs/examples'], target.env)
      expect(stderr, stderr).not.toMatch(/error/i)
      expect(code, stdout).toBe(0)
      const lines = stdout.trim().split('\n')
      expect(lines.at(-1)).toMatch(/^20 files: 17 created, 3 updated, 0 failed; \d+ parts not stored$/)
      expect(lines).toContain(
        '✓ standards/ninjs/examples/3.1_008_event.json: created event 2023-nato-summit-press-conference (urn:nato.int:2023-nato-summit-press-conference)',
      )
      expect(lines).toContain('    /places/0/contactInfo: not stored: contact details have no field here')
      expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(20)
      const written = await target.inspect(async (db) => ({
        stories: await db.prisma.story.count(),
        events: await db.prisma.event.count(),
        audit: await db.prisma.auditEntry.count({ where: { operation: 'importNinjs', actor: 'import-cli' } }),
        changes: await db.prisma.change.count(),
      }))
      expect(written).toEqual({ stories: 13, events: 4, audit: 20, changes: 20 })
    },
  )

  it('goes on past a file that fails, says why, and exits 1', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'news-import-files-'))
    try {
      await writeFile(path.join(dir, 'a-broken.json'), '{ "uri": ')
      await writeFile(path.join(dir, 'b-not-ninjs.json'), JSON.stringify({ title: 'No uri' }))
      await writeFile(
        path.join(dir, 'c-good.json'),
        JSON.stringify({
          uri: 'https://example.org/cli/1',
          headlines: [{ value: 'From the command line' }],
          'x-extra': true,
        }),
      )
      const { code, stdout, stderr } = await npmImport([dir], target.env)
      expect(code, stdout + stderr).toBe(1)
      const lines = stdout.trim().split('\n')
      expect(lines[0], stdout + stderr).toMatch(new RegExp(`^✗ ${dir}/a-broken\\.json: not JSON: `))
      expect(lines[1]).toBe(
        `✗ ${dir}/b-not-ninjs.json: /uri: not a valid ninjs 3.1 document: must have required property 'uri'`,
      )
      expect(lines[2]).toMatch(
        new RegExp(
          `^✓ ${dir}/c-good\\.json: created story from-the-command-line \\(published\\) \\(https://example\\.org/cli/1\\)$`,
        ),
      )
      expect(lines[3]).toBe('    /x-extra: not part of ninjs 3.1; ignored')
      expect(lines.at(-1)).toBe('3 files: 1 created, 0 updated, 2 failed; 1 parts not stored')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses a missing path with exit code 2', { timeout: 60_000 }, async () => {
    const { code, stderr } = await npmImport(['no/such/folder'], target.env)
    expect(code).toBe(2)
    expect(stderr).toContain('import: no/such/folder: no such file or folder')
  })
})
