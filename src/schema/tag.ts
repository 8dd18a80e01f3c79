import { z } from 'zod'
import { builder } from '../builder.js'
import { upsertTag } from '../resolvers/tag-writes.js'
import { slugSchema } from '../resolvers/validation.js'
import { TagSchemeEnum } from './enums.js'
import { linkField } from './links.js'
import { slugLookup, upsertField } from './lookup.js'

export const Tag = builder.prismaNode('Tag', {
  id: { field: 'id' },
  // an unknown id gives null, not an error
  nullable: true,
  description: 'A topic stories are filed under, so readers can follow it.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    scheme: t.expose('scheme', { type: TagSchemeEnum }),
    code: t.exposeString('code', { nullable: true, description: 'IPTC Media Topic code, e.g. medtop:16000000.' }),
    description: t.exposeString('description', { nullable: true }),
    version: t.exposeInt('version'),
  }),
})

linkField({
  on: 'Tag',
  field: 'stories',
  join: 'StoryTag',
  type: 'Story',
  description: 'Stories filed under the tag, newest first.',
})

slugLookup('Tag', 'A tag by slug.')

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
