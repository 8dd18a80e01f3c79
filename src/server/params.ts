// A request's parameters, held to what the rest may safely read before anything reads them.
//
// - JSON that does not parse in a query string (GET, or a form POST) is a 400 BAD_REQUEST, as a
//   POST body that is not JSON is; Yoga's own parser lets the SyntaxError out (a 500).
// - Variables nest at most VARIABLE_LIMITS.depth lists and objects deep and hold at most
//   VARIABLE_LIMITS.values values (editorValues with an editor's token), checked by one walk without recursion that stops at the limit:
//   everything after (graphql-js' coercion, the cost's memo, the storable-text check) recurses
//   into them. A refusal is a 400 (VARIABLES_TOO_DEEP, VARIABLES_TOO_LARGE) and spends a point
//   from the client's rate limit, as an operation does (src/server/rate-limit.ts).
//
// Over WebSocket the same onParams runs for each operation (operationGate in exposure.ts); JSON
// there is graphql-ws' to parse, and a message that is not is a protocol error (4400).
import type { IncomingMessage } from 'node:http'
import { GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'

export const VARIABLE_LIMITS = {
  /** lists and objects nested in a variable's value */
  depth: 32,
  /** values in all variables, lists and objects included: the public's (whose body may hold 32 KiB) */
  values: 10_000,
  /** an editor's, whose body may hold 2 MiB (a long story, an agency document to import) */
  editorValues: 250_000,
}

export type VariableLimits = typeof VARIABLE_LIMITS

export interface ParamsOptions {
  limits?: VariableLimits
  /** Charges a refused request to the client's rate limit; rejects with RATE_LIMITED when spent.
   *  `req` is the HTTP request (or a socket's upgrade request), for the client's address. */
  charge: (request: Request, req: IncomingMessage | undefined) => Promise<void>
  /** whether the request carries an editor's token (src/server/exposure.ts) */
  isEditor: (request: Request) => Promise<boolean> | boolean
}

const refusal = (message: string, code: string, limit?: number) =>
  new GraphQLError(message, { extensions: { code, ...(limit === undefined ? {} : { limit }), http: { status: 400 } } })

export function useParamsLimits({ limits = VARIABLE_LIMITS, charge, isEditor }: ParamsOptions): Plugin {
  return {
    onRequestParse({ url, requestParser, setRequestParser }) {
      if (!requestParser) return
      const parse = requestParser
      setRequestParser(async (request) => {
        try {
          return await parse(request)
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error
          const name =
            ['variables', 'extensions'].find((param) => !isJson(url.searchParams.get(param))) ??
            'variables` or `extensions'
          throw refusal(`The \`${name}\` parameter is not valid JSON.`, 'BAD_REQUEST')
        }
      })
    },
    async onParams({ params, request, context }) {
      let allowed = limits.values
      let over = exceeded(params.variables, limits)
      // past the public's count: an editor may send more
      if (over === 'values' && (await isEditor(request))) {
        allowed = limits.editorValues
        over = exceeded(params.variables, { depth: limits.depth, values: allowed })
      }
      if (!over) return
      await charge(request, (context as { req?: IncomingMessage } | undefined)?.req)
      throw over === 'depth'
        ? refusal(
            `Variables may nest lists and objects at most ${limits.depth} deep.`,
            'VARIABLES_TOO_DEEP',
            limits.depth,
          )
        : refusal(`Variables may hold at most ${allowed} values.`, 'VARIABLES_TOO_LARGE', allowed)
    },
  }
}

function isJson(text: string | null): boolean {
  if (!text) return true
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The first limit the variables pass, found depth-first with a stack of our own; null within both. */
export function exceeded(
  variables: unknown,
  limits: Pick<VariableLimits, 'depth' | 'values'>,
): 'depth' | 'values' | null {
  if (variables === null || typeof variables !== 'object') return null
  const stack: [unknown, number][] = []
  let values = 0
  const push = (value: unknown, depth: number) => {
    stack.push([value, depth])
    return ++values > limits.values
  }
  for (const key in variables) if (push((variables as Record<string, unknown>)[key], 0)) return 'values'
  while (stack.length) {
    const [value, depth] = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    if (depth >= limits.depth) return 'depth'
    for (const key in value) if (push((value as Record<string, unknown>)[key], depth + 1)) return 'values'
  }
  return null
}
