// `story(slug:)`, `person(slug:)` … : every root lookup by slug is the same field.
import { builder } from '../builder.js'
import type { Context } from '../context.js'

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
        (ctx.prisma[delegate as 'story'] as { findUnique: Function }).findUnique({ ...query, where: { slug, ...readable(ctx) } }),
    }),
  )
}
