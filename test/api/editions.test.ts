// Editions: the seeded sample is Sweden Herald's English adaptation of TT's Swedish original.
// story(slug:, language:) picks the family's story in a language (sv-FI, then sv, then the
// original); Story.editions, originalEdition and edition say how the stories are related; linkEdition
// and unlinkEdition write the link (versions, conflicts, cycles refused, audit and change log); a
// draft edition stays unseen by the public on every path (lists, lookups, documents, live); the
// editors of editions hear when the original is corrected; ninjs and JSON-LD carry the links.
import { Ajv2020 } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAIN_STORY, SWEDISH_ORIGINAL } from '../../src/seed/sample.js'
import { listening, testApp } from '../helpers/api.js'
import { latestCursor, settled } from '../helpers/live.js'
import { readmeSection } from '../helpers/readme-sections.js'
import { sseStream, type SseStream } from '../helpers/sse.js'
import { dataOf, rowId, sampleGraphWrites } from '../helpers/writes.js'
import { requestSql } from '../helpers/database.js'

const MAIN = MAIN_STORY.slug
const ORIGINAL = SWEDISH_ORIGINAL.slug

const { gid, ids, open, succeeds, fails, lastChange, lastAudit } = sampleGraphWrites()
let db: Awaited<ReturnType<typeof open>>['db']
let app: Awaited<ReturnType<typeof open>>['app']
let editor: Record<string, string>
let origin: string
const streams: SseStream[] = []

beforeAll(async () => {
  ;({ db, app, editor } = await open())
  origin = await listening(app)
})
afterAll(async () => {
  for (const stream of streams) stream.close()
  await Promise.all(streams.map((stream) => stream.done))
  await app?.close()
  await db?.drop()
})

type Doc = Record<string, any>
const asPublic = (query: string, variables: Record<string, unknown> = {}) =>
  dataOf(app.run<Doc, Record<string, unknown>>(query, variables))
const asEditor = (query: string, variables: Record<string, unknown> = {}) =>
  dataOf(app.run<Doc, Record<string, unknown>>(query, variables, editor))

const ninjs31 = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false })
  formats.default(ajv)
  ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json', type: 'object' })
  return readFile(new URL('../../standards/ninjs/ninjs-schema_3.1.json', import.meta.url), 'utf8').then((schema) =>
    ajv.compile(JSON.parse(schema)),
  )
})()
async function expectValidNinjs(document: unknown) {
  const validate = await ninjs31
  expect(validate(document) ? [] : validate.errors).toEqual([])
}

const IN_LANGUAGE = `query($slug: String!, $language: String) { story(slug: $slug, language: $language) { slug language } }`
const FAMILY = `query($slug: String!, $first: Int, $after: String) {
  story(slug: $slug) {
    slug
    editionNote
    edition { kind at madeBy { slug } source { slug } sourceUri }
    originalEdition { slug language }
    editions(first: $first, after: $after) { totalCount pageInfo { hasNextPage } edges { cursor node { slug language } } }
  }
}`
const DOCUMENTS = `query($slug: String!) { story(slug: $slug) { ninjs jsonLd } }`
const STORY = `... on Story { id slug version editionNote edition { kind at madeBy { slug } source { slug } sourceUri } }`
const ERROR = `... on Error { code field message } ... on Conflict { currentVersion }`
const LINK = `mutation($storyId: ID!, $version: Int!, $input: EditionInput!) {
  linkEdition(storyId: $storyId, version: $version, input: $input) { __typename ${STORY} ${ERROR} }
}`
const UNLINK = `mutation($storyId: ID!, $version: Int!) { unlinkEdition(storyId: $storyId, version: $version) { __typename ${STORY} ${ERROR} } }`

const slugs = (connection: Doc) => connection.edges.map((e: Doc) => e.node.slug)
const link = (storyId: string, version: number, input: Doc, headers = editor) =>
  dataOf(app.run<Doc, Doc>(LINK, { storyId, version, input }, headers)).then((d) => d.linkEdition)
const unlink = (storyId: string, version: number) =>
  dataOf(app.run<Doc, Doc>(UNLINK, { storyId, version }, editor)).then((d) => d.unlinkEdition)

/** A new story, as an editor: its global id and version; published when asked. */
async function newStory(slug: string, language: string, publish = false): Promise<{ id: string; version: number }> {
  const { createStory } = await asEditor(
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } } }`,
    { input: { slug, headline: `Truce talks (${language})`, language, sections: [{ paragraphs: ['Talks resume.'] }] } },
  )
  if (!publish) return createStory
  const { publishStory } = await asEditor(
    `mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { ... on Story { id version } } }`,
    { id: createStory.id, v: createStory.version },
  )
  return publishStory
}

/** The Link header of a story's document, as the public (or with `headers`) gets it. */
async function alternates(format: 'jsonld' | 'ninjs', slug: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin}/${format}/stories/${slug}.json`, { headers })
  await response.body?.cancel()
  return { status: response.status, link: response.headers.get('link') }
}
const alternate = (format: string, slug: string, hreflang: string) =>
  `</${format}/stories/${slug}.json>; rel="alternate"; hreflang="${hreflang}"; type="${format === 'jsonld' ? 'application/ld+json' : 'application/json'}"`

describe('the seeded sample: an English adaptation of a Swedish original', () => {
  it('story(slug:, language:) picks the edition in a language: sv-FI falls back to sv, then to the original', async () => {
    const pick = async (slug: string, language?: string) => (await asPublic(IN_LANGUAGE, { slug, language })).story
    expect(await pick(MAIN, 'sv')).toEqual({ slug: ORIGINAL, language: 'sv' })
    expect(await pick(MAIN, 'sv-FI')).toEqual({ slug: ORIGINAL, language: 'sv' })
    expect(await pick(MAIN, 'sv-fi')).toEqual({ slug: ORIGINAL, language: 'sv' })
    expect(await pick(ORIGINAL, 'en')).toEqual({ slug: MAIN, language: 'en' })
    expect(await pick(ORIGINAL, 'en-GB')).toEqual({ slug: MAIN, language: 'en' })
    // no edition in German: the original
    expect(await pick(MAIN, 'de')).toEqual({ slug: ORIGINAL, language: 'sv' })
    expect(await pick(MAIN)).toEqual({ slug: MAIN, language: 'en' })
    // a story of no family is itself in any language; an unknown slug is nothing
    const teaser = (await db.prisma.story.findFirstOrThrow({ where: { editionKind: null, slug: { not: ORIGINAL } } }))
      .slug
    expect(await pick(teaser, 'sv')).toEqual({ slug: teaser, language: 'en' })
    expect(await pick('no-such-story', 'sv')).toBeNull()
    const bad = await app.run(IN_LANGUAGE, { slug: MAIN, language: 'not a tag' })
    expect(bad.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION_FAILED', field: 'language' })
  })

  it('the docs’ example answers as they say: the Swedish original, with its English adaptation', async () => {
    const { story } = await asPublic(await readmeSection('## Languages and editions in the API'))
    expect(story).toEqual({
      language: 'sv',
      headline: SWEDISH_ORIGINAL.headline,
      originalEdition: null,
      editions: {
        totalCount: 2,
        edges: [
          { node: { language: 'sv', headline: SWEDISH_ORIGINAL.headline, edition: null } },
          {
            node: {
              language: 'en',
              headline: MAIN_STORY.headline,
              edition: { kind: 'ADAPTATION', madeBy: { name: 'Sweden Herald' } },
            },
          },
        ],
      },
    })
  })

  it('editions lists the original and its edition, from either; edition and originalEdition say how they are related', async () => {
    const expected = [
      { slug: ORIGINAL, language: 'sv' },
      { slug: MAIN, language: 'en' },
    ]
    const main = (await asPublic(FAMILY, { slug: MAIN })).story
    expect(main.editions.edges.map((e: Doc) => e.node)).toEqual(expected)
    expect(main.editions.totalCount).toBe(2)
    expect(main.originalEdition).toEqual({ slug: ORIGINAL, language: 'sv' })
    expect(main.edition).toEqual({
      kind: 'ADAPTATION',
      at: MAIN_STORY.firstPublishedAt.toISOString(),
      madeBy: { slug: 'sweden-herald' },
      source: { slug: ORIGINAL },
      sourceUri: null,
    })
    expect(main.editionNote).toBe(MAIN_STORY.editionNote)

    const original = (await asPublic(FAMILY, { slug: ORIGINAL })).story
    expect(original.editions.edges.map((e: Doc) => e.node)).toEqual(expected)
    expect(original).toMatchObject({ originalEdition: null, edition: null, editionNote: null })

    // paged by position
    const first = (await asPublic(FAMILY, { slug: MAIN, first: 1 })).story.editions
    expect([slugs(first), first.pageInfo.hasNextPage]).toEqual([[ORIGINAL], true])
    const rest = (await asPublic(FAMILY, { slug: MAIN, first: 1, after: first.edges[0].cursor })).story.editions
    expect([slugs(rest), rest.pageInfo.hasNextPage]).toEqual([[MAIN], false])
  })

  it('ninjs carries each story’s language and the link between them, valid ninjs 3.1; JSON-LD isBasedOn and inLanguage; /jsonld the hreflang alternates', async () => {
    const main = (await asPublic(DOCUMENTS, { slug: MAIN })).story
    const original = (await asPublic(DOCUMENTS, { slug: ORIGINAL })).story
    const uri = (doc: Doc) => doc.uri as string
    expect(main.ninjs.language).toBe('en')
    expect(original.ninjs.language).toBe('sv')
    expect(main.ninjs.associations.find((a: Doc) => a.name === 'original')).toEqual({
      name: 'original',
      rel: 'adaptation-of',
      uri: uri(original.ninjs),
      type: 'text',
      representationType: 'partial',
      language: 'sv',
      slugline: ORIGINAL,
      headlines: [{ role: 'main', value: SWEDISH_ORIGINAL.headline }],
    })
    expect(original.ninjs.associations).toEqual([
      expect.objectContaining({ name: 'edition', rel: 'adaptation', uri: uri(main.ninjs), language: 'en' }),
    ])
    await expectValidNinjs(main.ninjs)
    await expectValidNinjs(original.ninjs)

    expect(main.jsonLd).toMatchObject({
      inLanguage: 'en',
      isBasedOn: { '@type': 'NewsArticle', '@id': uri(original.ninjs), inLanguage: 'sv' },
    })
    expect(main.jsonLd.translationOfWork).toBeUndefined()
    expect(original.jsonLd.inLanguage).toBe('sv')
    expect(original.jsonLd.isBasedOn).toBeUndefined()

    for (const format of ['jsonld', 'ninjs'] as const) {
      const expected = [
        alternate(format, ORIGINAL, 'sv'),
        alternate(format, MAIN, 'en'),
        alternate(format, ORIGINAL, 'x-default'),
      ].join(', ')
      expect(await alternates(format, MAIN)).toEqual({ status: 200, link: expected })
      expect(await alternates(format, ORIGINAL)).toEqual({ status: 200, link: expected })
    }
    // a story alone has none
    const teaser = (await db.prisma.story.findFirstOrThrow({ where: { editionKind: null, slug: { not: ORIGINAL } } }))
      .slug
    expect(await alternates('jsonld', teaser)).toEqual({ status: 200, link: null })
  })
})

describe('linkEdition and unlinkEdition', () => {
  // a Finland-Swedish regional edition of the original, still a draft
  const REGIONAL = 'hamas-vapenvilesamtalen-finland'
  let regional: { id: string; version: number }
  const originalId = () => gid('Story', ORIGINAL)
  const input = {
    kind: 'REGIONAL',
    madeById: () => gid('Organisation', 'sweden-herald'),
    sourceOrganisationId: () => gid('Organisation', 'tt'),
  }
  const regionalInput = () => ({
    kind: input.kind,
    originalId: originalId(),
    madeById: input.madeById(),
    sourceOrganisationId: input.sourceOrganisationId(),
  })

  it('links a draft as an edition: a new version, a revision, an audit entry and a change naming the original', async () => {
    regional = await newStory(REGIONAL, 'sv-FI')
    const stale = await fails('Conflict', 'version', () => link(regional.id, regional.version + 1, regionalInput()))
    expect(stale.currentVersion).toBe(regional.version)

    const linked = await succeeds('Story', () => link(regional.id, regional.version, regionalInput()))
    expect(linked).toMatchObject({
      version: regional.version + 1,
      editionNote: 'Regional edition by Sweden Herald of a story by TT',
      edition: { kind: 'REGIONAL', madeBy: { slug: 'sweden-herald' }, source: { slug: ORIGINAL }, sourceUri: null },
    })
    expect(Date.parse(linked.edition.at)).toBeGreaterThan(Date.now() - 60_000)
    regional = { id: linked.id, version: linked.version }

    const story = rowId(regional.id)
    expect(await lastAudit()).toMatchObject({ operation: 'linkEdition', targetType: 'Story', targetId: story })
    const change = await lastChange()
    expect(change).toMatchObject({ kind: 'story.edition_linked', objectId: story })
    expect(change.payload).toMatchObject({
      public: false,
      edition: { kind: 'REGIONAL', of: ids[`story:${ORIGINAL}`] },
      fields: expect.arrayContaining(['editionKind', 'sourceStoryId', 'adaptedById', 'sourceOrganisationId']),
    })
    expect(change.topics).toContain(`story:${ids[`story:${ORIGINAL}`]}`)
    const revision = await db.prisma.storyRevision.findFirstOrThrow({
      where: { storyId: story },
      orderBy: { version: 'desc' },
    })
    expect(revision).toMatchObject({ action: 'edition-linked' })
    expect(revision.changes).toMatchObject({ editionKind: { before: null, after: 'REGIONAL' } })
  })

  it('a draft edition is for editors: the public finds it in no list, lookup, document or link header', async () => {
    // editors see it in the family, and it is the family's Finland-Swedish story
    const family = (await asEditor(FAMILY, { slug: MAIN })).story.editions
    expect(slugs(family)).toEqual([ORIGINAL, MAIN, REGIONAL])
    expect((await asEditor(IN_LANGUAGE, { slug: MAIN, language: 'sv-FI' })).story.slug).toBe(REGIONAL)
    expect((await asEditor(FAMILY, { slug: REGIONAL })).story.originalEdition.slug).toBe(ORIGINAL)

    // the public: the family as before, sv-FI falls back to the original
    for (const slug of [MAIN, ORIGINAL]) {
      const { editions } = (await asPublic(FAMILY, { slug })).story
      expect([slugs(editions), editions.totalCount]).toEqual([[ORIGINAL, MAIN], 2])
    }
    expect((await asPublic(IN_LANGUAGE, { slug: MAIN, language: 'sv-FI' })).story.slug).toBe(ORIGINAL)
    expect((await asPublic(IN_LANGUAGE, { slug: REGIONAL, language: 'sv' })).story).toBeNull()
    const { ninjs, jsonLd } = (await asPublic(DOCUMENTS, { slug: ORIGINAL })).story
    expect(JSON.stringify([ninjs, jsonLd])).not.toContain(REGIONAL)
    expect(JSON.stringify([ninjs, jsonLd])).not.toContain(rowId(regional.id))
    expect((await alternates('jsonld', ORIGINAL)).link).not.toContain(REGIONAL)
    expect((await alternates('ninjs', MAIN)).link).not.toContain(REGIONAL)
    expect(await alternates('jsonld', REGIONAL)).toEqual({ status: 404, link: null })
    // an editor's documents name it
    const asDesk = (await asEditor(DOCUMENTS, { slug: ORIGINAL })).story.ninjs
    expect(asDesk.associations.map((a: Doc) => [a.rel, a.slugline])).toEqual([
      ['adaptation', MAIN],
      ['regional-edition', REGIONAL],
    ])
    await expectValidNinjs(asDesk)
    expect((await alternates('jsonld', ORIGINAL, editor)).link).toContain(alternate('jsonld', REGIONAL, 'sv-FI'))
  })

  it('refuses a story as an edition of itself or of one of its own editions, and bad input, naming the field', async () => {
    const original = await db.prisma.story.findUniqueOrThrow({ where: { slug: ORIGINAL } })
    const main = await db.prisma.story.findUniqueOrThrow({ where: { slug: MAIN } })
    const mainId = gid('Story', MAIN)
    const refused = (field: string, id: string, version: number, given: Doc, typename = 'ValidationError') =>
      fails(typename, field, () => link(id, version, given))
    // the original, an edition of its edition (and of its edition's edition): a cycle
    for (const of of [mainId, regional.id]) {
      const cycle = await refused('input.originalId', originalId(), original.version, {
        kind: 'TRANSLATION',
        originalId: of,
      })
      expect(cycle.message).toMatch(/own editions/)
    }
    await refused('input.originalId', mainId, main.version, { kind: 'ADAPTATION', originalId: mainId })
    await refused('input.originalId', mainId, main.version, { kind: 'ADAPTATION' })
    await refused('input.originalId', mainId, main.version, {
      kind: 'ADAPTATION',
      originalId: originalId(),
      sourceUri: 'urn:newsml:tt.se:1',
    })
    await refused('input.sourceUri', mainId, main.version, { kind: 'ADAPTATION', sourceUri: 'not a uri' })
    await refused('input.originalId', mainId, main.version, { kind: 'ADAPTATION', originalId: 'U3Rvcnk6bm9wZQ' })
    await refused('input.madeById', mainId, main.version, {
      kind: 'ADAPTATION',
      sourceUri: 'urn:x:1',
      madeById: mainId,
    })
    const nobody = encodeGlobalID('Story', randomUUID())
    await refused('input.originalId', mainId, main.version, { kind: 'ADAPTATION', originalId: nobody }, 'NotFound')
    // the public may not link
    const before = await db.prisma.auditEntry.count()
    const forbidden = await link(mainId, main.version, { kind: 'ADAPTATION', sourceUri: 'urn:x:1' }, {})
    expect(forbidden).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' })
    expect(await db.prisma.auditEntry.count()).toBe(before)
    // nothing changed
    expect((await asPublic(FAMILY, { slug: MAIN })).story.edition.source.slug).toBe(ORIGINAL)
  })

  it('an edition of an agency item outside the graph: its uri in the edition, ninjs and JSON-LD', async () => {
    const item = 'urn:newsml:tt.se:20250725:hamas-talks'
    const made = await newStory('hamas-talks-translated', 'fi', true)
    const linked = await succeeds('Story', () =>
      link(made.id, made.version, {
        kind: 'TRANSLATION',
        sourceUri: item,
        madeById: gid('Organisation', 'sweden-herald'),
        sourceOrganisationId: gid('Organisation', 'tt'),
      }),
    )
    expect(linked).toMatchObject({
      editionNote: 'Translated by Sweden Herald from a story by TT',
      edition: { kind: 'TRANSLATION', source: null, sourceUri: item },
    })
    const { story: family } = await asPublic(FAMILY, { slug: 'hamas-talks-translated' })
    expect([family.originalEdition, slugs(family.editions)]).toEqual([null, ['hamas-talks-translated']])
    const { ninjs, jsonLd } = (await asPublic(DOCUMENTS, { slug: 'hamas-talks-translated' })).story
    expect(ninjs.associations).toEqual([{ name: 'original', rel: 'translation-of', uri: item }])
    expect(ninjs.descriptions).toContainEqual({
      role: 'editionnote',
      contentType: 'text/plain',
      value: 'Translated by Sweden Herald from a story by TT',
    })
    await expectValidNinjs(ninjs)
    expect(jsonLd).toMatchObject({ inLanguage: 'fi', translationOfWork: { '@type': 'NewsArticle', '@id': item } })
    expect(jsonLd.isBasedOn).toBeUndefined()
  })

  it('a translation here: translationOfWork and workTranslation, and the original’s alternates list it', async () => {
    const made = await newStory('hamas-talks-english', 'en-GB', true)
    await succeeds('Story', () => link(made.id, made.version, { kind: 'TRANSLATION', originalId: originalId() }))
    const translation = (await asPublic(DOCUMENTS, { slug: 'hamas-talks-english' })).story
    const original = (await asPublic(DOCUMENTS, { slug: ORIGINAL })).story
    expect(translation.jsonLd.translationOfWork).toEqual({
      '@type': 'NewsArticle',
      '@id': original.ninjs.uri,
      headline: SWEDISH_ORIGINAL.headline,
      inLanguage: 'sv',
    })
    expect(original.jsonLd.workTranslation).toEqual([
      { '@type': 'NewsArticle', '@id': translation.ninjs.uri, headline: 'Truce talks (en-GB)', inLanguage: 'en-GB' },
    ])
    expect(original.ninjs.associations.map((a: Doc) => [a.rel, a.language])).toEqual([
      ['adaptation', 'en'],
      ['translation', 'en-GB'],
    ])
    await expectValidNinjs(original.ninjs)
    await expectValidNinjs(translation.ninjs)
    expect((await alternates('jsonld', MAIN)).link).toBe(
      [
        alternate('jsonld', ORIGINAL, 'sv'),
        alternate('jsonld', MAIN, 'en'),
        alternate('jsonld', 'hamas-talks-english', 'en-GB'),
        alternate('jsonld', ORIGINAL, 'x-default'),
      ].join(', '),
    )
    // "en" finds the English edition itself; "en-GB" the British one
    expect((await asPublic(IN_LANGUAGE, { slug: ORIGINAL, language: 'en' })).story.slug).toBe(MAIN)
    expect((await asPublic(IN_LANGUAGE, { slug: ORIGINAL, language: 'en-GB' })).story.slug).toBe('hamas-talks-english')
  })

  it('unlinks: a new version, the change and audit entry; a story that is no edition is refused', async () => {
    await fails('Conflict', 'version', () => unlink(regional.id, regional.version - 1))
    const unlinked = await succeeds('Story', () => unlink(regional.id, regional.version))
    expect(unlinked).toMatchObject({ version: regional.version + 1, edition: null, editionNote: null })
    expect(await lastAudit()).toMatchObject({ operation: 'unlinkEdition', targetId: rowId(regional.id) })
    expect(await lastChange()).toMatchObject({ kind: 'story.edition_unlinked', objectId: rowId(regional.id) })
    expect(slugs((await asEditor(FAMILY, { slug: ORIGINAL })).story.editions)).not.toContain(REGIONAL)
    await fails('ValidationError', 'storyId', () => unlink(regional.id, regional.version + 1))
    // linked again, for the corrections below
    await succeeds('Story', () => link(regional.id, regional.version + 1, regionalInput()))
  })
})

describe('the original corrected: its editions’ editors hear it', () => {
  const until = (check: () => boolean) => expect.poll(check, { timeout: 10_000, interval: 25 }).toBe(true)
  /** A subscription over Server-Sent Events, as the public or with `headers`. */
  const subscribe = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const stream = sseStream(origin, query, variables, headers)
    streams.push(stream)
    return stream
  }
  const MESSAGE = `cursor kind correctionKind story { slug } correction { text } editions { slug }`
  const ORIGINAL_CORRECTED = `subscription($edition: ID, $since: String) { originalCorrected(edition: $edition, since: $since) { ${MESSAGE} } }`
  const CORRECTIONS = `subscription($since: String) { correctionPublished(since: $since) { ${MESSAGE} } }`
  const correct = (slug: string, text: string) =>
    asEditor(
      `mutation($id: ID!, $text: String!) { addCorrection(storyId: $id, kind: CORRECTION, text: $text) { __typename } }`,
      { id: gid('Story', slug), text },
    )

  it('pushes a correction of the original to originalCorrected (editors only), naming its editions; the public’s corrections name only those it may read', async () => {
    const since = await latestCursor(db)
    const main = gid('Story', MAIN)
    const ofMain = subscribe(ORIGINAL_CORRECTED, { edition: main, since }, editor)
    const all = subscribe(ORIGINAL_CORRECTED, { since }, editor)
    const publicCorrections = subscribe(CORRECTIONS, { since })
    const refused = subscribe(ORIGINAL_CORRECTED, { edition: main, since })

    // a story with no editions, then the main story (an edition, with none of its own), then the original
    const teaser = (await db.prisma.story.findFirstOrThrow({ where: { editionKind: null, slug: { not: ORIGINAL } } }))
      .slug
    await correct(teaser, 'A teaser corrected.')
    await correct(MAIN, 'The edition corrected.')
    await correct(ORIGINAL, 'Talen hölls i Doha.')
    await until(() => publicCorrections.received.length === 3 && all.received.length === 1)
    await until(() => ofMain.received.length === 1 && refused.received.length === 1)

    // the adaptation, the en-GB translation and the regional draft: editors hear of every edition (and, as
    // messages come in commit order, of no correction before the original's)
    const editions = [MAIN, 'hamas-talks-english', 'hamas-vapenvilesamtalen-finland']
    for (const sub of [ofMain, all]) {
      expect(sub.received.map((m) => m.data.originalCorrected)).toEqual([
        {
          cursor: expect.any(String),
          kind: 'story.corrected',
          correctionKind: 'CORRECTION',
          story: { slug: ORIGINAL },
          correction: { text: 'Talen hölls i Doha.' },
          editions: expect.arrayContaining(editions.map((slug) => ({ slug }))),
        },
      ])
      expect(sub.received[0].data.originalCorrected.editions).toHaveLength(editions.length)
    }
    // the public: every correction, and of the original's editions the published ones only
    const heard = publicCorrections.received.map((m) => m.data.correctionPublished)
    expect(heard.map((m) => [m.story.slug, m.editions])).toEqual([
      [teaser, []],
      [MAIN, []],
      [ORIGINAL, [{ slug: MAIN }, { slug: 'hamas-talks-english' }]],
    ])
    expect(refused.received[0]).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] })

    // recorded as a fact: the change names the editions, each also a topic
    const change = await lastChange()
    const rows = await db.prisma.story.findMany({ where: { slug: { in: editions } }, select: { id: true } })
    const editionIds = rows.map((r) => r.id).sort()
    expect(change).toMatchObject({ kind: 'story.corrected', payload: { editions: editionIds } })
    for (const id of editionIds) expect(change.topics).toContain(`story:${id}`)
  })
})

describe('the public response cache', () => {
  it('drops a family’s answers when an edition is linked: editions and story(slug:, language:) show it at once', async () => {
    const cached = testApp(db, { settings: { RESPONSE_CACHE_TTL_MS: 60_000 } })
    try {
      await cached.feedStarted
      const read = async (query: string, variables: Record<string, unknown> = {}) => {
        db.statements.length = 0
        const { data, errors } = await cached.run<Doc, Record<string, unknown>>(query, variables)
        expect(errors).toBeUndefined()
        return { data: data!, statements: requestSql(db) }
      }
      const family = () => read(`{ story(slug: "${ORIGINAL}") { editions { totalCount edges { node { slug } } } } }`)
      const german = () => read(IN_LANGUAGE, { slug: ORIGINAL, language: 'de-AT' })

      // a German story, published, not yet an edition
      const run = (query: string, variables: Doc) => dataOf(cached.run<Doc, Doc>(query, variables, editor))
      const { createStory } = await run(
        `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } } }`,
        { input: { slug: 'waffenruhe-gespraeche', headline: 'Waffenruhe-Gespräche', language: 'de' } },
      )
      const { publishStory } = await run(
        `mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { ... on Story { version } } }`,
        { id: createStory.id, v: createStory.version },
      )
      // the feed has read the publish: what is read from here on is kept
      await settled(db, cached.feed)
      const before = (await family()).data.story.editions
      expect(slugs(before)).not.toContain('waffenruhe-gespraeche')
      expect((await german()).data.story.slug).toBe(ORIGINAL)
      // answered from the cache: no SQL
      expect((await family()).statements).toEqual([])
      expect((await german()).statements).toEqual([])

      const { linkEdition } = await run(LINK, {
        storyId: createStory.id,
        version: publishStory.version,
        input: { kind: 'TRANSLATION', originalId: gid('Story', ORIGINAL) },
      })
      expect(linkEdition.__typename).toBe('Story')
      const after = (await family()).data.story.editions
      expect(after.totalCount).toBe(before.totalCount + 1)
      expect(slugs(after)).toContain('waffenruhe-gespraeche')
      expect((await german()).data.story.slug).toBe('waffenruhe-gespraeche')
    } finally {
      await cached.close()
    }
  })
})
