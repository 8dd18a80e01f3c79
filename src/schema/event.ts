import { z } from 'zod'
import { builder } from '../builder.js'
import { changeEventStatus, createEvent, updateEvent } from '../resolvers/event-writes.js'
import { runMutation } from '../resolvers/mutation.js'
import { entityRules, globalIdOf, slugSchema } from '../resolvers/validation.js'
import { DatePrecisionEnum, EventStatusEnum, ParticipantRoleEnum } from './enums.js'
import { ParticipantRole } from '../generated/prisma/enums.js'
import { keysetRelation, orderedBy } from './keyset-relation.js'
import { linkField } from './links.js'
import { storyRelationField } from './story-relation.js'
import { slugLookup } from './lookup.js'

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

export const Event = builder.prismaNode('Event', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'Something that happens over time, such as talks, whose status changes (schema.org Event).',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    status: t.expose('status', { type: EventStatusEnum, description: 'The current status.' }),
    version: t.exposeInt('version', { description: 'Send it back to update the event or change its status.' }),
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
    parent: t.relation('parent', { nullable: true, description: 'The larger event this is part of.' }),
    // re-parented and re-dated by updates: paged by position (src/resolvers/paging.ts)
    children: keysetRelation(t, {
      relation: 'children',
      type: 'Event',
      name: 'EventChildren',
      ...orderedBy('startAt', { kind: 'time', dir: 'asc', nulls: 'last' }),
    }),
    // replaced whole by updateEvent: paged by position (role in its order, then id)
    participants: keysetRelation(t, {
      relation: 'participants',
      type: 'EventParticipant',
      name: 'EventParticipants',
      description: 'Parties, mediators, hosts, observers and organisers.',
      ...orderedBy('role', { kind: { enum: Object.values(ParticipantRole) }, dir: 'asc' }),
    }),
    statusHistory: keysetRelation(t, {
      relation: 'statusChanges',
      type: 'EventStatusChange',
      name: 'EventStatusHistory',
      description: 'Every change of status, oldest first, with the story that reported it.',
      ...orderedBy('at', { kind: 'time', dir: 'asc' }),
    }),
  }),
})

builder.prismaNode('EventParticipant', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'An organisation or person taking part in an event, in a role.',
  fields: (t) => ({
    role: t.expose('role', { type: ParticipantRoleEnum }),
    organisation: t.relation('organisation', { nullable: true }),
    person: t.relation('person', { nullable: true }),
  }),
})

builder.prismaNode('EventStatusChange', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
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

linkField({
  on: 'Event',
  field: 'stories',
  join: 'StoryEvent',
  type: 'Story',
  description: 'Stories reporting the event, newest first.',
})

slugLookup('Event', 'An event by slug.')

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
      description: 'At most 50.',
      validate: z.array(z.unknown()).max(50),
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
      description: 'Replaces the participants; at most 50.',
      validate: z.array(z.unknown()).max(50),
    }),
  }),
})

builder.mutationField('createEvent', (t) =>
  t.prismaField({
    type: 'Event',
    authScopes: { editor: true },
    errors: {},
    description: 'Records a new event.',
    args: { input: t.arg({ type: CreateEventInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await runMutation(ctx, 'createEvent', { input }, (tx) => createEvent(tx, input))
      return ctx.prisma.event.findUniqueOrThrow({ ...query, where: { id } })
    },
  }),
)

builder.mutationField('updateEvent', (t) =>
  t.prismaField({
    type: 'Event',
    authScopes: { editor: true },
    errors: {},
    description: 'Changes an event’s fields (send the version you read). Its status changes through changeEventStatus.',
    args: {
      id: t.arg.id({ required: true, validate: globalIdOf('Event') }),
      version: t.arg.int({ required: true }),
      input: t.arg({ type: UpdateEventInput, required: true }),
      reportedBy: t.arg.id({
        description: 'The Story that reported a new expected start; kept with the change on the event’s timeline.',
        validate: globalIdOf('Story'),
      }),
    },
    resolve: async (query, _root, { id, version, input, reportedBy }, ctx) => {
      await runMutation(ctx, 'updateEvent', { id, version, input, reportedBy }, (tx) =>
        updateEvent(tx, id, version, input, reportedBy ?? null),
      )
      return ctx.prisma.event.findUniqueOrThrow({ ...query, where: { id } })
    },
  }),
)

builder.mutationField('changeEventStatus', (t) =>
  t.prismaField({
    type: 'Event',
    authScopes: { editor: true },
    errors: {},
    description:
      'Moves an event to a new status (send the version you read) and appends the change to its history. ' +
      'A move the event’s life does not allow is an InvalidTransition, which lists the allowed ones.',
    args: {
      eventId: t.arg.id({ required: true, validate: globalIdOf('Event') }),
      version: t.arg.int({ required: true }),
      to: t.arg({ type: EventStatusEnum, required: true }),
      note: t.arg.string({ description: 'What happened, at most 2,000 characters.', validate: z.string().max(2000) }),
      reportedBy: t.arg.id({ description: 'The Story that reported the change.', validate: globalIdOf('Story') }),
      at: t.arg({
        type: 'DateTime',
        description: 'When it happened: now when not given; not before the latest change.',
      }),
      expectedStart: t.arg({
        type: ExpectedStartInput,
        description:
          'When the event is now expected to (re)start, if the change says so ("talks to resume next week"); null clears it.',
      }),
      startAt: t.arg({
        type: 'DateTime',
        description: 'When the event started, if the change says so; null clears it.',
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const { id } = await runMutation(ctx, 'changeEventStatus', args, (tx) => changeEventStatus(tx, args))
      return ctx.prisma.event.findUniqueOrThrow({ ...query, where: { id } })
    },
  }),
)
