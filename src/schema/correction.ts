import { builder } from '../builder.js'
import { CorrectionKindEnum } from './enums.js'

builder.prismaNode('Correction', {
  id: { field: 'id' },
  nullable: true,
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

builder.prismaObjectField('Story', 'corrections', (t) =>
  t.relatedConnection('corrections', {
    cursor: 'id',
    totalCount: true,
    description: 'Corrections and notes, oldest first.',
    query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  }),
)
