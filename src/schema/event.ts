import { builder } from '../builder.js'
import { changeEventStatus, createEvent, updateEvent } from '../resolvers/event-writes.js'
import { entityRules, formatLimit, globalIdOf, LIMITS, slugSchema } from '../resolvers/validation.js'
import { DatePrecisionEnum, EventStatusEnum, ParticipantRoleEnum } from './enums.js'
import { ParticipantRole } from '../generated/prisma/enums.js'
import { entityNode, treeFields } from './entity-fields.js'
import { orderedBy } from './keyset-relation.js'
import { relationList, rowNode } from './rows.js'
import { storyRelationField } from './story-relation.js'
import { editorMutation } from './editor-mutation.js'

export interface ExpectedStartShape {
  from: Date
  to: Date
  precision: 'EXACT' | 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR'
}

export const ExpectedStart = builder.objectRef<ExpectedStartShape>('ExpectedStart').implement({
  description: 'An expected start that may be uncertain: "next week" is that week, with precision WEEK.',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    precision: t.expose('precision', { type: DatePrecisionEnum }),
  }),
})

export const Event = entityNode(
  'Event',
  'Something that happens over time, such as talks, whose status changes (schema.org Event).',
  { stories: 'reporting', version: 'Send it back to update the event or change its status.' },
)

builder.prismaObjectFields(Event, (t) => ({
  description: t.exposeString('description', { nullable: true }),
  status: t.expose('status', { type: EventStatusEnum, description: 'The current status.' }),
  startAt: t.expose('startAt', { type: 'DateTime', nullable: true }),
  endAt: t.expose('endAt', { type: 'DateTime', nullable: true }),
  expectedStart: t.field({
    type: ExpectedStart,
    nullable: true,
    description: 'When the event (or its next session) is expected to start, if announced.',
    select: { expectedStartFrom: true, expectedStartTo: true, expectedStartPrecision: true },
    resolve: (e) =>
      e.expectedStartFrom && e.expectedStartTo && e.expectedStartPrecision
        ? { from: e.expectedStartFrom, to: e.expectedStartTo, precision: e.expectedStartPrecision }
        : null,
  }),
  location: t.relation('location', { nullable: true }),
}))

// replaced whole by updateEvent: paged by position (role in its order, then id)
relationList('Event', 'participants', {
  type: 'EventParticipant',
  description: 'Parties, mediators, hosts, observers and organisers.',
  ...orderedBy('role', { kind: { enum: Object.values(ParticipantRole) }, dir: 'asc' }),
})

relationList('Event', 'statusHistory', {
  relation: 'statusChanges',
  type: 'EventStatusChange',
  description: 'Every change of status, oldest first, with the story that reported it.',
  ...orderedBy('at', { kind: 'time', dir: 'asc' }),
})

treeFields('Event', {
  parent: 'The larger event this is part of.',
  order: orderedBy('startAt', { kind: 'time', dir: 'asc', nulls: 'last' }),
})

builder.prismaNode('EventParticipant', {
  ...rowNode,
  description: 'An organisation or person taking part in an event, in a role.',
  fields: (t) => ({
    role: t.expose('role', { type: ParticipantRoleEnum }),
    organisation: t.relation('organisation', { nullable: true }),
    person: t.relation('person', { nullable: true }),
  }),
})

builder.prismaNode('EventStatusChange', {
  ...rowNode,
  description: 'One change of an event’s status.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    from: t.expose('fromStatus', { type: EventStatusEnum, nullable: true }),
    to: t.expose('toStatus', { type: EventStatusEnum }),
    note: t.exposeString('note', { nullable: true }),
    reportedBy: storyRelationField(t, 'reportedBy', 'The story that reported the change.'),
    event: t.relation('event'),
  }),
})

const ExpectedStartInput = builder.inputType('ExpectedStartInput', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true, description: 'Not before from.' }),
    precision: t.field({ type: DatePrecisionEnum, required: true }),
  }),
})

const EventParticipantInput = builder.inputType('EventParticipantInput', {
  description: 'An organisation or a person (exactly one of the two) in a role.',
  fields: (t) => ({
    role: t.field({ type: ParticipantRoleEnum, required: true }),
    organisationId: t.id({ validate: globalIdOf('Organisation') }),
    personId: t.id({ validate: globalIdOf('Person') }),
  }),
})

// createEvent and updateEvent take the same fields; create requires slug and name and may set the
// first status, update leaves what is left out as it is.
const CreateEventInput = builder.inputType('CreateEventInput', {
  fields: (t) => ({
    slug: t.string({ required: true, validate: slugSchema }),
    name: t.string({ required: true, validate: entityRules.name }),
    status: t.field({
      type: EventStatusEnum,
      defaultValue: 'SCHEDULED',
      description: 'Where the event stands when first recorded. Later changes go through changeEventStatus.',
    }),
    description: t.string({ validate: entityRules.description }),
    startAt: t.field({ type: 'DateTime' }),
    endAt: t.field({ type: 'DateTime', description: 'Not before startAt.' }),
    expectedStart: t.field({ type: ExpectedStartInput }),
    locationId: t.id({ description: 'A Place.', validate: globalIdOf('Place') }),
    parentId: t.id({ description: 'The larger event this is part of.', validate: globalIdOf('Event') }),
    participants: t.field({
      type: [EventParticipantInput],
      description: `At most ${LIMITS.participants}.`,
      validate: entityRules.participants,
    }),
  }),
})

const UpdateEventInput = builder.inputType('UpdateEventInput', {
  description:
    'The fields to change: one left out stays as it is, null clears it. The status changes through changeEventStatus.',
  fields: (t) => ({
    slug: t.string({ validate: slugSchema }),
    name: t.string({ validate: entityRules.name }),
    description: t.string({ validate: entityRules.description }),
    startAt: t.field({ type: 'DateTime' }),
    endAt: t.field({ type: 'DateTime', description: 'Not before startAt.' }),
    expectedStart: t.field({ type: ExpectedStartInput, description: 'null clears it.' }),
    locationId: t.id({ description: 'A Place.', validate: globalIdOf('Place') }),
    parentId: t.id({
      description: 'The larger event this is part of; not itself or one below it.',
      validate: globalIdOf('Event'),
    }),
    participants: t.field({
      type: [EventParticipantInput],
      description: `Replaces the participants; at most ${LIMITS.participants}.`,
      validate: entityRules.participants,
    }),
  }),
})

editorMutation('createEvent', {
  type: 'Event',
  description: 'Records a new event.',
  args: (arg) => ({ input: arg({ type: CreateEventInput, required: true }) }),
  write: (tx, { input }) => createEvent(tx, input),
})

editorMutation('updateEvent', {
  type: 'Event',
  description: 'Changes an event’s fields (send the version you read). Its status changes through changeEventStatus.',
  args: (arg) => ({
    id: arg.id({ required: true, validate: globalIdOf('Event') }),
    version: arg.int({ required: true }),
    input: arg({ type: UpdateEventInput, required: true }),
    reportedBy: arg.id({
      description: 'The Story that reported a new expected start; kept with the change on the event’s timeline.',
      validate: globalIdOf('Story'),
    }),
  }),
  write: (tx, { id, version, input, reportedBy }) => updateEvent(tx, id, version, input, reportedBy ?? null),
})

editorMutation('changeEventStatus', {
  type: 'Event',
  description:
    'Moves an event to a new status (send the version you read) and appends the change to its history. ' +
    'A move the event’s life does not allow is an InvalidTransition, which lists the allowed ones.',
  args: (arg) => ({
    eventId: arg.id({ required: true, validate: globalIdOf('Event') }),
    version: arg.int({ required: true }),
    to: arg({ type: EventStatusEnum, required: true }),
    note: arg.string({
      description: `What happened, at most ${formatLimit(LIMITS.statusNote)} characters.`,
      validate: entityRules.statusNote,
    }),
    reportedBy: arg.id({ description: 'The Story that reported the change.', validate: globalIdOf('Story') }),
    at: arg({
      type: 'DateTime',
      description: 'When it happened: now when not given; not before the latest change.',
    }),
    expectedStart: arg({
      type: ExpectedStartInput,
      description:
        'When the event is now expected to (re)start, if the change says so ("talks to resume next week"); null clears it.',
    }),
    startAt: arg({
      type: 'DateTime',
      description: 'When the event started, if the change says so; null clears it.',
    }),
  }),
  write: (tx, args) => changeEventStatus(tx, args),
})
