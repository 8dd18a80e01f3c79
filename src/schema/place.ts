import { builder } from '../builder.js'
import { PlaceTypeEnum } from './enums.js'
import { linkField } from './links.js'
import { slugLookup } from './lookup.js'

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
    parent: t.relation('parent', { nullable: true, description: 'The place this one lies in.' }),
    children: t.relatedConnection('children', { cursor: 'id', totalCount: true, query: { orderBy: { name: 'asc' } } }),
    events: t.relatedConnection('events', {
      cursor: 'id',
      totalCount: true,
      description: 'Events held here.',
      query: { orderBy: [{ startAt: { sort: 'desc', nulls: 'first' } }, { id: 'asc' }] },
    }),
  }),
})

linkField({ on: 'Place', field: 'stories', join: 'StoryPlace', type: 'Story', description: 'Stories about or mentioning the place, newest first.' })

slugLookup('Place', 'A place by slug.')
