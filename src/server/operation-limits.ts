// Limits on the shape and the cost of an operation, checked before anything runs. They are
// envelop hooks (parse, validate, context), so they hold for every transport: HTTP, Server-Sent
// Events, and the WebSocket, whose operations go through `yoga.getEnveloped` (src/server/websocket.ts).
//
// Shape (parse and validation): depth, aliases and directives with GraphQL Armor's rules, tokens
// with its parser; characters and root fields with our own small checks. Each refusal has its
// own code and states the limit, and ends validation: it is the answer's only error. Cost (once
// the viewer is known): the Pothos complexity plugin's count with the cost model of
// src/builder.ts, against COST_LIMIT_PUBLIC or COST_LIMIT_EDITOR.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives'
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens'
import type { FieldComplexity } from '@pothos/plugin-complexity'
import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  MaxIntrospectionDepthRule,
  specifiedRules,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type validate,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { Config } from '../config.js'
import { coercedOperation, remembered } from './operation.js'
import type { Context } from '../context.js'

export const OPERATION_LIMITS = {
  /** nesting of fields (fragments flattened) */
  depth: 10,
  /** aliases in an operation, `__typename`'s included */
  aliases: 15,
  /** directives in an operation, in its fragments included */
  directives: 5,
  /** lexical tokens in a document */
  tokens: 1_000,
  /** characters in a document */
  characters: 15_000,
  /** fields at the root of an operation */
  rootFields: 10,
}

export type OperationLimits = typeof OPERATION_LIMITS

/** The error codes of the limits, one each. */
export const LIMIT_CODES = {
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  directives: 'DIRECTIVE_LIMIT_EXCEEDED',
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  characters: 'CHARACTER_LIMIT_EXCEEDED',
  rootFields: 'ROOT_FIELD_LIMIT_EXCEEDED',
  introspectionDepth: 'INTROSPECTION_DEPTH_EXCEEDED',
  cost: 'COST_LIMIT_EXCEEDED',
} as const

const limitError = (message: string, code: string, limit: number) =>
  new GraphQLError(message, { extensions: { code, limit } })

/** GraphQL Armor words its refusals as syntax errors, which they are not. */
const armorMessage = (error: GraphQLError) => error.message.replace(/^Syntax Error: /, '')

/** Refuses an operation with more than `limit` fields at its root (fragments at the root flattened). */
function maxRootFieldsRule(limit: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const count = (set: SelectionSetNode, seen: Set<string>): number =>
        set.selections.reduce((sum, selection) => {
          if (selection.kind === Kind.FIELD) return sum + 1
          if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet, seen)
          const fragment = context.getFragment(selection.name.value)
          if (!fragment || seen.has(fragment.name.value)) return sum
          return sum + count(fragment.selectionSet, new Set(seen).add(fragment.name.value))
        }, 0)
      const found = count(operation.selectionSet, new Set())
      if (found > limit) {
        context.reportError(
          limitError(`Root field limit of ${limit} exceeded, found ${found}.`, LIMIT_CODES.rootFields, limit),
        )
      }
    },
  })
}

/** graphql-js's MaxIntrospectionDepthRule (one of its specified rules) says only this. */
const INTROSPECTION_DEPTH_MESSAGE = 'Maximum introspection depth exceeded'

/**
 * Yoga plugin: the shape limits. Introspection: the depth limit leaves out what is beneath
 * `__schema` (Armor's `ignoreIntrospection`), because the standard introspection query that
 * GraphiQL and codegen send nests `ofType` far deeper than 10 (its TypeRef fragment); what bounds
 * introspection instead is graphql-js's own MaxIntrospectionDepthRule, which refuses `fields`,
 * `inputFields`, `interfaces` or `possibleTypes` nested three deep beneath `__schema` or `__type`
 * — the only way back from a type to a list of types, so the only way a circular introspection
 * query (`__schema { types { fields { type { fields { type { fields …`) can fan out — and which
 * the standard query passes. Its errors get a code here. `__type` is not left out of the depth.
 */
export function useOperationLimits(limits: OperationLimits = OPERATION_LIMITS): Plugin {
  const rules = [
    maxDepthRule({
      ...armorOptions(limits.depth, LIMIT_CODES.depth),
      ignoreIntrospection: true,
      flattenFragments: true,
    }),
    // `allowList: []`: Armor lets any number of `__typename` aliases through by default
    maxAliasesRule({ ...armorOptions(limits.aliases, LIMIT_CODES.aliases), allowList: [] }),
    maxDirectivesRule(armorOptions(limits.directives, LIMIT_CODES.directives)),
    maxRootFieldsRule(limits.rootFields),
  ]
  return {
    onPluginInit({ addPlugin }) {
      // Armor's tokenizing parser; our handler throws the error it refuses with.
      addPlugin(
        maxTokensPlugin({
          n: limits.tokens,
          onReject: [
            (_ctx, error) => {
              throw limitError(armorMessage(error), LIMIT_CODES.tokens, limits.tokens)
            },
          ],
        }),
      )
      addPlugin({
        // after the tokenizing parser is set, so that it wraps it: the length first, then the tokens
        onParse({ parseFn, setParseFn }) {
          setParseFn((source, options) => {
            const length = typeof source === 'string' ? source.length : source.body.length
            if (length > limits.characters) {
              throw limitError(
                `Character limit of ${limits.characters} exceeded, found ${length}.`,
                LIMIT_CODES.characters,
                limits.characters,
              )
            }
            return parseFn(source, options)
          })
        },
      })
    },
    onValidate({ addValidationRule, validateFn, setValidationFn }) {
      for (const rule of rules) addValidationRule(rule)
      setValidationFn(limitsFirst(validateFn as ValidateFn, new Set([...rules, MaxIntrospectionDepthRule])))
      return ({ result, setResult }) => {
        if (!result.some((error) => error.message === INTROSPECTION_DEPTH_MESSAGE && !error.extensions?.code)) return
        setResult(
          result.map((error) =>
            error.message === INTROSPECTION_DEPTH_MESSAGE && !error.extensions?.code
              ? new GraphQLError(
                  'Maximum introspection depth exceeded: `fields`, `inputFields`, `interfaces` and `possibleTypes` may nest at most twice.',
                  {
                    nodes: error.nodes,
                    extensions: { code: LIMIT_CODES.introspectionDepth },
                  },
                )
              : error,
          ),
        )
      }
    },
  }
}

type ValidateFn = typeof validate

/** Validation with the limits first, alone: when one refuses, its first error is the whole answer.
 *  Run together, every other rule would add its own findings in what was refused (an "Unknown
 *  directive" for each of thousands), and the answer would grow with the attack. */
function limitsFirst(validate: ValidateFn, limits: Set<ValidationRule>): ValidateFn {
  return (schema, document, rules = specifiedRules, ...rest) => {
    const refused = validate(
      schema,
      document,
      rules.filter((rule) => limits.has(rule)),
      ...rest,
    )
    if (refused.length) return refused.slice(0, 1)
    return validate(
      schema,
      document,
      rules.filter((rule) => !limits.has(rule)),
      ...rest,
    )
  }
}

/** Armor's rules report through the validation context (so `validate` returns the error like any
 *  other rule's, rather than throwing out of it), with our code. */
function armorOptions(limit: number, code: string) {
  return {
    n: limit,
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, error: GraphQLError) =>
        ctx?.reportError(limitError(armorMessage(error), code, limit)),
    ],
  }
}

/**
 * The cost of the operation a request runs: the Pothos complexity plugin's count — each field's
 * `complexity` (src/builder.ts gives every field one), plus its multiplier times what it selects —
 * with two differences from the plugin's own `complexityFromQuery`. Arguments are passed as
 * graphql-js coerces them, without Pothos' argument mappers: those decode global ids and run input
 * validation, and a bad input must come back as the field's typed error at execution, not fail
 * the count. And `__typename` is free: clients such as Apollo add it to every selection.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  context: object,
): number {
  const coerced = coercedOperation(schema, document, operationName, variables)
  const root = coerced && schema.getRootType(coerced.operation.operation)
  if (!coerced || !root) return 1 // execution refuses these before any resolver runs
  const { operation, variables: coercedVariables } = coerced
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  )
  // a selection set costs the same each time it is reached on the same type: count it once
  const seen = new Map<SelectionSetNode, Map<GraphQLNamedType, number>>()
  function selectionCost(set: SelectionSetNode, type: GraphQLNamedType): number {
    const known = seen.get(set)?.get(type)
    if (known !== undefined) return known
    let total = 0
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value
        if (name === '__typename') continue
        const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined
        if (!field) {
          total += 1 // __schema, __type: bounded by the introspection rule
          continue
        }
        let option = field.extensions?.complexity as FieldComplexity<object, Record<string, unknown>> | undefined
        if (typeof option === 'function')
          option = option(getArgumentValues(field, selection, coercedVariables), context, field)
        const own = typeof option === 'number' ? option : (option?.field ?? 1)
        const multiplier = typeof option === 'object' && option.multiplier !== undefined ? option.multiplier : 1
        total += own
        if (selection.selectionSet)
          total += Math.max(multiplier, 0) * selectionCost(selection.selectionSet, getNamedType(field.type))
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value)
        if (!fragment) continue
        const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value)
        total += selectionCost(fragment.selectionSet, condition ?? type)
      }
    }
    if (!seen.has(set)) seen.set(set, new Map())
    seen.get(set)!.set(type, total)
    return total
  }
  return Math.max(1, Math.ceil(selectionCost(operation.selectionSet, root)))
}

/** The cost, remembered per operation and variables: no field's complexity reads the context
 *  (src/builder.ts: fieldCost of the arguments), so an operation costs the same for everyone. */
const rememberedCost = remembered(operationCost)

const operations = new WeakMap<object, { schema: GraphQLSchema; document: DocumentNode }>()
const costs = new WeakMap<object, number>()

/** The cost the cost limit found for the operation of this context (set once it is built). */
export const costOf = (context: object): number | undefined => costs.get(context)

/**
 * Yoga plugin: refuses an operation that costs more than the viewer's budget (COST_LIMIT_EDITOR
 * for editors, COST_LIMIT_PUBLIC otherwise) once its context is built — before any resolver, for
 * queries, mutations and subscriptions alike (a subscription is costed once, when it starts). A
 * GraphQL error from the context is what Yoga answers over HTTP (here with status 400, and 200 to
 * a client that asked for `application/json`, as for validation errors) and what the WebSocket
 * sends as the operation's `error` message.
 */
export function useCostLimit(config: Pick<Config, 'COST_LIMIT_PUBLIC' | 'COST_LIMIT_EDITOR'>): Plugin<Context> {
  return {
    // the document and schema, for the context phase (the context object is the same throughout)
    onValidate({ context, params: { schema, documentAST } }) {
      return ({ valid }) => {
        if (valid) operations.set(context, { schema, document: documentAST })
      }
    },
    onContextBuilding() {
      return ({ context }) => {
        const operation = operations.get(context)
        const params = (
          context as { params?: { operationName?: string | null; variables?: Record<string, unknown> | null } }
        ).params
        if (!operation || !params) return
        const cost = rememberedCost(
          operation.schema,
          operation.document,
          params.operationName,
          params.variables,
          context,
        )
        costs.set(context, cost)
        const limit = context.viewer ? config.COST_LIMIT_EDITOR : config.COST_LIMIT_PUBLIC
        if (cost > limit) {
          throw new GraphQLError(
            `This operation costs ${cost}, more than the limit of ${limit}; ask for smaller pages (first/last) or fewer nested lists.`,
            {
              extensions: { code: LIMIT_CODES.cost, cost, limit, http: { spec: true, status: 400 } },
            },
          )
        }
      }
    },
  }
}
