// Writes of events. createEvent and updateEvent edit what an event is; its status moves only
// through changeEventStatus, which checks the move against src/resolvers/event-status.ts and
// appends it to the event's history, so the history always explains the current status. A change
// of when the event is expected to start (or of when it started) is recorded the same way, in the
// same transaction, for the event's timeline (src/resolvers/timeline.ts).
import type { Prisma } from '../generated/prisma/client.js'
import type { DatePrecision, EventStatus, ParticipantRole } from '../generated/prisma/enums.js'
import { expectExisting, expectOrdered, expectParent } from './entity-writes.js'
import { BEGUN, expectTransition } from './event-status.js'
import { NotFoundError, ValidationError } from './errors.js'
import { isoOrNull, topic, type EventFacts, type Schedule, type Topic } from '../live/changes.js'
import { expectVersion, type Tx, type Written } from './mutation.js'

export interface ParticipantInput {
  role: ParticipantRole
  /** row ids (the GraphQL input decodes the global IDs); exactly one of the two */
  organisationId?: string | null
  personId?: string | null
}

export interface ExpectedStartInput {
  from: Date
  to: Date
  precision: DatePrecision
}

/** What an editor may change. In an update a field left out stays as it is, and null clears it. */
export interface EventFields {
  slug?: string | null
  name?: string | null
  description?: string | null
  startAt?: Date | null
  endAt?: Date | null
  expectedStart?: ExpectedStartInput | null
  /** a place's row id */
  locationId?: string | null
  /** the row id of the larger event this is part of */
  parentId?: string | null
  /** replaces the participants */
  participants?: ParticipantInput[] | null
}

export interface CreateEventInput extends EventFields {
  slug: string
  name: string
  /** where the event stands when it is first recorded; SCHEDULED when not given */
  status?: EventStatus | null
}

export async function createEvent(tx: Tx, input: CreateEventInput): Promise<Written<{ id: string }>> {
  await checkFields(tx, null, input, { startAt: null, endAt: null })
  // No history entry: the history records changes, and the first is the first changeEventStatus.
  const { id } = await tx.event.create({
    data: {
      ...columns(input),
      slug: input.slug,
      name: input.name,
      status: input.status ?? 'SCHEDULED',
      participants: { create: participantRows(input.participants ?? []) },
    },
    select: { id: true },
  })
  const change = {
    kind: 'event.created',
    objectType: 'Event',
    objectId: id,
    topics: await eventTopics(tx, id),
    facts: { version: 1 },
  } as const
  return { result: { id }, change }
}

/**
 * `reportedBy` (a story's row id) is the story that reported a new expected start, recorded with
 * the schedule change when the update makes one.
 */
export async function updateEvent(
  tx: Tx,
  id: string,
  version: number,
  input: EventFields,
  reportedBy: string | null = null,
): Promise<Written<{ id: string }>> {
  const stored = await tx.event.findUnique({ where: { id }, select: { ...SCHEDULE, endAt: true } })
  if (!stored) throw new NotFoundError('No event with that id.', 'id')
  for (const field of ['slug', 'name'] as const) {
    if (input[field] === null) throw new ValidationError([{ field: `input.${field}`, message: 'cannot be cleared' }])
  }
  await checkFields(tx, id, input, stored)
  if (reportedBy) await expectExisting(tx, 'story', [{ id: reportedBy, field: 'reportedBy' }])
  // subscribers to a place or participant the event leaves hear of it too
  const before = await eventTopics(tx, id)
  const updated = await tx.event.updateMany({
    where: { id, version },
    data: { ...columns(input), version: { increment: 1 } },
  })
  await expectVersion(
    updated,
    () => tx.event.findUnique({ where: { id }, select: { version: true } }),
    'event',
    version,
  )
  if (input.participants !== undefined) await replaceParticipants(tx, id, input.participants ?? [])
  const scheduleChange = await recordScheduleChange(tx, id, stored, { at: new Date(), reportedBy, note: null })
  const topics = [...new Set([...before, ...(await eventTopics(tx, id))])]
  const facts: EventFacts = { version: version + 1, ...(scheduleChange && { scheduleChange }) }
  return { result: { id }, change: { kind: 'event.updated', objectType: 'Event', objectId: id, topics, facts } }
}

/** The columns that say when an event starts or is expected to. */
const SCHEDULE = {
  expectedStartFrom: true,
  expectedStartTo: true,
  expectedStartPrecision: true,
  startAt: true,
} as const
type ScheduleColumns = {
  expectedStartFrom: Date | null
  expectedStartTo: Date | null
  expectedStartPrecision: DatePrecision | null
  startAt: Date | null
}

/**
 * Compares the event's schedule with what it was (`before`) and, when the write changed it,
 * appends the change, whole schedule before and after, to the event's record. Returns it, as the
 * change log records it.
 */
async function recordScheduleChange(
  tx: Tx,
  eventId: string,
  before: ScheduleColumns,
  how: { at: Date; reportedBy: string | null; note: string | null },
): Promise<EventFacts['scheduleChange'] | null> {
  const after = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: SCHEDULE })
  const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null)
  if (
    same(before.expectedStartFrom, after.expectedStartFrom) &&
    same(before.expectedStartTo, after.expectedStartTo) &&
    before.expectedStartPrecision === after.expectedStartPrecision &&
    same(before.startAt, after.startAt)
  ) {
    return null
  }
  const { id } = await tx.eventScheduleChange.create({
    data: {
      eventId,
      at: how.at,
      fromExpectedStartFrom: before.expectedStartFrom,
      fromExpectedStartTo: before.expectedStartTo,
      fromExpectedStartPrecision: before.expectedStartPrecision,
      fromStartAt: before.startAt,
      toExpectedStartFrom: after.expectedStartFrom,
      toExpectedStartTo: after.expectedStartTo,
      toExpectedStartPrecision: after.expectedStartPrecision,
      toStartAt: after.startAt,
      note: how.note,
      reportedById: how.reportedBy,
    },
    select: { id: true },
  })
  return { id, from: scheduleOf(before), to: scheduleOf(after) }
}

function scheduleOf(c: ScheduleColumns): Schedule {
  const { expectedStartFrom: from, expectedStartTo: to, expectedStartPrecision: precision } = c
  return {
    expectedStart: from && to && precision ? { from: from.toISOString(), to: to.toISOString(), precision } : null,
    startAt: isoOrNull(c.startAt),
  }
}

export interface StatusChangeInput {
  /** the event's row id */
  eventId: string
  version: number
  to: EventStatus
  note?: string | null
  /** the row id of the story that reported the change */
  reportedBy?: string | null
  /** when it happened; now when not given */
  at?: Date | null
  /** the new expected start, recorded as a schedule change with the status change; null clears it */
  expectedStart?: ExpectedStartInput | null
  /** when the event started, if the change says so; null clears it */
  startAt?: Date | null
}

// A change reported "now" by a client whose clock runs a little fast is still now.
const CLOCK_SKEW_MS = 5 * 60_000

export async function changeEventStatus(tx: Tx, input: StatusChangeInput): Promise<Written<{ id: string }>> {
  const { eventId: id, version, to } = input
  const event = await tx.event.findUnique({
    where: { id },
    select: { status: true, version: true, endAt: true, ...SCHEDULE },
  })
  if (!event) throw new NotFoundError('No event with that id.', 'eventId')
  // The move is judged from the status the client saw: if that is no longer stored, say so first.
  await expectVersion({ count: event.version === version ? 1 : 0 }, async () => event, 'event', version)

  const begun = (await tx.eventStatusChange.count({ where: { eventId: id, toStatus: { in: [...BEGUN] } } })) > 0
  expectTransition(event.status, to, begun)

  if (input.reportedBy) await expectExisting(tx, 'story', [{ id: input.reportedBy, field: 'reportedBy' }])
  const at = input.at ?? new Date()
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS)
    throw new ValidationError([{ field: 'at', message: 'a status change cannot lie in the future' }])
  // the history reads in time order, each change starting where the one before ended
  const latest = await tx.eventStatusChange.findFirst({
    where: { eventId: id },
    orderBy: { at: 'desc' },
    select: { at: true },
  })
  if (latest && at < latest.at) {
    throw new ValidationError([
      { field: 'at', message: `must not be before the latest status change (${latest.at.toISOString()})` },
    ])
  }
  if (input.expectedStart) expectOrdered(input.expectedStart.from, input.expectedStart.to, 'expectedStart.to')
  if (input.startAt !== undefined)
    expectOrdered(input.startAt, event.endAt, 'startAt', 'the event cannot start after it ends')

  const schedule = columns({ expectedStart: input.expectedStart, startAt: input.startAt })
  const updated = await tx.event.updateMany({
    where: { id, version },
    data: { ...schedule, status: to, version: { increment: 1 } },
  })
  await expectVersion(
    updated,
    () => tx.event.findUnique({ where: { id }, select: { version: true } }),
    'event',
    version,
  )
  const statusChange = await tx.eventStatusChange.create({
    data: {
      eventId: id,
      at,
      fromStatus: event.status,
      toStatus: to,
      note: input.note ?? null,
      reportedById: input.reportedBy ?? null,
    },
    select: { id: true },
  })
  const scheduleChange = await recordScheduleChange(tx, id, event, {
    at,
    reportedBy: input.reportedBy ?? null,
    note: null,
  })
  const facts: EventFacts = {
    version: version + 1,
    statusChange: {
      id: statusChange.id,
      from: event.status,
      to,
      at: at.toISOString(),
      note: input.note ?? null,
      reportedBy: input.reportedBy ?? null,
      // the expected start as of this change, new or as it stood
      expectedStart: (scheduleChange?.to ?? scheduleOf(event)).expectedStart,
    },
    ...(scheduleChange && { scheduleChange }),
  }
  return {
    result: { id },
    change: {
      kind: 'event.status_changed',
      objectType: 'Event',
      objectId: id,
      topics: await eventTopics(tx, id),
      facts,
    },
  }
}

/** The columns an input sets: undefined leaves a column alone, null clears it. */
function columns(input: EventFields) {
  const { expectedStart } = input
  return {
    slug: input.slug ?? undefined,
    name: input.name ?? undefined,
    description: input.description,
    startAt: input.startAt,
    endAt: input.endAt,
    locationId: input.locationId,
    parentId: input.parentId,
    ...(expectedStart !== undefined && {
      expectedStartFrom: expectedStart?.from ?? null,
      expectedStartTo: expectedStart?.to ?? null,
      expectedStartPrecision: expectedStart?.precision ?? null,
    }),
  } satisfies Prisma.EventUncheckedUpdateManyInput
}

/** The rules across fields and rows; `stored` gives the dates an update leaves as they are. */
async function checkFields(
  tx: Tx,
  id: string | null,
  input: EventFields,
  stored: { startAt: Date | null; endAt: Date | null },
) {
  if (input.slug) {
    const holder = await tx.event.findFirst({
      where: { slug: input.slug, ...(id && { NOT: { id } }) },
      select: { id: true },
    })
    if (holder) throw new ValidationError([{ field: 'input.slug', message: 'already used by another event' }])
  }
  const startAt = input.startAt !== undefined ? input.startAt : stored.startAt
  const endAt = input.endAt !== undefined ? input.endAt : stored.endAt
  expectOrdered(
    startAt,
    endAt,
    input.endAt !== undefined ? 'input.endAt' : 'input.startAt',
    'the event cannot end before it starts',
  )
  if (input.expectedStart) expectOrdered(input.expectedStart.from, input.expectedStart.to, 'input.expectedStart.to')

  const participants = input.participants ?? []
  participants.forEach((p, i) => {
    if (!p.organisationId === !p.personId) {
      throw new ValidationError([
        { field: `input.participants.${i}`, message: 'give an organisationId or a personId, not both' },
      ])
    }
  })
  const refs = (key: 'organisationId' | 'personId') =>
    participants.flatMap((p, i) => (p[key] ? [{ id: p[key]!, field: `input.participants.${i}.${key}` }] : []))
  await expectExisting(tx, 'organisation', refs('organisationId'))
  await expectExisting(tx, 'person', refs('personId'))
  if (input.locationId) await expectExisting(tx, 'place', [{ id: input.locationId, field: 'input.locationId' }])
  if (input.parentId) await expectParent(tx, 'event', id, input.parentId)
}

function participantRows(participants: ParticipantInput[]) {
  return participants.map((p) => ({
    role: p.role,
    organisationId: p.organisationId ?? null,
    personId: p.personId ?? null,
  }))
}

async function replaceParticipants(tx: Tx, eventId: string, participants: ParticipantInput[]) {
  await tx.eventParticipant.deleteMany({ where: { eventId } })
  await tx.eventParticipant.createMany({ data: participantRows(participants).map((p) => ({ eventId, ...p })) })
}

/** What an event's changes touch: the event, its location and its participants. */
async function eventTopics(tx: Tx, id: string): Promise<Topic[]> {
  const event = await tx.event.findUniqueOrThrow({
    where: { id },
    select: { locationId: true, participants: { select: { organisationId: true, personId: true } } },
  })
  const topics = [topic('event', id)]
  if (event.locationId) topics.push(topic('place', event.locationId))
  for (const p of event.participants)
    topics.push(p.organisationId ? topic('organisation', p.organisationId) : topic('person', p.personId!))
  return [...new Set(topics)]
}
