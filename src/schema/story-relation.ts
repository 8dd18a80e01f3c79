// A to-one relation that points at a story (the story that reported a status change, the story
// an edition was made from): null when the viewer may not see that story, as if it did not exist.
/* eslint-disable @typescript-eslint/no-explicit-any -- Pothos cannot type a field builder or a parent passed by value between object types */
import { dependsOn, objectKey } from '../live/invalidation.js'
import { isVisible } from '../resolvers/visibility.js'

// Pothos cannot type a field builder passed around by value, hence `t: any`.
export function storyRelationField(t: any, relation: string, description: string, deprecationReason?: string) {
  return t.field({
    type: 'Story',
    nullable: true,
    description,
    ...(deprecationReason && { deprecationReason }),
    select: (_args: unknown, _ctx: unknown, nested: (s?: object) => unknown) => ({ [relation]: nested() }),
    resolve: (parent: Record<string, any>, _args: unknown, ctx: { viewer: any; dependencies?: Set<string> }) => {
      const story = parent[relation]
      if (story && isVisible(story, ctx.viewer)) return story
      // the answer changes when that story goes out
      if (story) dependsOn(ctx, objectKey('Story', story.id))
      return null
    },
  })
}
