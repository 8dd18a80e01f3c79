// Page sizes for every connection, and the check that rejects out-of-range ones before any
// resolver runs (Pothos alone would silently clamp them).
import type { Plugin } from 'graphql-yoga'
import { coercedOperation, remembered } from './operation.js'
import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql'
import { badInput } from '../errors.js'

export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100

/** The first out-of-range `first`/`last` of any connection field in the operation, or null;
 *  an operation found within range is remembered. */
export const findPageSizeError = remembered(pageSizeError, (error) => error === null)

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

/** Yoga plugin: answers an out-of-range page size with BAD_USER_INPUT before execution — of a
 *  query or mutation (onExecute), and of a subscription before it starts (onSubscribe: envelop
 *  does not call onExecute for subscriptions, over SSE or WebSocket). */
export function usePageSizeLimits(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = findPageSizeError(args.schema, args.document, args.operationName, args.variableValues)
      if (error) setResultAndStopExecution({ errors: [error] })
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = findPageSizeError(args.schema, args.document, args.operationName, args.variableValues)
      if (error) setResultAndStopExecution({ errors: [error] })
    },
  }
}
