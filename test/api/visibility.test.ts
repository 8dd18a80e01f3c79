// Who sees which story, on every path that reaches one. Two databases are written from one
// description: `world` holds stories of every state, `twin` the same minus the four the public may
// not see (a draft, a scheduled story and a published one whose embargo is still ahead, and a
// withdrawn one). For the public, every list, count, search and nested edge must read the same in
// both: a hidden story is indistinguishable from one that was never written. Lookups by slug or id
// must give null for it exactly as for a slug or id that does not exist, except that a withdrawn
// story is found as a notice, its text and picture held back. Every public response is also
// scanned for the hidden stories' text, which must never appear. Editors see everything.
import { randomUUID } from 'node:crypto'
import type { GraphQLFormattedError } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoryStatus } from '../../src/generated/prisma/enums.js'
import { readingStats } from '../../src/resolvers/reading.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

// ---------------------------------------------------------------------------------------------
// The data

const T0 = Date.parse('2025-03-01T08:00:00.000Z')
const hours = (h: number) => new Date(T0 + h * 3_600_000)
const FUTURE = new Date('2099-01-01T00:00:00.000Z')
const PAST = hours(2) // long gone when the tests run

const HIDDEN = ['draft', 'scheduled', 'embargoed', 'withdrawn'] as const
type Hidden = (typeof HIDDEN)[number]
/** hidden from the public altogether: not even a notice by slug or id */
const UNSEEN = ['draft', 'scheduled', 'embargoed'] as const

/** What the public must never find in any response. */
const secret = {
  headline: (k: Hidden) => `SECRET-${k}-headline`,
  lede: (k: Hidden) => `SECRET-${k}-lede`,
  body: (k: Hidden) => `SECRET-${k}-body`,
  photo: (k: Hidden) => `SECRET-${k}-photo`,
  note: (k: string) => `SECRET-${k}-note`,
  revision: 'SECRET-revision',
  audit: 'SECRET-audit',
  correction: 'SECRET-withdrawn-correction',
}

interface Spec {
  key: string
  slug: string
  status: StoryStatus
  headline: string
  lede: string
  body: string
  photo: string
  note: string
  firstPublishedAt: Date | null
  embargoedUntil?: Date
  withdrawnAt?: Date
  withdrawalReason?: string
  /** key of the story this one was adapted from */
  source?: string
  hidden: boolean
}

const hiddenSpec = (k: Hidden, status: StoryStatus, at: Date | null, extra: Partial<Spec> = {}): Spec => ({
  key: k,
  slug: `hidden-${k}`,
  status,
  // a withdrawn story's headline is part of its public notice; the others' must never show
  headline: k === 'withdrawn' ? 'Withdrawn: the quokka report' : `${secret.headline(k)} quokka report`,
  lede: `${secret.lede(k)}: a quokka met a numbat.`,
  body: `${secret.body(k)} The quokka was seen at dawn.`,
  photo: secret.photo(k),
  note: secret.note(k),
  firstPublishedAt: at,
  hidden: true,
  ...extra,
})

const SPECS: Spec[] = [
  {
    key: 'published',
    slug: 'front-page',
    status: 'PUBLISHED',
    headline: 'Harbour reopens after the storm',
    lede: 'The harbour reopened on Monday; a numbat watched.',
    body: 'Boats returned by noon.',
    photo: 'The harbour at dawn',
    note: secret.note('published'),
    firstPublishedAt: hours(1),
    hidden: false,
  },
  {
    key: 'due',
    slug: 'due-scheduled',
    status: 'SCHEDULED',
    headline: 'Ferry timetable changes',
    lede: 'New ferry times start today; the numbat ferry too.',
    body: 'The first boat leaves at six.',
    photo: 'A ferry',
    note: secret.note('due'),
    embargoedUntil: PAST,
    firstPublishedAt: PAST,
    hidden: false,
  },
  hiddenSpec('draft', 'DRAFT', null),
  hiddenSpec('scheduled', 'SCHEDULED', FUTURE, { embargoedUntil: FUTURE }),
  hiddenSpec('embargoed', 'PUBLISHED', hours(3), { embargoedUntil: FUTURE }),
  hiddenSpec('withdrawn', 'WITHDRAWN', hours(4), { withdrawnAt: hours(5), withdrawalReason: 'Legal advice' }),
  ...(['draft', 'scheduled', 'embargoed', 'withdrawn', 'due'] as const).map((source, i): Spec => ({
    key: `adaptation-of-${source}`,
    slug: `adaptation-of-${source}`,
    status: 'PUBLISHED',
    headline: `An adaptation (${i})`,
    lede: 'Adapted for radio.',
    body: 'Shorter.',
    photo: `Adaptation photo ${i}`,
    note: secret.note(`adaptation-${i}`),
    firstPublishedAt: hours(6 + i),
    source,
    hidden: false,
  })),
]

const spec = (key: string) => SPECS.find((s) => s.key === key)!
const VISIBLE = SPECS.filter((s) => !s.hidden)
const ALL = SPECS

// Ids are fixed, so the two databases can be compared response for response.
const ids = {
  story: Object.fromEntries(SPECS.map((s) => [s.key, randomUUID()])) as Record<string, string>,
  photo: Object.fromEntries(SPECS.map((s) => [s.key, randomUUID()])) as Record<string, string>,
  tag: randomUUID(),
  person: randomUUID(),
  organisation: randomUUID(),
  place: randomUUID(),
  event: randomUUID(),
  change: Object.fromEntries(['published', 'due', ...HIDDEN, 'nobody'].map((k) => [k, randomUUID()])) as Record<
    string,
    string
  >,
  correction: { withdrawn: randomUUID(), published: randomUUID() },
  revision: Object.fromEntries(SPECS.map((s) => [s.key, randomUUID()])) as Record<string, string>,
}
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')
const storyGid = (key: string) => globalId('Story', ids.story[key])

const ENTITY_SLUGS = {
  tag: 'harbours',
  person: 'ada-lovelace',
  organisation: 'port-authority',
  place: 'atlantis',
  event: 'harbour-summit',
}
type EntityKind = keyof typeof ENTITY_SLUGS
const ENTITIES = Object.keys(ENTITY_SLUGS) as EntityKind[]

/** Writes the world; without the hidden stories, their links, photos, revisions and correction. */
async function write(db: TestDatabase, withHidden: boolean) {
  const p = db.prisma
  await p.tag.create({ data: { id: ids.tag, slug: ENTITY_SLUGS.tag, name: 'Harbours' } })
  await p.person.create({ data: { id: ids.person, slug: ENTITY_SLUGS.person, name: 'Ada Lovelace' } })
  await p.organisation.create({
    data: { id: ids.organisation, slug: ENTITY_SLUGS.organisation, name: 'Port Authority', type: 'GOVERNMENT' },
  })
  await p.place.create({ data: { id: ids.place, slug: ENTITY_SLUGS.place, name: 'Atlantis' } })
  await p.event.create({
    data: { id: ids.event, slug: ENTITY_SLUGS.event, name: 'Harbour summit', locationId: ids.place },
  })

  const exists = (key: string) => withHidden || !spec(key).hidden
  // sources first, so adaptations can point at them
  for (const s of [...SPECS].sort((a, b) => Number(!!a.source) - Number(!!b.source))) {
    if (!exists(s.key)) continue
    const sections = [{ heading: null, paragraphs: [s.body] }]
    await p.story.create({
      data: {
        id: ids.story[s.key],
        slug: s.slug,
        headline: s.headline,
        lede: s.lede,
        status: s.status,
        firstPublishedAt: s.firstPublishedAt,
        embargoedUntil: s.embargoedUntil ?? null,
        withdrawnAt: s.withdrawnAt ?? null,
        withdrawalReason: s.withdrawalReason ?? null,
        editorNote: s.note,
        ...(s.source && exists(s.source) ? { sourceStory: { connect: { id: ids.story[s.source] } } } : {}),
        ...readingStats({ lede: s.lede, sections }),
        sections: { create: sections.map((x, position) => ({ position, ...x })) },
        photo: { create: { id: ids.photo[s.key], caption: s.photo, altText: s.photo } },
        tags: { create: [{ tagId: ids.tag }] },
        people: { create: [{ personId: ids.person, relation: 'ABOUT' }] },
        organisations: { create: [{ organisationId: ids.organisation, relation: 'MENTIONS' }] },
        places: { create: [{ placeId: ids.place, relation: 'ABOUT' }] },
        events: { create: [{ eventId: ids.event, relation: 'ABOUT' }] },
        revisions: {
          create: {
            id: ids.revision[s.key],
            version: 1,
            action: 'created',
            actor: `${secret.revision}-actor`,
            changes: { lede: { before: null, after: s.lede }, editorNote: { before: null, after: s.note } },
            snapshot: { headline: s.headline, lede: s.lede, editorNote: s.note },
            createdAt: hours(0),
          },
        },
      },
    })
  }

  // "More news" under the front page: every hidden story, then the one whose time has come.
  const related = [...HIDDEN, 'due'].filter(exists)
  await p.relatedStory.createMany({
    data: related.map((k) => ({
      storyId: ids.story.published,
      relatedId: ids.story[k],
      reason: 'SAME_EVENT' as const,
      position: [...HIDDEN, 'due'].indexOf(k),
    })),
  })

  // Every change of the event's status, each reported by a different story (or none).
  const reporters = ['published', 'due', ...HIDDEN, 'nobody']
  for (const [i, k] of reporters.entries()) {
    await p.eventStatusChange.create({
      data: {
        id: ids.change[k],
        eventId: ids.event,
        at: hours(10 + i),
        toStatus: i % 2 ? 'UNDERWAY' : 'CONFIRMED',
        note: `change ${i}`,
        reportedById: k !== 'nobody' && exists(k) ? ids.story[k] : null,
      },
    })
  }

  await p.correction.create({
    data: {
      id: ids.correction.published,
      storyId: ids.story.published,
      kind: 'CORRECTION',
      text: 'We misspelt the harbour master’s name.',
      field: 'lede',
      before: 'Jon',
      after: 'John',
      createdAt: hours(2),
      createdBy: 'desk',
    },
  })
  if (withHidden)
    await p.correction.create({
      data: {
        id: ids.correction.withdrawn,
        storyId: ids.story.withdrawn,
        kind: 'CORRECTION',
        text: `${secret.correction}: the quokka was a wallaby.`,
        field: 'lede',
        before: spec('withdrawn').lede,
        after: `${secret.lede('withdrawn')}: a wallaby met a numbat.`,
        createdAt: hours(4.5),
        createdBy: 'desk',
      },
    })

  await p.auditEntry.create({
    data: {
      actor: 'desk',
      role: 'editor',
      operation: 'updateStory',
      targetType: 'Story',
      targetId: ids.story.published,
      requestId: 'req-1',
      input: { editorNote: secret.audit },
    },
  })
}

let world: TestDatabase
let twin: TestDatabase
let app: ReturnType<typeof testApp>
let twinApp: ReturnType<typeof testApp>
let editor: Record<string, string>

beforeAll(async () => {
  ;[world, twin] = await Promise.all([createTestDatabase(), createTestDatabase()])
  app = testApp(world)
  twinApp = testApp(twin)
  editor = await asRole('editor')
  await Promise.all([write(world, true), write(twin, false)])
})
afterAll(async () => {
  await Promise.all([world?.drop(), twin?.drop()])
})

// ---------------------------------------------------------------------------------------------
// Helpers

interface Body {
  data?: any
  errors?: GraphQLFormattedError[]
}

/** Every string the public must never receive. */
const FORBIDDEN: string[] = [
  ...UNSEEN.flatMap((k) => [secret.headline(k), ids.story[k], storyGid(k), `hidden-${k}`]),
  ...HIDDEN.flatMap((k) => [secret.lede(k), secret.body(k), secret.photo(k), secret.note(k), ids.photo[k]]),
  ...SPECS.map((s) => s.note),
  secret.revision,
  secret.audit,
  secret.correction,
  ids.correction.withdrawn,
]

function expectNoSecrets(body: Body) {
  const text = JSON.stringify(body)
  for (const s of FORBIDDEN) expect(text, `the public response contains ${s}`).not.toContain(s)
}

const bodyOf = ({ data, errors }: Body): Body => (errors ? { data, errors } : { data })

/** As the public: no secret in the response. */
async function asPublic(query: string, variables: Record<string, unknown> = {}): Promise<Body> {
  const body = bodyOf(await app.run<any, any>(query, variables))
  expectNoSecrets(body)
  return body
}

/** As the public, and exactly what the same request gets where the hidden stories never existed. */
async function asPublicLikeTwin(query: string, variables: Record<string, unknown> = {}): Promise<Body> {
  const body = await asPublic(query, variables)
  const other = bodyOf(await twinApp.run<any, any>(query, variables))
  expect(body).toEqual(other)
  return body
}

/** As an editor; must succeed. */
async function asEditor(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const { data, errors } = await app.run<any, any>(query, variables, editor)
  expect(errors).toBeUndefined()
  return data
}

const slugs = (conn: { edges: { node: { slug: string } }[] }) => conn.edges.map((e) => e.node.slug)
const sorted = (xs: string[]) => [...xs].sort()
const slugsOf = (specs: Spec[]) => sorted(specs.map((s) => s.slug))
/** The public's stories in list order: newest first. */
const newestFirst = (specs: Spec[]) =>
  [...specs]
    .sort((a, b) => (b.firstPublishedAt?.getTime() ?? -Infinity) - (a.firstPublishedAt?.getTime() ?? -Infinity))
    .map((s) => s.slug)

const STORY = `id slug headline lede body { heading paragraphs } status embargoedUntil firstPublishedAt withdrawal { at reason } photo { id caption altText }`

const STORY_BY_SLUG = `query ($slug: String!) { story(slug: $slug) { ${STORY} } }`
const NODE = `query ($id: ID!) { node(id: $id) { __typename id ... on Story { ${STORY} } } }`
const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Story { ${STORY} } } }`
const STORIES = `query ($filter: StoryFilter, $first: Int, $after: String) {
  stories(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${STORY} } }
  }
}`
const SEARCH = `query ($query: String!, $first: Int, $last: Int) {
  search(query: $query, first: $first, last: $last) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor rank snippet node { ${STORY} } }
  }
}`
const entityStories = (kind: EntityKind) => `query ($slug: String!, $first: Int, $after: String) {
  ${kind}(slug: $slug) {
    slug
    stories(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor ${kind === 'tag' ? '' : 'relation'} node { ${STORY} } }
    }
  }
}`
const RELATED = `query ($slug: String!, $first: Int, $after: String) {
  story(slug: $slug) {
    slug
    related(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor reason node { ${STORY} } }
    }
  }
}`
const STATUS_HISTORY = `query ($slug: String!) {
  event(slug: $slug) {
    slug
    statusHistory(first: 100) { totalCount edges { node { id at to note reportedBy { ${STORY} } } } }
  }
}`
const SOURCE = `query ($slug: String!) { story(slug: $slug) { slug sourceStory { ${STORY} } } }`
/** Everything a story offers, editor-only fields included. */
const EVERYTHING = `query ($slug: String!) {
  story(slug: $slug) {
    ${STORY} editorNote version wordCount byline
    sourceStory { slug }
    related { totalCount edges { node { slug } } }
    corrections { totalCount edges { node { id text before after } } }
    revisions { totalCount edges { node { id actor changes } } }
    tags { totalCount edges { node { slug } } }
  }
}`

// ---------------------------------------------------------------------------------------------

describe('story(slug:)', () => {
  it.each(UNSEEN)('gives the public null for the %s story, exactly as for a slug that does not exist', async (k) => {
    const hidden = await asPublicLikeTwin(STORY_BY_SLUG, { slug: `hidden-${k}` })
    const missing = await asPublic(STORY_BY_SLUG, { slug: 'no-such-story' })
    expect(hidden).toEqual({ data: { story: null } })
    expect(hidden).toEqual(missing)
    // even with editor-only fields asked for: nothing resolves beneath a story that is not there
    const everything = await asPublicLikeTwin(EVERYTHING, { slug: `hidden-${k}` })
    expect(everything).toEqual({ data: { story: null } })
    expect(everything).toEqual(await asPublic(EVERYTHING, { slug: 'no-such-story' }))
  })

  it.each(HIDDEN)('gives an editor the whole %s story', async (k) => {
    const s = spec(k)
    const { story } = await asEditor(EVERYTHING, { slug: s.slug })
    expect(story).toMatchObject({
      id: storyGid(k),
      slug: s.slug,
      headline: s.headline,
      lede: s.lede,
      body: [{ heading: null, paragraphs: [s.body] }],
      photo: { caption: s.photo },
      editorNote: s.note,
      status: k === 'withdrawn' ? 'WITHDRAWN' : k === 'draft' ? 'DRAFT' : 'SCHEDULED',
    })
    expect(story.revisions.totalCount).toBe(1)
  })

  it('gives the public a withdrawn story as a notice: text and picture held back', async () => {
    const s = spec('withdrawn')
    const { data, errors } = await asPublic(STORY_BY_SLUG, { slug: s.slug })
    expect(errors).toBeUndefined()
    expect(data.story).toEqual({
      id: storyGid('withdrawn'),
      slug: s.slug,
      headline: s.headline,
      lede: null,
      body: [],
      status: 'WITHDRAWN',
      embargoedUntil: null,
      firstPublishedAt: s.firstPublishedAt!.toISOString(),
      withdrawal: { at: s.withdrawnAt!.toISOString(), reason: 'Legal advice' },
      photo: null,
    })
  })

  it('gives an editor the withdrawn story’s full text beside the notice', async () => {
    const s = spec('withdrawn')
    const { story } = await asEditor(STORY_BY_SLUG, { slug: s.slug })
    expect(story).toMatchObject({
      lede: s.lede,
      body: [{ heading: null, paragraphs: [s.body] }],
      photo: { caption: s.photo },
      withdrawal: { at: s.withdrawnAt!.toISOString(), reason: 'Legal advice' },
    })
  })

  it('shows the public a scheduled story whose time has come, as PUBLISHED', async () => {
    const s = spec('due')
    for (const headers of [{}, editor]) {
      const { data, errors } = await app.run<any, any>(STORY_BY_SLUG, { slug: s.slug }, headers)
      expect(errors).toBeUndefined()
      expect(data.story).toMatchObject({
        slug: s.slug,
        headline: s.headline,
        lede: s.lede,
        status: 'PUBLISHED',
        withdrawal: null,
      })
    }
  })

  it('holds back a withdrawn story’s corrections from the public, which quote its text', async () => {
    const q = `query ($slug: String!) { story(slug: $slug) { slug corrections { totalCount edges { node { id text before after } } } } }`
    const pub = await asPublic(q, { slug: 'hidden-withdrawn' })
    expect(pub).toEqual({ data: { story: { slug: 'hidden-withdrawn', corrections: { totalCount: 0, edges: [] } } } })
    const ed = await asEditor(q, { slug: 'hidden-withdrawn' })
    expect(ed.story.corrections.totalCount).toBe(1)
    expect(ed.story.corrections.edges[0].node.text).toContain(secret.correction)
    // a published story's corrections are for everyone
    const front = await asPublicLikeTwin(q, { slug: 'front-page' })
    expect(front.data.story.corrections).toMatchObject({
      totalCount: 1,
      edges: [{ node: { before: 'Jon', after: 'John' } }],
    })
  })
})

describe('stories', () => {
  it('lists for the public only the stories it may read, newest first, and counts only those', async () => {
    const { data } = await asPublicLikeTwin(STORIES, { first: 100 })
    expect(slugs(data.stories)).toEqual(newestFirst(VISIBLE))
    expect(data.stories.totalCount).toBe(VISIBLE.length)
    expect(data.stories.edges.every((e: any) => e.node.status === 'PUBLISHED')).toBe(true)
    // page by page too: no page, cursor or hasNextPage gives a hidden story away
    let after: string | undefined
    const walked: string[] = []
    for (let n = 0; n < 20; n++) {
      const page = (await asPublicLikeTwin(STORIES, { first: 2, after })).data.stories
      expect(page.totalCount).toBe(VISIBLE.length)
      walked.push(...slugs(page))
      if (!page.pageInfo.hasNextPage) break
      after = page.pageInfo.endCursor
    }
    expect(walked).toEqual(newestFirst(VISIBLE))
  })

  it.each(['DRAFT', 'SCHEDULED', 'WITHDRAWN'] as const)(
    'gives the public nothing for status %s, as for a filter nothing matches',
    async (status) => {
      const { data } = await asPublicLikeTwin(STORIES, { first: 100, filter: { status } })
      expect(data.stories).toEqual({
        totalCount: 0,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        edges: [],
      })
      expect(data).toEqual((await asPublic(STORIES, { first: 100, filter: { tag: 'no-such-tag' } })).data)
    },
  )

  it('gives the public for status PUBLISHED what it gets by default', async () => {
    const given = await asPublicLikeTwin(STORIES, { first: 100, filter: { status: 'PUBLISHED' } })
    expect(given).toEqual(await asPublic(STORIES, { first: 100 }))
  })

  it.each(ENTITIES)('gives the public only readable stories when filtering by %s', async (kind) => {
    const { data } = await asPublicLikeTwin(STORIES, { first: 100, filter: { [kind]: ENTITY_SLUGS[kind] } })
    expect(slugs(data.stories)).toEqual(newestFirst(VISIBLE))
    expect(data.stories.totalCount).toBe(VISIBLE.length)
  })

  it('gives an editor every story, each under its status', async () => {
    const list = async (status?: StoryStatus) =>
      (await asEditor(STORIES, { first: 100, filter: status ? { status } : null })).stories as {
        totalCount: number
        edges: { node: { slug: string; status: string } }[]
      }
    const published = await list()
    expect(sorted(slugs(published))).toEqual(slugsOf(VISIBLE))
    expect(published.totalCount).toBe(VISIBLE.length)
    expect(await list('PUBLISHED')).toEqual(published)
    const draft = await list('DRAFT')
    expect(slugs(draft)).toEqual(['hidden-draft'])
    expect(draft.totalCount).toBe(1)
    const scheduled = await list('SCHEDULED')
    expect(sorted(slugs(scheduled))).toEqual(['hidden-embargoed', 'hidden-scheduled'])
    expect(scheduled.totalCount).toBe(2)
    expect(scheduled.edges.every((e) => e.node.status === 'SCHEDULED')).toBe(true)
    const withdrawn = await list('WITHDRAWN')
    expect(slugs(withdrawn)).toEqual(['hidden-withdrawn'])
    expect(withdrawn.edges[0].node).toMatchObject({ status: 'WITHDRAWN', lede: spec('withdrawn').lede })
    // every story exactly once across the four statuses
    expect(sorted([published, draft, scheduled, withdrawn].flatMap(slugs))).toEqual(slugsOf(ALL))
  })
})

describe('search', () => {
  it('finds for the public nothing of a word only hidden stories use, as for a word nobody uses', async () => {
    for (const vars of [{ query: 'quokka' }, { query: 'quokka', last: 5 }, { query: 'quokka numbat', first: 1 }]) {
      const { data } = await asPublicLikeTwin(SEARCH, vars)
      expect(data.search.edges).toEqual([])
      expect(data.search.totalCount).toBe(0)
      expect(data).toEqual((await asPublic(SEARCH, { ...vars, query: 'zebrafinchery' })).data)
    }
  })

  it('finds for the public only the readable stories among those that match', async () => {
    for (const vars of [{ query: 'numbat' }, { query: 'numbat', last: 5 }, { query: 'numbat', first: 1 }]) {
      const { data } = await asPublicLikeTwin(SEARCH, vars)
      expect(data.search.totalCount).toBe(2)
      for (const slug of slugs(data.search)) expect(['front-page', 'due-scheduled']).toContain(slug)
    }
    const due = (await asPublicLikeTwin(SEARCH, { query: 'ferry' })).data.search
    expect(due.edges.map((e: any) => e.node)).toMatchObject([{ slug: 'due-scheduled', status: 'PUBLISHED' }])
  })

  it('finds every matching story for an editor', async () => {
    const quokka = (await asEditor(SEARCH, { query: 'quokka', first: 100 })).search
    expect(sorted(slugs(quokka))).toEqual(HIDDEN.map((k) => `hidden-${k}`).sort())
    expect(quokka.totalCount).toBe(4)
    const numbat = (await asEditor(SEARCH, { query: 'numbat', last: 100 })).search
    expect(numbat.totalCount).toBe(6)
  })
})

describe('node(id:) and nodes(ids:)', () => {
  it.each(UNSEEN)('gives the public null for the %s story, exactly as for an id that does not exist', async (k) => {
    const hidden = await asPublicLikeTwin(NODE, { id: storyGid(k) })
    expect(hidden).toEqual({ data: { node: null } })
    expect(hidden).toEqual(await asPublic(NODE, { id: globalId('Story', randomUUID()) }))
  })

  it('gives the public a withdrawn story by id as the same notice as by slug', async () => {
    const byId = await asPublic(NODE, { id: storyGid('withdrawn') })
    const bySlug = await asPublic(STORY_BY_SLUG, { slug: 'hidden-withdrawn' })
    expect(byId).toEqual({ data: { node: { __typename: 'Story', ...bySlug.data.story } } })
    expect(byId.data.node).toMatchObject({ lede: null, body: [], photo: null, withdrawal: { reason: 'Legal advice' } })
  })

  it('gives the public, in one request for many ids, null for each hidden or unknown one', async () => {
    const keys = ['published', ...UNSEEN, 'due', 'adaptation-of-draft']
    const all = [...keys.map(storyGid), globalId('Story', randomUUID())]
    const { data } = await asPublicLikeTwin(NODES, { ids: all })
    expect(data.nodes.map((n: any) => n?.slug ?? null)).toEqual([
      'front-page',
      null,
      null,
      null,
      'due-scheduled',
      'adaptation-of-draft',
      null,
    ])
    expect(data.nodes[4].status).toBe('PUBLISHED')
    // in another order, and one at a time: the same answers
    const reversed = await asPublicLikeTwin(NODES, { ids: [...all].reverse() })
    expect(reversed.data.nodes).toEqual([...data.nodes].reverse())
    for (const [i, id] of all.entries()) expect((await asPublic(NODE, { id })).data.node).toEqual(data.nodes[i])
  })

  it('gives an editor every story by id, alone or many at once', async () => {
    const all = ALL.map((s) => storyGid(s.key))
    const { nodes } = await asEditor(NODES, { ids: all })
    expect(nodes.map((n: any) => n.slug)).toEqual(ALL.map((s) => s.slug))
    for (const k of HIDDEN) {
      const { node } = await asEditor(NODE, { id: storyGid(k) })
      expect(node).toMatchObject({ slug: `hidden-${k}`, lede: spec(k).lede, photo: { caption: spec(k).photo } })
    }
  })

  it('gives the public no picture of a hidden or withdrawn story by id, as for an unknown id', async () => {
    const q = `query ($id: ID!) { node(id: $id) { __typename id ... on MediaAsset { caption altText } } }`
    for (const k of HIDDEN) {
      const { data } = await asPublicLikeTwin(q, { id: globalId('MediaAsset', ids.photo[k]) })
      expect(data).toEqual({ node: null })
      expect((await asEditor(q, { id: globalId('MediaAsset', ids.photo[k]) })).node.caption).toBe(spec(k).photo)
    }
    const shown = await asPublicLikeTwin(q, { id: globalId('MediaAsset', ids.photo.published) })
    expect(shown.data.node).toMatchObject({ __typename: 'MediaAsset', caption: spec('published').photo })
  })

  it('gives the public no correction of a withdrawn story by id, as for an unknown id', async () => {
    const q = `query ($id: ID!) { node(id: $id) { __typename id ... on Correction { text before after } } }`
    const hidden = await asPublicLikeTwin(q, { id: globalId('Correction', ids.correction.withdrawn) })
    expect(hidden).toEqual({ data: { node: null } })
    const shown = await asPublicLikeTwin(q, { id: globalId('Correction', ids.correction.published) })
    expect(shown.data.node).toMatchObject({ __typename: 'Correction', before: 'Jon', after: 'John' })
    const ed = await asEditor(q, { id: globalId('Correction', ids.correction.withdrawn) })
    expect(ed.node.text).toContain(secret.correction)
  })
})

describe('an entity’s stories', () => {
  it.each(ENTITIES)('%s: the public gets only readable stories, and a totalCount of only those', async (kind) => {
    const q = entityStories(kind)
    const { data } = await asPublicLikeTwin(q, { slug: ENTITY_SLUGS[kind], first: 100 })
    const stories = data[kind].stories
    expect(slugs(stories)).toEqual(newestFirst(VISIBLE))
    expect(stories.totalCount).toBe(VISIBLE.length)
    // paged, with the same cursors and pageInfo as where the hidden stories never were
    let after: string | undefined
    const walked: string[] = []
    for (let n = 0; n < 20; n++) {
      const page = (await asPublicLikeTwin(q, { slug: ENTITY_SLUGS[kind], first: 3, after })).data[kind].stories
      expect(page.totalCount).toBe(VISIBLE.length)
      walked.push(...slugs(page))
      if (!page.pageInfo.hasNextPage) break
      after = page.pageInfo.endCursor
    }
    expect(walked).toEqual(newestFirst(VISIBLE))
  })

  it.each(ENTITIES)('%s: an editor gets every story', async (kind) => {
    const data = await asEditor(entityStories(kind), { slug: ENTITY_SLUGS[kind], first: 100 })
    expect(sorted(slugs(data[kind].stories))).toEqual(slugsOf(ALL))
    expect(data[kind].stories.totalCount).toBe(ALL.length)
  })

  it('cannot be reached around, from a readable story’s links back to the entities', async () => {
    const q = `query ($slug: String!) { story(slug: $slug) {
      tags(first: 1) { edges { node { slug stories(first: 100) { totalCount edges { node { ${STORY} } } } } } }
      people(first: 1) { edges { node { slug stories(first: 100) { totalCount edges { node { ${STORY} } } } } } }
      events(first: 1) { edges { node { slug stories(first: 100) { totalCount edges { node { ${STORY} } } } } } }
    } }`
    const { data } = await asPublicLikeTwin(q, { slug: 'front-page' })
    for (const field of ['tags', 'people', 'events'])
      expect(data.story[field].edges[0].node.stories.totalCount).toBe(VISIBLE.length)
  })
})

describe('story.related', () => {
  // After the editors' picks come the stories sharing the front page's tag, people, places and
  // event (src/resolvers/related.ts), newest first: here, the adaptations, every one readable.
  const COMPUTED = newestFirst(VISIBLE.filter((s) => s.slug.startsWith('adaptation-of-')))

  it('gives the public only the readable related stories, and counts only those', async () => {
    const { data } = await asPublicLikeTwin(RELATED, { slug: 'front-page', first: 100 })
    expect(slugs(data.story.related)).toEqual(['due-scheduled', ...COMPUTED])
    expect(data.story.related.edges[0].node.status).toBe('PUBLISHED')
    expect(data.story.related.totalCount).toBe(1 + COMPUTED.length)
    const page = await asPublicLikeTwin(RELATED, { slug: 'front-page', first: 1 + COMPUTED.length })
    expect(page.data.story.related.pageInfo.hasNextPage).toBe(false)
  })

  it('gives an editor every related story', async () => {
    const { story } = await asEditor(RELATED, { slug: 'front-page', first: 100 })
    expect(slugs(story.related)).toEqual([...HIDDEN.map((k) => `hidden-${k}`), 'due-scheduled', ...COMPUTED])
    expect(story.related.totalCount).toBe(5 + COMPUTED.length)
  })
})

describe('event.statusHistory.reportedBy', () => {
  it('is null for the public where a hidden story reported the change, as where none did', async () => {
    const { data } = await asPublicLikeTwin(STATUS_HISTORY, { slug: ENTITY_SLUGS.event })
    const history = data.event.statusHistory
    expect(history.totalCount).toBe(7)
    const by = Object.fromEntries(history.edges.map((e: any) => [e.node.id, e.node.reportedBy?.slug ?? null]))
    expect(by[globalId('EventStatusChange', ids.change.published)]).toBe('front-page')
    expect(by[globalId('EventStatusChange', ids.change.due)]).toBe('due-scheduled')
    for (const k of [...HIDDEN, 'nobody']) expect(by[globalId('EventStatusChange', ids.change[k])]).toBeNull()
  })

  it('is the reporting story for an editor', async () => {
    const { event } = await asEditor(STATUS_HISTORY, { slug: ENTITY_SLUGS.event })
    const by = Object.fromEntries(
      event.statusHistory.edges.map((e: any) => [e.node.id, e.node.reportedBy?.slug ?? null]),
    )
    for (const k of HIDDEN) expect(by[globalId('EventStatusChange', ids.change[k])]).toBe(`hidden-${k}`)
  })

  it('is null for the public when the change is looked up by id', async () => {
    const q = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on EventStatusChange { note reportedBy { ${STORY} } } } }`
    const { data } = await asPublicLikeTwin(q, { ids: HIDDEN.map((k) => globalId('EventStatusChange', ids.change[k])) })
    expect(data.nodes.map((n: any) => n.reportedBy)).toEqual([null, null, null, null])
  })
})

describe('story.sourceStory', () => {
  it.each(HIDDEN)('is null for the public when the source is the %s story, as when there is none', async (k) => {
    const { data } = await asPublicLikeTwin(SOURCE, { slug: `adaptation-of-${k}` })
    expect(data.story).toEqual({ slug: `adaptation-of-${k}`, sourceStory: null })
    const edited = await asEditor(SOURCE, { slug: `adaptation-of-${k}` })
    expect(edited.story.sourceStory).toMatchObject({ slug: `hidden-${k}`, lede: spec(k).lede })
  })

  it('is the source for the public when the source is readable', async () => {
    const { data } = await asPublicLikeTwin(SOURCE, { slug: 'adaptation-of-due' })
    expect(data.story.sourceStory).toMatchObject({ slug: 'due-scheduled', status: 'PUBLISHED' })
  })

  it('is null for the public across a whole list of adaptations', async () => {
    const q = `{ stories(first: 100) { edges { node { slug sourceStory { ${STORY} } } } } }`
    const { data } = await asPublicLikeTwin(q)
    const sources = Object.fromEntries(
      data.stories.edges.map((e: any) => [e.node.slug, e.node.sourceStory?.slug ?? null]),
    )
    expect(sources).toMatchObject({
      'adaptation-of-draft': null,
      'adaptation-of-scheduled': null,
      'adaptation-of-embargoed': null,
      'adaptation-of-withdrawn': null,
      'adaptation-of-due': 'due-scheduled',
    })
  })
})

describe('a scheduled story whose time has come', () => {
  it('is public everywhere, as PUBLISHED', async () => {
    const statusOf = (conn: { edges: { node: { slug: string; status: string } }[] }) =>
      conn.edges.find((e) => e.node.slug === 'due-scheduled')?.node.status
    // (each path is compared with the twin in its own test above)
    const pub = async (q: string, v: Record<string, unknown> = {}) => (await asPublic(q, v)).data
    expect((await pub(STORY_BY_SLUG, { slug: 'due-scheduled' })).story.status).toBe('PUBLISHED')
    expect((await pub(NODE, { id: storyGid('due') })).node.status).toBe('PUBLISHED')
    expect(statusOf((await pub(STORIES, { first: 100 })).stories)).toBe('PUBLISHED')
    expect(statusOf((await pub(STORIES, { first: 100, filter: { status: 'PUBLISHED' } })).stories)).toBe('PUBLISHED')
    expect(statusOf((await pub(SEARCH, { query: 'ferry' })).search)).toBe('PUBLISHED')
    for (const kind of ENTITIES)
      expect(statusOf((await pub(entityStories(kind), { slug: ENTITY_SLUGS[kind], first: 100 }))[kind].stories)).toBe(
        'PUBLISHED',
      )
    expect(statusOf((await pub(RELATED, { slug: 'front-page', first: 100 })).story.related)).toBe('PUBLISHED')
    const history = (await pub(STATUS_HISTORY, { slug: ENTITY_SLUGS.event })).event.statusHistory.edges.map(
      (e: any) => e.node.reportedBy,
    )
    expect(history.filter(Boolean)).toContainEqual(
      expect.objectContaining({ slug: 'due-scheduled', status: 'PUBLISHED' }),
    )
    expect((await pub(SOURCE, { slug: 'adaptation-of-due' })).story.sourceStory).toMatchObject({
      slug: 'due-scheduled',
      status: 'PUBLISHED',
    })
  })

  it('is PUBLISHED for an editor too, and not among the SCHEDULED', async () => {
    expect((await asEditor(STORY_BY_SLUG, { slug: 'due-scheduled' })).story.status).toBe('PUBLISHED')
    const scheduled = (await asEditor(STORIES, { first: 100, filter: { status: 'SCHEDULED' } })).stories
    expect(slugs(scheduled)).not.toContain('due-scheduled')
  })
})

describe('editor-only fields', () => {
  it('refuses editorNote to the public with FORBIDDEN, and never sends the note', async () => {
    for (const slug of ['front-page', 'hidden-withdrawn']) {
      const { data, errors } = await asPublic(`query ($slug: String!) { story(slug: $slug) { slug editorNote } }`, {
        slug,
      })
      expect(data).toEqual({ story: { slug, editorNote: null } })
      expect(errors).toHaveLength(1)
      expect(errors![0]).toMatchObject({ path: ['story', 'editorNote'], extensions: { code: 'FORBIDDEN' } })
    }
  })

  it('refuses editorNote in a public list story by story, and never sends a note', async () => {
    const { data, errors } = await asPublic(`{ stories(first: 100) { edges { node { slug editorNote } } } }`)
    expect(data.stories.edges).toHaveLength(VISIBLE.length)
    expect(data.stories.edges.every((e: any) => e.node.editorNote === null)).toBe(true)
    expect(errors).toHaveLength(VISIBLE.length)
    for (const e of errors!) expect(e.extensions?.code).toBe('FORBIDDEN')
  })

  it('gives editorNote to an editor', async () => {
    for (const s of ALL) {
      const data = await asEditor(`query ($slug: String!) { story(slug: $slug) { editorNote } }`, { slug: s.slug })
      expect(data.story.editorNote).toBe(s.note)
    }
  })

  it('refuses revisions to the public with FORBIDDEN, and sends none', async () => {
    const q = `query ($slug: String!) { story(slug: $slug) { slug revisions { totalCount edges { node { id actor changes } } } } }`
    for (const slug of ['front-page', 'hidden-withdrawn']) {
      const { data, errors } = await asPublic(q, { slug })
      // revisions cannot be null, so the refusal takes the story with it
      expect(data).toEqual({ story: null })
      expect(errors).toHaveLength(1)
      expect(errors![0]).toMatchObject({ path: ['story', 'revisions'], extensions: { code: 'FORBIDDEN' } })
    }
  })

  it('refuses a revision looked up by id to the public with FORBIDDEN, whether or not the id exists', async () => {
    const queries = [
      `query ($id: ID!) { node(id: $id) { __typename id ... on StoryRevision { actor changes } } }`,
      // no field a scope guards: the refusal must not depend on the fields asked for
      `query ($id: ID!) { node(id: $id) { __typename } }`,
    ]
    for (const q of queries) {
      const unknown = await asPublic(q, { id: globalId('StoryRevision', randomUUID()) })
      expect(unknown).toMatchObject({
        data: { node: null },
        errors: [{ path: ['node'], extensions: { code: 'FORBIDDEN' } }],
      })
      expect(unknown.errors).toHaveLength(1)
      for (const k of ['published', ...HIDDEN])
        expect(await asPublicLikeTwin(q, { id: globalId('StoryRevision', ids.revision[k]) })).toEqual(unknown)
    }
  })

  it('gives revisions to an editor, hidden stories’ too', async () => {
    for (const k of ['published', ...HIDDEN]) {
      const data = await asEditor(
        `query ($slug: String!) { story(slug: $slug) { revisions { totalCount edges { node { actor changes } } } } }`,
        { slug: spec(k).slug },
      )
      expect(data.story.revisions.totalCount).toBe(1)
      expect(data.story.revisions.edges[0].node.changes.lede.after).toBe(spec(k).lede)
    }
    const node = await asEditor(`query ($id: ID!) { node(id: $id) { ... on StoryRevision { actor } } }`, {
      id: globalId('StoryRevision', ids.revision.draft),
    })
    expect(node.node.actor).toContain(secret.revision)
  })

  it('refuses auditLog to the public with FORBIDDEN, and sends no entry', async () => {
    const { data, errors } = await asPublic(`{ auditLog { totalCount edges { node { seq actor operation input } } } }`)
    // auditLog cannot be null, so the refusal takes the whole response's data with it
    expect(data ?? null).toBeNull()
    expect(errors).toHaveLength(1)
    expect(errors![0]).toMatchObject({ path: ['auditLog'], extensions: { code: 'FORBIDDEN' } })
  })

  it('gives auditLog to an editor', async () => {
    const { auditLog } = await asEditor(`{ auditLog { totalCount edges { node { operation input } } } }`)
    expect(auditLog.totalCount).toBe(1)
    expect(auditLog.edges[0].node.input).toEqual({ editorNote: secret.audit })
  })
})
