// An editor's newsroom for model-based tests (test/api/live-model.test.ts,
// test/api/cache-correctness.test.ts): random operations (stories created, edited, published now
// or later, corrected, retracted, withdrawn; an event's status and schedule; a tag and a person
// renamed) carried out through the API, and a model of which changes the public may hear of.
import fc from 'fast-check'
import { expect } from 'vitest'
import type { EventStatus } from '../../src/generated/prisma/enums.js'
import type { Database } from '../../src/db/database.js'
import { allowedTransitions } from '../../src/resolvers/event-status.js'
import { latestCursor } from './live.js'

/** Runs an editor's operation; the answer's first field. */
export type Write = (query: string, variables: Record<string, unknown>) => Promise<Record<string, any>>

export interface StoryModel {
  id: string
  slug: string
  version: number
  status: 'DRAFT' | 'SCHEDULED' | 'PUBLISHED' | 'WITHDRAWN'
  everPublic: boolean
  /** the story storyUpdated follows: never withdrawn, so the end marker reaches it */
  target?: boolean
}

export type EditorOp =
  | { kind: 'create'; urgency: number; sv: boolean; tags: boolean[]; person: boolean; event: boolean }
  | { kind: 'edit' | 'publish' | 'schedule' | 'correct' | 'retract' | 'withdraw'; story: number; urgency: number }
  | { kind: 'eventStatus'; pick: number; note: string }
  | { kind: 'eventSchedule'; day: number }
  | { kind: 'renameTag' | 'renamePerson' }

const storyOps = ['edit', 'publish', 'schedule', 'correct', 'retract', 'withdraw'] as const
export const editorOpArb: fc.Arbitrary<EditorOp> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      urgency: fc.integer({ min: 1, max: 9 }),
      sv: fc.boolean(),
      tags: fc.tuple(fc.boolean(), fc.boolean()),
      person: fc.boolean(),
      event: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom(...storyOps),
      story: fc.nat(),
      urgency: fc.integer({ min: 1, max: 9 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('eventStatus' as const),
      pick: fc.nat(),
      note: fc.string({ minLength: 1, maxLength: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('eventSchedule' as const), day: fc.integer({ min: 1, max: 28 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('renameTag' as const, 'renamePerson' as const) }) },
)

const RESULT = `__typename ... on Story { version } ... on Error { code }`
let counter = 0

/** The newest change's cursor, as a number. */
export const lastSeq = async (db: Pick<Database, 'prisma'>) => BigInt(await latestCursor(db))

/** The editor's side: a world of tags, a person and an event (made by `open`), stories made and
 *  changed through the API, and what the public may hear of each change. */
export class Newsroom {
  world = {
    tags: [] as string[],
    tagSlugs: ['model-a', 'model-b'],
    person: '',
    personSlug: 'model-person',
    event: '',
    eventSlug: 'model-talks',
  }
  stories: StoryModel[] = []
  /** the changes the public may hear of: of a story public once they committed; of one it had read, withdrawn */
  publicSeqs = new Set<string>()
  noticeSeqs = new Set<string>()
  eventVersion = 1
  eventStatus: EventStatus = 'SCHEDULED'
  begun = false

  constructor(
    private readonly db: Pick<Database, 'prisma'>,
    private readonly write: Write,
  ) {}

  /** Makes the world the operations work on. */
  async open(): Promise<this> {
    for (const slug of this.world.tagSlugs)
      this.world.tags.push(
        (
          await this.write(`mutation($input: TagInput!) { upsertTag(input: $input) { ... on Tag { id } } }`, {
            input: { slug, name: slug },
          })
        ).id,
      )
    this.world.person = (
      await this.write(`mutation($input: PersonInput!) { upsertPerson(input: $input) { ... on Person { id } } }`, {
        input: { slug: this.world.personSlug, name: 'A Person' },
      })
    ).id
    this.world.event = (
      await this.write(`mutation($input: CreateEventInput!) { createEvent(input: $input) { ... on Event { id } } }`, {
        input: { slug: this.world.eventSlug, name: 'The talks' },
      })
    ).id
    return this
  }

  /** Starts a sequence: no stories yet; the event goes on from where the last one left it. */
  async begin(): Promise<void> {
    this.stories = []
    this.publicSeqs.clear()
    this.noticeSeqs.clear()
    const event = await this.db.prisma.event.findFirstOrThrow({
      where: { slug: this.world.eventSlug },
      select: { version: true, status: true, statusChanges: { select: { toStatus: true } } },
    })
    this.eventVersion = event.version
    this.eventStatus = event.status
    this.begun = event.statusChanges.some((c) => ['UNDERWAY', 'SUSPENDED', 'RESUMED'].includes(c.toStatus))
  }

  /** A story through the API, filed as `op` says. */
  async create(op: Extract<EditorOp, { kind: 'create' }>, target = false): Promise<StoryModel> {
    const slug = `model-story-${++counter}-${Math.random().toString(36).slice(2, 7)}`
    const input = {
      slug,
      headline: `Headline ${slug}`,
      urgency: op.urgency,
      language: op.sv ? 'sv' : 'en',
      tagIds: this.world.tags.filter((_, i) => op.tags[i]),
      people: op.person ? [{ id: this.world.person }] : [],
      events: op.event ? [{ id: this.world.event }] : [],
    }
    const r = await this.write(
      `mutation($input: StoryInput!) { createStory(input: $input) { __typename ... on Story { id version } } }`,
      { input },
    )
    const story: StoryModel = { id: r.id, slug, version: r.version, status: 'DRAFT', everPublic: false, target }
    this.stories.push(story)
    return story
  }

  /** Carries out `op` and records, for the change it wrote (if any), whether the public may hear of it. */
  async apply(op: EditorOp): Promise<void> {
    const before = await lastSeq(this.db)
    let story: StoryModel
    switch (op.kind) {
      case 'create':
        story = await this.create(op)
        break
      case 'eventStatus': {
        const allowed = allowedTransitions(this.eventStatus, this.begun)
        if (allowed.length === 0) return
        const to = allowed[op.pick % allowed.length]!
        const r = await this.write(
          `mutation($eventId: ID!, $version: Int!, $to: EventStatus!, $note: String) { changeEventStatus(eventId: $eventId, version: $version, to: $to, note: $note) { __typename ... on Event { version status } ... on Error { code message } } }`,
          { eventId: this.world.event, version: this.eventVersion, to, note: op.note },
        )
        expect(r.__typename, JSON.stringify(r)).toBe('Event')
        this.eventVersion = r.version
        this.eventStatus = r.status
        if (['UNDERWAY', 'SUSPENDED', 'RESUMED'].includes(to)) this.begun = true
        return
      }
      case 'eventSchedule': {
        const from = new Date(Date.UTC(2027, 0, op.day)).toISOString()
        const to = new Date(Date.UTC(2027, 0, op.day + 1) - 1000).toISOString()
        const r = await this.write(
          `mutation($id: ID!, $version: Int!, $input: UpdateEventInput!) { updateEvent(id: $id, version: $version, input: $input) { __typename ... on Event { version } ... on Error { code message } } }`,
          {
            id: this.world.event,
            version: this.eventVersion,
            input: { expectedStart: { from, to, precision: 'DAY' } },
          },
        )
        expect(r.__typename, JSON.stringify(r)).toBe('Event')
        this.eventVersion = r.version
        return
      }
      case 'renameTag':
        await this.write(
          `mutation($input: TagInput!, $version: Int) { upsertTag(input: $input, version: $version) { __typename } }`,
          {
            input: { slug: this.world.tagSlugs[0], name: `renamed ${++counter}` },
            version: (await this.db.prisma.tag.findUniqueOrThrow({ where: { slug: this.world.tagSlugs[0] } })).version,
          },
        )
        return
      case 'renamePerson':
        await this.write(
          `mutation($input: PersonInput!, $version: Int) { upsertPerson(input: $input, version: $version) { __typename } }`,
          {
            input: { slug: this.world.personSlug, name: `renamed ${++counter}` },
            version: (await this.db.prisma.person.findUniqueOrThrow({ where: { slug: this.world.personSlug } }))
              .version,
          },
        )
        return
      default: {
        if (this.stories.length === 0) return
        story = this.stories[op.story % this.stories.length]!
        await this.storyOp(story, op)
      }
    }
    const after = await lastSeq(this.db)
    if (after === before || !story) return
    expect(after, 'one change per write').toBe(before + 1n)
    if (story.status === 'PUBLISHED') this.publicSeqs.add(after.toString())
    if (story.status === 'WITHDRAWN' && story.everPublic) this.noticeSeqs.add(after.toString())
  }

  private async storyOp(story: StoryModel, op: Extract<EditorOp, { story: number }>) {
    const ok = (r: Record<string, any>) => {
      if (r.__typename === 'Story') story.version = r.version
      return r.__typename === 'Story'
    }
    const base = { id: story.id, version: story.version }
    switch (op.kind) {
      case 'edit':
        ok(
          await this.write(
            `mutation($id: ID!, $version: Int!, $input: StoryUpdateInput!) { updateStory(id: $id, version: $version, input: $input) { ${RESULT} } }`,
            { ...base, input: { urgency: op.urgency, lede: `Lede ${++counter}` } },
          ),
        )
        return
      case 'publish':
      case 'schedule':
        if (
          ok(
            await this.write(
              `mutation($id: ID!, $version: Int!, $at: DateTime) { publishStory(id: $id, version: $version, at: $at) { ${RESULT} } }`,
              { ...base, at: op.kind === 'schedule' ? '2099-01-01T00:00:00Z' : null },
            ),
          )
        ) {
          story.status = op.kind === 'publish' ? 'PUBLISHED' : 'SCHEDULED'
          if (op.kind === 'publish') story.everPublic = true
        }
        return
      case 'correct':
      case 'retract': {
        if (op.kind === 'retract' && story.target) return
        const kind = op.kind === 'retract' ? 'RETRACTION' : 'CORRECTION'
        const r = await this.write(
          `mutation($storyId: ID!, $kind: CorrectionKind!, $text: String!) { addCorrection(storyId: $storyId, kind: $kind, text: $text) { ${RESULT} } }`,
          { storyId: story.id, kind, text: `Note ${++counter}` },
        )
        if (ok(r) && kind === 'RETRACTION') story.status = 'WITHDRAWN'
        return
      }
      case 'withdraw':
        if (story.target) return
        if (
          ok(
            await this.write(
              `mutation($id: ID!, $version: Int!, $reason: String!) { withdrawStory(id: $id, version: $version, reason: $reason) { ${RESULT} } }`,
              { ...base, reason: `Reason ${++counter}` },
            ),
          )
        )
          story.status = 'WITHDRAWN'
        return
    }
  }
}

// ---------------------------------------------------------------------------------------------
