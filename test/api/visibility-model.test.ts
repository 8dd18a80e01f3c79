// One rule for what the public sees of a story, whatever editors do to it: "was it ever public,
// and is it now?". Random sequences of editor operations (create or import, edit, publish now or
// later, correct, retract, withdraw, import as canceled), and after each one every public path
// must agree with that rule: the story in full while it is public; a notice (headline and reason,
// nothing more) once it was public and has been withdrawn; otherwise nothing at all, on every path,
// exactly as for a story that was never written. At the end of each sequence the public live
// streams, replayed from before it, must not name a story the public never saw.
import { decodeGlobalID } from '@pothos/plugin-relay'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole, listening, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { latestCursor } from '../helpers/live.js'
import { sseStream } from '../helpers/sse.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let origin: string
let editor: Record<string, string>

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db)
  origin = await listening(app)
  editor = await asRole('editor')
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

// ---------------------------------------------------------------------------------------------
// The model: what the public may know of the story

interface Model {
  /** the global id and slug, once the story exists */
  id: string | null
  slug: string
  version: number
  status: 'DRAFT' | 'SCHEDULED' | 'PUBLISHED' | 'WITHDRAWN'
  everPublic: boolean
  /** a word in the story's text, new with every edit, for search */
  word: string
  headline: string
  reason: string | null
  /** made by importNinjs */
  imported?: boolean
  /** every correction's text, which the public may read only of a story it read */
  notes: string[]
}

type Op =
  | { kind: 'create' }
  | { kind: 'import'; pubStatus: 'usable' | 'withheld' | 'canceled' }
  | { kind: 'edit' }
  | { kind: 'publish' }
  | { kind: 'schedule' }
  | { kind: 'correct' }
  | { kind: 'retract' }
  | { kind: 'withdraw' }
  | { kind: 'importCanceled' }

const FUTURE = '2099-01-01T00:00:00.000Z'
const STORY = `id slug headline lede body { paragraphs } withdrawal { reason } corrections { totalCount }`
let counter = 0
const unique = (what: string) => `${what}${(++counter).toString(36)}x${Math.random().toString(36).slice(2, 8)}`

const CANCELED = 'Canceled by its provider (ninjs pubStatus "canceled").'

/** importNinjs of a text item with this content. */
async function importItem(
  m: Model,
  uri: string,
  pubStatus: string,
  content: { headline: string; sections: { paragraphs: string[] }[] },
) {
  const document = {
    uri,
    type: 'text',
    language: 'en',
    pubStatus,
    headlines: [{ value: content.headline }],
    bodies: [{ role: 'main', contentType: 'text/plain', value: content.sections[0]!.paragraphs[0] }],
  }
  const r = await write(
    `mutation($document: JSON!) { importNinjs(document: $document) { __typename ... on NinjsImport { story { id slug version } } ... on Error { code message } } }`,
    { document },
    'importNinjs',
  )
  expect(r.__typename, JSON.stringify(r)).toBe('NinjsImport')
  m.imported = true
  return r as { story: { id: string; slug: string; version: number } }
}

async function write(query: string, variables: Record<string, unknown>, field: string) {
  const { data, errors } = await app.run<Record<string, any>, Record<string, unknown>>(query, variables, editor)
  expect(errors, JSON.stringify(errors)).toBeUndefined()
  return data![field] as Record<string, any>
}

/** Carries out one operation through the API and moves the model as the rule says it must. */
async function apply(m: Model, op: Op): Promise<void> {
  const ok = (r: Record<string, any>) => {
    if (r.__typename === 'Story') m.version = r.version
    return r.__typename === 'Story'
  }
  const text = () => {
    m.word = unique('w')
    m.headline = `Headline ${m.word}`
    return {
      headline: m.headline,
      lede: `The lede of ${m.word}.`,
      sections: [{ paragraphs: [`The body of ${m.word}.`] }],
    }
  }
  const becomesPublic = () => {
    m.status = 'PUBLISHED'
    m.everPublic = true
  }
  const withdraws = (reason: string) => {
    m.status = 'WITHDRAWN'
    m.reason = reason
  }
  const result = `__typename ... on Story { id version } ... on Error { code }`
  switch (op.kind) {
    case 'create': {
      const r = await write(
        `mutation($input: StoryInput!) { createStory(input: $input) { ${result} } }`,
        { input: { slug: m.slug, ...text() } },
        'createStory',
      )
      expect(r.__typename).toBe('Story')
      m.id = r.id
      m.version = r.version
      return
    }
    case 'import': {
      const r = await importItem(m, `https://agency.example/items/${m.slug}`, op.pubStatus, text())
      m.id = r.story.id
      m.slug = r.story.slug
      m.version = r.story.version
      if (op.pubStatus === 'usable') becomesPublic()
      if (op.pubStatus === 'canceled') withdraws(CANCELED)
      return
    }
    case 'edit': {
      const previous = { word: m.word, headline: m.headline }
      const r = await write(
        `mutation($id: ID!, $version: Int!, $input: StoryUpdateInput!) { updateStory(id: $id, version: $version, input: $input) { ${result} } }`,
        { id: m.id, version: m.version, input: text() },
        'updateStory',
      )
      if (!ok(r)) Object.assign(m, previous)
      return
    }
    case 'publish':
    case 'schedule': {
      const at = op.kind === 'schedule' ? FUTURE : null
      const r = await write(
        `mutation($id: ID!, $version: Int!, $at: DateTime) { publishStory(id: $id, version: $version, at: $at) { ${result} } }`,
        { id: m.id, version: m.version, at },
        'publishStory',
      )
      if (ok(r)) {
        if (op.kind === 'publish') becomesPublic()
        else m.status = 'SCHEDULED'
      }
      return
    }
    case 'correct':
    case 'retract': {
      const reason = unique('reason')
      m.notes.push(reason)
      const kind = op.kind === 'retract' ? 'RETRACTION' : 'CORRECTION'
      const r = await write(
        `mutation($storyId: ID!, $kind: CorrectionKind!, $text: String!) { addCorrection(storyId: $storyId, kind: $kind, text: $text) { ${result} } }`,
        { storyId: m.id, kind, text: reason },
        'addCorrection',
      )
      expect(ok(r), JSON.stringify(r)).toBe(true)
      if (op.kind === 'retract' && m.status !== 'WITHDRAWN') withdraws(reason)
      return
    }
    case 'withdraw': {
      const reason = unique('reason')
      const r = await write(
        `mutation($id: ID!, $version: Int!, $reason: String!) { withdrawStory(id: $id, version: $version, reason: $reason) { ${result} } }`,
        { id: m.id, version: m.version, reason },
        'withdrawStory',
      )
      if (ok(r)) withdraws(reason)
      return
    }
    case 'importCanceled': {
      // the agency cancels the item, with a last text: by the uri it was imported under, or by
      // the urn a story of ours is exported under
      if (m.status === 'WITHDRAWN') return
      const uri = m.imported ? `https://agency.example/items/${m.slug}` : `urn:uuid:${decodeGlobalID(m.id!).id}`
      const r = await importItem(m, uri, 'canceled', text())
      m.version = r.story.version
      withdraws(CANCELED)
      return
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The public paths, each asked what it shows of the story

type Seen = 'story' | 'notice' | 'nothing'

const expected = (m: Model): Seen =>
  m.status === 'PUBLISHED' ? 'story' : m.status === 'WITHDRAWN' && m.everPublic ? 'notice' : 'nothing'

async function publicRead(query: string, variables: Record<string, unknown> = {}) {
  const { data, errors } = await app.run<Record<string, any>, Record<string, unknown>>(query, variables)
  expect(errors, JSON.stringify(errors)).toBeUndefined()
  return data!
}

/** What a lookup's answer shows: the story, its notice (headline and reason, no text), or nothing. */
function seenIn(story: Record<string, any> | null, m: Model): Seen {
  if (!story) return 'nothing'
  expect(story.headline).toBe(m.headline)
  if (story.withdrawal) {
    expect(story.withdrawal.reason).toBe(m.reason)
    expect(JSON.stringify([story.lede, story.body])).not.toContain(m.word)
    return 'notice'
  }
  expect(JSON.stringify(story.body)).toContain(m.word)
  return 'story'
}

async function document(format: 'ninjs' | 'jsonld', m: Model): Promise<Seen> {
  const response = await app.yoga.fetch(`http://test/${format}/stories/${encodeURIComponent(m.slug)}.json`)
  if (response.status === 404) return 'nothing'
  expect(response.status).toBe(200)
  const text = await response.text()
  expect(text).toContain(m.headline)
  return text.includes(`The body of ${m.word}`) ? 'story' : 'notice'
}

async function checkPublicPaths(m: Model, step: string) {
  const want = expected(m)
  const bySlug = await publicRead(`query($slug: String!) { story(slug: $slug) { ${STORY} } }`, { slug: m.slug })
  expect(seenIn(bySlug.story, m), `${step}: story(slug:)`).toBe(want)
  const byId = await publicRead(`query($id: ID!) { node(id: $id) { ... on Story { ${STORY} } } }`, { id: m.id })
  expect(seenIn(byId.node, m), `${step}: node(id:)`).toBe(want)
  // lists and search hold public stories only, never notices
  const listed = await publicRead(`{ stories(first: 100) { edges { node { id } } } }`)
  expect(
    listed.stories.edges.some((e: any) => e.node.id === m.id),
    `${step}: stories`,
  ).toBe(want === 'story')
  const found = await publicRead(`query($q: String!) { search(query: $q, first: 10) { edges { node { id } } } }`, {
    q: m.word,
  })
  expect(
    found.search.edges.some((e: any) => e.node.id === m.id),
    `${step}: search`,
  ).toBe(want === 'story')
  expect(await document('jsonld', m), `${step}: /jsonld`).toBe(want)
  expect(await document('ninjs', m), `${step}: /ninjs`).toBe(want)
}

// ---------------------------------------------------------------------------------------------
// The live streams, replayed from before the sequence up to a marker published after it

const PUBLIC_STREAMS = [
  `subscription($since: String) { breakingNews(minUrgency: 9, since: $since) { cursor kind story { id headline } } }`,
  `subscription($since: String) { storyPublished(since: $since) { cursor kind story { id headline } } }`,
  `subscription($since: String) { correctionPublished(since: $since) { cursor kind story { id headline } correction { text } } }`,
]

/** A story published and corrected after the sequence: every public stream names it, so a stream
 *  that reached it has replayed everything before it. */
async function marker(): Promise<string> {
  const slug = unique('marker-')
  const created = await write(
    `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } } }`,
    { input: { slug, headline: `Marker ${slug}`, urgency: 1 } },
    'createStory',
  )
  await write(
    `mutation($id: ID!, $version: Int!) { publishStory(id: $id, version: $version) { __typename } }`,
    { id: created.id, version: created.version },
    'publishStory',
  )
  await write(
    `mutation($storyId: ID!) { addCorrection(storyId: $storyId, kind: CORRECTION, text: "marker") { __typename } }`,
    { storyId: created.id },
    'addCorrection',
  )
  return created.id
}

async function checkReplays(m: Model, since: string, texts: string[]) {
  const markerId = await marker()
  for (const query of PUBLIC_STREAMS) {
    const stream = sseStream(origin, query, { since })
    try {
      await expect
        .poll(() => stream.received.some((r) => JSON.stringify(r).includes(markerId)), {
          timeout: 20_000,
          interval: 20,
        })
        .toBe(true)
    } finally {
      stream.close()
    }
    const seen = JSON.stringify(stream.received)
    if (!m.everPublic) {
      expect(seen, query).not.toContain(m.id!)
      for (const text of texts) expect(seen, query).not.toContain(text)
    }
  }
}

// ---------------------------------------------------------------------------------------------

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'edit' }),
  fc.constant<Op>({ kind: 'publish' }),
  fc.constant<Op>({ kind: 'schedule' }),
  fc.constant<Op>({ kind: 'correct' }),
  fc.constant<Op>({ kind: 'retract' }),
  fc.constant<Op>({ kind: 'withdraw' }),
  fc.constant<Op>({ kind: 'importCanceled' }),
)
const startArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'create' }),
  fc
    .constantFrom<'usable' | 'withheld' | 'canceled'>('usable', 'withheld', 'canceled')
    .map((pubStatus): Op => ({ kind: 'import', pubStatus })),
)

describe('what the public sees of a story, after any sequence of editor operations', () => {
  it('agrees on every public path with "was it ever public, and is it now?"', async () => {
    await fc.assert(
      fc.asyncProperty(startArb, fc.array(opArb, { minLength: 1, maxLength: 7 }), async (start, ops) => {
        const since = await latestCursor(db)
        const m: Model = {
          id: null,
          slug: unique('story-'),
          version: 1,
          status: 'DRAFT',
          everPublic: false,
          word: '',
          headline: '',
          reason: null,
          notes: [],
        }
        const texts: string[] = []
        for (const [i, op] of [start, ...ops].entries()) {
          await apply(m, op)
          texts.push(m.word)
          await checkPublicPaths(m, `step ${i} ${op.kind} (${[start, ...ops].map((o) => o.kind).join(', ')})`)
        }
        await checkReplays(m, since, [...texts, ...m.notes])
      }),
      { numRuns: 12, seed: 20261206, endOnFailure: true },
    )
  })

  it('keeps a draft withdrawn before publication out of every public path (the probe)', async () => {
    for (const how of ['withdraw', 'retract'] as const) {
      const since = await latestCursor(db)
      const m: Model = {
        id: null,
        slug: unique('probe-'),
        version: 1,
        status: 'DRAFT',
        everPublic: false,
        word: '',
        headline: '',
        reason: null,
        notes: [],
      }
      await apply(m, { kind: 'create' })
      await apply(m, { kind: how })
      await checkPublicPaths(m, how)
      await checkReplays(m, since, [m.word, m.headline, ...m.notes, m.reason!])
    }
  })
})
