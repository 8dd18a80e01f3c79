import { builder } from '../builder.js'
import { mayEdit } from '../auth/roles.js'
import { publicStoryWhere } from '../resolvers/visibility.js'
import { MediaTypeEnum } from './enums.js'

export const MediaAsset = builder.prismaNode('MediaAsset', {
  id: { field: 'id' },
  // an unknown id gives null, not an error; so does the picture of a story the viewer may not read
  nullable: true,
  findUnique: (id, ctx) => (mayEdit(ctx.viewer) ? { id } : { id, stories: { some: publicStoryWhere() } }),
  description: 'A picture, graphic, video or audio item, with its credit and renditions.',
  fields: (t) => ({
    type: t.expose('type', { type: MediaTypeEnum }),
    caption: t.exposeString('caption', { nullable: true }),
    altText: t.exposeString('altText', { nullable: true }),
    creditLine: t.exposeString('creditLine', { nullable: true, description: 'As printed, e.g. "Photo: Jane Doe/AP".' }),
    copyrightHolder: t.exposeString('copyrightHolder', { nullable: true }),
    renditions: t.relation('renditions', { query: { orderBy: { width: { sort: 'desc', nulls: 'last' } } } }),
  }),
})

builder.prismaObject('MediaRendition', {
  description: 'One file of a media asset (ninjs rendition).',
  fields: (t) => ({
    name: t.exposeString('name'),
    href: t.exposeString('href'),
    mimeType: t.exposeString('mimeType', { nullable: true }),
    width: t.exposeInt('width', { nullable: true }),
    height: t.exposeInt('height', { nullable: true }),
  }),
})
