// Text the database can store. PostgreSQL refuses a NUL character (U+0000) in any text value, and
// a lone surrogate ("\ud800" in JSON) is not Unicode at all; either in an argument would reach the
// database and fail there as an unexpected fault. Both are refused before execution, as
// BAD_USER_INPUT naming the argument (and the path inside it), over HTTP, SSE and WebSocket alike.
import type { GraphQLError } from 'graphql'
import { badInput } from '../errors.js'
import { fieldCheck, preExecutionCheck } from './operation.js'

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
export const useStorableText = () =>
  preExecutionCheck(
    fieldCheck((_field, args) => {
      for (const [name, value] of Object.entries(args)) {
        const error = check(value, name)
        if (error) return error
      }
      return null
    }),
  )
