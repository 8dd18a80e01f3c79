// Editors only: every change to a story, and the audit log of every mutation.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { builder } from '../builder.js'
import type { Prisma } from '../generated/prisma/client.js'
import { DEFAULT_PAGE_SIZE, keysetPage, ListOrder, pageInfo } from '../resolvers/paging.js'
import { ForbiddenError } from '../resolvers/errors.js'
import { mayEdit } from '../auth/roles.js'
import { relationList, rowNode } from './rows.js'

builder.prismaNode('StoryRevision', {
  ...rowNode,
  // Refused by id before any lookup: otherwise the public would learn which ids exist (a known one
  // is refused, an unknown one is null, and `__typename` alone, which no scope guards, answers).
  findUnique: (id, ctx) => {
    if (!mayEdit(ctx.viewer)) throw new ForbiddenError('Sign in as an editor to do this.')
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

relationList('Story', 'revisions', {
  type: 'StoryRevision',
  description: 'Every change, newest first. Editors only.',
  // the story's version after each change: one revision each
  keys: [{ kind: 'int', dir: 'desc' }],
  fields: ['version'],
  options: { authScopes: { editor: true } },
})

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
    targetId: t.id({
      nullable: true,
      description: 'The global id of what it changed (what `node(id:)` takes).',
      select: { targetType: true, targetId: true },
      resolve: (e) => (e.targetType && e.targetId ? encodeGlobalID(e.targetType, e.targetId) : null),
    }),
    requestId: t.exposeString('requestId'),
    input: t.expose('input', { type: 'JSON' }),
  }),
})

// newest first: a cursor holds an entry's sequence number
const AUDIT_ORDER = new ListOrder('audit', [{ kind: 'bigint', dir: 'desc' }])

builder.queryField('auditLog', (t) =>
  t.connection(
    {
      type: AuditEntry,
      authScopes: { editor: true },
      description: 'Every mutation, newest first. Editors only.',
      resolve: async (_root, args, ctx) => {
        const w = AUDIT_ORDER.window(args, DEFAULT_PAGE_SIZE)
        const rows = await ctx.prisma.auditEntry.findMany({
          where: AUDIT_ORDER.where(['id'], w),
          orderBy: AUDIT_ORDER.orderBy(['id'], w) as Prisma.AuditEntryOrderByWithRelationInput[],
          take: w.size + 1,
        })
        const page = keysetPage(rows, w)
        const edges = page.items.map((node) => ({ cursor: AUDIT_ORDER.cursor([node.id]), node }))
        return { edges, pageInfo: pageInfo(page, edges), totalCount: () => ctx.prisma.auditEntry.count() }
      },
    },
    {
      name: 'QueryAuditLogConnection',
      // as the prisma connection it replaces had it (schema.graphql unchanged)
      fields: (c) => ({
        totalCount: c.int({
          resolve: (parent) => (parent as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: 'QueryAuditLogConnectionEdge' },
  ),
)
