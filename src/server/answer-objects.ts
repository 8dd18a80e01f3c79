// What a public answer shows, for its keys (src/server/response-cache.ts): the stories in it, and
// the types of the objects it may show. Only a story's key can be invalidated by itself (a change
// to anything else invalidates everything: src/live/invalidation.ts), so only stories are looked
// for in the answer.
//
// Each document is prepared once: wherever a story may appear, its selection gets
// `... on Story { __storyId: id }`, so every story in the answer carries its global id. Reading
// them back is one walk over the answer that removes that field from the stories alone.
// (@envelop/response-cache does this for every object, adding two fields to each selection and
// copying every object of the answer, arrays twice over: a quarter of a front page's CPU.)
import {
  isAbstractType,
  isObjectType,
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql'

const STORY_ID = '__storyId'

export interface PreparedDocument {
  /** the document as sent, for the cache's key */
  text: string
  /** the document executed: the sent one with every story's id asked for */
  document: DocumentNode
  /** the types with an id the answer may show (every possible one, where a field is abstract) */
  types: string[]
}

const STORY_ID_FRAGMENT: InlineFragmentNode = {
  kind: Kind.INLINE_FRAGMENT,
  typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'Story' } },
  selectionSet: {
    kind: Kind.SELECTION_SET,
    selections: [
      {
        kind: Kind.FIELD,
        alias: { kind: Kind.NAME, value: STORY_ID },
        name: { kind: Kind.NAME, value: 'id' },
      },
    ],
  },
}

const asksStoryId = (set: SelectionSetNode) =>
  set.selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === STORY_ID)

const prepared = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, PreparedDocument>>()

/** The document prepared for collecting what its answers show (cached per document). */
export function prepareDocument(schema: GraphQLSchema, document: DocumentNode): PreparedDocument {
  let bySchema = prepared.get(schema)
  if (!bySchema) prepared.set(schema, (bySchema = new WeakMap()))
  const known = bySchema.get(document)
  if (known) return known
  const story = schema.getType('Story')
  const typeInfo = new TypeInfo(schema)
  const types = new Set<string>()
  const withIds = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node) {
        const type = typeInfo.getParentType()
        if (!type || asksStoryId(node)) return undefined
        for (const shown of isAbstractType(type) ? schema.getPossibleTypes(type) : [type])
          if (isObjectType(shown) && shown.getFields().id) types.add(shown.name)
        const mayBeStory =
          isObjectType(story) && (type === story || (isAbstractType(type) && schema.isSubType(type, story)))
        return mayBeStory ? { ...node, selections: [...node.selections, STORY_ID_FRAGMENT] } : undefined
      },
    }),
  )
  const result = { text: print(document), document: withIds, types: [...types] }
  bySchema.set(document, result)
  return result
}

/** The global ids of the stories in `data`, each story's `__storyId` removed from it. */
export function takeStoryIds(data: unknown): string[] {
  const ids: string[] = []
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item)
      return
    }
    // an object of the answer is the executor's, without a prototype; any other is a scalar's value
    if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== null) return
    const object = value as Record<string, unknown>
    const id = object[STORY_ID]
    if (typeof id === 'string') {
      ids.push(id)
      delete object[STORY_ID]
    }
    for (const key in object) walk(object[key])
  }
  walk(data)
  return ids
}
