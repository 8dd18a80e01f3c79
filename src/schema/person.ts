import { builder } from '../builder.js'
import { linkField } from './links.js'
import { slugLookup } from './lookup.js'

builder.prismaNode('Person', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'A person in the news (schema.org Person).',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    alternateNames: t.exposeStringList('alternateNames'),
    description: t.exposeString('description', { nullable: true }),
    wikidataId: t.exposeString('wikidataId', { nullable: true, description: 'Wikidata item, e.g. Q22686.' }),
    sameAs: t.exposeStringList('sameAs', { description: 'Other URIs that identify the person.' }),
    affiliations: t.relatedConnection('affiliations', {
      cursor: 'id',
      totalCount: true,
      description: 'Organisations the person belongs to or works for, with role and dates.',
      query: { orderBy: [{ startDate: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }] },
    }),
  }),
})

builder.prismaNode('Affiliation', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'A person’s role in an organisation over a span of time.',
  fields: (t) => ({
    role: t.exposeString('role', { description: 'Role or title, e.g. "Prime Minister".' }),
    startDate: t.expose('startDate', { type: 'DateTime', nullable: true }),
    endDate: t.expose('endDate', { type: 'DateTime', nullable: true }),
    person: t.relation('person'),
    organisation: t.relation('organisation'),
  }),
})

linkField({ on: 'Person', field: 'stories', join: 'StoryPerson', type: 'Story', description: 'Stories about or mentioning the person, newest first.' })

slugLookup('Person', 'A person by slug.')
