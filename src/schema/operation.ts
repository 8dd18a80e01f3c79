// The operation a request runs, with its variables as graphql-js coerces them: what the checks
// made before execution (page sizes, storable text, cost) read arguments from.
import { getOperationAST, getVariableValues, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql'

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
