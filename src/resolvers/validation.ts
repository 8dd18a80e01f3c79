// Input rules shared by every write. Field-specific limits sit beside their fields in src/schema.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { z } from 'zod'

export const slugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens')

// Ids as the database prints them (and this API hands them out inside global ids).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a row id (the part of a global ID after the type) is shaped as ours are. */
export const isRowId = (id: string) => UUID.test(id)

/** The row id a global ID names, when it is a well-formed ID of that type; null otherwise. */
export function rowId(globalId: string, typename: string): string | null {
  try {
    const { typename: type, id } = decodeGlobalID(globalId)
    return type === typename && UUID.test(id) ? id : null
  } catch {
    return null
  }
}

/**
 * A global ID (what `node(id:)` takes) of one type, turned into its row id. Checked here rather
 * than with the relay plugin's globalID inputs so that a wrong ID is a ValidationError naming its
 * field, and a malformed one never reaches the database. Base64 decoding is lenient (two strings
 * may name one row), so compare the row ids this gives, never the strings sent.
 */
export function globalIdOf(typename: string) {
  return z
    .string()
    .refine((value) => rowId(value, typename) !== null, `must be the id of a ${typename}`)
    .transform((value) => rowId(value, typename)!)
}
