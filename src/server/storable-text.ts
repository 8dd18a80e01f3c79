// Text the database can store. PostgreSQL refuses a NUL character (U+0000) in any text value, and
// a lone surrogate ("\ud800" in JSON) is not Unicode at all; either in an argument would reach the
// database and fail there as an unexpected fault. Both are refused before execution, as
// BAD_USER_INPUT naming the argument (and the path inside it), over HTTP, SSE and WebSocket alike.
import {
  BREAK,
  getArgumentValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql'
import { badInput } from '../errors.js'
import { coercedOperation, preExecutionCheck } from './operation.js'

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Why this text cannot be stored, or null. */
function problemOf(text: string, field: string): string | null {
  if (text.includes('\u0000')) return `${field} must not contain the NUL character (U+0000)`
  if (LONE_SURROGATE.test(text)) return `${field} must be well-formed Unicode: it holds a lone surrogate`
  return null
}

/** The first string inside an argument's value that cannot be stored, as an error naming its path. */
function check(value: unknown, field: string): GraphQLError | null {
  if (typeof value === 'string') {
    const problem = problemOf(value, field)
    return problem ? badInput(problem, field) : null
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const error = check(item, `${field}.${key}`)
      if (error) return error
    }
  }
  return null
}

/** Yoga plugin: refuses unstorable text before the operation runs. */
export const useStorableText = () => preExecutionCheck(unstorableText)

/** The first argument of the operation holding text that cannot be stored, or null. */
function unstorableText(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
): GraphQLError | null {
  const coerced = coercedOperation(schema, document, operationName, rawVariables)
  if (!coerced) return null // graphql-js reports these itself
  const typeInfo = new TypeInfo(schema)
  let error: GraphQLError | null = null
  // the operation and the fragments it may spread; other operations in the document do not run
  for (const definition of document.definitions) {
    if (error || (definition !== coerced.operation && definition.kind !== Kind.FRAGMENT_DEFINITION)) continue
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef()
          if (!field || !node.arguments?.length) return
          let args: Record<string, unknown>
          try {
            args = getArgumentValues(field, node, coerced.variables)
          } catch {
            return // an invalid argument: execution reports it
          }
          for (const [name, value] of Object.entries(args)) {
            error = check(value, name)
            if (error) return BREAK
          }
        },
      }),
    )
  }
  return error
}
