// The Pothos schema builder: plugins and shared scalars only. Types live in src/schema/.
import SchemaBuilder from '@pothos/core'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import { DateTimeResolver } from 'graphql-scalars'
import type PrismaTypes from './generated/pothos-prisma-types.js'
import { getDatamodel } from './generated/pothos-prisma-types.js'
import type { Context } from './context.js'
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './schema/pagination.js'

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date }
    ID: { Input: string; Output: string | number }
  }
  Connection: { totalCount: number | (() => number | Promise<number>) }
  DefaultEdgesNullability: { list: false; items: false }
  DefaultNodeNullability: false
}>({
  plugins: [PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  prisma: {
    // One client per server (embedded or PostgreSQL), handed over in the context.
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    firstArgOptions: { description: `Page size, 1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given.` },
    lastArgOptions: { description: `Page size from the end, 1 to ${MAX_PAGE_SIZE}.` },
  },
})

builder.addScalarType('DateTime', DateTimeResolver)

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items the whole list holds, across every page.',
    resolve: (parent) => (typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount),
  }),
)
