// The check that refuses out-of-range page sizes (src/resolvers/paging.ts) before any resolver
// runs (Pothos alone would silently clamp them).
import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql'
import { badInput } from '../errors.js'
import { MAX_PAGE_SIZE } from '../resolvers/paging.js'
import { coercedOperation, preExecutionCheck } from './operation.js'

/** Yoga plugin: answers an out-of-range page size with BAD_USER_INPUT before execution. */
export const usePageSizeLimits = () => preExecutionCheck(pageSizeError)

/** The first out-of-range `first`/`last` of any connection field in the operation, or null. */
function pageSizeError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
): GraphQLError | null {
  const coerced = coercedOperation(schema, document, operationName, rawVariables)
  if (!coerced) return null // graphql-js reports these itself
  const typeInfo = new TypeInfo(schema)
  let error: GraphQLError | null = null
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef()
        const type = field && getNamedType(field.type)
        if (error || !field || !isObjectType(type) || !type.name.endsWith('Connection')) return
        const args = getArgumentValues(field, node, coerced.variables)
        for (const name of ['first', 'last'] as const) {
          const value = args[name]
          if (typeof value === 'number' && (value < 1 || value > MAX_PAGE_SIZE)) {
            error = badInput(
              `${name} must be between 1 and ${MAX_PAGE_SIZE} (got ${value}) on ${node.name.value}`,
              name,
            )
            return
          }
        }
      },
    }),
  )
  return error
}
