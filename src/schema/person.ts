import { z } from 'zod'
import { builder } from '../builder.js'
import { upsertPerson } from '../resolvers/entity-writes.js'
import { entityRules, globalIdOf, slugSchema } from '../resolvers/validation.js'
import { keysetRelation, orderedBy } from './keyset-relation.js'
import { linkField } from './links.js'
import { slugLookup, upsertField } from './lookup.js'

export const Person = builder.prismaNode('Person', {
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
    version: t.exposeInt('version', { description: 'Send it back to update the person.' }),
    // replaced whole by upsertPerson: paged by position (src/resolvers/paging.ts)
    affiliations: keysetRelation(t, {
      relation: 'affiliations',
      type: 'Affiliation',
      name: 'PersonAffiliations',
      description: 'Organisations the person belongs to or works for, with role and dates.',
      ...orderedBy('startDate', { kind: 'time', dir: 'desc', nulls: 'last' }),
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

linkField({
  on: 'Person',
  field: 'stories',
  join: 'StoryPerson',
  type: 'Story',
  description: 'Stories about or mentioning the person, newest first.',
})

slugLookup('Person', 'A person by slug.')

const AffiliationInput = builder.inputType('AffiliationInput', {
  fields: (t) => ({
    organisationId: t.id({ required: true, validate: globalIdOf('Organisation') }),
    role: t.string({ required: true, validate: entityRules.role }),
    startDate: t.field({ type: 'DateTime' }),
    endDate: t.field({ type: 'DateTime', description: 'Not before startDate.' }),
  }),
})

const PersonInput = builder.inputType('PersonInput', {
  description: 'The whole person: a field left out is cleared.',
  fields: (t) => ({
    slug: t.string({ required: true, validate: slugSchema }),
    name: t.string({ required: true, validate: entityRules.name }),
    alternateNames: t.stringList({ description: 'At most 20.', validate: entityRules.alternateNames }),
    description: t.string({ validate: entityRules.description }),
    wikidataId: t.string({ description: 'e.g. Q22686; one person per item.', validate: entityRules.wikidataId }),
    sameAs: t.stringList({ description: 'http(s) URLs, at most 20.', validate: entityRules.sameAs }),
    affiliations: t.field({
      type: [AffiliationInput],
      description: 'Replaces the person’s affiliations; at most 50.',
      validate: z.array(z.unknown()).max(50),
    }),
  }),
})

upsertField('Person', PersonInput, upsertPerson)
