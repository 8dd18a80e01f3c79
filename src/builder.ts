// The Pothos schema builder: plugins and shared scalars only. Types live in src/schema/.
import SchemaBuilder from '@pothos/core'
import ComplexityPlugin, { type FieldComplexityValue } from '@pothos/plugin-complexity'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import ValidationPlugin from '@pothos/plugin-validation'
import { DateTimeResolver, JSONResolver } from 'graphql-scalars'
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLScalarType,
  isCompositeType,
  isListType,
  type GraphQLField,
} from 'graphql'
import { isAdmin, mayEdit } from './auth/roles.js'
import type { Context } from './context.js'
import type PrismaTypes from './generated/pothos-prisma-types.js'
import { getDatamodel } from './generated/pothos-prisma-types.js'
import { badInput } from './errors.js'
import { DOMAIN_ERRORS, ForbiddenError, ValidationError } from './resolvers/errors.js'
import { STORABLE_YEARS, storableTime } from './resolvers/times.js'
import { isRowId } from './resolvers/validation.js'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './resolvers/paging.js'

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
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, PrismaPlugin, ValidationPlugin, ComplexityPlugin],
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
      editor: mayEdit(ctx.viewer),
      admin: isAdmin(ctx.viewer),
    }),
    unauthorizedError: (_parent, ctx) =>
      new ForbiddenError(ctx.viewer ? 'Your role may not do this.' : 'Sign in as an editor to do this.'),
  },
  // What an operation costs (fieldCost below). The limits depend on the viewer and the
  // configuration, so src/server/operation-limits.ts enforces them; none is set here.
  complexity: { fieldComplexity: (args, _ctx, field) => fieldCost(args, field) },
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
    // A node's row id is a UUID. One that is not is refused here: in the database it would fail the
    // batch of lookups Prisma sends it in, and with it every other node of the request.
    nodeQueryOptions: { resolve: (_root, { id }, _ctx, _info, resolveNode) => resolveNode(wellFormedNodeId(id)) },
    nodesQueryOptions: {
      resolve: (_root, { ids }, _ctx, _info, resolveNodes) => resolveNodes(ids.map(wellFormedNodeId)),
    },
    firstArgOptions: {
      description: `Page size, 1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given.`,
    },
    lastArgOptions: { description: `Page size from the end, 1 to ${MAX_PAGE_SIZE}.` },
  },
})

function storableDateTime() {
  const config = DateTimeResolver.toConfig()
  const storable = (at: Date) => {
    if (!storableTime(at))
      throw new GraphQLError(`DateTime ${STORABLE_YEARS}`, { extensions: { code: 'BAD_USER_INPUT' } })
    return at
  }
  return new GraphQLScalarType<Date, unknown>({
    ...config,
    parseValue: (value) => storable(config.parseValue!(value) as Date),
    parseLiteral: (ast, variables) => storable(config.parseLiteral!(ast, variables) as Date),
  })
}

function wellFormedNodeId(id: { typename: string; id: string }) {
  if (!isRowId(id.id)) throw badInput('Invalid global id: the id inside it is malformed.')
  return id
}

// RFC 3339 times (graphql-scalars), held to the years PostgreSQL can store (src/resolvers/times.ts):
// year 0000 would otherwise pass the scalar and fail in the database.
builder.addScalarType('DateTime', storableDateTime())
builder.addScalarType('JSON', JSONResolver)

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items the whole list holds, across every page.',
    resolve: (parent) => (typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount),
  }),
)

/**
 * The cost model: an operation costs the fetches it may need, counted as if every page were full
 * (as GitHub's GraphQL API counts). Prisma plans the fields beneath a field into its query, so a
 * column or a to-one relation is free; what multiplies the work is lists:
 * - a connection costs 1, and what it selects counts as many times as its page size (`first` or
 *   `last`, DEFAULT_PAGE_SIZE when neither is given; out-of-range sizes count as the nearest valid
 *   one, and the page-size check refuses them before execution anyway);
 * - a field with arguments (a root lookup, a mutation, a subscription) costs 1; `nodes(ids:)` costs
 *   1 per id, and what it selects counts once per id;
 * - any other list of objects (a story's body sections, a photo's renditions) costs 1 and what it
 *   selects counts DEFAULT_PAGE_SIZE times; a list of scalars, a scalar, `edges`, `node`,
 *   `pageInfo` and `totalCount` are free.
 * So `stories(first: 50) { edges { node { tags { … } people { … } } } }` costs 1 + 50 × 2 = 101.
 * `__typename` is free too (src/server/operation-limits.ts leaves it out of the count).
 */
function fieldCost(args: Record<string, unknown>, field: GraphQLField<unknown, Context>): FieldComplexityValue {
  const type = getNullableType(field.type)
  const named = getNamedType(type)
  if (named.name.endsWith('Connection')) return { field: 1, multiplier: pageSize(args) }
  const listed = isListType(type) && isCompositeType(named)
  if (field.name === 'edges' && listed) return { field: 0, multiplier: 1 }
  const ids = Object.values(args).find(Array.isArray)
  if (listed && ids) return { field: ids.length, multiplier: ids.length }
  if (listed) return { field: 1, multiplier: DEFAULT_PAGE_SIZE }
  return field.args.length ? 1 : 0
}

function pageSize(args: Record<string, unknown>): number {
  const sizes = [args.first, args.last].filter((n): n is number => typeof n === 'number')
  const size = sizes.length ? Math.max(...sizes) : DEFAULT_PAGE_SIZE
  return Math.min(Math.max(size, 1), MAX_PAGE_SIZE)
}
