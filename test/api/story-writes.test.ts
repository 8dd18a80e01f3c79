// Story writes through the API: an editor takes a story from draft to withdrawal and the public
// sees the right thing at each step; versions guard against lost updates; every write leaves one
// audit entry, one change-log row and one revision, and a refused one leaves nothing; revisions
// restore; every input rule gives its typed error; and only editors write.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken } from '../../src/auth/token.js'
import { loadConfig } from '../../src/config.js'
import {
  AddCorrectionDocument,
  CreateStoryDocument,
  EditorStoryDocument,
  PublishStoryDocument,
  ReaderStoryDocument,
  RestoreRevisionDocument,
  StoryRevisionsDocument,
  UpdateStoryDocument,
  WithdrawStoryDocument,
  type StoryInput,
} from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { dataOf, rowId, writeChecks } from '../helpers/writes.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let editor: Record<string, string>
const { counts, lastChange } = writeChecks(() => db)

/** Entities stories link to, by slug → id. */
const made = {
  tags: new Map<string, string>(),
  people: new Map<string, string>(),
  organisations: new Map<string, string>(),
  places: new Map<string, string>(),
  events: new Map<string, string>(),
}
const gid = (type: string, id: string) => encodeGlobalID(type, id)
const tagId = (slug: string) => gid('Tag', made.tags.get(slug)!)
const personId = (slug: string) => gid('Person', made.people.get(slug)!)
const organisationId = (slug: string) => gid('Organisation', made.organisations.get(slug)!)
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'

/** The same global id spelled differently: base64 ignores the unused low bits before the padding. */
function respelled(globalId: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const i = globalId.indexOf('=') - 1
  expect(i).toBeGreaterThan(0)
  return globalId.slice(0, i) + alphabet[alphabet.indexOf(globalId[i]!) ^ 1] + globalId.slice(i + 1)
}

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db)
  editor = await asRole('editor')
  for (const slug of ['gaza', 'ceasefire'])
    made.tags.set(slug, (await db.prisma.tag.create({ data: { slug, name: slug } })).id)
  for (const slug of ['bassem-naim', 'steve-witkoff', 'donald-trump']) {
    made.people.set(slug, (await db.prisma.person.create({ data: { slug, name: slug } })).id)
  }
  for (const slug of ['hamas', 'tt', 'sweden-herald']) {
    made.organisations.set(slug, (await db.prisma.organisation.create({ data: { slug, name: slug } })).id)
  }
  made.places.set('qatar', (await db.prisma.place.create({ data: { slug: 'qatar', name: 'Qatar' } })).id)
  made.events.set('talks', (await db.prisma.event.create({ data: { slug: 'talks', name: 'Ceasefire talks' } })).id)
})
afterAll(() => db?.drop())

// ---------------------------------------------------------------------------------------------
// Helpers

let requests = 0

/** Runs a mutation (as the editor unless told), with a fresh request id; returns its one result. */
async function mutate<T extends object, V>(document: TypedDocumentNode<T, V>, variables: V, headers = editor) {
  const requestId = `story-writes-${++requests}`
  const { data, errors } = await app.run(document, variables, { ...headers, 'x-request-id': requestId })
  expect(errors, JSON.stringify(errors)).toBeUndefined()
  return { value: Object.values(data!)[0] as T[keyof T], requestId }
}

type Result = { __typename: string }
type StoryOf<T> = Extract<T, { __typename: 'Story' }>

function written<T extends Result>(value: T): StoryOf<T> {
  expect(value.__typename, JSON.stringify(value)).toBe('Story')
  return value as StoryOf<T>
}

/** The typed error a refused mutation returns: its type, code and field. */
function refused(value: Result, typename: string, code: string, field: string | null) {
  expect(value, JSON.stringify(value)).toMatchObject({ __typename: typename, code, field })
}

let slugs = 0
const nextSlug = () => `story-${++slugs}`

const minimal = (input: Partial<StoryInput> = {}): StoryInput => ({
  slug: nextSlug(),
  headline: 'Ceasefire talks expected to resume next week',
  sections: [{ paragraphs: ['Negotiators will meet in Doha.'] }],
  ...input,
})

async function createDraft(input: Partial<StoryInput> = {}) {
  return written((await mutate(CreateStoryDocument, { input: minimal(input) })).value)
}

async function publish(story: { id: string; version: number }) {
  return written((await mutate(PublishStoryDocument, { id: story.id, version: story.version })).value)
}

const readPublic = async (slug: string) => (await dataOf(app.run(ReaderStoryDocument, { slug }))).story
const readAsEditor = async (slug: string) => (await dataOf(app.run(EditorStoryDocument, { slug }, editor))).story

const TABLES = [
  'Story',
  'StoryHeadline',
  'StorySection',
  'MediaAsset',
  'MediaRendition',
  'StoryContributor',
  'StoryTag',
  'StoryPerson',
  'StoryOrganisation',
  'StoryPlace',
  'StoryEvent',
  'RelatedStory',
  'Correction',
  'StoryRevision',
  'AuditEntry',
  'Change',
]

/** Every story table's row count and a digest of its rows: equal before and after means untouched. */
async function tableState() {
  const state: Record<string, { rows: number; digest: string }> = {}
  for (const table of TABLES) {
    const [row] = await db.prisma.$queryRawUnsafe<{ rows: number; digest: string }[]>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${table}" t`,
    )
    state[table] = row!
  }
  return state
}

/** Runs `refusal` and checks that it changed no table. */
async function leavesNoTrace(refusal: () => Promise<unknown>) {
  const before = await tableState()
  await refusal()
  expect(await tableState()).toEqual(before)
}

// ---------------------------------------------------------------------------------------------

describe('an editor takes a story from draft to withdrawal', () => {
  it('and the public sees nothing, then the story, then the correction, then only the notice', async () => {
    const more = await createDraft()
    const input = minimal({
      headline: '  Hamas says ceasefire talks could resume next week  ',
      alternativeHeadlines: [
        { role: 'SOCIAL', value: 'Talks to resume?' },
        { role: 'SHORT', value: 'Talks next week' },
      ],
      lede: 'Hamas expects negotiations to resume.',
      sections: [
        { paragraphs: ['Bassem Naim said talks could resume.', 'Qatar and Egypt mediate.'] },
        { heading: 'Pressure', paragraphs: ['Steve Witkoff said the US would look at alternatives.'] },
      ],
      language: 'en-GB',
      type: 'ANALYSIS',
      urgency: 3,
      byline: 'TT',
      editionNote: 'Adapted by the Sweden Herald from TT.',
      editorNote: 'Check the Doha date before publishing.',
      photo: {
        caption: 'Palestinians wait for food aid.',
        altText: 'A crowd with pots',
        creditLine: 'Francisco Seco/AP/TT',
        copyrightHolder: 'AP',
        renditions: [
          { name: 'large', href: 'https://img.example/large.jpg', mimeType: 'image/jpeg', width: 1600, height: 900 },
        ],
      },
      contributors: [
        { role: 'AUTHOR', name: 'TT', organisationId: organisationId('tt') },
        { role: 'ADAPTER', name: 'Sweden Herald', organisationId: organisationId('sweden-herald') },
      ],
      tagIds: [tagId('gaza'), tagId('ceasefire')],
      people: [{ id: personId('bassem-naim'), relation: 'ABOUT' }, { id: personId('steve-witkoff') }],
      organisations: [{ id: organisationId('hamas'), relation: 'ABOUT' }],
      places: [{ id: gid('Place', made.places.get('qatar')!) }],
      events: [{ id: gid('Event', made.events.get('talks')!) }],
      sourceOrganisationId: organisationId('tt'),
      adaptedById: organisationId('sweden-herald'),
      related: [{ storyId: more.id, reason: 'EDITORIAL_PICK' }],
    })

    const draft = written((await mutate(CreateStoryDocument, { input })).value)
    expect(draft).toMatchObject({
      slug: input.slug,
      headline: 'Hamas says ceasefire talks could resume next week',
      status: 'DRAFT',
      version: 1,
      firstPublishedAt: null,
      language: 'en-GB',
      type: 'ANALYSIS',
      urgency: 3,
      editorNote: 'Check the Doha date before publishing.',
      alternativeHeadlines: [
        { role: 'SHORT', value: 'Talks next week' },
        { role: 'SOCIAL', value: 'Talks to resume?' },
      ],
      body: [
        { heading: null, paragraphs: ['Bassem Naim said talks could resume.', 'Qatar and Egypt mediate.'] },
        { heading: 'Pressure', paragraphs: ['Steve Witkoff said the US would look at alternatives.'] },
      ],
      photo: { creditLine: 'Francisco Seco/AP/TT', renditions: [{ name: 'large', width: 1600 }] },
      contributors: {
        edges: [
          { node: { role: 'AUTHOR', organisation: { slug: 'tt' } } },
          { node: { role: 'ADAPTER', organisation: { slug: 'sweden-herald' } } },
        ],
      },
      sourceOrganisation: { slug: 'tt' },
      adaptedBy: { slug: 'sweden-herald' },
      related: { edges: [{ reason: 'EDITORIAL_PICK', node: { slug: more.slug } }] },
      events: { edges: [{ relation: 'ABOUT', node: { slug: 'talks' } }] },
    })
    expect(draft.tags.edges.map((e) => e.node.slug).sort()).toEqual(['ceasefire', 'gaza'])
    const people = Object.fromEntries(draft.people.edges.map((e) => [e.node.slug, e.relation]))
    expect(people).toEqual({ 'bassem-naim': 'ABOUT', 'steve-witkoff': 'MENTIONS' })
    // read time is computed on write, from the lede and the body
    expect(draft.wordCount).toBe(5 + 6 + 4 + 1 + 9)
    expect(draft.readTimeMinutes).toBe(1)

    // a draft is unknown to the public, and known to editors
    expect(await readPublic(input.slug)).toBeNull()
    expect(await readAsEditor(input.slug)).toMatchObject({ status: 'DRAFT' })

    const published = await publish(draft)
    expect(published).toMatchObject({
      status: 'PUBLISHED',
      version: 2,
      embargoedUntil: null,
      updatedAt: published.firstPublishedAt,
    })
    expect(Date.parse(published.firstPublishedAt!)).toBeLessThanOrEqual(Date.now())
    const seen = await readPublic(input.slug)
    expect(seen).toMatchObject({
      status: 'PUBLISHED',
      headline: draft.headline,
      body: draft.body,
      corrections: { totalCount: 0 },
      withdrawal: null,
    })

    const corrected = written(
      (
        await mutate(AddCorrectionDocument, {
          storyId: draft.id,
          kind: 'CORRECTION',
          text: 'An earlier version gave the wrong venue.',
          field: 'lede',
          before: 'Cairo',
          after: 'Doha',
        })
      ).value,
    )
    expect(corrected).toMatchObject({ status: 'PUBLISHED', version: 3 })
    expect(Date.parse(corrected.updatedAt!)).toBeGreaterThanOrEqual(Date.parse(published.firstPublishedAt!))
    expect((await readPublic(input.slug))?.corrections).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            kind: 'CORRECTION',
            text: 'An earlier version gave the wrong venue.',
            field: 'lede',
            before: 'Cairo',
            after: 'Doha',
          },
        },
      ],
    })

    const withdrawn = written(
      (await mutate(WithdrawStoryDocument, { id: draft.id, version: 3, reason: 'Legal advice.' })).value,
    )
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', version: 4, withdrawal: { reason: 'Legal advice.' } })
    // the public gets the notice in place of the story: no text, no picture
    expect(await readPublic(input.slug)).toMatchObject({
      status: 'WITHDRAWN',
      withdrawal: { at: withdrawn.withdrawal!.at, reason: 'Legal advice.' },
      lede: null,
      body: [],
      photo: null,
    })

    // a withdrawn story stays withdrawn
    refused(
      (await mutate(PublishStoryDocument, { id: draft.id, version: 4 })).value,
      'ValidationError',
      'VALIDATION_FAILED',
      'id',
    )
    refused(
      (await mutate(WithdrawStoryDocument, { id: draft.id, version: 4, reason: 'Again.' })).value,
      'ValidationError',
      'VALIDATION_FAILED',
      'id',
    )
  })

  it('a retraction withdraws the story, with the retraction as the reason', async () => {
    const story = await publish(await createDraft())
    const retracted = written(
      (
        await mutate(AddCorrectionDocument, {
          storyId: story.id,
          kind: 'RETRACTION',
          text: 'The story was based on a forged document.',
        })
      ).value,
    )
    expect(retracted).toMatchObject({
      status: 'WITHDRAWN',
      version: 3,
      withdrawal: { reason: 'The story was based on a forged document.' },
    })
    expect(retracted.corrections.edges).toEqual([{ node: expect.objectContaining({ kind: 'RETRACTION' }) }])
    // the public notice carries the retraction as its reason
    expect(await readPublic(story.slug)).toMatchObject({
      status: 'WITHDRAWN',
      body: [],
      withdrawal: { reason: 'The story was based on a forged document.' },
    })
  })

  it('an update replaces the lists given, keeps the rest, and recomputes the read time', async () => {
    const story = await createDraft({ tagIds: [tagId('gaza')], byline: 'TT', lede: 'One two three.' })
    const updated = written(
      (
        await mutate(UpdateStoryDocument, {
          id: story.id,
          version: 1,
          input: {
            tagIds: [tagId('ceasefire')],
            sections: [{ paragraphs: ['word '.repeat(500).trim()] }],
            byline: null,
          },
        })
      ).value,
    )
    expect(updated).toMatchObject({
      version: 2,
      headline: story.headline,
      lede: 'One two three.',
      byline: null,
      wordCount: 503,
      readTimeMinutes: 2,
    })
    expect(updated.tags.edges.map((e) => e.node.slug)).toEqual(['ceasefire'])
  })

  it('a changed photo is a new picture, and the old one goes once no story shows it', async () => {
    const photo = { creditLine: 'AP', renditions: [{ name: 'small', href: 'https://img.example/s.jpg' }] }
    const story = await createDraft({ photo })
    const assets = await db.prisma.mediaAsset.count()
    const changed = written(
      (
        await mutate(UpdateStoryDocument, {
          id: story.id,
          version: 1,
          input: { photo: { ...photo, creditLine: 'Reuters' } },
        })
      ).value,
    )
    expect(changed.photo).toMatchObject({ creditLine: 'Reuters', renditions: [{ name: 'small' }] })
    expect(await db.prisma.mediaAsset.count()).toBe(assets)
    const removed = written(
      (await mutate(UpdateStoryDocument, { id: story.id, version: 2, input: { photo: null } })).value,
    )
    expect(removed.photo).toBeNull()
    expect(await db.prisma.mediaAsset.count()).toBe(assets - 1)
  })

  it('a public story cannot be scheduled; a scheduled one published now is first published now', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const live = await publish(await createDraft())
    refused(
      (await mutate(PublishStoryDocument, { id: live.id, version: 2, at: later })).value,
      'ValidationError',
      'VALIDATION_FAILED',
      'at',
    )

    const scheduled = written(
      (await mutate(PublishStoryDocument, { id: (await createDraft()).id, version: 1, at: later })).value,
    )
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', firstPublishedAt: later })
    const now = await publish(scheduled)
    expect(now).toMatchObject({ status: 'PUBLISHED', embargoedUntil: null })
    expect(Date.parse(now.firstPublishedAt!)).toBeLessThanOrEqual(Date.now())
  })

  it('a story scheduled for later becomes public when its time comes', async () => {
    const story = await createDraft()
    const at = new Date(Date.now() + 2_000)
    const scheduled = written(
      (await mutate(PublishStoryDocument, { id: story.id, version: 1, at: at.toISOString() })).value,
    )
    expect(scheduled).toMatchObject({
      status: 'SCHEDULED',
      embargoedUntil: at.toISOString(),
      firstPublishedAt: at.toISOString(),
    })

    const early = await readPublic(story.slug)
    // only a read that was over before the time came must have found nothing
    if (Date.now() < at.getTime()) expect(early).toBeNull()

    // then, with no job run, the public reads it: polled, since the time has to pass
    await expect
      .poll(() => readPublic(story.slug), { timeout: 20_000, interval: 200 })
      .toMatchObject({ status: 'PUBLISHED', firstPublishedAt: at.toISOString() })
  })
})

describe('versions', () => {
  it('of two concurrent updates from the same version, one wins and the other is a Conflict', async () => {
    const story = await createDraft()
    const results = await Promise.all(
      ['Headline from Anna', 'Headline from Ben'].map(
        async (headline) =>
          (
            await mutate(UpdateStoryDocument, {
              id: story.id,
              version: 1,
              input: { headline, lede: `Lede for ${headline}` },
            })
          ).value,
      ),
    )
    const wins = results.filter((r) => r.__typename === 'Story')
    const conflicts = results.filter((r) => r.__typename === 'Conflict')
    expect(wins).toHaveLength(1)
    expect(conflicts).toHaveLength(1)
    refused(conflicts[0]!, 'Conflict', 'CONFLICT', 'version')
    expect(conflicts[0]).toMatchObject({ currentVersion: 2 })
    const { __typename, ...winner } = written(wins[0]!)
    expect(winner.version).toBe(2)
    expect(await readAsEditor(story.slug)).toEqual(winner)
  })

  it('a stale version is a Conflict with the current version, and nothing is written', async () => {
    const story = await createDraft()
    written((await mutate(UpdateStoryDocument, { id: story.id, version: 1, input: { byline: 'First editor' } })).value)
    await leavesNoTrace(async () => {
      const { value } = await mutate(UpdateStoryDocument, {
        id: story.id,
        version: 1,
        input: { byline: 'Second editor', tagIds: [tagId('gaza')] },
      })
      refused(value, 'Conflict', 'CONFLICT', 'version')
      expect(value).toMatchObject({ currentVersion: 2 })
    })
    for (const { value } of [
      await mutate(PublishStoryDocument, { id: story.id, version: 1 }),
      await mutate(WithdrawStoryDocument, { id: story.id, version: 1, reason: 'Stale.' }),
    ]) {
      refused(value, 'Conflict', 'CONFLICT', 'version')
    }
    expect(await readAsEditor(story.slug)).toMatchObject({ version: 2, byline: 'First editor', status: 'DRAFT' })
  })
})

describe('the audit log, the change log and the revisions', () => {
  it('get one entry each for every successful mutation, with the request id', async () => {
    const tags = [made.tags.get('gaza')!]
    const person = made.people.get('donald-trump')!
    let story = await createDraft()
    const revisionId = async () =>
      (await db.prisma.storyRevision.findFirstOrThrow({ where: { storyId: rowId(story.id), version: 1 } })).id

    const steps = [
      {
        kind: 'story.updated',
        operation: 'updateStory',
        action: 'updated',
        run: () =>
          mutate(UpdateStoryDocument, {
            id: story.id,
            version: story.version,
            input: {
              urgency: 2,
              language: 'sv',
              tagIds: tags.map((id) => gid('Tag', id)),
              people: [{ id: gid('Person', person) }],
            },
          }),
      },
      {
        kind: 'story.published',
        operation: 'publishStory',
        action: 'published',
        run: () => mutate(PublishStoryDocument, { id: story.id, version: story.version }),
      },
      {
        kind: 'story.corrected',
        operation: 'addCorrection',
        action: 'corrected',
        run: () =>
          mutate(AddCorrectionDocument, { storyId: story.id, kind: 'CLARIFICATION', text: 'The talks are indirect.' }),
      },
      {
        kind: 'story.restored',
        operation: 'restoreRevision',
        action: 'restored',
        run: async () =>
          mutate(RestoreRevisionDocument, {
            revisionId: gid('StoryRevision', await revisionId()),
            version: story.version,
          }),
      },
      {
        kind: 'story.withdrawn',
        operation: 'withdrawStory',
        action: 'withdrawn',
        run: () => mutate(WithdrawStoryDocument, { id: story.id, version: story.version, reason: 'Superseded.' }),
      },
    ]
    for (const step of steps) {
      const before = await counts()
      const revisions = await db.prisma.storyRevision.count()
      const { value, requestId } = await step.run()
      const next = written(value)
      expect(next.version).toBe(story.version + 1)
      story = next

      expect(await counts()).toEqual({ audit: before.audit + 1, changes: before.changes + 1 })
      expect(await db.prisma.auditEntry.findMany({ where: { requestId } })).toEqual([
        expect.objectContaining({
          actor: 'test-editor',
          role: 'editor',
          operation: step.operation,
          targetType: 'Story',
          targetId: rowId(story.id),
        }),
      ])
      const change = await lastChange()
      expect(change).toMatchObject({
        kind: step.kind,
        objectType: 'Story',
        objectId: rowId(story.id),
        payload: expect.objectContaining({ version: story.version }),
      })
      expect(change.topics).toContain(`story:${rowId(story.id)}`)
      expect(await db.prisma.storyRevision.count()).toBe(revisions + 1)
      expect(await db.prisma.storyRevision.findMany({ where: { requestId } })).toEqual([
        expect.objectContaining({ version: story.version, action: step.action, actor: 'test-editor' }),
      ])
    }

    // the update's topics: the story, its tag and person; its facts: a draft's, with its new urgency and language
    const updated = await db.prisma.change.findFirstOrThrow({
      where: { kind: 'story.updated', objectId: rowId(story.id) },
    })
    expect(updated.topics).toEqual(
      expect.arrayContaining([`story:${rowId(story.id)}`, `tag:${tags[0]}`, `person:${person}`]),
    )
    const draft = { from: 'DRAFT', to: 'DRAFT', public: false, notice: false }
    expect(updated.payload).toEqual({
      version: 2,
      ...draft,
      urgency: 2,
      language: 'sv',
      fields: expect.arrayContaining(['urgency', 'language', 'tagIds', 'people']),
    })
    const created = await db.prisma.change.findFirstOrThrow({
      where: { kind: 'story.created', objectId: rowId(story.id) },
    })
    expect(created.payload).toEqual({ version: 1, ...draft, from: null, urgency: 5, language: 'en' })
  })

  it('get nothing from a refused mutation, which changes no table', async () => {
    const story = await createDraft()
    const revision = await db.prisma.storyRevision.findFirstOrThrow({ where: { storyId: rowId(story.id) } })
    const refusals: {
      what: string
      run: () => Promise<{ value: Result }>
      expected: [string, string, string | null]
    }[] = [
      {
        what: 'validation',
        run: () => mutate(CreateStoryDocument, { input: minimal({ slug: 'Not A Slug' }) }),
        expected: ['ValidationError', 'VALIDATION_FAILED', 'input.slug'],
      },
      {
        what: 'an unknown tag',
        run: () =>
          mutate(UpdateStoryDocument, { id: story.id, version: 1, input: { tagIds: [gid('Tag', NO_SUCH_ID)] } }),
        expected: ['NotFound', 'NOT_FOUND', 'input.tagIds.0'],
      },
      {
        what: 'an unknown story',
        run: () => mutate(PublishStoryDocument, { id: gid('Story', NO_SUCH_ID), version: 1 }),
        expected: ['NotFound', 'NOT_FOUND', 'id'],
      },
      {
        what: 'an unknown revision',
        run: () => mutate(RestoreRevisionDocument, { revisionId: gid('StoryRevision', NO_SUCH_ID), version: 1 }),
        expected: ['NotFound', 'NOT_FOUND', 'revisionId'],
      },
      {
        what: 'a conflict',
        run: () => mutate(RestoreRevisionDocument, { revisionId: gid('StoryRevision', revision.id), version: 7 }),
        expected: ['Conflict', 'CONFLICT', 'version'],
      },
      {
        what: 'the public',
        run: () => mutate(CreateStoryDocument, { input: minimal() }, {}),
        expected: ['Forbidden', 'FORBIDDEN', null],
      },
    ]
    for (const { what, run, expected } of refusals) {
      const before = await counts()
      await leavesNoTrace(async () => refused((await run()).value, ...expected))
      expect(await counts(), what).toEqual(before)
    }
  })
})

describe('revisions', () => {
  it('list every write, and restoring one brings back its text as a new revision', async () => {
    const story = await createDraft({
      headline: 'First headline',
      sections: [{ heading: 'Before', paragraphs: ['The first text.'] }],
      tagIds: [tagId('gaza')],
    })
    written(
      (
        await mutate(UpdateStoryDocument, {
          id: story.id,
          version: 1,
          input: {
            headline: 'Second headline',
            sections: [{ paragraphs: ['The second text, longer than the first.'] }],
            tagIds: [],
          },
        })
      ).value,
    )
    const revisionsOf = async () =>
      (await dataOf(app.run(StoryRevisionsDocument, { slug: story.slug }, editor))).story!.revisions
    const before = await revisionsOf()
    expect(before.edges.map((e) => [e.node.version, e.node.action, e.node.actor])).toEqual([
      [2, 'updated', 'test-editor'],
      [1, 'created', 'test-editor'],
    ])
    expect(before.edges[0]!.node.changes).toEqual({
      headline: { before: 'First headline', after: 'Second headline' },
      sections: {
        before: [{ heading: 'Before', paragraphs: ['The first text.'] }],
        after: [{ heading: null, paragraphs: ['The second text, longer than the first.'] }],
      },
      tagIds: { before: [made.tags.get('gaza')], after: [] },
    })

    const { value, requestId } = await mutate(RestoreRevisionDocument, {
      revisionId: before.edges[1]!.node.id,
      version: 2,
    })
    const restored = written(value)
    expect(restored).toMatchObject({
      version: 3,
      headline: 'First headline',
      body: [{ heading: 'Before', paragraphs: ['The first text.'] }],
      tags: { edges: [{ node: { slug: 'gaza' } }] },
      wordCount: 4, // the subheading counts
    })
    const after = await revisionsOf()
    expect(after.totalCount).toBe(3)
    expect(after.edges[0]!.node).toMatchObject({
      version: 3,
      action: 'restored',
      requestId,
      changes: { headline: { before: 'Second headline', after: 'First headline' } },
    })

    // a stale version is refused, as for any update
    refused(
      (await mutate(RestoreRevisionDocument, { revisionId: before.edges[1]!.node.id, version: 2 })).value,
      'Conflict',
      'CONFLICT',
      'version',
    )
  })

  it('are for editors only', async () => {
    const story = await publish(await createDraft())
    const { data, errors } = await app.run(StoryRevisionsDocument, { slug: story.slug })
    expect(data?.story ?? null).toBeNull()
    expect(errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['story', 'revisions'], 'FORBIDDEN']])
  })
})

describe('input rules', () => {
  const createWith = (input: Partial<StoryInput>) => async () =>
    (await mutate(CreateStoryDocument, { input: minimal(input) })).value

  it.each([
    ['a 1 MB headline', () => ({ headline: 'x'.repeat(1_000_000) }), 'input.headline'],
    ['a blank headline', () => ({ headline: '   ' }), 'input.headline'],
    [
      '10,000 sections',
      () => ({ sections: Array.from({ length: 10_000 }, () => ({ paragraphs: ['Text.'] })) }),
      'input.sections',
    ],
    ['an empty paragraph', () => ({ sections: [{ paragraphs: ['One.', ''] }] }), 'input.sections.0.paragraphs.1'],
    ['a bad slug', () => ({ slug: 'Not a slug!' }), 'input.slug'],
    ['a bad language', () => ({ language: 'English' }), 'input.language'],
    ['urgency 0', () => ({ urgency: 0 }), 'input.urgency'],
    ['urgency 10', () => ({ urgency: 10 }), 'input.urgency'],
    [
      'two headlines with one role',
      () => ({
        alternativeHeadlines: [
          { role: 'SHORT' as const, value: 'A' },
          { role: 'SHORT' as const, value: 'B' },
        ],
      }),
      'input.alternativeHeadlines.1',
    ],
    ['a tag given twice', () => ({ tagIds: [tagId('gaza'), tagId('gaza')] }), 'input.tagIds.1'],
    [
      'a tag given twice, spelled two ways',
      () => ({ tagIds: [tagId('gaza'), respelled(tagId('gaza'))] }),
      'input.tagIds.1',
    ],
    [
      'a person given twice, spelled two ways',
      () => ({
        people: [
          { id: personId('bassem-naim') },
          { id: respelled(personId('bassem-naim')), relation: 'ABOUT' as const },
        ],
      }),
      'input.people.1',
    ],
    [
      'a rendition that is not a web address',
      () => ({ photo: { renditions: [{ name: 'large', href: 'javascript:alert(1)' }] } }),
      'input.photo.renditions.0.href',
    ],
    ['a global id that is not base64', () => ({ tagIds: ['not-base64!!'] }), 'input.tagIds.0'],
    ['a global id without a type', () => ({ tagIds: [Buffer.from(NO_SUCH_ID).toString('base64')] }), 'input.tagIds.0'],
    ['a global id whose id is no id', () => ({ tagIds: [tagId('gaza'), gid('Tag', 'not-a-uuid')] }), 'input.tagIds.1'],
    ['a global id of another type', () => ({ people: [{ id: tagId('gaza') }] }), 'input.people.0.id'],
  ])('refuses %s with a ValidationError on its field', async (_, input, field) => {
    await leavesNoTrace(async () => refused(await createWith(input())(), 'ValidationError', 'VALIDATION_FAILED', field))
  })

  it.each([
    ['an unknown tag', () => ({ tagIds: [tagId('gaza'), gid('Tag', NO_SUCH_ID)] }), 'input.tagIds.1'],
    [
      'an unknown person',
      () => ({
        people: [{ id: personId('bassem-naim') }, { id: personId('donald-trump') }, { id: gid('Person', NO_SUCH_ID) }],
      }),
      'input.people.2.id',
    ],
    [
      'an unknown contributor',
      () => ({ contributors: [{ role: 'AUTHOR' as const, name: 'Nobody', personId: gid('Person', NO_SUCH_ID) }] }),
      'input.contributors.0.personId',
    ],
    [
      'an unknown related story',
      () => ({ related: [{ storyId: gid('Story', NO_SUCH_ID), reason: 'SAME_EVENT' as const }] }),
      'input.related.0.storyId',
    ],
  ])('refuses %s with a NotFound on its field', async (_, input, field) => {
    await leavesNoTrace(async () => refused(await createWith(input())(), 'NotFound', 'NOT_FOUND', field))
  })

  it('refuses a slug another story has', async () => {
    const story = await createDraft()
    await leavesNoTrace(async () =>
      refused(await createWith({ slug: story.slug })(), 'ValidationError', 'VALIDATION_FAILED', 'input.slug'),
    )
  })

  it('refuses clearing the headline, and a story related to itself', async () => {
    const story = await createDraft()
    await leavesNoTrace(async () => {
      const cleared = await mutate(UpdateStoryDocument, { id: story.id, version: 1, input: { headline: null } })
      refused(cleared.value, 'ValidationError', 'VALIDATION_FAILED', 'input.headline')
      refused(
        (
          await mutate(UpdateStoryDocument, {
            id: story.id,
            version: 1,
            input: { related: [{ storyId: story.id, reason: 'SAME_EVENT' }] },
          })
        ).value,
        'ValidationError',
        'VALIDATION_FAILED',
        'input.related.0.storyId',
      )
    })
  })

  it('refuses a malformed story id with a ValidationError on id', async () => {
    await leavesNoTrace(async () => {
      refused(
        (await mutate(PublishStoryDocument, { id: 'not-base64!!', version: 1 })).value,
        'ValidationError',
        'VALIDATION_FAILED',
        'id',
      )
      refused(
        (await mutate(PublishStoryDocument, { id: tagId('gaza'), version: 1 })).value,
        'ValidationError',
        'VALIDATION_FAILED',
        'id',
      )
    })
  })

  it('stores markup and script exactly as given (nothing here renders it)', async () => {
    const headline = '<script>alert("headline")</script> & <b>bold</b>'
    const paragraph = '<p onclick="steal()">Text &amp; more</p><img src=x onerror=alert(1)>'
    const story = await publish(
      await createDraft({
        headline,
        lede: '<i>lede</i>',
        sections: [{ heading: '<h2>x</h2>', paragraphs: [paragraph] }],
      }),
    )
    expect(await readPublic(story.slug)).toMatchObject({
      headline,
      lede: '<i>lede</i>',
      body: [{ heading: '<h2>x</h2>', paragraphs: [paragraph] }],
    })
    expect(
      await db.prisma.story.findUniqueOrThrow({ where: { slug: story.slug }, select: { headline: true } }),
    ).toEqual({ headline })
  })
})

describe('who may write', () => {
  let story: { id: string; slug: string; version: number }
  let revisionId: string
  beforeAll(async () => {
    story = await createDraft()
    revisionId = gid(
      'StoryRevision',
      (await db.prisma.storyRevision.findFirstOrThrow({ where: { storyId: rowId(story.id) } })).id,
    )
  })

  const everyMutation = (headers: Record<string, string>) => [
    () => app.run(CreateStoryDocument, { input: minimal() }, headers),
    () => app.run(UpdateStoryDocument, { id: story.id, version: 1, input: { headline: 'Changed' } }, headers),
    () => app.run(PublishStoryDocument, { id: story.id, version: 1 }, headers),
    () => app.run(WithdrawStoryDocument, { id: story.id, version: 1, reason: 'Because.' }, headers),
    () => app.run(AddCorrectionDocument, { storyId: story.id, kind: 'CORRECTION', text: 'Fixed.' }, headers),
    () => app.run(RestoreRevisionDocument, { revisionId, version: 1 }, headers),
  ]

  it('the public gets Forbidden for every story mutation', async () => {
    await leavesNoTrace(async () => {
      for (const run of everyMutation({})) {
        const { data, errors } = await run()
        expect(errors).toBeUndefined()
        refused(Object.values(data!)[0] as Result, 'Forbidden', 'FORBIDDEN', null)
      }
    })
  })

  it('an editor token signed with another key is refused with 401', async () => {
    const forged = await mintToken(
      { ...loadConfig(), JWT_SECRET: 'not-the-server-key-but-long-enough-to-sign' },
      { sub: 'mallory', role: 'editor' },
    )
    await leavesNoTrace(async () => {
      for (const run of everyMutation({ authorization: `Bearer ${forged}` })) {
        const result = await run()
        expect(result.status).toBe(401)
        expect(result.data ?? null).toBeNull()
        expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED'])
      }
    })
  })

  it('an expired editor token is refused with 401', async () => {
    const expired = await asRole('editor', 'late-editor', '-1s')
    await leavesNoTrace(async () => {
      for (const run of everyMutation(expired)) {
        const result = await run()
        expect(result.status).toBe(401)
        expect(result.data ?? null).toBeNull()
        expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED'])
      }
    })
  })
})
