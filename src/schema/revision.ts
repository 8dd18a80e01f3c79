// Editors only: every change to a story, and the audit log of every mutation.
import { builder } from '../builder.js'
import { ForbiddenError } from '../resolvers/errors.js'
import { isEditor } from '../resolvers/visibility.js'

builder.prismaNode('StoryRevision', {
  id: { field: 'id' },
  nullable: true,
  // Refused by id before any lookup: otherwise the public would learn which ids exist (a known one
  // is refused, an unknown one is null, and `__typename` alone, which no scope guards, answers).
  findUnique: (id, ctx) => {
    if (!isEditor(ctx.viewer)) throw new ForbiddenError('Sign in as an editor to do this.')
    return { id }
  },
  authScopes: { editor: true },
  description: 'One change to a story: who, when, what changed. Editors only.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'The story’s version after this change.' }),
    action: t.exposeString('action', { description: 'created, updated, published, withdrawn, corrected, restored' }),
    actor: t.exposeString('actor'),
    requestId: t.exposeString('requestId', { nullable: true }),
    changes: t.expose('changes', { type: 'JSON', description: 'field → { before, after }' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

// Revisions and the audit log are only ever added to: row-id cursors are safe (src/resolvers/paging.ts).
builder.prismaObjectField('Story', 'revisions', (t) =>
  t.relatedConnection('revisions', {
    cursor: 'id',
    totalCount: true,
    authScopes: { editor: true },
    description: 'Every change, newest first. Editors only.',
    query: { orderBy: { version: 'desc' } },
  }),
)

const AuditEntry = builder.prismaObject('AuditEntry', {
  authScopes: { editor: true },
  description: 'A mutation that changed something: who, what, when, in which request. Append-only.',
  fields: (t) => ({
    seq: t.field({ type: 'String', description: 'Position in the log.', resolve: (e) => e.id.toString() }),
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.exposeString('actor'),
    role: t.exposeString('role'),
    operation: t.exposeString('operation'),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.exposeString('targetId', { nullable: true }),
    requestId: t.exposeString('requestId'),
    input: t.expose('input', { type: 'JSON' }),
  }),
})

builder.queryField('auditLog', (t) =>
  t.prismaConnection({
    type: AuditEntry,
    cursor: 'id',
    authScopes: { editor: true },
    description: 'Every mutation, newest first. Editors only.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.auditEntry.findMany({ ...query, orderBy: { id: 'desc' } }),
    totalCount: (_root, _args, ctx) => ctx.prisma.auditEntry.count(),
  }),
)
