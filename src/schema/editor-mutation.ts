// An editor's write as a mutation field, the one shape every such field has: editors only
// (authScopes; anyone else gets a typed Forbidden), the domain errors as typed results, the write
// inside runMutation's transaction (with its audit entry, change-log entry and idempotency key),
// then the object written, read again after the commit with everything the client selected.
import type { ArgBuilder, InputFieldMap, InputShapeFromFields } from '@pothos/core'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { runMutation, type MutationMode, type Tx, type Written } from '../resolvers/mutation.js'

type Types = typeof builder.$inferSchemaTypes

type Model = keyof Types['PrismaTypes'] & string

export interface EditorMutation<Args extends InputFieldMap> {
  /** what the mutation returns: the object the write names by id */
  type: Model
  description: string
  args: (arg: ArgBuilder<Types>) => Args
  /** the change, in the transaction; the audit entry records the arguments as given */
  write: (tx: Tx, args: InputShapeFromFields<Args>, ctx: Context) => Promise<Written<{ id: string }>>
  /** how runMutation runs the write (MutationMode.single: reads, then one guarded write) */
  mode?: MutationMode
}

export function editorMutation<Args extends InputFieldMap>(name: string, options: EditorMutation<Args>) {
  const { type, description, args, write, mode } = options
  const delegate = type[0].toLowerCase() + type.slice(1)
  builder.mutationField(name, (t) =>
    t.prismaField({
      // Typed as Story whatever the model: TypeScript cannot follow the model from `type` to the
      // delegate read below, and both name the same one.
      type: type as 'Story',
      authScopes: { editor: true },
      errors: {},
      description,
      args: args(t.arg),
      resolve: async (query, _root, values, ctx) => {
        const { id } = await runMutation(ctx, name, values, (tx) => write(tx, values, ctx), mode)
        return ctx.prisma[delegate as 'story'].findUniqueOrThrow({ ...query, where: { id } })
      },
    }),
  )
}
