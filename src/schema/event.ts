import { builder } from '../builder.js'
import { DatePrecisionEnum, EventStatusEnum, ParticipantRoleEnum } from './enums.js'
import { linkField } from './links.js'
import { storyRelationField } from './story-relation.js'
import { slugLookup } from './lookup.js'

interface ExpectedStartShape {
  from: Date
  to: Date
  precision: 'EXACT' | 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR'
}

const ExpectedStart = builder.objectRef<ExpectedStartShape>('ExpectedStart').implement({
  description: 'An expected start that may be uncertain: "next week" is that week, with precision WEEK.',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    precision: t.expose('precision', { type: DatePrecisionEnum }),
  }),
})

builder.prismaNode('Event', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'Something that happens over time, such as talks, whose status changes (schema.org Event).',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
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
    parent: t.relation('parent', { nullable: true, description: 'The larger event this is part of.' }),
    children: t.relatedConnection('children', { cursor: 'id', totalCount: true, query: { orderBy: [{ startAt: 'asc' }, { id: 'asc' }] } }),
    participants: t.relatedConnection('participants', {
      cursor: 'id',
      totalCount: true,
      description: 'Parties, mediators, hosts, observers and organisers.',
      query: { orderBy: [{ role: 'asc' }, { id: 'asc' }] },
    }),
    statusHistory: t.relatedConnection('statusChanges', {
      cursor: 'id',
      totalCount: true,
      description: 'Every change of status, oldest first, with the story that reported it.',
      query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
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

linkField({ on: 'Event', field: 'stories', join: 'StoryEvent', type: 'Story', description: 'Stories reporting the event, newest first.' })

slugLookup('Event', 'An event by slug.')
