import { builder } from '../builder.js'
import { TagSchemeEnum } from './enums.js'
import { linkField } from './links.js'
import { slugLookup } from './lookup.js'

builder.prismaNode('Tag', {
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
  }),
})

linkField({ on: 'Tag', field: 'stories', join: 'StoryTag', type: 'Story', description: 'Stories filed under the tag, newest first.' })

slugLookup('Tag', 'A tag by slug.')
