import { z } from 'zod'
import { builder } from '../builder.js'
import { runMutation } from '../resolvers/mutation.js'
import { upsertTag } from '../resolvers/tag-writes.js'
import { slugSchema } from '../resolvers/validation.js'
import { TagSchemeEnum } from './enums.js'
import { linkField } from './links.js'
import { slugLookup } from './lookup.js'

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

linkField({ on: 'Tag', field: 'stories', join: 'StoryTag', type: 'Story', description: 'Stories filed under the tag, newest first.' })

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

builder.mutationField('upsertTag', (t) =>
  t.prismaField({
    type: 'Tag',
    authScopes: { editor: true },
    errors: {},
    description: 'Creates the tag with this slug, or updates it (send the version you read).',
    args: {
      input: t.arg({ type: TagInput, required: true }),
      version: t.arg.int({ description: 'Required to update an existing tag.' }),
    },
    resolve: async (query, _root, { input, version }, ctx) => {
      const { id } = await runMutation(ctx, 'upsertTag', { input, version }, (tx) => upsertTag(tx, input, version ?? null))
      // read back after commit, with everything the client selected
      return ctx.prisma.tag.findUniqueOrThrow({ ...query, where: { id } })
    },
  }),
)
