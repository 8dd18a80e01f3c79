// The root fields every slugged entity has: `story(slug:)`, `person(slug:)` … and the upserts.
import type { InputObjectRef } from '@pothos/core'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { runMutation, type Tx, type Written } from '../resolvers/mutation.js'

type SluggedModel = 'Story' | 'Person' | 'Organisation' | 'Place' | 'Event' | 'Tag'

/** `readable` narrows what the viewer may find (stories the public may not see are unknown). */
export function slugLookup(model: SluggedModel, description: string, readable: (ctx: Context) => object = () => ({})) {
  const delegate = model[0].toLowerCase() + model.slice(1)
  builder.queryField(delegate, (t) =>
    t.prismaField({
      type: model as 'Story',
      nullable: true,
      description: `${description} Null when no such slug exists.`,
      args: { slug: t.arg.string({ required: true }) },
      resolve: (query, _root, { slug }, ctx) =>
        (ctx.prisma[delegate as 'story'] as { findUnique: Function }).findUnique({
          ...query,
          where: { slug, ...readable(ctx) },
        }),
    }),
  )
}

type UpsertModel = Exclude<SluggedModel, 'Story' | 'Event'>

/**
 * `upsertTag`, `upsertPerson` …: create by slug, or update with the version read. The same field
 * for every slugged entity; `write` is the entity's upsert in src/resolvers.
 */
export function upsertField<Input>(
  model: UpsertModel,
  input: InputObjectRef<any, Input>,
  write: (tx: Tx, input: Input, version: number | null) => Promise<Written<{ id: string }>>,
) {
  const delegate = model[0].toLowerCase() + model.slice(1)
  const what = model.toLowerCase()
  builder.mutationField(`upsert${model}`, (t) =>
    t.prismaField({
      type: model as 'Tag',
      authScopes: { editor: true },
      errors: {},
      description: `Creates the ${what} with this slug, or updates it (send the version you read).`,
      args: {
        input: t.arg({ type: input as InputObjectRef<any, any>, required: true }),
        version: t.arg.int({ description: `Required to update an existing ${what}.` }),
      },
      resolve: async (query, _root, { input, version }, ctx) => {
        const { id } = await runMutation(ctx, `upsert${model}`, { input, version }, (tx) =>
          write(tx, input as Input, version ?? null),
        )
        // read back after commit, with everything the client selected
        return (ctx.prisma[delegate as 'tag'] as { findUniqueOrThrow: Function }).findUniqueOrThrow({
          ...query,
          where: { id },
        })
      },
    }),
  )
}
