// What a client may see of an error. Errors with a code (ours, graphql-js validation) pass as
// they are; an expected failure (DomainError) keeps its code and field; Pothos' input checks and
// graphql-js' coercion of variables become BAD_USER_INPUT; a database that does not answer becomes
// SERVICE_UNAVAILABLE; anything else is "Unexpected error." for the client and logged in full.
import { GraphQLError } from 'graphql'
import type { Plugin, YogaLogger } from 'graphql-yoga'
import type { Logger } from '../logger.js'
import { DomainError } from '../resolvers/errors.js'
import { requestIdOf } from './request-id.js'

const MASKED = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'])

/** Whether an error, as masked, is the server's fault (its cause kept for the log), not the client's. */
export const isServerFault = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError && error.originalError != null && MASKED.has(String(error.extensions?.code))

type Kind = 'client' | 'domain' | 'input' | 'unavailable' | 'unexpected'

// Connection-level failures: pg/Node socket codes, PostgreSQL's "admin shutdown"/"cannot connect
// now" classes, and the pool's own timeout.
// A closed database says so in its own words: pg's pool after end(), PGlite after close().
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[1-3]|08\d{3}|timeout exceeded when trying to connect|Connection terminated|DatabaseNotReachable|Can't reach database|Cannot use a pool after calling end on the pool|PGlite is closed/i

// Prisma's P2007 ("data validation error") is what a driver adapter's InvalidInputValue becomes:
// PostgreSQL 22P02, a value the column type cannot read, such as the id in a global id or cursor
// that is not a UUID. Its message quotes the call site and the database, so it gets one of ours.
const INVALID_VALUE = 'Invalid input value: an id or cursor is malformed.'

function isInvalidValue(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'PrismaClientKnownRequestError' &&
    (error as { code?: unknown }).code === 'P2007'
  )
}

// A cursor of one list sent to another (a story list's to the audit log, a composite one to
// stories) decodes, but its value has the wrong type for that list's key: Prisma refuses the query
// with a validation error that marks the `cursor` argument (~~~ under a value, + for a part
// missing). Only a client's `after` or `before` ever fills that argument.
function isForeignCursor(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'PrismaClientValidationError') return false
  const block = /\n( *)cursor: \{\n([\s\S]*?)\n\1\}/.exec(error.message)
  return block !== null && /~|^ *\+/m.test(block[2])
}

const VARIABLE_REFUSED = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /

function cause(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? cause(error.originalError) : error
}

function classify(error: unknown): Kind {
  const original = cause(error)
  // Before the GraphQLError checks: Pothos' validation errors are GraphQLErrors, but carry no code.
  if (original instanceof Error && original.name === 'PothosValidationError') return 'input'
  if (isInvalidValue(original) || isForeignCursor(original)) return 'input'
  if (original instanceof DomainError) return 'domain'
  // graphql-js' own refusals of a variable (null where required, missing) carry no code
  if (original instanceof GraphQLError && !original.extensions?.code && VARIABLE_REFUSED.test(original.message))
    return 'input'
  if (original instanceof GraphQLError) return original.extensions?.code || error === original ? 'client' : 'input'
  if (error instanceof GraphQLError && !error.originalError) return 'client'
  const text =
    original instanceof Error
      ? `${original.name} ${original.message} ${(original as { code?: string }).code ?? ''} ${String(original.cause ?? '')}`
      : ''
  if (UNAVAILABLE.test(text)) return 'unavailable'
  return 'unexpected'
}

export function maskError(error: unknown): Error {
  const kind = classify(error)
  const path = error instanceof GraphQLError ? error.path : undefined
  const original = cause(error)
  switch (kind) {
    case 'client': {
      const client =
        original instanceof GraphQLError && original !== error
          ? new GraphQLError(original.message, { ...original, path, extensions: original.extensions })
          : (error as GraphQLError)
      // Yoga puts the JSON parser's own error (its name and words, quoting the body) beside "POST
      // body sent invalid JSON."; the client gets the message and code, nothing of the runtime's.
      // Yoga also reads that entry to keep the 400 for a client that accepts application/json;
      // without `spec` its status holds for every client.
      if (client.extensions?.originalError === undefined) return client
      const {
        originalError: _parserError,
        http,
        ...extensions
      } = client.extensions as Record<string, unknown> & { http?: object }
      return new GraphQLError(client.message, {
        nodes: client.nodes,
        source: client.source,
        positions: client.positions,
        path: client.path,
        extensions: { ...extensions, ...(http ? { http: { ...http, spec: false } } : {}) },
      })
    }
    case 'domain': {
      const { code, field } = original as DomainError
      return new GraphQLError((original as Error).message, { path, extensions: { code, ...(field ? { field } : {}) } })
    }
    case 'input': {
      // graphql-js' own wording ("Variable "$f" got invalid value …") says more than its cause's
      const message =
        isInvalidValue(original) || isForeignCursor(original)
          ? INVALID_VALUE
          : error instanceof GraphQLError && original instanceof GraphQLError
            ? error.message
            : (original as Error).message
      return new GraphQLError(message, { path, extensions: { code: 'BAD_USER_INPUT' } })
    }
    // The cause rides along as originalError, which is never serialised, for the log below.
    case 'unavailable':
      return new GraphQLError('The database is not available right now; try again shortly.', {
        path,
        originalError: original as Error,
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      })
    default:
      return new GraphQLError('Unexpected error.', {
        path,
        originalError: original as Error,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      })
  }
}

/** Logs, with the request id, what went wrong in each HTTP response: the cause of every error the
 *  client got only a masked message for, with its stack; the rest, a client's mistakes (its input,
 *  a limit, a refusal), in one line at info without a stack: they are expected, not faults. */
export function useErrorLogging(logger: Logger): Plugin {
  return {
    onResultProcess({ request, result }) {
      for (const item of Array.isArray(result) ? result : [result]) {
        const errors = (item as { errors?: readonly GraphQLError[] }).errors ?? []
        const expected: GraphQLError[] = []
        for (const error of errors) {
          if (isServerFault(error)) {
            logger.error({ err: error.originalError, requestId: requestIdOf(request), path: error.path }, error.message)
          } else expected.push(error)
        }
        if (expected.length === 0) continue
        const codes = [...new Set(expected.map((error) => String(error.extensions?.code ?? 'NONE')))]
        logger.info({ requestId: requestIdOf(request), codes, errors: expected.length }, expected[0].message)
      }
    },
  }
}

/** The logger for Yoga itself. Yoga reports every error it masks (a thrown one twice), without the
 *  request id; useErrorLogging logs the same with it. Here a fault is logged once, with its stack
 *  (the only report of one over WebSocket); a client's mistake only at debug, without a stack. */
export function yogaLogger(logger: Logger): YogaLogger {
  const reported = new WeakSet<Error>()
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      (logger[level] as (...args: unknown[]) => void).apply(logger, args)
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: (...args: unknown[]) => {
      const [error] = args
      if (!(error instanceof Error)) return forward('error')(...args)
      if (reported.has(error)) return
      reported.add(error)
      const kind = classify(error)
      if (kind === 'unexpected' || kind === 'unavailable') logger.error({ err: error }, error.message)
      else logger.debug({ code: (maskError(error) as GraphQLError).extensions?.code }, error.message)
    },
  }
}
