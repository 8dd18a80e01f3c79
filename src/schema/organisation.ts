import { builder } from '../builder.js'
import { upsertOrganisation } from '../resolvers/entity-writes.js'
import { entityRules, globalIdOf, slugSchema } from '../resolvers/validation.js'
import { OrganisationTypeEnum } from './enums.js'
import { keysetRelation, orderedBy } from './keyset-relation.js'
import { linkField } from './links.js'
import { slugLookup, upsertField } from './lookup.js'

export const Organisation = builder.prismaNode('Organisation', {
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
    version: t.exposeInt('version', { description: 'Send it back to update the organisation.' }),
    parent: t.relation('parent', { nullable: true }),
    // re-parented and renamed by updates; affiliations replaced whole by upsertPerson: both paged
    // by position (src/resolvers/paging.ts), the id breaking ties
    children: keysetRelation(t, {
      relation: 'children',
      type: 'Organisation',
      name: 'OrganisationChildren',
      ...orderedBy('name', { kind: 'text', dir: 'asc' }),
    }),
    people: keysetRelation(t, {
      relation: 'affiliations',
      type: 'Affiliation',
      name: 'OrganisationPeople',
      description: 'Affiliations of people with this organisation.',
      ...orderedBy('startDate', { kind: 'time', dir: 'desc', nulls: 'last' }),
    }),
  }),
})

linkField({
  on: 'Organisation',
  field: 'stories',
  join: 'StoryOrganisation',
  type: 'Story',
  description: 'Stories about or mentioning the organisation, newest first.',
})

slugLookup('Organisation', 'An organisation by slug.')

const OrganisationInput = builder.inputType('OrganisationInput', {
  description: 'The whole organisation: a field left out is cleared.',
  fields: (t) => ({
    slug: t.string({ required: true, validate: slugSchema }),
    name: t.string({ required: true, validate: entityRules.name }),
    alternateNames: t.stringList({ description: 'At most 20.', validate: entityRules.alternateNames }),
    type: t.field({ type: OrganisationTypeEnum, defaultValue: 'OTHER' }),
    description: t.string({ validate: entityRules.description }),
    countryCode: t.string({ description: 'ISO 3166-1 alpha-2, upper-case.', validate: entityRules.countryCode }),
    wikidataId: t.string({ description: 'e.g. Q38799; one organisation per item.', validate: entityRules.wikidataId }),
    sameAs: t.stringList({ description: 'http(s) URLs, at most 20.', validate: entityRules.sameAs }),
    parentId: t.id({
      description: 'The organisation this one is part of; not itself or one below it.',
      validate: globalIdOf('Organisation'),
    }),
  }),
})

upsertField('Organisation', OrganisationInput, upsertOrganisation)
