// The operation a request runs, with its variables as graphql-js coerces them: what the checks
// made before execution (page sizes, storable text, cost) read arguments from; what they remember;
// and the plugin that refuses an operation before it runs.
import {
  BREAK,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'

export interface CoercedOperation {
  operation: OperationDefinitionNode
  variables: Record<string, unknown>
}

/** The operation named (or the only one) and its coerced variables; null when there is none, or
 *  its variables do not coerce (execution refuses those itself, before any resolver runs). */
export function coercedOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
): CoercedOperation | null {
  const operation = getOperationAST(document, operationName)
  if (!operation) return null
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {})
  return coerced.errors ? null : { operation, variables: coerced.coerced }
}

type OperationCheck<A extends unknown[], T> = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  ...rest: A
) => T

/** Operations remembered per document (as many as the response cache keeps answers), and the
 *  longest variables (as JSON) remembered. */
const REMEMBERED_PER_DOCUMENT = 1000
const REMEMBERED_VARIABLES_LENGTH = 4096

/**
 * A check of an operation that depends only on the document, the operation name and the variables,
 * remembered: the same operation sent again with the same variables (the front page, read by every
 * reader) is not walked again. Documents are the parser cache's own objects, so the results are
 * kept by document (weakly), then by operation name and variables, at most 1,000 per document (the
 * oldest go first: a story page asked for a thousand stories in turn stays remembered).
 * Only results `keep` accepts are remembered: a check's errors are made anew for each request,
 * since errors are changed on their way out (masking, hidden suggestions).
 */
export function remembered<A extends unknown[], T>(
  check: OperationCheck<A, T>,
  keep: (result: T) => boolean = () => true,
): OperationCheck<A, T> {
  const byDocument = new WeakMap<DocumentNode, { schema: GraphQLSchema; results: Map<string, T> }>()
  return (schema, document, operationName, variables, ...rest) => {
    const json = JSON.stringify(variables ?? {})
    const key = `${operationName ?? ''}\u0000${json}`
    let known = byDocument.get(document)
    if (known?.schema === schema && known.results.has(key)) return known.results.get(key)!
    const result = check(schema, document, operationName, variables, ...rest)
    if (keep(result) && json.length <= REMEMBERED_VARIABLES_LENGTH) {
      if (known?.schema !== schema) byDocument.set(document, (known = { schema, results: new Map() }))
      if (known.results.size >= REMEMBERED_PER_DOCUMENT) known.results.delete(known.results.keys().next().value!)
      known.results.set(key, result)
    }
    return result
  }
}

/** The first error a check finds in an operation, or null. */
export type OperationErrorCheck = OperationCheck<[], GraphQLError | null>

/**
 * A check of each field with arguments that the operation runs (in it and in the fragments it may
 * spread; other operations in the document do not run), given the arguments as coerced; the first
 * error found is the check's answer.
 */
export function fieldCheck(
  check: (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, node: FieldNode) => GraphQLError | null,
): OperationErrorCheck {
  return (schema, document, operationName, rawVariables) => {
    const coerced = coercedOperation(schema, document, operationName, rawVariables)
    if (!coerced) return null // graphql-js reports these itself
    const typeInfo = new TypeInfo(schema)
    let error: GraphQLError | null = null
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
            error = check(field, args, node)
            if (error) return BREAK
          },
        }),
      )
    }
    return error
  }
}

/** What onExecute and onSubscribe both give: the operation, and a way to answer in its stead. */
interface ExecutionHook {
  args: {
    schema: GraphQLSchema
    document: DocumentNode
    operationName?: string | null
    variableValues?: Record<string, unknown> | null
  }
  setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void
}

/**
 * Yoga plugin: answers an operation `check` finds an error in with that error alone, before any
 * resolver runs — of a query or mutation (onExecute), and of a subscription before it starts
 * (onSubscribe: envelop does not call onExecute for subscriptions, over SSE or WebSocket). An
 * operation found sound is remembered; errors are made anew for each request.
 */
export function preExecutionCheck(check: OperationErrorCheck): Plugin {
  const find = remembered(check, (error) => error === null)
  const refuse = ({ args, setResultAndStopExecution }: ExecutionHook) => {
    const error = find(args.schema, args.document, args.operationName, args.variableValues)
    if (error) setResultAndStopExecution({ errors: [error] })
  }
  return { onExecute: refuse, onSubscribe: refuse }
}
