import { builder } from '../builder.js'
import { upsertTag } from '../resolvers/tag-writes.js'
import { slugSchema, tagRules } from '../resolvers/validation.js'
import { entityNode } from './entity-fields.js'
import { TagSchemeEnum } from './enums.js'
import { upsertField } from './lookup.js'

export const Tag = entityNode('Tag', 'A topic stories are filed under, so readers can follow it.', {
  stories: 'filed under',
  version: false,
})

builder.prismaObjectFields(Tag, (t) => ({
  scheme: t.expose('scheme', { type: TagSchemeEnum }),
  code: t.exposeString('code', { nullable: true, description: 'IPTC Media Topic code, e.g. medtop:16000000.' }),
  description: t.exposeString('description', { nullable: true }),
}))

const TagInput = builder.inputType('TagInput', {
  fields: (t) => ({
    slug: t.string({ required: true, validate: slugSchema }),
    name: t.string({ required: true, validate: tagRules.name }),
    scheme: t.field({ type: TagSchemeEnum, defaultValue: 'KEYWORD' }),
    code: t.string({ validate: tagRules.code }),
    description: t.string({ validate: tagRules.description }),
  }),
})

upsertField('Tag', TagInput, upsertTag)
