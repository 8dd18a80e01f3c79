import { builder } from '../builder.js'
import { OrganisationTypeEnum } from './enums.js'
import { linkField } from './links.js'
import { slugLookup } from './lookup.js'

builder.prismaNode('Organisation', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'A movement, government, state, agency, publisher… (schema.org Organization).',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    alternateNames: t.exposeStringList('alternateNames'),
    type: t.expose('type', { type: OrganisationTypeEnum }),
    description: t.exposeString('description', { nullable: true }),
    countryCode: t.exposeString('countryCode', { nullable: true, description: 'ISO 3166-1 alpha-2.' }),
    wikidataId: t.exposeString('wikidataId', { nullable: true }),
    sameAs: t.exposeStringList('sameAs'),
    parent: t.relation('parent', { nullable: true }),
    children: t.relatedConnection('children', { cursor: 'id', totalCount: true, query: { orderBy: { name: 'asc' } } }),
    people: t.relatedConnection('affiliations', {
      cursor: 'id',
      totalCount: true,
      description: 'Affiliations of people with this organisation.',
      query: { orderBy: [{ startDate: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }] },
    }),
  }),
})

linkField({ on: 'Organisation', field: 'stories', join: 'StoryOrganisation', type: 'Story', description: 'Stories about or mentioning the organisation, newest first.' })

slugLookup('Organisation', 'An organisation by slug.')
