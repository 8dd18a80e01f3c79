// Writes of tags, people, organisations and places: the upsert by slug they share (create, update
// with the version read, conflicts), every input rule with its typed error, and the audit entry
// and change-log row each success leaves (a failure leaves none).
import { encodeGlobalID } from '@pothos/plugin-relay'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EntityWritesUpsertTagDocument,
  UpsertOrganisationDocument,
  UpsertPersonDocument,
  UpsertPlaceDocument,
  type OrganisationInput,
  type PersonInput,
  type PlaceInput,
} from '../generated/graphql.js'
import type { testApp } from '../helpers/api.js'
import type { TestDatabase } from '../helpers/database.js'
import { dataOf, rowId, sampleGraphWrites } from '../helpers/writes.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let editor: Record<string, string>
/** global ids of the seeded rows, by type and slug; what a write leaves in the audit and change logs */
const { gid, counts, succeeds, fails, lastChange, lastAudit, open } = sampleGraphWrites()

beforeAll(async () => {
  ;({ db, app, editor } = await open())
})
afterAll(() => db?.drop())

const upsertTag = (
  input: { slug: string; name: string; scheme?: 'KEYWORD' | 'MEDIATOPIC'; code?: string },
  version?: number,
  headers = editor,
) => dataOf(app.run(EntityWritesUpsertTagDocument, { input, version }, headers)).then((d) => d.upsertTag)
const upsertPerson = (input: PersonInput, version?: number, headers = editor) =>
  dataOf(app.run(UpsertPersonDocument, { input, version }, headers)).then((d) => d.upsertPerson)
const upsertOrganisation = (input: OrganisationInput, version?: number, headers = editor) =>
  dataOf(app.run(UpsertOrganisationDocument, { input, version }, headers)).then((d) => d.upsertOrganisation)
const upsertPlace = (input: PlaceInput, version?: number, headers = editor) =>
  dataOf(app.run(UpsertPlaceDocument, { input, version }, headers)).then((d) => d.upsertPlace)

// The mechanics every slugged entity shares, run for each of them.
type Outcome = { __typename: string; id?: string; name?: string; version?: number; currentVersion?: number | null }
const KINDS: {
  model: string
  objectType: string
  upsert: (slug: string, name: string, version?: number, headers?: Record<string, string>) => Promise<Outcome>
}[] = [
  {
    model: 'tag',
    objectType: 'Tag',
    upsert: (slug, name, version, headers) => upsertTag({ slug, name }, version, headers),
  },
  {
    model: 'person',
    objectType: 'Person',
    upsert: (slug, name, version, headers) => upsertPerson({ slug, name }, version, headers),
  },
  {
    model: 'organisation',
    objectType: 'Organisation',
    upsert: (slug, name, version, headers) => upsertOrganisation({ slug, name }, version, headers),
  },
  {
    model: 'place',
    objectType: 'Place',
    upsert: (slug, name, version, headers) => upsertPlace({ slug, name }, version, headers),
  },
]

describe.each(KINDS)('upsert by slug: $model', ({ model, objectType, upsert }) => {
  const operation = `upsert${objectType}`

  it('creates by slug, then updates with the version read, logging each write once', async () => {
    const created = await succeeds(objectType, () => upsert(`${model}-one`, 'First name'))
    expect(created).toMatchObject({ name: 'First name', version: 1 })
    const id = rowId(created.id!)
    expect(await lastChange()).toMatchObject({
      kind: `${model}.created`,
      objectType,
      objectId: id,
      topics: [`${model}:${id}`],
    })
    expect(await lastAudit()).toMatchObject({
      actor: 'test-editor',
      role: 'editor',
      operation,
      targetType: objectType,
      targetId: id,
    })

    const updated = await succeeds(objectType, () => upsert(`${model}-one`, 'Second name', 1))
    expect(updated).toMatchObject({ id: created.id, name: 'Second name', version: 2 })
    expect(await lastChange()).toMatchObject({
      kind: `${model}.updated`,
      objectType,
      objectId: id,
      topics: [`${model}:${id}`],
    })
  })

  it('refuses to update without the version', async () => {
    await succeeds(objectType, () => upsert(`${model}-two`, 'Two'))
    await fails('ValidationError', 'version', () => upsert(`${model}-two`, 'Two again'))
  })

  it('refuses a stale version, telling the current one', async () => {
    await succeeds(objectType, () => upsert(`${model}-three`, 'Three'))
    await succeeds(objectType, () => upsert(`${model}-three`, 'Three, edited', 1))
    const stale = await fails('Conflict', 'version', () => upsert(`${model}-three`, 'Three, overwritten', 1))
    expect(stale.currentVersion).toBe(2)
  })

  it('refuses a version for a slug nobody has', async () => {
    await fails('NotFound', 'input.slug', () => upsert(`${model}-nobody`, 'Nobody', 1))
  })

  it('lets exactly one of two concurrent updates with the same version through', async () => {
    await succeeds(objectType, () => upsert(`${model}-raced`, 'Raced'))
    const before = await counts()
    const results = await Promise.all([upsert(`${model}-raced`, 'Mine', 1), upsert(`${model}-raced`, 'Theirs', 1)])
    expect(results.map((r) => r.__typename).sort()).toEqual(['Conflict', objectType].sort())
    expect(results.find((r) => r.__typename === 'Conflict')).toMatchObject({ code: 'CONFLICT', currentVersion: 2 })
    const winner = results.find((r) => r.__typename === objectType)!
    expect(winner.version).toBe(2)
    expect(await counts()).toEqual({ audit: before.audit + 1, changes: before.changes + 1 })
  })

  it('is forbidden to the public', async () => {
    await fails('Forbidden', null, () => upsert(`${model}-public`, 'Public', undefined, {}))
    await fails('Forbidden', null, () => upsert(`${model}-one`, 'Public', 2, {}))
  })
})

type Case<I> = [label: string, write: () => { input: I; version?: number }, typename: string, field: string]

describe('upsertTag', () => {
  it('still needs the code of a MEDIATOPIC tag', async () => {
    await fails('ValidationError', 'input.code', () =>
      upsertTag({ slug: 'topic', name: 'Topic', scheme: 'MEDIATOPIC' }),
    )
  })

  it('refuses a Media Topic code another tag has (a database error before)', async () => {
    await fails('ValidationError', 'input.code', () =>
      upsertTag({ slug: 'health-2', name: 'Health', scheme: 'MEDIATOPIC', code: 'medtop:07000000' }),
    )
    // the tag that has it may keep it
    const health = await db.prisma.tag.findUniqueOrThrow({ where: { slug: 'health' } })
    await succeeds('Tag', () =>
      upsertTag({ slug: 'health', name: 'Health', scheme: 'MEDIATOPIC', code: 'medtop:07000000' }, health.version),
    )
  })
})

describe('upsertPerson', () => {
  it('creates a person with their affiliations, and replaces the list on update', async () => {
    const created = await succeeds('Person', () =>
      upsertPerson({
        slug: 'majed-al-ansari',
        name: 'Majed al-Ansari',
        alternateNames: ['Majid al-Ansari'],
        description: 'Spokesman of the Qatari foreign ministry.',
        wikidataId: 'Q110000001',
        sameAs: ['https://www.wikidata.org/wiki/Q110000001'],
        affiliations: [
          {
            organisationId: gid('Organisation', 'qatar'),
            role: 'Foreign ministry spokesman',
            startDate: '2022-01-01T00:00:00Z',
          },
          {
            organisationId: gid('Organisation', 'egypt'),
            role: 'Liaison',
            startDate: '2020-01-01T00:00:00Z',
            endDate: '2020-01-01T00:00:00Z',
          },
        ],
      }),
    )
    expect(created).toMatchObject({
      slug: 'majed-al-ansari',
      alternateNames: ['Majid al-Ansari'],
      wikidataId: 'Q110000001',
      sameAs: ['https://www.wikidata.org/wiki/Q110000001'],
      version: 1,
    })
    expect(created.affiliations.edges.map((e) => [e.node.organisation.slug, e.node.role])).toEqual([
      ['qatar', 'Foreign ministry spokesman'],
      ['egypt', 'Liaison'],
    ])

    // the input is the whole person: what it leaves out is cleared
    const updated = await succeeds('Person', () =>
      upsertPerson(
        {
          slug: 'majed-al-ansari',
          name: 'Majed Al Ansari',
          affiliations: [{ organisationId: gid('Organisation', 'qatar'), role: 'Adviser to the prime minister' }],
        },
        1,
      ),
    )
    expect(updated).toMatchObject({
      name: 'Majed Al Ansari',
      alternateNames: [],
      description: null,
      wikidataId: null,
      sameAs: [],
      version: 2,
    })
    expect(updated.affiliations.edges.map((e) => e.node.role)).toEqual(['Adviser to the prime minister'])
    expect(await db.prisma.affiliation.count({ where: { personId: rowId(updated.id) } })).toBe(1)
  })

  it('lets a person keep their own Wikidata item', async () => {
    const trump = await db.prisma.person.findUniqueOrThrow({ where: { slug: 'donald-trump' } })
    const updated = await succeeds('Person', () =>
      upsertPerson(
        { slug: 'donald-trump', name: 'Donald Trump', wikidataId: 'Q22686', affiliations: [] },
        trump.version,
      ),
    )
    expect(updated.wikidataId).toBe('Q22686')
  })

  const person = (over: Partial<PersonInput>) => () => ({
    input: { slug: 'valid-person', name: 'Valid Person', ...over },
  })
  const cases: Case<PersonInput>[] = [
    ['a slug that is not one', person({ slug: 'Not A Slug' }), 'ValidationError', 'input.slug'],
    ['a blank name', person({ name: '   ' }), 'ValidationError', 'input.name'],
    ['a name over 200 characters', person({ name: 'x'.repeat(201) }), 'ValidationError', 'input.name'],
    [
      '21 alternate names',
      person({ alternateNames: Array.from({ length: 21 }, (_, i) => `Name ${i}`) }),
      'ValidationError',
      'input.alternateNames',
    ],
    ['a blank alternate name', person({ alternateNames: ['Fine', ''] }), 'ValidationError', 'input.alternateNames.1'],
    [
      'a description over 2,000 characters',
      person({ description: 'x'.repeat(2001) }),
      'ValidationError',
      'input.description',
    ],
    ['a Wikidata id that is not a Q-id', person({ wikidataId: 'q22686' }), 'ValidationError', 'input.wikidataId'],
    ['the Wikidata id of another person', person({ wikidataId: 'Q22686' }), 'ValidationError', 'input.wikidataId'],
    [
      'a sameAs that is not an http(s) URL',
      person({ sameAs: ['https://example.org/a', 'ftp://example.org/b'] }),
      'ValidationError',
      'input.sameAs.1',
    ],
    [
      '21 sameAs URLs',
      person({ sameAs: Array.from({ length: 21 }, (_, i) => `https://example.org/${i}`) }),
      'ValidationError',
      'input.sameAs',
    ],
    [
      'an affiliation with a malformed id',
      person({ affiliations: [{ organisationId: 'nonsense', role: 'Member' }] }),
      'ValidationError',
      'input.affiliations.0.organisationId',
    ],
    [
      'an affiliation to a person, not an organisation',
      () => person({ affiliations: [{ organisationId: gid('Person', 'donald-trump'), role: 'Member' }] })(),
      'ValidationError',
      'input.affiliations.0.organisationId',
    ],
    [
      'an affiliation to an unknown organisation',
      person({ affiliations: [{ organisationId: encodeGlobalID('Organisation', randomUUID()), role: 'Member' }] }),
      'NotFound',
      'input.affiliations.0.organisationId',
    ],
    [
      'an affiliation without a role',
      () => person({ affiliations: [{ organisationId: gid('Organisation', 'hamas'), role: ' ' }] })(),
      'ValidationError',
      'input.affiliations.0.role',
    ],
    [
      'an affiliation that ends before it starts',
      () =>
        person({
          affiliations: [
            {
              organisationId: gid('Organisation', 'hamas'),
              role: 'Member',
              startDate: '2020-01-01T00:00:00Z',
              endDate: '2021-01-01T00:00:00Z',
            },
            {
              organisationId: gid('Organisation', 'hamas'),
              role: 'Leader',
              startDate: '2021-01-02T00:00:00Z',
              endDate: '2021-01-01T00:00:00Z',
            },
          ],
        })(),
      'ValidationError',
      'input.affiliations.1.endDate',
    ],
    [
      '51 affiliations',
      () =>
        person({
          affiliations: Array.from({ length: 51 }, () => ({
            organisationId: gid('Organisation', 'hamas'),
            role: 'Member',
          })),
        })(),
      'ValidationError',
      'input.affiliations',
    ],
  ]
  it.each(cases)('refuses %s', async (_label, write, typename, field) => {
    const { input, version } = write()
    await fails(typename, field, () => upsertPerson(input, version))
  })
})

describe('upsertOrganisation', () => {
  it('creates an organisation under a parent, and clears what an update leaves out', async () => {
    const created = await succeeds('Organisation', () =>
      upsertOrganisation({
        slug: 'qatari-foreign-ministry',
        name: 'Ministry of Foreign Affairs of Qatar',
        alternateNames: ['Qatari foreign ministry'],
        type: 'GOVERNMENT',
        description: 'Runs Qatar’s mediation.',
        countryCode: 'QA',
        wikidataId: 'Q110000002',
        sameAs: ['https://mofa.gov.qa/'],
        parentId: gid('Organisation', 'qatar'),
      }),
    )
    expect(created).toMatchObject({ type: 'GOVERNMENT', countryCode: 'QA', version: 1, parent: { slug: 'qatar' } })
    const updated = await succeeds('Organisation', () =>
      upsertOrganisation({ slug: 'qatari-foreign-ministry', name: 'Qatari foreign ministry' }, 1),
    )
    expect(updated).toMatchObject({
      type: 'OTHER',
      countryCode: null,
      parent: null,
      alternateNames: [],
      sameAs: [],
      version: 2,
    })
  })

  const organisation = (over: Partial<OrganisationInput>, version?: number) => () => ({
    input: { slug: 'valid-organisation', name: 'Valid Organisation', ...over },
    version,
  })
  // us-government is the parent of us-negotiating-team
  const usGovernment = (over: Partial<OrganisationInput>) => async () => ({
    input: { slug: 'us-government', name: 'United States government', ...over },
    version: (await db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'us-government' } })).version,
  })
  const cases: Case<OrganisationInput>[] = [
    ['a slug that is not one', organisation({ slug: 'UPPER' }), 'ValidationError', 'input.slug'],
    ['a blank name', organisation({ name: '' }), 'ValidationError', 'input.name'],
    [
      '21 alternate names',
      organisation({ alternateNames: Array.from({ length: 21 }, (_, i) => `Name ${i}`) }),
      'ValidationError',
      'input.alternateNames',
    ],
    [
      'a description over 2,000 characters',
      organisation({ description: 'x'.repeat(2001) }),
      'ValidationError',
      'input.description',
    ],
    ['a lower-case country code', organisation({ countryCode: 'qa' }), 'ValidationError', 'input.countryCode'],
    ['a three-letter country code', organisation({ countryCode: 'QAT' }), 'ValidationError', 'input.countryCode'],
    ['a Wikidata id that is not a Q-id', organisation({ wikidataId: 'Q' }), 'ValidationError', 'input.wikidataId'],
    [
      'the Wikidata id of another organisation',
      organisation({ wikidataId: 'Q38799' }),
      'ValidationError',
      'input.wikidataId',
    ],
    ['a sameAs that is not a URL', organisation({ sameAs: ['not a url'] }), 'ValidationError', 'input.sameAs.0'],
    [
      'a parent that is a place',
      () => organisation({ parentId: gid('Place', 'qatar') })(),
      'ValidationError',
      'input.parentId',
    ],
    [
      'an unknown parent',
      organisation({ parentId: encodeGlobalID('Organisation', randomUUID()) }),
      'NotFound',
      'input.parentId',
    ],
  ]
  it.each(cases)('refuses %s', async (_label, write, typename, field) => {
    const { input, version } = write()
    await fails(typename, field, () => upsertOrganisation(input, version))
  })

  it('refuses to make an organisation its own parent', async () => {
    const { input, version } = await usGovernment({ parentId: gid('Organisation', 'us-government') })()
    await fails('ValidationError', 'input.parentId', () => upsertOrganisation(input, version))
  })

  it('refuses a parent below the organisation (a cycle)', async () => {
    const { input, version } = await usGovernment({ parentId: gid('Organisation', 'us-negotiating-team') })()
    await fails('ValidationError', 'input.parentId', () => upsertOrganisation(input, version))
  })
})

describe('upsertPlace', () => {
  it('creates a place inside another, with coordinates at the limits', async () => {
    const created = await succeeds('Place', () =>
      upsertPlace({
        slug: 'lusail',
        name: 'Lusail',
        alternateNames: ['Lusail City'],
        type: 'CITY',
        countryCode: 'QA',
        latitude: -90,
        longitude: 180,
        wikidataId: 'Q110000003',
        parentId: gid('Place', 'qatar'),
      }),
    )
    expect(created).toMatchObject({
      type: 'CITY',
      latitude: -90,
      longitude: 180,
      version: 1,
      parent: { slug: 'qatar' },
    })
    const updated = await succeeds('Place', () =>
      upsertPlace({ slug: 'lusail', name: 'Lusail', latitude: 25.42, longitude: 51.49 }, 1),
    )
    expect(updated).toMatchObject({ latitude: 25.42, longitude: 51.49, parent: null, type: 'OTHER', version: 2 })
  })

  const place = (over: Partial<PlaceInput>) => () => ({ input: { slug: 'valid-place', name: 'Valid Place', ...over } })
  const cases: Case<PlaceInput>[] = [
    ['a slug that is not one', place({ slug: '-gaza' }), 'ValidationError', 'input.slug'],
    ['a blank name', place({ name: ' ' }), 'ValidationError', 'input.name'],
    [
      '21 alternate names',
      place({ alternateNames: Array.from({ length: 21 }, (_, i) => `Name ${i}`) }),
      'ValidationError',
      'input.alternateNames',
    ],
    ['a country code that is not alpha-2', place({ countryCode: 'Q1' }), 'ValidationError', 'input.countryCode'],
    ['a latitude over 90', place({ latitude: 90.5, longitude: 0 }), 'ValidationError', 'input.latitude'],
    ['a latitude under -90', place({ latitude: -91, longitude: 0 }), 'ValidationError', 'input.latitude'],
    ['a longitude over 180', place({ latitude: 0, longitude: 180.1 }), 'ValidationError', 'input.longitude'],
    ['a longitude under -180', place({ latitude: 0, longitude: -181 }), 'ValidationError', 'input.longitude'],
    ['a latitude without a longitude', place({ latitude: 10 }), 'ValidationError', 'input.longitude'],
    ['a longitude without a latitude', place({ longitude: 10 }), 'ValidationError', 'input.latitude'],
    ['a Wikidata id that is not a Q-id', place({ wikidataId: 'Q12a' }), 'ValidationError', 'input.wikidataId'],
    ['the Wikidata id of another place', place({ wikidataId: 'Q846' }), 'ValidationError', 'input.wikidataId'],
    [
      'a parent that is an organisation',
      () => place({ parentId: gid('Organisation', 'qatar') })(),
      'ValidationError',
      'input.parentId',
    ],
    ['an unknown parent', place({ parentId: encodeGlobalID('Place', randomUUID()) }), 'NotFound', 'input.parentId'],
  ]
  it.each(cases)('refuses %s', async (_label, write, typename, field) => {
    const { input, version } = write()
    await fails(typename, field, () => upsertPlace(input, version))
  })

  it('refuses to make a place its own parent, or to put it inside a place within it', async () => {
    const qatar = await db.prisma.place.findUniqueOrThrow({ where: { slug: 'qatar' } })
    const input = { slug: 'qatar', name: 'Qatar', latitude: 25.3548, longitude: 51.1839 }
    await fails('ValidationError', 'input.parentId', () =>
      upsertPlace({ ...input, parentId: gid('Place', 'qatar') }, qatar.version),
    )
    // doha lies in qatar
    await fails('ValidationError', 'input.parentId', () =>
      upsertPlace({ ...input, parentId: gid('Place', 'doha') }, qatar.version),
    )
  })
})
