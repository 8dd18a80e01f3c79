// How the prisma types here are declared: a node is found by its row id, and a list of related
// rows is a connection paged by position (src/schema/keyset-relation.ts).
import { builder } from '../builder.js'
import { keysetRelation, type KeysetRelation } from './keyset-relation.js'

/** The options of a prisma node found by its row id: an unknown id gives null, not an error. */
export const rowNode = { id: { field: 'id' }, nullable: true } as const

type ListOwner = 'Story' | 'Person' | 'Organisation' | 'Place' | 'Event'

/**
 * The field `field` of `on`: its relation of that name (or `relation`) as a keyset connection,
 * named after both as linkField names its connections (Story.corrections: StoryCorrectionsConnection).
 */
export function relationList(
  on: ListOwner,
  field: string,
  { relation = field, ...list }: Omit<KeysetRelation, 'relation' | 'name'> & { relation?: string },
) {
  const name = `${on}${field[0].toUpperCase()}${field.slice(1)}`
  builder.prismaObjectField(on, field, (t) => keysetRelation(t, { relation, name, ...list }))
}
