// The Pothos schema builder: plugins and shared scalars only. Types live in src/schema/.
import SchemaBuilder from '@pothos/core'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import ValidationPlugin from '@pothos/plugin-validation'
import { DateTimeResolver, JSONResolver } from 'graphql-scalars'
import type { Context } from './context.js'
import type PrismaTypes from './generated/pothos-prisma-types.js'
import { getDatamodel } from './generated/pothos-prisma-types.js'
import { DOMAIN_ERRORS, ForbiddenError, ValidationError } from './resolvers/errors.js'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './schema/pagination.js'

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  AuthScopes: { editor: boolean; admin: boolean }
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date }
    JSON: { Input: unknown; Output: unknown }
    ID: { Input: string; Output: string | number }
  }
  Connection: { totalCount: number | (() => number | Promise<number>) }
  DefaultEdgesNullability: { list: false; items: false }
  DefaultNodeNullability: false
}>({
  // Errors first, so a refusal by scope-auth becomes a typed Forbidden result. Input validation
  // runs before authorisation (a plugin limit): the public may learn a write field's input rules,
  // which the schema documents anyway, never data.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, PrismaPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  errors: {
    defaultTypes: DOMAIN_ERRORS,
    // a mutation returns `Story | ValidationError | …`, not a wrapper object
    directResult: true,
    unsafelyHandleInputErrors: true,
  },
  scopeAuth: {
    // an editor-only subscription is refused when it starts, not at its first event
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      editor: ctx.viewer?.role === 'editor' || ctx.viewer?.role === 'admin',
      admin: ctx.viewer?.role === 'admin',
    }),
    unauthorizedError: (_parent, ctx) =>
      new ForbiddenError(ctx.viewer ? 'Your role may not do this.' : 'Sign in as an editor to do this.'),
  },
  validation: {
    validationError: (result) =>
      new ValidationError(
        result.issues.map((issue) => ({
          field: (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.'),
          message: issue.message,
        })),
      ),
  },
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
builder.addScalarType('JSON', JSONResolver)

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items the whole list holds, across every page.',
    resolve: (parent) => (typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount),
  }),
)
