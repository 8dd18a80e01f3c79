// Paging that survives change. A reader pages through a list (`first: 5`, or `last`/`before`) while
// editors publish, withdraw, re-date, re-tag and rewrite stories between the pages: the next page
// must go on from the position of the last item the reader saw, whatever became of that item.
// Across the pages every item that stayed in the list, where it was, throughout comes exactly
// once and in order; nothing hidden ever shows. Query.stories, a tag's stories and search, each
// with the changes made through the API where it has a way (publish, withdraw, retag, rewrite) and
// in the database where it has none (a new firstPublishedAt for a published story, a deletion);
// a property over random interleavings; related stories and co-mentions past a removed item;
// affiliations and participants written anew by an update; and cursors that say nothing but a
// position, refused when malformed or from another list.
import { encodeGlobalID } from '@pothos/plugin-relay'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let editor: Record<string, string>

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db)
  editor = await asRole('editor')
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

// ---------------------------------------------------------------------------------------------
// Helpers

type Viewer = 'public' | 'editor'
const headersOf = (viewer: Viewer) => (viewer === 'editor' ? editor : {})

/** A request's errors, thrown by `ok` so that a test can look at them. */
class Refused extends Error {
  constructor(readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[]) {
    super(JSON.stringify(errors))
  }
}

async function ok<T = any>(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const { data, errors } = await app.run<T, Record<string, unknown>>(query, variables, headers)
  if (errors) throw new Refused(errors)
  return data!
}

interface Page {
  edges: { cursor: string; node: { slug: string } }[]
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }
}

type PageArgs = { first?: number; after?: string | null; last?: number; before?: string | null }
type Fetch = (args: PageArgs) => Promise<Page>

const PAGE = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { slug } }`

/** The lists under test, as the viewer reads them. */
const lists = {
  stories:
    (viewer: Viewer, vars: { filter?: object; orderBy?: 'NEWEST' | 'OLDEST' } = {}): Fetch =>
    (args) =>
      ok<{ stories: Page }>(
        `query($first: Int, $after: String, $last: Int, $before: String, $filter: StoryFilter, $orderBy: StoryOrder) {
           stories(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) { ${PAGE} } }`,
        { ...args, ...vars },
        headersOf(viewer),
      ).then((d) => d.stories),
  tag:
    (viewer: Viewer, slug: string): Fetch =>
    (args) =>
      ok<{ tag: { stories: Page } }>(
        `query($slug: String!, $first: Int, $after: String, $last: Int, $before: String) {
           tag(slug: $slug) { stories(first: $first, after: $after, last: $last, before: $before) { ${PAGE} } } }`,
        { slug, ...args },
        headersOf(viewer),
      ).then((d) => d.tag.stories),
  search:
    (viewer: Viewer, query: string): Fetch =>
    (args) =>
      ok<{ search: Page }>(
        `query($query: String!, $first: Int, $after: String, $last: Int, $before: String) {
           search(query: $query, first: $first, after: $after, last: $last, before: $before) { ${PAGE} } }`,
        { query, ...args },
        headersOf(viewer),
      ).then((d) => d.search),
}

/** The whole list as it stands, read in pages of 100 (nothing changes meanwhile). */
async function snapshot(fetch: Fetch): Promise<string[]> {
  const slugs: string[] = []
  let after: string | null = null
  for (;;) {
    const page = await fetch({ first: 100, after })
    slugs.push(...page.edges.map((e) => e.node.slug))
    if (!page.pageInfo.hasNextPage) return slugs
    after = page.pageInfo.endCursor
  }
}

/**
 * Pages through the list `size` at a time, forward (first/after) or backward (last/before), and
 * after the n-th page runs `between(n, page)`. Returns the pages in the order read, and every slug
 * seen in the list's order (a backward walk's pages put back in front).
 */
async function walk(fetch: Fetch, size: number, between: (n: number, page: Page) => Promise<void>, forward = true) {
  const pages: string[][] = []
  let cursor: string | null = null
  for (let n = 0; ; n++) {
    expect(n, 'too many pages').toBeLessThan(100)
    const page = await fetch(forward ? { first: size, after: cursor } : { last: size, before: cursor })
    expect(page.edges.length).toBeLessThanOrEqual(size)
    if (page.edges.length > 0) {
      expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor)
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor)
    }
    pages.push(page.edges.map((e) => e.node.slug))
    const more = forward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage
    if (!more) break
    // a page is full unless it is the last
    expect(page.edges).toHaveLength(size)
    await between(n, page)
    cursor = forward ? page.pageInfo.endCursor : page.pageInfo.startCursor
  }
  const seen = forward ? pages.flat() : [...pages].reverse().flat()
  return { pages, seen }
}

/**
 * What must hold of a walk: every item of `before` (the list before the walk) that no change
 * touched comes exactly once, in the list's order; an item comes twice only if a change moved it.
 */
function expectNothingSkippedOrRepeated(before: string[], seen: string[], touched: Set<string>) {
  const stable = before.filter((slug) => !touched.has(slug))
  expect(
    seen.filter((slug) => stable.includes(slug)),
    'the items that stayed, each once, in order',
  ).toEqual(stable)
  const twice = seen.filter((slug, i) => seen.indexOf(slug) !== i)
  expect(
    twice.filter((slug) => !touched.has(slug)),
    'repeated',
  ).toEqual([])
}

// ---------------------------------------------------------------------------------------------
// A newsroom of its own for each test: published stories an hour apart (two in the same instant),
// filed under a tag of their own, each matching a word of its own as well as it mentions it; and a
// story scheduled for tomorrow.

let fixtures = 0
const HOUR = 3_600_000

interface Newsroom {
  tag: { id: string; slug: string; globalId: string }
  word: string
  /** slugs, newest first */
  slugs: string[]
  scheduled: string
  /** row id by slug */
  ids: Record<string, string>
}

async function newsroom(n = 16, base = Date.now() - 40 * HOUR): Promise<Newsroom> {
  const k = ++fixtures
  const word = `zyx${'abcdefghijklmnopqrstuvwxyz'[k % 26]}${'qwertyuiopasdfghjklzxcvbnm'[(k * 7) % 26]}quorm`
  const tag = await db.prisma.tag.create({ data: { slug: `desk-${k}`, name: `Desk ${k}` } })
  const ids: Record<string, string> = {}
  const slugs: string[] = []
  for (let i = 0; i < n; i++) {
    const slug = `r${k}-story-${String(i).padStart(2, '0')}`
    // stories 5 and 6 in the same instant; the word once to four times, so search ranks them apart
    const at = new Date(base + (i === 6 ? 5 : i) * HOUR)
    const row = await db.prisma.story.create({
      data: {
        slug,
        headline: `${word} report ${i}`,
        lede: Array.from({ length: 1 + (i % 4) }, () => word).join(' and '),
        status: 'PUBLISHED',
        firstPublishedAt: at,
        tags: { create: [{ tagId: tag.id }] },
      },
    })
    ids[slug] = row.id
    slugs.unshift(slug)
  }
  const scheduled = `r${k}-scheduled`
  const tomorrow = new Date(Date.now() + 24 * HOUR)
  ids[scheduled] = (
    await db.prisma.story.create({
      data: {
        slug: scheduled,
        headline: `${word} report scheduled`,
        lede: word,
        status: 'SCHEDULED',
        firstPublishedAt: tomorrow,
        embargoedUntil: tomorrow,
        tags: { create: [{ tagId: tag.id }] },
      },
    })
  ).id
  return { tag: { id: tag.id, slug: tag.slug, globalId: encodeGlobalID('Tag', tag.id) }, word, slugs, scheduled, ids }
}

// Editors' writes through the API

async function storyRef(slug: string): Promise<{ id: string; version: number }> {
  return (
    await ok<{ story: { id: string; version: number } }>(
      `query($slug: String!) { story(slug: $slug) { id version } }`,
      { slug },
      editor,
    )
  ).story
}

async function write(mutation: string, slug: string, more: Record<string, unknown> = {}) {
  const { id, version } = await storyRef(slug)
  const data = await ok<Record<string, { __typename: string }>>(mutation, { id, version, ...more }, editor)
  const result = Object.values(data)[0]
  expect(result.__typename, JSON.stringify(result)).toBe('Story')
}

const RESULT = `__typename ... on Error { code message }`
const editors = {
  withdraw: (slug: string) =>
    write(
      `mutation($id: ID!, $version: Int!) { withdrawStory(id: $id, version: $version, reason: "Withdrawn for a test") { ${RESULT} } }`,
      slug,
    ),
  publishNow: (slug: string) =>
    write(`mutation($id: ID!, $version: Int!) { publishStory(id: $id, version: $version) { ${RESULT} } }`, slug),
  update: (slug: string, input: Record<string, unknown>) =>
    write(
      `mutation($id: ID!, $version: Int!, $input: StoryUpdateInput!) { updateStory(id: $id, version: $version, input: $input) { ${RESULT} } }`,
      slug,
      { input },
    ),
}

// What the API has no way to do: a published story's first publication moved (an import or a
// correction of the record), a story deleted.
let moves = 0
/** A time before every other story's, earlier at each call: where a story moved "to the end" goes. */
const farPast = () => new Date(Date.UTC(2001, 0, 1) - ++moves * HOUR)
const redate = (slug: string, at: Date) => db.prisma.story.update({ where: { slug }, data: { firstPublishedAt: at } })

/** What a page read after `last` starts with: the first of `before` after it that no change touched. */
const firstUntouchedAfter = (before: string[], last: string, touched: Set<string>) =>
  before.slice(before.indexOf(last) + 1).find((slug) => !touched.has(slug))!

/** The slug of the edge a walk's cursor comes from: the last of a forward page, the first of a backward one. */
const cursorStory = (page: Page, forward = true) => (forward ? page.edges.at(-1)! : page.edges[0]).node.slug

// ---------------------------------------------------------------------------------------------

describe.each(['public', 'editor'] as const)('paging while the news changes, as %s', (viewer) => {
  it('Query.stories: the next page goes on after the story the cursor named, withdrawn or re-dated since', async () => {
    const room = await newsroom(24)
    const fetch = lists.stories(viewer)
    const before = await snapshot(fetch)
    expect(room.slugs.every((s) => before.includes(s))).toBe(true)
    const touched = new Set<string>()
    const expectedFirst: string[] = []
    let withdrawn = ''
    const { pages, seen } = await walk(fetch, 5, async (n, page) => {
      const last = cursorStory(page)
      const ahead = (k: number) => before[before.indexOf(last) + k]
      if (n === 0) {
        // the very story the cursor points to is withdrawn, and the scheduled one goes out now
        await editors.withdraw(last)
        await editors.publishNow(room.scheduled)
        touched.add(last).add(room.scheduled)
        withdrawn = last
      } else if (n === 1) {
        // the cursor's story moves to the top, and one not yet read to the very end
        const moved = ahead(3)
        await redate(last, new Date())
        await redate(moved, farPast())
        touched.add(last).add(moved)
      } else if (n === 2) {
        // one not yet read moves up among those already read
        const moved = ahead(2)
        await redate(moved, new Date(Date.now() - 1000))
        touched.add(moved)
      }
      expectedFirst[n + 1] = firstUntouchedAfter(before, last, touched)
    })
    expectedFirst.forEach((slug, n) => expect(pages[n][0], `page ${n} starts right after the cursor`).toBe(slug))
    expectNothingSkippedOrRepeated(before, seen, touched)
    // the withdrawn story is not on any page read after its withdrawal; the one moved to the end
    // is read there
    expect(pages.slice(1).flat()).not.toContain(withdrawn)
    expect(seen.at(-1)).toBe([...touched][3])
  })

  it('a tag’s stories: past a story withdrawn, taken off the tag by an update, re-dated, and one published', async () => {
    const room = await newsroom()
    const fetch = lists.tag(viewer, room.tag.slug)
    const before = await snapshot(fetch)
    expect([...before].sort()).toEqual([...(viewer === 'editor' ? [room.scheduled, ...room.slugs] : room.slugs)].sort())
    const touched = new Set<string>()
    const expectedFirst: string[] = []
    const { pages, seen } = await walk(fetch, 5, async (n, page) => {
      const last = cursorStory(page)
      touched.add(last)
      if (n === 0) {
        await editors.withdraw(last)
        await editors.publishNow(room.scheduled)
        touched.add(room.scheduled)
      } else if (n === 1) {
        // an update that takes it off the tag (the story's links are written anew)
        await editors.update(last, { tagIds: [] })
      } else if (n === 2) {
        await redate(last, farPast())
      }
      expectedFirst[n + 1] = firstUntouchedAfter(before, last, touched)
    })
    expect(pages.length).toBeGreaterThan(3)
    expectedFirst.forEach((slug, n) => expect(pages[n][0], `page ${n} starts right after the cursor`).toBe(slug))
    expectNothingSkippedOrRepeated(before, seen, touched)
    // gone: withdrawn (for the public), off the tag (for everyone)
    if (viewer === 'public') expect(pages.slice(1).flat()).not.toContain(pages[0].at(-1))
    expect(pages.slice(2).flat()).not.toContain(pages[1].at(-1))
  })

  it('search: past a hit withdrawn, one rewritten to rank elsewhere, and one re-dated', async () => {
    const room = await newsroom()
    const fetch = lists.search(viewer, room.word)
    const before = await snapshot(fetch)
    expect([...before].sort()).toEqual([...(viewer === 'editor' ? [room.scheduled, ...room.slugs] : room.slugs)].sort())
    const touched = new Set<string>()
    const expectedFirst: string[] = []
    const { pages, seen } = await walk(fetch, 5, async (n, page) => {
      const last = cursorStory(page)
      touched.add(last)
      if (n === 0) await editors.withdraw(last)
      // the word twenty times more: it ranks first now
      else if (n === 1) await editors.update(last, { lede: Array.from({ length: 20 }, () => room.word).join(' ') })
      else if (n === 2) await redate(last, farPast())
      expectedFirst[n + 1] = firstUntouchedAfter(before, last, touched)
    })
    expect(pages.length).toBeGreaterThan(3)
    expectedFirst.forEach((slug, n) => expect(pages[n][0], `page ${n} starts right after the cursor`).toBe(slug))
    expectNothingSkippedOrRepeated(before, seen, touched)
    if (viewer === 'public') expect(pages.slice(1).flat()).not.toContain(pages[0].at(-1))
  })
})

describe('paging backward while the news changes', () => {
  it('last/before goes on before the story the cursor named, withdrawn since', async () => {
    const room = await newsroom(12)
    const fetch = lists.stories('public', { filter: { tag: room.tag.slug } })
    const before = await snapshot(fetch)
    const touched = new Set<string>()
    const { pages, seen } = await walk(
      fetch,
      5,
      async (_n, page) => {
        const first = cursorStory(page, false)
        touched.add(first)
        await editors.withdraw(first)
      },
      false,
    )
    expectNothingSkippedOrRepeated(before, seen, touched)
    // the second page read ends right before the story withdrawn after the first
    const first = pages[0][0]
    expect(pages[1].at(-1)).toBe(before[before.indexOf(first) - 1])
  })
})

// ---------------------------------------------------------------------------------------------
// Random interleavings of changes and pages

type Op =
  | { kind: 'withdraw' | 'unpublish' | 'delete' | 'untag' | 'retag'; target: number | 'cursor' }
  | { kind: 'redate'; target: number | 'cursor'; hour: number }
  | { kind: 'add'; hour: number }

const target = fc.oneof(fc.constant('cursor' as const), fc.nat({ max: 20 }))
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('withdraw', 'unpublish', 'delete', 'untag', 'retag'), target }),
  fc.record({ kind: fc.constant('redate' as const), target, hour: fc.integer({ min: -2, max: 12 }) }),
  fc.record({ kind: fc.constant('add' as const), hour: fc.integer({ min: -2, max: 12 }) }),
)

describe('any interleaving of changes and pages', () => {
  it('never skips or repeats what stayed in the list, nor shows what left it', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          list: fc.constantFrom('stories', 'stories-oldest', 'tag'),
          viewer: fc.constantFrom<Viewer>('public', 'editor'),
          forward: fc.boolean(),
          size: fc.integer({ min: 1, max: 4 }),
          // each story's hour: some share one
          hours: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 3, maxLength: 9 }),
          changes: fc.array(fc.array(op, { maxLength: 2 }), { maxLength: 10 }),
        }),
        async ({ list, viewer, forward, size, hours, changes }) => {
          const k = ++run
          const base = Date.UTC(2020, 0, 1) + k * 100 * HOUR
          const tag = await db.prisma.tag.create({
            data: { slug: `prop-${k}-${Math.random().toString(36).slice(2, 8)}`, name: 'Property' },
          })
          let made = 0
          const add = async (hour: number) => {
            const slug = `${tag.slug}-s${made++}`
            await db.prisma.story.create({
              data: {
                slug,
                headline: slug,
                status: 'PUBLISHED',
                firstPublishedAt: new Date(base + hour * HOUR),
                tags: { create: [{ tagId: tag.id }] },
              },
            })
            return slug
          }
          for (const hour of hours) await add(hour)

          const fetch =
            list === 'tag'
              ? lists.tag(viewer, tag.slug)
              : lists.stories(viewer, { filter: { tag: tag.slug }, orderBy: list === 'stories' ? 'NEWEST' : 'OLDEST' })
          const before = await snapshot(fetch)
          expect(before).toHaveLength(hours.length)
          const touched = new Set<string>()
          // what has left the list for good, and after which page
          const gone = new Map<string, number>()
          // editors see withdrawn and unpublished stories among a tag's stories
          const hides = (kind: Op['kind']) =>
            kind === 'delete' ||
            kind === 'untag' ||
            ((kind === 'withdraw' || kind === 'unpublish') && !(list === 'tag' && viewer === 'editor'))

          const { pages } = await walk(
            fetch,
            size,
            async (n, page) => {
              for (const change of changes[n] ?? []) {
                if (change.kind === 'add') {
                  await add(change.hour)
                  continue
                }
                const alive = before.filter((s) => !gone.has(s))
                const slug =
                  change.target === 'cursor'
                    ? cursorStory(page, forward)
                    : alive[change.target % Math.max(alive.length, 1)]
                if (!slug || gone.has(slug)) continue
                const where = { slug }
                switch (change.kind) {
                  case 'withdraw':
                    await db.prisma.story.update({ where, data: { status: 'WITHDRAWN', withdrawnAt: new Date() } })
                    break
                  case 'unpublish':
                    await db.prisma.story.update({ where, data: { status: 'DRAFT', firstPublishedAt: null } })
                    break
                  case 'delete':
                    await db.prisma.story.delete({ where })
                    break
                  case 'untag':
                    await db.prisma.storyTag.deleteMany({ where: { tagId: tag.id, story: where } })
                    break
                  case 'retag': {
                    // the link written anew, as an update does: the story never leaves the list
                    const story = await db.prisma.story.findUniqueOrThrow({ where, select: { id: true } })
                    await db.prisma.$transaction([
                      db.prisma.storyTag.deleteMany({ where: { tagId: tag.id, storyId: story.id } }),
                      db.prisma.storyTag.create({ data: { tagId: tag.id, storyId: story.id } }),
                    ])
                    break
                  }
                  case 'redate':
                    await db.prisma.story.update({
                      where,
                      data: { firstPublishedAt: new Date(base + change.hour * HOUR) },
                    })
                    break
                }
                if (change.kind !== 'retag') touched.add(slug)
                if (hides(change.kind)) gone.set(slug, n)
              }
            },
            forward,
          )
          const seen = forward ? pages.flat() : [...pages].reverse().flat()
          expectNothingSkippedOrRepeated(before, seen, touched)
          // nothing shows on a page read after it left the list
          pages.forEach((slugs, n) => {
            for (const slug of slugs)
              if (gone.has(slug)) expect(n, `${slug} after it left`).toBeLessThanOrEqual(gone.get(slug)!)
          })
        },
      ),
      { numRuns: 60 },
    )
  }, 240_000)
})

// ---------------------------------------------------------------------------------------------
// Ranked lists past a removed item

describe('related stories past a removed item', () => {
  const RELATED = `query($slug: String!, $first: Int, $after: String, $last: Int, $before: String) {
    story(slug: $slug) { related(first: $first, after: $after, last: $last, before: $before) { totalCount ${PAGE} } } }`
  const related = (args: PageArgs & { slug: string }) =>
    ok<{ story: { related: Page & { totalCount: number } } }>(RELATED, args).then((d) => d.story.related)
  const slugs = (p: Page) => p.edges.map((e) => e.node.slug)

  /** A story and six more sharing 6, 5, 4, 3, 2 and 1 of its tags. */
  async function graph(prefix: string) {
    const tags = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => db.prisma.tag.create({ data: { slug: `${prefix}-t${i}`, name: `t${i}` } })),
    )
    const story = (slug: string, n: number, minute: number) =>
      db.prisma.story.create({
        data: {
          slug: `${prefix}-${slug}`,
          headline: slug,
          status: 'PUBLISHED',
          firstPublishedAt: new Date(Date.UTC(2024, 0, 1, 0, minute)),
          tags: { create: tags.slice(0, n).map((t) => ({ tagId: t.id })) },
        },
      })
    await story('main', 6, 0)
    for (let n = 6; n >= 1; n--) await story(`shares-${n}`, n, 10 - n)
    return (n: number) => `${prefix}-shares-${n}`
  }

  it('goes on after the related story the cursor named, when it is no longer related', async () => {
    const s = await graph('rel-a')
    const first = await related({ slug: 'rel-a-main', first: 2 })
    expect(slugs(first)).toEqual([s(6), s(5)])
    // the cursor's story shares nothing any more
    await db.prisma.storyTag.deleteMany({ where: { story: { slug: s(5) } } })
    const next = await related({ slug: 'rel-a-main', first: 2, after: first.pageInfo.endCursor })
    expect(slugs(next)).toEqual([s(4), s(3)])
    expect(next.totalCount).toBe(5)
  })

  it('goes on after the cursor when one before it is withdrawn, and back with last/before', async () => {
    const s = await graph('rel-b')
    const first = await related({ slug: 'rel-b-main', first: 3 })
    expect(slugs(first)).toEqual([s(6), s(5), s(4)])
    await editors.withdraw(s(6))
    const next = await related({ slug: 'rel-b-main', first: 3, after: first.pageInfo.endCursor })
    expect(slugs(next)).toEqual([s(3), s(2), s(1)])
    expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
    const back = await related({ slug: 'rel-b-main', last: 3, before: next.pageInfo.startCursor })
    expect(slugs(back)).toEqual([s(5), s(4)])
    expect(back.pageInfo.hasPreviousPage).toBe(false)
  })
})

describe('co-mentions past a removed item', () => {
  const CO = `query($slug: String!, $first: Int, $after: String) {
    person(slug: $slug) { coMentioned(within: 3650, type: PERSON, first: $first, after: $after) { totalCount ${PAGE.replace('node { slug }', 'node { ... on Person { slug } }')} } } }`
  const coMentioned = (slug: string, args: PageArgs) =>
    ok<{ person: { coMentioned: Page & { totalCount: number } } }>(CO, { slug, ...args }).then(
      (d) => d.person.coMentioned,
    )
  const slugs = (p: Page) => p.edges.map((e) => e.node.slug)

  it('goes on after the person the cursor named, when no story names them any more', async () => {
    const person = async (slug: string) => (await db.prisma.person.create({ data: { slug, name: slug } })).id
    const ids: Record<string, string> = {}
    for (const slug of ['co-ana', 'co-ben', 'co-cleo', 'co-dan', 'co-eve']) ids[slug] = await person(slug)
    // ana with ben in four stories, cleo in three, dan in two, eve in one
    const counts = { 'co-ben': 4, 'co-cleo': 3, 'co-dan': 2, 'co-eve': 1 }
    let i = 0
    for (const [other, n] of Object.entries(counts)) {
      for (let j = 0; j < n; j++) {
        await db.prisma.story.create({
          data: {
            slug: `co-story-${i}`,
            headline: 'co',
            status: 'PUBLISHED',
            firstPublishedAt: new Date(Date.now() - ++i * HOUR),
            people: { create: [{ personId: ids['co-ana'] }, { personId: ids[other] }] },
          },
        })
      }
    }
    const first = await coMentioned('co-ana', { first: 2 })
    expect(slugs(first)).toEqual(['co-ben', 'co-cleo'])
    // cleo's stories are withdrawn: cleo is involved no more
    for (const story of await db.prisma.story.findMany({
      where: { people: { some: { personId: ids['co-cleo'] } } },
      select: { slug: true },
    })) {
      await editors.withdraw(story.slug)
    }
    const next = await coMentioned('co-ana', { first: 2, after: first.pageInfo.endCursor })
    expect(slugs(next)).toEqual(['co-dan', 'co-eve'])
    expect(next.totalCount).toBe(3)
  })
})

// ---------------------------------------------------------------------------------------------
// Lists an update writes anew: their rows are deleted and made again, the cursor's among them

describe('lists an update replaces whole', () => {
  const gid = (type: string, id: string) => encodeGlobalID(type, id)
  const slugsOf = <T>(p: { edges: { node: T }[] }, name: (node: T) => string) => p.edges.map((e) => name(e.node))

  it('a person’s affiliations go on after the cursor’s, when upsertPerson has written them anew without it', async () => {
    const orgs = await Promise.all(
      ['aff-a', 'aff-b', 'aff-c', 'aff-d', 'aff-e'].map((slug) =>
        db.prisma.organisation.create({ data: { slug, name: slug } }),
      ),
    )
    // newest start first: a (2024) … e (2020)
    const affiliation = (i: number) => ({
      organisationId: gid('Organisation', orgs[i].id),
      role: `Role ${i}`,
      startDate: `${2024 - i}-01-01T00:00:00.000Z`,
    })
    const upsert = (affiliations: object[], version?: number) =>
      ok<{ upsertPerson: { __typename: string; version: number } }>(
        `mutation($input: PersonInput!, $version: Int) { upsertPerson(input: $input, version: $version) { __typename ... on Person { version } ... on Error { code message } } }`,
        { input: { slug: 'aff-person', name: 'Aff Person', affiliations }, version },
        editor,
      ).then((d) => d.upsertPerson)
    const created = await upsert([0, 1, 2, 3, 4].map(affiliation))
    expect(created.__typename).toBe('Person')
    const AFF = `query($after: String) { person(slug: "aff-person") { affiliations(first: 2, after: $after) { ${PAGE.replace('node { slug }', 'node { organisation { slug } }')} } } }`
    const page = (after: string | null) =>
      ok<{ person: { affiliations: Page & { edges: { node: { organisation: { slug: string } } }[] } } }>(AFF, {
        after,
      }).then((d) => d.person.affiliations)
    const first = await page(null)
    expect(slugsOf(first, (n: any) => n.organisation.slug)).toEqual(['aff-a', 'aff-b'])
    // every affiliation written anew, the cursor's (b) left out
    expect((await upsert([0, 2, 3, 4].map(affiliation), created.version)).__typename).toBe('Person')
    const next = await page(first.pageInfo.endCursor)
    expect(slugsOf(next, (n: any) => n.organisation.slug)).toEqual(['aff-c', 'aff-d'])
  })

  it('an event’s participants go on after the cursor’s role, when updateEvent has written them anew without it', async () => {
    const orgs = await Promise.all(
      ['part-a', 'part-b', 'part-c', 'part-d', 'part-e'].map((slug) =>
        db.prisma.organisation.create({ data: { slug, name: slug } }),
      ),
    )
    const ROLES = ['PARTY', 'MEDIATOR', 'HOST', 'OBSERVER', 'ORGANISER'] // in the enum's order
    const participant = (i: number) => ({ role: ROLES[i], organisationId: gid('Organisation', orgs[i].id) })
    const created = await ok<{ createEvent: { __typename: string; id: string; version: number } }>(
      `mutation($input: CreateEventInput!) { createEvent(input: $input) { __typename ... on Event { id version } ... on Error { code message } } }`,
      { input: { slug: 'part-talks', name: 'Talks', participants: [4, 3, 2, 1, 0].map(participant) } },
      editor,
    ).then((d) => d.createEvent)
    expect(created.__typename).toBe('Event')
    const PART = `query($after: String) { event(slug: "part-talks") { participants(first: 2, after: $after) { ${PAGE.replace('node { slug }', 'node { role organisation { slug } }')} } } }`
    const page = (after: string | null) =>
      ok<{ event: { participants: Page } }>(PART, { after }).then((d) => d.event.participants)
    const first = await page(null)
    expect(slugsOf(first, (n: any) => n.organisation.slug)).toEqual(['part-a', 'part-b'])
    const updated = await ok<{ updateEvent: { __typename: string } }>(
      `mutation($id: ID!, $version: Int!, $input: UpdateEventInput!) { updateEvent(id: $id, version: $version, input: $input) { __typename ... on Error { code message } } }`,
      { id: created.id, version: created.version, input: { participants: [0, 2, 3, 4].map(participant) } },
      editor,
    )
    expect(updated.updateEvent.__typename).toBe('Event')
    const next = await page(first.pageInfo.endCursor)
    expect(slugsOf(next, (n: any) => n.organisation.slug)).toEqual(['part-c', 'part-d'])
    const back = await ok<{ event: { participants: Page } }>(
      `query($before: String) { event(slug: "part-talks") { participants(last: 2, before: $before) { ${PAGE.replace('node { slug }', 'node { role organisation { slug } }')} } } }`,
      { before: next.pageInfo.startCursor },
    ).then((d) => d.event.participants)
    expect(slugsOf(back, (n: any) => n.organisation.slug)).toEqual(['part-a'])
  })
})

describe('a list by name', () => {
  it('an organisation’s children, names alike and not, go on after the cursor’s name when it is renamed', async () => {
    const parent = await db.prisma.organisation.create({ data: { slug: 'kids-parent', name: 'Parent' } })
    // the database's order of names, whatever its collation: two alike, one with "|" and "%"
    const names = ['Beta', 'Alpha', 'Gamma | 50%', 'Delta', 'Alpha', 'Épsilon', 'zeta']
    for (const [i, name] of names.entries()) {
      await db.prisma.organisation.create({ data: { slug: `kids-${i}`, name, parentId: parent.id } })
    }
    const KIDS = `query($first: Int, $after: String) { organisation(slug: "kids-parent") { children(first: $first, after: $after) { ${PAGE} } } }`
    const page = (first: number, after: string | null = null) =>
      ok<{ organisation: { children: Page } }>(KIDS, { first, after }).then((d) => d.organisation.children)
    const whole = (await page(100)).edges.map((e) => e.node.slug)
    expect(whole).toHaveLength(names.length)
    const seen: string[] = []
    const touched = new Set<string>()
    let after: string | null = null
    for (let n = 0; n < 10; n++) {
      const p = await page(2, after)
      seen.push(...p.edges.map((e) => e.node.slug))
      if (!p.pageInfo.hasNextPage) break
      after = p.pageInfo.endCursor
      if (n === 0) {
        // the cursor's organisation renamed to come last
        const last = p.edges.at(-1)!.node.slug
        await db.prisma.organisation.update({ where: { slug: last }, data: { name: 'zzz' } })
        touched.add(last)
      }
    }
    expectNothingSkippedOrRepeated(whole, seen, touched)
  })
})

// ---------------------------------------------------------------------------------------------
// What a cursor says, and what is refused

describe('cursors', () => {
  it('hold a position and nothing else: an editor’s cursor at a draft gives the public only public stories', async () => {
    const room = await newsroom(6, Date.UTC(2019, 0, 1))
    await db.prisma.story.create({
      data: { slug: 'cursor-draft', headline: 'Draft', status: 'DRAFT', tags: { create: [{ tagId: room.tag.id }] } },
    })
    const drafts = await lists.stories('editor', { filter: { status: 'DRAFT' } })({ first: 100 })
    const atDraft = drafts.edges.find((e) => e.node.slug === 'cursor-draft')!.cursor
    // drafts have no date: they come last, so nothing public lies past one
    const past = await lists.stories('public')({ first: 5, after: atDraft })
    expect(past.edges).toEqual([])
    // and before it, the oldest public stories
    const before = await lists.stories('public')({ last: 2, before: atDraft })
    expect(before.edges.every((e) => !e.node.slug.includes('draft'))).toBe(true)
    expect(before.edges).toHaveLength(2)
    // the text of a public cursor: the list, the story's date and id
    const [edge] = (await lists.tag('public', room.tag.slug)({ first: 1 })).edges
    const text = Buffer.from(edge.cursor, 'base64url').toString()
    expect(text).toBe(
      `TagStories|${new Date(Date.UTC(2019, 0, 1) + 5 * HOUR).toISOString()}|${room.ids[edge.node.slug]}`,
    )
  })

  it('are refused when malformed or from another list, naming the argument', async () => {
    const room = await newsroom(3, Date.UTC(2018, 0, 1))
    const storiesCursor = (await lists.stories('public')({ first: 1 })).edges[0].cursor
    const tagCursor = (await lists.tag('public', room.tag.slug)({ first: 1 })).edges[0].cursor
    const searchCursor = (await lists.search('public', room.word)({ first: 1 })).edges[0].cursor
    const oldestCursor = (await lists.stories('public', { orderBy: 'OLDEST' })({ first: 1 })).edges[0].cursor
    const b64 = (text: string) => Buffer.from(text).toString('base64url')
    const bad = [
      'garbage!!',
      b64('nope'),
      b64('stories|not-a-time|00000000-0000-7000-8000-000000000000'),
      b64('stories|2025-01-01T00:00:00.000Z|not-a-uuid'),
      b64('stories|2025-01-01T00:00:00.000Z'),
      b64('stories|0000-01-01T00:00:00.000Z|00000000-0000-7000-8000-000000000000'),
      b64('search|NaN||00000000-0000-7000-8000-000000000000'),
      b64('search|1e999||00000000-0000-7000-8000-000000000000'),
      Buffer.from('OffsetConnection:3').toString('base64'),
    ]
    const cases: [Fetch, string[]][] = [
      [lists.stories('public'), [...bad, tagCursor, searchCursor, oldestCursor]],
      [lists.tag('public', room.tag.slug), [...bad, storiesCursor, searchCursor]],
      [lists.search('public', room.word), [...bad, storiesCursor, tagCursor]],
    ]
    for (const [fetch, cursors] of cases) {
      for (const cursor of cursors) {
        for (const field of ['after', 'before'] as const) {
          const args = field === 'after' ? { first: 2, after: cursor } : { last: 2, before: cursor }
          const refused = await fetch(args).then(
            () => null,
            (e: unknown) => (e instanceof Refused ? e.errors : e),
          )
          expect(refused, `${field}: ${cursor}`).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', field } }])
        }
      }
    }
    // the error itself: BAD_USER_INPUT naming the argument
    for (const field of ['after', 'before'] as const) {
      const { errors } = await app.run(
        `query($c: String) { stories(${field === 'after' ? 'first' : 'last'}: 2, ${field}: $c) { totalCount } }`,
        { c: tagCursor },
      )
      expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field })
      expect(errors?.[0].message).toBe(`${field} must be a cursor from this list`)
    }
    // after with last, before with first: two different pages asked for
    for (const [args, field] of [
      [{ after: storiesCursor, last: 2 }, 'last'],
      [{ before: storiesCursor, first: 2 }, 'first'],
    ] as const) {
      const { errors } = await app.run(
        `query($first: Int, $after: String, $last: Int, $before: String) { stories(first: $first, after: $after, last: $last, before: $before) { totalCount } }`,
        args,
      )
      expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field })
    }
  })
})
