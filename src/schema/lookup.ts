// The root fields every slugged entity has: `person(slug:)`, `event(slug:)` … and the upserts.
// (`story(slug:)`, which also takes a language, is src/schema/story.ts's own.)
import type { InputObjectRef } from '@pothos/core'
import { builder } from '../builder.js'
import type { Tx, Written } from '../resolvers/mutation.js'
import { editorMutation } from './editor-mutation.js'

type SluggedModel = 'Person' | 'Organisation' | 'Place' | 'Event' | 'Tag'

export function slugLookup(model: SluggedModel, description: string) {
  const delegate = model[0].toLowerCase() + model.slice(1)
  builder.queryField(delegate, (t) =>
    t.prismaField({
      type: model as 'Story',
      nullable: true,
      description: `${description} Null when no such slug exists.`,
      args: { slug: t.arg.string({ required: true }) },
      // typed as Story whatever the model, as the field's type is
      resolve: (query, _root, { slug }, ctx) =>
        ctx.prisma[delegate as 'story'].findUnique({ ...query, where: { slug } }),
    }),
  )
}

type UpsertModel = Exclude<SluggedModel, 'Event'>

/**
 * `upsertTag`, `upsertPerson` …: create by slug, or update with the version read. The same field
 * for every slugged entity; `write` is the entity's upsert in src/resolvers.
 */
export function upsertField<Input>(
  model: UpsertModel,
  input: InputObjectRef<typeof builder.$inferSchemaTypes, Input>,
  write: (tx: Tx, input: Input, version: number | null) => Promise<Written<{ id: string }>>,
) {
  const what = model.toLowerCase()
  editorMutation(`upsert${model}`, {
    type: model,
    description: `Creates the ${what} with this slug, or updates it (send the version you read).`,
    args: (arg) => ({
      input: arg({ type: input, required: true }),
      version: arg.int({ description: `Required to update an existing ${what}.` }),
    }),
    // the arguments' shape, which TypeScript cannot work out for a generic Input
    write: (tx, args) => {
      const { input, version } = args as { input: Input; version?: number | null }
      return write(tx, input, version ?? null)
    },
  })
}
