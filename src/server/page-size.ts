// The check that refuses out-of-range page sizes (src/resolvers/paging.ts) before any resolver
// runs (Pothos alone would silently clamp them).
import { getNamedType, isObjectType } from 'graphql'
import { badInput } from '../errors.js'
import { MAX_PAGE_SIZE } from '../resolvers/paging.js'
import { fieldCheck, preExecutionCheck } from './operation.js'

/** Yoga plugin: answers an out-of-range page size with BAD_USER_INPUT before execution. */
export const usePageSizeLimits = () =>
  preExecutionCheck(
    fieldCheck((field, args, node) => {
      const type = getNamedType(field.type)
      if (!isObjectType(type) || !type.name.endsWith('Connection')) return null
      for (const name of ['first', 'last'] as const) {
        const value = args[name]
        if (typeof value === 'number' && (value < 1 || value > MAX_PAGE_SIZE))
          return badInput(`${name} must be between 1 and ${MAX_PAGE_SIZE} (got ${value}) on ${node.name.value}`, name)
      }
      return null
    }),
  )
