import { builder } from '../builder.js'
import { upsertOrganisation } from '../resolvers/entity-writes.js'
import { entityRules, globalIdOf } from '../resolvers/validation.js'
import { entityNode, namedEntityInput, treeFields } from './entity-fields.js'
import { OrganisationTypeEnum } from './enums.js'
import { orderedBy } from './keyset-relation.js'
import { upsertField } from './lookup.js'
import { affiliationsField } from './person.js'

export const Organisation = entityNode(
  'Organisation',
  'A movement, government, state, agency, publisher… (schema.org Organization).',
)

builder.prismaObjectFields(Organisation, (t) => ({
  alternateNames: t.exposeStringList('alternateNames'),
  type: t.expose('type', { type: OrganisationTypeEnum }),
  description: t.exposeString('description', { nullable: true }),
  countryCode: t.exposeString('countryCode', { nullable: true, description: 'ISO 3166-1 alpha-2.' }),
  wikidataId: t.exposeString('wikidataId', { nullable: true }),
  sameAs: t.exposeStringList('sameAs'),
}))

treeFields('Organisation', { order: orderedBy('name', { kind: 'text', dir: 'asc' }) })

affiliationsField('Organisation', 'people', 'Affiliations of people with this organisation.')

const OrganisationInput = namedEntityInput('Organisation', (t) => ({
  type: t.field({ type: OrganisationTypeEnum, defaultValue: 'OTHER' }),
  description: t.string({ validate: entityRules.description }),
  countryCode: t.string({ description: 'ISO 3166-1 alpha-2, upper-case.', validate: entityRules.countryCode }),
  wikidataId: t.string({ description: 'e.g. Q38799; one organisation per item.', validate: entityRules.wikidataId }),
  sameAs: t.stringList({ description: 'http(s) URLs, at most 20.', validate: entityRules.sameAs }),
  parentId: t.id({
    description: 'The organisation this one is part of; not itself or one below it.',
    validate: globalIdOf('Organisation'),
  }),
}))

upsertField('Organisation', OrganisationInput, upsertOrganisation)
