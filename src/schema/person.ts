import { builder } from '../builder.js'
import { upsertPerson } from '../resolvers/entity-writes.js'
import { entityRules, globalIdOf, LIMITS } from '../resolvers/validation.js'
import { entityNode, namedEntityInput } from './entity-fields.js'
import { orderedBy } from './keyset-relation.js'
import { upsertField } from './lookup.js'
import { relationList, rowNode } from './rows.js'

export const Person = entityNode('Person', 'A person in the news (schema.org Person).')

builder.prismaObjectFields(Person, (t) => ({
  alternateNames: t.exposeStringList('alternateNames'),
  description: t.exposeString('description', { nullable: true }),
  wikidataId: t.exposeString('wikidataId', { nullable: true, description: 'Wikidata item, e.g. Q22686.' }),
  sameAs: t.exposeStringList('sameAs', { description: 'Other URIs that identify the person.' }),
}))

builder.prismaNode('Affiliation', {
  ...rowNode,
  description: 'A person’s role in an organisation over a span of time.',
  fields: (t) => ({
    role: t.exposeString('role', { description: 'Role or title, e.g. "Prime Minister".' }),
    startDate: t.expose('startDate', { type: 'DateTime', nullable: true }),
    endDate: t.expose('endDate', { type: 'DateTime', nullable: true }),
    person: t.relation('person'),
    organisation: t.relation('organisation'),
  }),
})

/**
 * The affiliations of a person, or of an organisation (`people`), latest start first. upsertPerson
 * replaces them whole, so they are paged by position (src/resolvers/paging.ts).
 */
export function affiliationsField(on: 'Person' | 'Organisation', field: string, description: string) {
  relationList(on, field, {
    relation: 'affiliations',
    type: 'Affiliation',
    description,
    ...orderedBy('startDate', { kind: 'time', dir: 'desc', nulls: 'last' }),
  })
}

affiliationsField('Person', 'affiliations', 'Organisations the person belongs to or works for, with role and dates.')

const AffiliationInput = builder.inputType('AffiliationInput', {
  fields: (t) => ({
    organisationId: t.id({ required: true, validate: globalIdOf('Organisation') }),
    role: t.string({ required: true, validate: entityRules.role }),
    startDate: t.field({ type: 'DateTime' }),
    endDate: t.field({ type: 'DateTime', description: 'Not before startDate.' }),
  }),
})

const PersonInput = namedEntityInput('Person', (t) => ({
  description: t.string({ validate: entityRules.description }),
  wikidataId: t.string({ description: 'e.g. Q22686; one person per item.', validate: entityRules.wikidataId }),
  sameAs: t.stringList({ description: 'http(s) URLs, at most 20.', validate: entityRules.sameAs }),
  affiliations: t.field({
    type: [AffiliationInput],
    description: `Replaces the person’s affiliations; at most ${LIMITS.affiliations}.`,
    validate: entityRules.affiliations,
  }),
}))

upsertField('Person', PersonInput, upsertPerson)
