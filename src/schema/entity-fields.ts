// What the things stories are about (people, organisations, places, events, tags) have in common,
// declared once so that each type file says only what is particular to it: the node with its
// slug, name and version, the stories filed under it, the root lookup by slug; the parent and
// children of those that nest; the input fields of the named entities.
import type { InputFieldMap } from '@pothos/core'
import { builder } from '../builder.js'
import { entityRules, slugSchema } from '../resolvers/validation.js'
import type { KeysetRelation } from './keyset-relation.js'
import { linkField } from './links.js'
import { slugLookup } from './lookup.js'
import { relationList, rowNode } from './rows.js'
import type { Types } from './types.js'

export type EntityModel = 'Person' | 'Organisation' | 'Place' | 'Event' | 'Tag'

type EntityRef<Name extends EntityModel> = ReturnType<typeof builder.prismaNode<Name>>

interface EntityOptions {
  /** how its stories stand to it, in the description of `stories` */
  stories?: string
  /** the description of `version`, or false for none */
  version?: string | false
}

/**
 * The node `name` with the fields every entity has, its `stories` (src/schema/links.ts) and the
 * root field finding it by slug (`person(slug:)` …). Add the rest with builder.prismaObjectFields.
 */
export function entityNode<Name extends EntityModel>(
  name: Name,
  description: string,
  { stories = 'about or mentioning', version }: EntityOptions = {},
): EntityRef<Name> {
  const noun = name.toLowerCase()
  // Pothos types a field builder for one model; these columns are the same in all five
  const model: EntityModel = name
  const ref = builder.prismaNode(model, { ...rowNode, description })
  builder.prismaObjectFields(model, (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    version: t.exposeInt('version', {
      description: version === false ? undefined : (version ?? `Send it back to update the ${noun}.`),
    }),
  }))
  linkField({
    on: name,
    field: 'stories',
    join: `Story${name}`,
    type: 'Story',
    description: `Stories ${stories} the ${noun}, newest first.`,
  })
  slugLookup(name, `${/^[aeiou]/.test(noun) ? 'An' : 'A'} ${noun} by slug.`)
  return ref as EntityRef<Name>
}

/**
 * `parent` and `children` of a model whose rows nest (an organisation in another, a place in
 * another, a session in a larger event). Updates re-parent rows, and rename, move or re-date
 * them, so children are paged by position in `order` (src/resolvers/paging.ts).
 */
export function treeFields(
  model: 'Organisation' | 'Place' | 'Event',
  { parent, order }: { parent?: string; order: Pick<KeysetRelation, 'keys' | 'fields'> },
) {
  builder.prismaObjectField(model, 'parent', (t) => t.relation('parent', { nullable: true, description: parent }))
  relationList(model, 'children', { type: model, ...order })
}

/**
 * The input a named entity (person, organisation, place) is written with, whole: its slug, name
 * and other names, then `fields`.
 */
export function namedEntityInput<Fields extends InputFieldMap>(
  model: 'Person' | 'Organisation' | 'Place',
  fields: (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => Fields,
) {
  return builder.inputType(`${model}Input`, {
    description: `The whole ${model.toLowerCase()}: a field left out is cleared.`,
    fields: (t) => ({
      slug: t.string({ required: true, validate: slugSchema }),
      name: t.string({ required: true, validate: entityRules.name }),
      alternateNames: t.stringList({ description: 'At most 20.', validate: entityRules.alternateNames }),
      ...fields(t),
    }),
  })
}
