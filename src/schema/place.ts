import { builder } from '../builder.js'
import { upsertPlace } from '../resolvers/entity-writes.js'
import { entityRules, globalIdOf } from '../resolvers/validation.js'
import { entityNode, namedEntityInput, treeFields } from './entity-fields.js'
import { PlaceTypeEnum } from './enums.js'
import { orderedBy } from './keyset-relation.js'
import { upsertField } from './lookup.js'
import { relationList } from './rows.js'

const Place = entityNode('Place', 'A country, region, city or site (schema.org Place).')

builder.prismaObjectFields(Place, (t) => ({
  alternateNames: t.exposeStringList('alternateNames'),
  type: t.expose('type', { type: PlaceTypeEnum }),
  countryCode: t.exposeString('countryCode', { nullable: true, description: 'ISO 3166-1 alpha-2.' }),
  latitude: t.exposeFloat('latitude', { nullable: true }),
  longitude: t.exposeFloat('longitude', { nullable: true }),
  wikidataId: t.exposeString('wikidataId', { nullable: true }),
}))

// events move and are re-dated by updates: paged by position (src/resolvers/paging.ts)
relationList('Place', 'events', {
  type: 'Event',
  description: 'Events held here.',
  ...orderedBy('startAt', { kind: 'time', dir: 'desc', nulls: 'first' }),
})

treeFields('Place', { parent: 'The place this one lies in.', order: orderedBy('name', { kind: 'text', dir: 'asc' }) })

const PlaceInput = namedEntityInput('Place', (t) => ({
  type: t.field({ type: PlaceTypeEnum, defaultValue: 'OTHER' }),
  countryCode: t.string({ description: 'ISO 3166-1 alpha-2, upper-case.', validate: entityRules.countryCode }),
  latitude: t.float({ description: '-90 to 90; with longitude, or neither.', validate: entityRules.latitude }),
  longitude: t.float({
    description: '-180 to 180; with latitude, or neither.',
    validate: entityRules.longitude,
  }),
  wikidataId: t.string({ description: 'e.g. Q846; one place per item.', validate: entityRules.wikidataId }),
  parentId: t.id({
    description: 'The place this one lies in; not itself or one inside it.',
    validate: globalIdOf('Place'),
  }),
}))

upsertField('Place', PlaceInput, upsertPlace)
