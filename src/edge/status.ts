// The status of an answer without `data`, as GraphQL over HTTP has it. Such an answer means the
// request failed before anything ran (it did not validate, its variables did not coerce, a check
// refused it: a page size, storable text); for application/graphql-response+json that is a 4xx, so
// clients and caches can tell a refused request from an answer (a CDN never files it as one). Yoga
// does so for the errors it makes itself (validation: 400 with `spec`); the errors of this server's
// own checks before execution carry no HTTP status, and Yoga would send them with 200. Each is
// marked 400 with `spec` here, which Yoga applies to application/graphql-response+json only: a
// client that accepts application/json (or sends no Accept) keeps getting 200, as the spec's rules
// for that media type want. Errors that are the server's fault keep their 5xx; answers with `data`
// (null too) keep 200.
import { GraphQLError } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import { isServerFault } from '../server/errors.js'

const REQUEST_ERROR = { spec: true, status: 400 }

const needsStatus = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError && !error.extensions?.http && !isServerFault(error)

const withStatus = (error: GraphQLError) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, http: REQUEST_ERROR },
  })

/** Yoga plugin: 400 for application/graphql-response+json when an answer has no `data`. */
export function useRequestErrorStatus(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (!result || Array.isArray(result) || isAsyncIterable(result)) return
      if (result.data !== undefined || !result.errors?.some(needsStatus)) return
      setResult({ ...result, errors: result.errors.map((error) => (needsStatus(error) ? withStatus(error) : error)) })
    },
  }
}
