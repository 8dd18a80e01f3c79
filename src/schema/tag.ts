import { z } from 'zod'
import { builder } from '../builder.js'
import { upsertTag } from '../resolvers/tag-writes.js'
import { slugSchema } from '../resolvers/validation.js'
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
    name: t.string({ required: true, validate: z.string().trim().min(1).max(120) }),
    scheme: t.field({ type: TagSchemeEnum, defaultValue: 'KEYWORD' }),
    code: t.string({ validate: z.string().regex(/^medtop:\d{8}$/, 'must look like medtop:16000000') }),
    description: t.string({ validate: z.string().max(2000) }),
  }),
})

upsertField('Tag', TagInput, upsertTag)
