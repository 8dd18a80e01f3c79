// Event.timeline on hand-made data: the four kinds of item merged in time order, pages that cross
// kinds in both directions, what the public and editors see, schedule changes recorded by the
// writes, statements that do not grow with the page; the eventTimeline subscription over a real
// WebSocket, resumed by cursor; and eventsExpected honouring each precision.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { EventStatus } from '../../src/generated/prisma/enums.js'
import {
  ChangeEventStatusWithScheduleDocument,
  EventsExpectedDocument,
  EventTimelineDocument,
  RescheduleEventDocument,
  StoryEventTimelinesDocument,
  type EventTimelineQuery,
} from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { COUNTING, createTestDatabase, requestStatements, type TestDatabase } from '../helpers/database.js'
import { latestCursor } from '../helpers/live.js'
import { readmeSection } from '../helpers/readme-sections.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let editor: Record<string, string>

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db, { settings: COUNTING })
  editor = await asRole('editor')
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

const at = (iso: string) => new Date(iso)
const DAY = 86_400_000

let stories = 0
/** A story linked to `eventIds`; published at `publishedAt` unless a status says otherwise. */
async function story(
  eventIds: string[],
  publishedAt: string | null,
  over: {
    status?: 'DRAFT' | 'PUBLISHED' | 'SCHEDULED' | 'WITHDRAWN'
    embargoedUntil?: Date
    relation?: 'ABOUT' | 'MENTIONS'
    tag?: string
  } = {},
) {
  const n = ++stories
  return db.prisma.story.create({
    data: {
      slug: `story-${n}`,
      headline: `Story ${n}`,
      status: over.status ?? 'PUBLISHED',
      firstPublishedAt: publishedAt ? at(publishedAt) : null,
      embargoedUntil: over.embargoedUntil ?? null,
      events: { create: eventIds.map((eventId) => ({ eventId, relation: over.relation ?? 'ABOUT' })) },
      ...(over.tag && {
        tags: {
          create: [
            { tag: { connectOrCreate: { where: { slug: over.tag }, create: { slug: over.tag, name: over.tag } } } },
          ],
        },
      }),
    },
  })
}

const statusChange = (
  eventId: string,
  when: string,
  fromStatus: EventStatus | null,
  toStatus: EventStatus,
  reportedById: string | null,
) =>
  db.prisma.eventStatusChange.create({
    data: { eventId, at: at(when), fromStatus, toStatus, note: `${fromStatus ?? 'new'} to ${toStatus}`, reportedById },
  })

const correction = (storyId: string, when: string, text: string) =>
  db.prisma.correction.create({ data: { storyId, kind: 'CORRECTION', text, createdAt: at(when), createdBy: 'test' } })

type Item = NonNullable<EventTimelineQuery['event']>['timeline']['edges'][number]['node']

/** What an item is, in one line: its kind, time, and what it points at. */
function describeItem(item: Item): string {
  switch (item.__typename) {
    case 'TimelineStory':
      return `story ${item.at} ${item.story.slug} ${item.relation}`
    case 'TimelineStatusChange':
      return `status ${item.at} ${item.from}→${item.to} by ${item.reportedBy?.slug ?? '-'}`
    case 'TimelineScheduleChange':
      return `schedule ${item.at} ${item.before.expectedStart?.precision ?? '-'}→${item.after.expectedStart?.precision ?? '-'} by ${item.reportedBy?.slug ?? '-'}`
    case 'TimelineCorrection':
      return `correction ${item.at} ${item.story.slug}: ${item.correction.text}`
  }
}

type Page = { slug: string; first?: number; after?: string | null; last?: number; before?: string | null }
const timeline = async (variables: Page, headers: Record<string, string> = {}) => {
  const { data, errors } = await app.run(EventTimelineDocument, variables, headers)
  expect(errors).toBeUndefined()
  return data!.event!.timeline
}
const lines = (t: Awaited<ReturnType<typeof timeline>>) => t.edges.map((e) => describeItem(e.node))

/** The statements the request sent: the change feed's polls, on their own timer, left out. */

describe('Event.timeline', () => {
  // The summit: every kind of item, two pairs at the same instant, and what the public may not see.
  let expected: string[]
  beforeAll(async () => {
    const event = await db.prisma.event.create({ data: { slug: 'summit', name: 'Summit', status: 'UNDERWAY' } })
    const a = await story([event.id], '2025-03-01T10:00:00.000Z')
    await statusChange(event.id, '2025-03-01T10:00:00.000Z', 'SCHEDULED', 'CONFIRMED', a.id)
    await db.prisma.eventScheduleChange.create({
      data: {
        eventId: event.id,
        at: at('2025-03-01T10:00:00.000Z'),
        toExpectedStartFrom: at('2025-03-10T00:00:00.000Z'),
        toExpectedStartTo: at('2025-03-16T23:59:59.000Z'),
        toExpectedStartPrecision: 'WEEK',
        reportedById: a.id,
      },
    })
    await correction(a.id, '2025-03-02T09:00:00.000Z', 'The summit is in Geneva.')
    const b = await story([event.id], '2025-03-03T08:00:00.000Z', { relation: 'MENTIONS' })
    // hidden from the public: a draft (with a correction), a story under embargo, a withdrawn one
    const draft = await story([event.id], null, { status: 'DRAFT' })
    await correction(draft.id, '2025-03-02T12:00:00.000Z', 'Not public.')
    await story([event.id], '2025-03-02T00:00:00.000Z', { embargoedUntil: new Date(Date.now() + DAY) })
    await story([event.id], '2025-03-02T06:00:00.000Z', { status: 'WITHDRAWN' })
    await statusChange(event.id, '2025-03-04T00:00:00.000Z', 'CONFIRMED', 'UNDERWAY', draft.id)
    await correction(b.id, '2025-03-05T00:00:00.000Z', 'The minister is Ms Berg.')
    // another event's items never show
    const other = await db.prisma.event.create({ data: { slug: 'other', name: 'Other' } })
    await story([other.id], '2025-03-02T00:00:00.000Z')
    await statusChange(other.id, '2025-03-02T00:00:00.000Z', null, 'UNDERWAY', null)

    expected = [
      `story 2025-03-01T10:00:00.000Z ${a.slug} ABOUT`,
      `status 2025-03-01T10:00:00.000Z SCHEDULED→CONFIRMED by ${a.slug}`,
      `schedule 2025-03-01T10:00:00.000Z -→WEEK by ${a.slug}`,
      `correction 2025-03-02T09:00:00.000Z ${a.slug}: The summit is in Geneva.`,
      `story 2025-03-03T08:00:00.000Z ${b.slug} MENTIONS`,
      `status 2025-03-04T00:00:00.000Z CONFIRMED→UNDERWAY by -`,
      `correction 2025-03-05T00:00:00.000Z ${b.slug}: The minister is Ms Berg.`,
    ]
  })

  it('merges published stories, status changes, schedule changes and corrections, oldest first', async () => {
    const t = await timeline({ slug: 'summit', first: 20 })
    expect(lines(t)).toEqual(expected)
    expect(t.totalCount).toBe(7)
    expect(t.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false })
    const schedule = t.edges[2].node
    expect(schedule).toMatchObject({
      __typename: 'TimelineScheduleChange',
      before: { startAt: null, expectedStart: null },
      after: {
        startAt: null,
        expectedStart: { from: '2025-03-10T00:00:00.000Z', to: '2025-03-16T23:59:59.000Z', precision: 'WEEK' },
      },
    })
    expect(t.edges[1].node).toMatchObject({
      __typename: 'TimelineStatusChange',
      note: 'SCHEDULED to CONFIRMED',
      change: { to: 'CONFIRMED' },
    })
  })

  it('pages forward and back across kinds with its cursors', async () => {
    const pages: string[][] = []
    let after: string | null | undefined = undefined
    for (;;) {
      const page = await timeline({ slug: 'summit', first: 3, after })
      pages.push(lines(page))
      expect(page.totalCount).toBe(7)
      if (!page.pageInfo.hasNextPage) break
      after = page.pageInfo.endCursor
    }
    expect(pages).toEqual([expected.slice(0, 3), expected.slice(3, 6), expected.slice(6)])

    const last = await timeline({ slug: 'summit', last: 2 })
    expect(lines(last)).toEqual(expected.slice(5))
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
    const before = await timeline({ slug: 'summit', last: 3, before: last.pageInfo.startCursor })
    expect(lines(before)).toEqual(expected.slice(2, 5))
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true })
    // every edge's cursor resumes right after it
    const all = await timeline({ slug: 'summit', first: 20 })
    for (const [i, edge] of all.edges.entries()) {
      expect(lines(await timeline({ slug: 'summit', first: 1, after: edge.cursor }))).toEqual(
        expected.slice(i + 1, i + 2),
      )
    }
  })

  it('shows editors the reporting story the public may not read, and the same published stories', async () => {
    const t = await timeline({ slug: 'summit', first: 20 }, editor)
    expect(lines(t)).toEqual(
      expected.map((line) => (line.includes('CONFIRMED→UNDERWAY') ? line.replace('by -', 'by story-3') : line)),
    )
  })

  it('refuses a malformed cursor and first with last, naming the argument', async () => {
    for (const [variables, field] of [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ before: Buffer.from('timeline|2025-03-01T10:00:00.000Z|9|x').toString('base64url') }, 'before'],
      [{ first: 2, last: 2 }, 'last'],
    ] as const) {
      const { errors } = await app.run(EventTimelineDocument, { slug: 'summit', ...variables })
      expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field })
    }
    const { errors } = await app.run(EventTimelineDocument, { slug: 'summit', first: 101 })
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' })
  })

  it('sends the same statements for a page of 4 as of 24, for every event of a story at once', async () => {
    const events = await Promise.all(
      [1, 2, 3].map((i) => db.prisma.event.create({ data: { slug: `round-${i}`, name: `Round ${i}` } })),
    )
    const ids = events.map((e) => e.id)
    // each day a story, the status change it reports and a correction to it, all at one instant,
    // so that a page of four holds every kind (the first day brings a schedule change too)
    for (let i = 0; i < 8; i++) {
      const when = `2025-05-0${i + 1}T00:00:00.000Z`
      const s = await story(ids, when, { tag: 'talks' })
      for (const id of ids) await statusChange(id, when, null, 'UNDERWAY', s.id)
      if (i === 0)
        for (const id of ids)
          await db.prisma.eventScheduleChange.create({
            data: { eventId: id, at: at(when), toStartAt: at(when), reportedById: s.id },
          })
      await correction(s.id, when, `Fix ${i}`)
    }
    const hub = await story(ids, '2025-06-01T00:00:00.000Z', { tag: 'talks' })
    const count = async (first: number) => {
      db.statements.length = 0
      const { data, errors } = await app.run(StoryEventTimelinesDocument, { slug: hub.slug, first }, editor)
      expect(errors).toBeUndefined()
      const timelines = data!.story!.events.edges.map((e) => e.node.timeline)
      expect(timelines.map((t) => t.edges.length)).toEqual([first, first, first])
      expect(timelines.map((t) => t.totalCount)).toEqual([26, 26, 26])
      expect(timelines[0].edges.slice(0, 4).map((e) => e.node.__typename)).toEqual([
        'TimelineStory',
        'TimelineStatusChange',
        'TimelineScheduleChange',
        'TimelineCorrection',
      ])
      return requestStatements(db)
    }
    const small = await count(4)
    const large = await count(24)
    expect(large).toBe(small)
    // the story, the pages, the counts, then one each for stories (with tags), reporting stories, corrections
    expect(large).toBeLessThanOrEqual(8)
  })
})

describe('schedule changes, recorded by the writes', () => {
  it('updateEvent and changeEventStatus record a change of the expected start, in the same transaction', async () => {
    const event = await db.prisma.event.create({
      data: { slug: 'budget-talks', name: 'Budget talks', status: 'SUSPENDED' },
    })
    const report = await story([event.id], '2025-06-01T00:00:00.000Z')
    const id = encodeGlobalID('Event', event.id)
    const week = { from: '2025-06-09T00:00:00.000Z', to: '2025-06-15T23:59:59.000Z', precision: 'WEEK' as const }

    const moved = await app.run(
      ChangeEventStatusWithScheduleDocument,
      {
        id,
        version: 1,
        to: 'SCHEDULED',
        reportedBy: encodeGlobalID('Story', report.id),
        expectedStart: week,
        at: '2025-06-01T00:00:00.000Z',
      },
      editor,
    )
    expect(moved.data?.changeEventStatus).toMatchObject({
      __typename: 'Event',
      version: 2,
      status: 'SCHEDULED',
      expectedStart: week,
    })

    // a change of name alone is no schedule change
    const renamed = await app.run(
      RescheduleEventDocument,
      { id, version: 2, input: { name: 'Budget negotiations' } },
      editor,
    )
    expect(renamed.data?.updateEvent).toMatchObject({ __typename: 'Event', version: 3 })
    expect(await db.prisma.eventScheduleChange.count({ where: { eventId: event.id } })).toBe(1)

    // a time PostgreSQL cannot hold is refused by name, and nothing is written
    const yearZero = await app.run(
      ChangeEventStatusWithScheduleDocument,
      {
        id,
        version: 3,
        to: 'POSTPONED',
        expectedStart: { from: '0000-01-01T00:00:00Z', to: '2025-06-20T00:00:00Z', precision: 'DAY' },
      },
      editor,
    )
    expect(yearZero.data).toBeUndefined()
    expect(yearZero.errors?.[0]).toMatchObject({
      message: expect.stringContaining('DateTime must lie in the years 1 to 9999'),
      extensions: { code: 'BAD_USER_INPUT' },
    })
    expect(await db.prisma.eventScheduleChange.count({ where: { eventId: event.id } })).toBe(1)

    const day = { from: '2025-06-11T00:00:00.000Z', to: '2025-06-11T23:59:59.000Z', precision: 'DAY' as const }
    const rescheduled = await app.run(
      RescheduleEventDocument,
      { id, version: 3, input: { expectedStart: day, startAt: '2025-06-11T09:00:00.000Z' } },
      editor,
    )
    expect(rescheduled.data?.updateEvent).toMatchObject({ __typename: 'Event', version: 4, expectedStart: day })
    // a stale version writes nothing, schedule change included
    const stale = await app.run(RescheduleEventDocument, { id, version: 3, input: { expectedStart: null } }, editor)
    expect(stale.data?.updateEvent).toMatchObject({ __typename: 'Conflict', code: 'CONFLICT' })
    expect(await db.prisma.eventScheduleChange.count({ where: { eventId: event.id } })).toBe(2)

    const t = await timeline({ slug: 'budget-talks', first: 20 })
    const nodes = t.edges.map((e) => e.node)
    expect(nodes.map((n) => n.__typename)).toEqual([
      'TimelineStory',
      'TimelineStatusChange',
      'TimelineScheduleChange',
      'TimelineScheduleChange',
    ])
    expect(nodes[2]).toMatchObject({
      at: '2025-06-01T00:00:00.000Z',
      before: { expectedStart: null, startAt: null },
      after: { expectedStart: week, startAt: null },
      reportedBy: { slug: report.slug },
    })
    expect(nodes[3]).toMatchObject({
      before: { expectedStart: week, startAt: null },
      after: { expectedStart: day, startAt: '2025-06-11T09:00:00.000Z' },
      reportedBy: null,
    })
    // the change log names the rows the timeline subscription publishes
    const changes = await db.prisma.change.findMany({ where: { objectId: event.id }, orderBy: { seq: 'asc' } })
    expect(
      changes.map((c) => [
        c.kind,
        Object.keys((c.payload ?? {}) as object)
          .filter((k) => k.endsWith('Change'))
          .sort(),
      ]),
    ).toEqual([
      ['event.status_changed', ['scheduleChange', 'statusChange']],
      ['event.updated', []],
      ['event.updated', ['scheduleChange']],
    ])
  })
})

describe('eventsExpected', () => {
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    const make = async (
      slug: string,
      data: {
        from?: string
        to?: string
        precision?: 'EXACT' | 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR'
        startAt?: string
        status?: EventStatus
      },
    ) => {
      const e = await db.prisma.event.create({
        data: {
          slug,
          name: slug,
          status: data.status ?? 'SCHEDULED',
          expectedStartFrom: data.from ? at(data.from) : null,
          expectedStartTo: data.to ? at(data.to) : null,
          expectedStartPrecision: data.precision ?? null,
          startAt: data.startAt ? at(data.startAt) : null,
        },
      })
      ids[slug] = e.id
    }
    // "next week", said in the week of 21 July 2025: Monday 28 July to Sunday 3 August
    await make('x-week', { from: '2025-07-28T00:00:00Z', to: '2025-08-03T23:59:59Z', precision: 'WEEK' })
    // stored sloppily as the Wednesday, meaning the same week
    await make('x-week-wednesday', { from: '2025-07-30T00:00:00Z', to: '2025-07-30T00:00:00Z', precision: 'WEEK' })
    await make('x-day', { from: '2025-08-05T00:00:00Z', to: '2025-08-05T23:59:59Z', precision: 'DAY' })
    await make('x-month', { from: '2025-08-01T00:00:00Z', to: '2025-08-31T23:59:59Z', precision: 'MONTH' })
    await make('x-quarter', { from: '2025-10-01T00:00:00Z', to: '2025-12-31T23:59:59Z', precision: 'QUARTER' })
    await make('x-exact', { from: '2025-08-07T10:00:00Z', to: '2025-08-07T12:00:00Z', precision: 'EXACT' })
    await make('x-known', { startAt: '2025-08-06T12:00:00Z' })
    await make('x-cancelled', {
      from: '2025-07-28T00:00:00Z',
      to: '2025-08-03T23:59:59Z',
      precision: 'WEEK',
      status: 'CANCELLED',
    })
  })

  const expected = async (
    from: string,
    to: string,
    more: { first?: number; after?: string | null; last?: number } = {},
  ) => {
    const { data, errors } = await app.run(EventsExpectedDocument, { from, to, ...more })
    expect(errors).toBeUndefined()
    return data!.eventsExpected
  }
  const slugs = (c: Awaited<ReturnType<typeof expected>>) => c.edges.map((e) => e.node.slug)
  /** The two week events start at the same instant (the Monday), so they come in the order of their ids. */
  const weeks = () => ['x-week', 'x-week-wednesday'].sort((a, b) => (ids[a] < ids[b] ? -1 : 1))

  it('finds a WEEK window from any day of its week, and not from the next week', async () => {
    const wednesday = await expected('2025-07-30T00:00:00Z', '2025-07-30T23:59:59.999Z')
    expect(slugs(wednesday)).toEqual(weeks())
    expect(wednesday.edges[0].window).toEqual({
      from: '2025-07-28T00:00:00.000Z',
      to: '2025-08-03T23:59:59.999Z',
      precision: 'WEEK',
    })
    expect(wednesday.edges[1].window).toEqual({
      from: '2025-07-28T00:00:00.000Z',
      to: '2025-08-03T23:59:59.999Z',
      precision: 'WEEK',
    })
    expect(slugs(await expected('2025-07-28T00:00:00Z', '2025-07-28T00:00:00Z'))).toEqual(weeks())
    // the Sunday of that week is also in August, whose MONTH window starts later than the week's
    expect(slugs(await expected('2025-08-03T23:59:59.999Z', '2025-08-03T23:59:59.999Z'))).toEqual([
      ...weeks(),
      'x-month',
    ])

    const nextWeek = await expected('2025-08-04T00:00:00Z', '2025-08-10T23:59:59.999Z')
    expect(slugs(nextWeek)).toEqual(['x-month', 'x-day', 'x-known', 'x-exact'])
    expect(nextWeek.totalCount).toBe(4)
    expect(nextWeek.edges.map((e) => e.window)).toEqual([
      { from: '2025-08-01T00:00:00.000Z', to: '2025-08-31T23:59:59.999Z', precision: 'MONTH' },
      { from: '2025-08-05T00:00:00.000Z', to: '2025-08-05T23:59:59.999Z', precision: 'DAY' },
      { from: '2025-08-06T12:00:00.000Z', to: '2025-08-06T12:00:00.000Z', precision: 'EXACT' },
      { from: '2025-08-07T10:00:00.000Z', to: '2025-08-07T12:00:00.000Z', precision: 'EXACT' },
    ])
  })

  it('honours DAY, MONTH, QUARTER and EXACT windows to the millisecond', async () => {
    expect(slugs(await expected('2025-08-05T23:59:59.999Z', '2025-08-06T00:00:00Z'))).toEqual(['x-month', 'x-day'])
    expect(slugs(await expected('2025-08-06T00:00:00Z', '2025-08-06T11:59:59.999Z'))).toEqual(['x-month'])
    expect(slugs(await expected('2025-08-07T12:00:00.001Z', '2025-08-07T13:00:00Z'))).toEqual(['x-month'])
    expect(slugs(await expected('2025-08-07T12:00:00Z', '2025-08-07T13:00:00Z'))).toEqual(['x-month', 'x-exact'])
    expect(slugs(await expected('2025-07-31T23:59:59.999Z', '2025-07-31T23:59:59.999Z'))).toEqual(weeks())
    expect(slugs(await expected('2025-09-01T00:00:00Z', '2025-09-30T00:00:00Z'))).toEqual([])
    expect(slugs(await expected('2025-11-15T00:00:00Z', '2025-11-15T23:59:59Z'))).toEqual(['x-quarter'])
  })

  it('pages by cursor, forward and back', async () => {
    const first = await expected('2025-08-04T00:00:00Z', '2025-08-10T23:59:59.999Z', { first: 3 })
    expect(slugs(first)).toEqual(['x-month', 'x-day', 'x-known'])
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
    const rest = await expected('2025-08-04T00:00:00Z', '2025-08-10T23:59:59.999Z', {
      first: 3,
      after: first.pageInfo.endCursor,
    })
    expect(slugs(rest)).toEqual(['x-exact'])
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
    const last = await expected('2025-08-04T00:00:00Z', '2025-08-10T23:59:59.999Z', { last: 2 })
    expect(slugs(last)).toEqual(['x-known', 'x-exact'])
  })

  it('refuses a span that ends before it starts, or is longer than a year and a day, naming the field', async () => {
    for (const [from, to, field] of [
      ['2025-08-10T00:00:00Z', '2025-08-04T00:00:00Z', 'to'],
      ['2025-01-01T00:00:00Z', '2026-01-03T00:00:00Z', 'to'],
    ]) {
      const { data, errors } = await app.run(EventsExpectedDocument, { from, to })
      expect(data).toBeNull()
      expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field })
    }
    const bad = await app.run(EventsExpectedDocument, {
      from: '2025-08-04T00:00:00Z',
      to: '2025-08-10T00:00:00Z',
      after: 'nope',
    })
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' })
    const notADate = await app.run(EventsExpectedDocument, { from: 'next week', to: '2025-08-10T00:00:00Z' })
    expect(notADate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT')
    // a time RFC 3339 allows but PostgreSQL cannot hold (there is no year 0): the scalar refuses it
    const yearZero = await app.run(EventsExpectedDocument, { from: '0000-01-01T00:00:00Z', to: '2025-08-10T00:00:00Z' })
    expect(yearZero.errors?.[0]).toMatchObject({
      message: expect.stringContaining('DateTime must lie in the years 1 to 9999'),
      extensions: { code: 'BAD_USER_INPUT' },
    })
  })
})

describe('the README’s timeline and events-expected queries, on the sample graph', () => {
  it('answer with what the sample holds', async () => {
    const server = await startTestServer({ RATE_LIMIT_PUBLIC_POINTS: 0 }, { seed: true })
    try {
      const run = async (query: string) => {
        const response = await fetch(`${server.origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        })
        const body = (await response.json()) as { data?: any; errors?: unknown }
        expect(body.errors).toBeUndefined()
        return body.data
      }
      const t = await run(await readmeSection('## Event timeline'))
      expect(t.event.timeline.edges.map((e: any) => e.node.__typename)).toEqual([
        'TimelineStatusChange',
        'TimelineStatusChange',
        'TimelineStory',
        'TimelineStatusChange',
        'TimelineScheduleChange',
      ])
      expect(t.event.timeline.edges[4].node.after.expectedStart).toEqual({
        from: '2025-07-28T00:00:00.000Z',
        to: '2025-08-03T23:59:59.000Z',
        precision: 'WEEK',
      })
      const e = await run(await readmeSection('## Events expected'))
      expect(e.eventsExpected.edges.map((edge: any) => [edge.node.name, edge.window.precision])).toEqual([
        ['Gaza truce negotiations', 'WEEK'],
      ])
    } finally {
      await server.close()
    }
  })
})

describe('eventTimeline subscription over WebSocket', () => {
  let server: TestServer
  const clients: Client[] = []
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0 })
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()))
    await server?.close()
  })

  const client = () => {
    const c = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false })
    clients.push(c)
    return c
  }
  const TIMELINE = `subscription($slug: String!, $since: String) {
    eventTimeline(slug: $slug, since: $since) {
      cursor kind
      items {
        __typename
        ... on TimelineStory { story { slug } }
        ... on TimelineStatusChange { from to reportedBy { slug } }
        ... on TimelineScheduleChange { after { expectedStart { precision } } }
        ... on TimelineCorrection { correction { text } story { slug } }
      }
    }
  }`
  type Message = { eventTimeline: { cursor: string; kind: string; items: Record<string, any>[] } }
  function collect(c: Client, variables: Record<string, unknown>) {
    const received: Message[] = []
    const errors: unknown[] = []
    const stop = c.subscribe<Message>(
      { query: TIMELINE, variables },
      {
        next: (m) => (m.errors ? errors.push(m.errors) : received.push(m.data as Message)),
        error: (e) => errors.push(e),
        complete: () => {},
      },
    )
    return { received, errors, stop }
  }
  const until = (check: () => boolean) => expect.poll(check, { timeout: 10_000, interval: 25 }).toBe(true)
  const summary = (m: Message) =>
    `${m.eventTimeline.kind}: ${m.eventTimeline.items
      .map(
        (i) =>
          `${i.__typename}${i.story ? ` ${i.story.slug}` : ''}${i.to ? ` ${i.to}` : ''}${i.correction ? ` ${i.correction.text}` : ''}`,
      )
      .join(', ')}`

  async function gql(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await asRole('editor')) },
      body: JSON.stringify({ query, variables }),
    })
    const body = (await response.json()) as { data?: any; errors?: unknown }
    expect(body.errors).toBeUndefined()
    return body.data
  }
  const talks = async () => (await gql(`{ event(slug: "gaza-ceasefire-talks-2025") { id version } }`)).event
  async function publishAbout(eventId: string | null, slug: string) {
    const created = await gql(
      `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id version } ... on Error { code message } } }`,
      {
        input: {
          slug,
          headline: `Headline of ${slug}`,
          ...(eventId && { events: [{ id: eventId, relation: 'ABOUT' }] }),
        },
      },
    )
    const { id, version } = created.createStory
    await gql(`mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`, { id, v: version })
    return id as string
  }
  const correct = (storyId: string, text: string) =>
    gql(`mutation($id: ID!, $t: String!) { addCorrection(storyId: $id, kind: CORRECTION, text: $t) { __typename } }`, {
      id: storyId,
      t: text,
    })
  async function changeStatus(to: EventStatus, expectedStart?: object) {
    const event = await talks()
    const result = await gql(
      `mutation($e: ID!, $v: Int!, $to: EventStatus!, $x: ExpectedStartInput) { changeEventStatus(eventId: $e, version: $v, to: $to, expectedStart: $x) { __typename } }`,
      { e: event.id, v: event.version, to, x: expectedStart },
    )
    expect(result.changeEventStatus.__typename).toBe('Event')
  }

  it('pushes what commits to the timeline, and after a drop resumes from the cursor with nothing missed or repeated', async () => {
    // from the newest change on: what commits next reaches it, however late it subscribes
    const first = collect(client(), { slug: 'gaza-ceasefire-talks-2025', since: await latestCursor(server.db) })
    const { id: eventId } = await talks()
    await changeStatus('RESUMED', { from: '2025-07-28T00:00:00Z', to: '2025-07-28T23:59:59Z', precision: 'DAY' })
    const storyId = await publishAbout(eventId, 'talks-resume-in-doha')
    await publishAbout(null, 'unrelated-story')
    await until(() => first.received.length === 2)
    expect(first.received.map(summary)).toEqual([
      'event.status_changed: TimelineStatusChange RESUMED, TimelineScheduleChange',
      'story.published: TimelineStory talks-resume-in-doha',
    ])
    expect(first.received[0].eventTimeline.items[1].after.expectedStart.precision).toBe('DAY')
    const cursor = first.received[1].eventTimeline.cursor
    first.stop()

    // while nobody listens: a correction, a story elsewhere, a status change, a draft about the talks
    await correct(storyId, 'The talks resumed in Doha, not Cairo.')
    await publishAbout(null, 'another-unrelated-story')
    await changeStatus('SUSPENDED')
    await gql(`mutation($input: StoryInput!) { createStory(input: $input) { __typename } }`, {
      input: { slug: 'draft-about-the-talks', headline: 'Draft', events: [{ id: eventId, relation: 'ABOUT' }] },
    })

    const resumed = collect(client(), { slug: 'gaza-ceasefire-talks-2025', since: cursor })
    await until(() => resumed.received.length === 2)
    await changeStatus('RESUMED')
    await until(() => resumed.received.length === 3)
    // nothing else arrives: no duplicates of the replayed changes, and not an unrelated story; a
    // story about the talks published last comes after anything of the kind (commit order)
    await publishAbout(null, 'a-last-unrelated-story')
    await publishAbout(eventId, 'a-last-story-about-the-talks')
    await until(() => resumed.received.length === 4)
    expect(resumed.received.map(summary)).toEqual([
      'story.corrected: TimelineCorrection talks-resume-in-doha The talks resumed in Doha, not Cairo.',
      'event.status_changed: TimelineStatusChange SUSPENDED',
      'event.status_changed: TimelineStatusChange RESUMED',
      'story.published: TimelineStory a-last-story-about-the-talks',
    ])
    const cursors = resumed.received.map((m) => BigInt(m.eventTimeline.cursor))
    expect(cursors.every((c) => c > BigInt(cursor))).toBe(true)
    expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : 1)))
    expect(resumed.errors).toEqual([])

    // what the subscription pushed is what the timeline now ends with
    const { data } = await testTimelineTail()
    expect(data).toEqual([
      'TimelineStatusChange RESUMED',
      'TimelineScheduleChange',
      'TimelineStory',
      'TimelineCorrection',
      'TimelineStatusChange SUSPENDED',
      'TimelineStatusChange RESUMED',
      'TimelineStory',
    ])
  })

  async function testTimelineTail() {
    const result = await gql(
      `{ event(slug: "gaza-ceasefire-talks-2025") { timeline(last: 7) { edges { node { __typename ... on TimelineStatusChange { to } } } } } }`,
    )
    return {
      data: result.event.timeline.edges.map((e: any) => `${e.node.__typename}${e.node.to ? ` ${e.node.to}` : ''}`),
    }
  }

  it('refuses an unknown event and a malformed cursor, naming the argument', async () => {
    const unknown = collect(client(), { slug: 'no-such-event' })
    const malformed = collect(client(), { slug: 'gaza-ceasefire-talks-2025', since: 'yesterday' })
    await until(() => unknown.errors.length === 1 && malformed.errors.length === 1)
    expect(JSON.stringify(unknown.errors[0])).toMatch(
      /"code":"BAD_USER_INPUT".*"field":"slug"|"field":"slug".*"code":"BAD_USER_INPUT"/,
    )
    expect(JSON.stringify(malformed.errors[0])).toMatch(/"field":"since"/)
  })
})
