import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { mayEdit } from '../auth/roles.js'
import { publicStoryWhere } from '../resolvers/visibility.js'
import { CorrectionKindEnum } from './enums.js'
import { orderedBy } from './keyset-relation.js'
import { relationList, rowNode } from './rows.js'

// A correction quotes its story's text (`before`, `after`), so the public reads it only with a
// story it may read in full: not a withdrawn story's, whose text is held back, nor a hidden one's.
export const readableCorrectionWhere = (ctx: Context) => (mayEdit(ctx.viewer) ? {} : { story: publicStoryWhere() })

builder.prismaNode('Correction', {
  ...rowNode,
  findUnique: (id, ctx) => ({ id, ...readableCorrectionWhere(ctx) }),
  description: 'A correction, clarification, update note or retraction, shown with the story to everyone.',
  fields: (t) => ({
    kind: t.expose('kind', { type: CorrectionKindEnum }),
    text: t.exposeString('text'),
    field: t.exposeString('field', { nullable: true, description: 'The story field corrected, if one.' }),
    before: t.exposeString('before', { nullable: true }),
    after: t.exposeString('after', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

relationList('Story', 'corrections', {
  type: 'Correction',
  description: 'Corrections and notes, oldest first.',
  ...orderedBy('createdAt', { kind: 'time', dir: 'asc' }),
  where: readableCorrectionWhere,
})
