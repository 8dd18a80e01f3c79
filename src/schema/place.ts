import { z } from 'zod'
import { builder } from '../builder.js'
import { upsertPlace } from '../resolvers/entity-writes.js'
import { entityRules, globalIdOf, slugSchema } from '../resolvers/validation.js'
import { PlaceTypeEnum } from './enums.js'
import { keysetRelation, orderedBy } from './keyset-relation.js'
import { linkField } from './links.js'
import { slugLookup, upsertField } from './lookup.js'

builder.prismaNode('Place', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'A country, region, city or site (schema.org Place).',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    alternateNames: t.exposeStringList('alternateNames'),
    type: t.expose('type', { type: PlaceTypeEnum }),
    countryCode: t.exposeString('countryCode', { nullable: true, description: 'ISO 3166-1 alpha-2.' }),
    latitude: t.exposeFloat('latitude', { nullable: true }),
    longitude: t.exposeFloat('longitude', { nullable: true }),
    wikidataId: t.exposeString('wikidataId', { nullable: true }),
    version: t.exposeInt('version', { description: 'Send it back to update the place.' }),
    parent: t.relation('parent', { nullable: true, description: 'The place this one lies in.' }),
    // re-parented, renamed, moved and re-dated by updates: paged by position
    // (src/resolvers/paging.ts), the id breaking ties
    children: keysetRelation(t, {
      relation: 'children',
      type: 'Place',
      name: 'PlaceChildren',
      ...orderedBy('name', { kind: 'text', dir: 'asc' }),
    }),
    events: keysetRelation(t, {
      relation: 'events',
      type: 'Event',
      name: 'PlaceEvents',
      description: 'Events held here.',
      ...orderedBy('startAt', { kind: 'time', dir: 'desc', nulls: 'first' }),
    }),
  }),
})

linkField({
  on: 'Place',
  field: 'stories',
  join: 'StoryPlace',
  type: 'Story',
  description: 'Stories about or mentioning the place, newest first.',
})

slugLookup('Place', 'A place by slug.')

const PlaceInput = builder.inputType('PlaceInput', {
  description: 'The whole place: a field left out is cleared.',
  fields: (t) => ({
    slug: t.string({ required: true, validate: slugSchema }),
    name: t.string({ required: true, validate: entityRules.name }),
    alternateNames: t.stringList({ description: 'At most 20.', validate: entityRules.alternateNames }),
    type: t.field({ type: PlaceTypeEnum, defaultValue: 'OTHER' }),
    countryCode: t.string({ description: 'ISO 3166-1 alpha-2, upper-case.', validate: entityRules.countryCode }),
    latitude: t.float({ description: '-90 to 90; with longitude, or neither.', validate: z.number().min(-90).max(90) }),
    longitude: t.float({
      description: '-180 to 180; with latitude, or neither.',
      validate: z.number().min(-180).max(180),
    }),
    wikidataId: t.string({ description: 'e.g. Q846; one place per item.', validate: entityRules.wikidataId }),
    parentId: t.id({
      description: 'The place this one lies in; not itself or one inside it.',
      validate: globalIdOf('Place'),
    }),
  }),
})

upsertField('Place', PlaceInput, upsertPlace)
