// Editions: Story.edition says what kind of edition a story is of another, who made it and when,
// and what from; Story.originalEdition and Story.editions place it in its family (the original and
// the editions made from it, and from those); story(slug:, language:) in src/schema/story.ts picks
// the family's story in a language; linkEdition and unlinkEdition write the link. The reads are
// src/resolvers/editions.ts's, the writes edition-writes.ts's. Whoever may not read an edition
// finds it on none of these paths.
import { queryFromInfo } from '@pothos/plugin-prisma'
import type { GraphQLResolveInfo } from 'graphql'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import type { Story as StoryRow } from '../generated/prisma/client.js'
import { dependsOn, STORY_LIST } from '../live/invalidation.js'
import { loadById, loadByIds } from '../resolvers/batch.js'
import * as writes from '../resolvers/edition-writes.js'
import { EDITIONS_ORDER, editionsPage, familyOf, originalIn } from '../resolvers/editions.js'
import { DEFAULT_PAGE_SIZE, pageInfo, type PageArgs } from '../resolvers/paging.js'
import { editionRules, globalIdOf } from '../resolvers/validation.js'
import { editorMutation } from './editor-mutation.js'
import { EditionKind } from '../generated/prisma/enums.js'
import { Story } from './story.js'
import { author, storyIdArg, versionArg } from './story-mutations.js'
import { storyRelationField } from './story-relation.js'

const EditionKindEnum = builder.enumType(EditionKind, {
  name: 'EditionKind',
  description: 'What kind of edition a story is of another.',
})

// The same row as its story, as another type (a Pothos variant): what `edition` selects is read
// with the story.
const Edition = builder.prismaObject('Story', {
  variant: 'Edition',
  description: 'What kind of edition a story is of another, who made it, when, and from what.',
  select: { editionKind: true, editionAt: true },
  fields: (t) => ({
    // an Edition is given only for a story that is one, so neither is null (a CHECK holds them together)
    kind: t.field({ type: EditionKindEnum, resolve: (s) => s.editionKind! }),
    at: t.field({ type: 'DateTime', description: 'When the edition was made.', resolve: (s) => s.editionAt! }),
    madeBy: t.relation('adaptedBy', {
      nullable: true,
      description: 'The organisation that made it (translated, adapted or regionalised it).',
    }),
    source: storyRelationField(
      t,
      'sourceStory',
      'The story it was made from; null when that is no story here (see sourceUri), or one you may not read.',
    ),
    sourceUri: t.exposeString('sourceUri', {
      nullable: true,
      description:
        'The agency item it was made from, when that is no story here; its agency is the story’s sourceOrganisation.',
    }),
  }),
})

/** The family's stories on the page, with what Pothos planned beneath them, in one statement per list. */
async function editionsOf(story: { id: string }, args: PageArgs, ctx: Context, info: GraphQLResolveInfo) {
  // a story enters (or leaves) a family when linked, unlinked or published, which the front page's
  // list key follows (src/live/invalidation.ts)
  dependsOn(ctx, STORY_LIST)
  const family = await familyOf(ctx, story.id)
  const page = editionsPage(family, EDITIONS_ORDER.window(args, DEFAULT_PAGE_SIZE))
  const query = queryFromInfo({ context: ctx, info, typeName: 'Story', path: ['edges', 'node'] })
  const rows = await loadByIds<StoryRow>(
    ctx,
    info,
    'story',
    page.edges.map((e) => e.member.id),
    query,
  )
  const byId = new Map(rows.map((row) => [row.id, row]))
  const edges = page.edges.filter((e) => byId.has(e.member.id)).map((e) => ({ ...e, node: byId.get(e.member.id)! }))
  return { edges, pageInfo: pageInfo(page, edges), totalCount: family.length }
}

builder.prismaObjectFields('Story', (t) => ({
  edition: t.variant(Edition, {
    description: 'Set when the story is an edition of another: a translation, an adaptation or a regional edition.',
    isNull: (s) => !s.editionKind,
  }),
  originalEdition: t.prismaField({
    type: 'Story',
    nullable: true,
    description:
      'The original this story is an edition of (through editions of editions, the first); null when the story is the original, is no edition, or you may not read the original.',
    resolve: async (query, story, _args, ctx, info) => {
      // taken before the branch: Pothos warns of a planned selection left unused
      const selection = { ...query }
      dependsOn(ctx, STORY_LIST)
      const original = originalIn(await familyOf(ctx, story.id), story.id)
      return original ? loadById<StoryRow>(ctx, info, 'story', original.id, selection) : null
    },
  }),
  editions: t.connection(
    {
      type: Story,
      description:
        'The original and every edition of it (editions of editions too) that you may read, this story among them: ' +
        'the original first, then by depth, language and id. The public sees published ones only.',
      select: { id: true },
      resolve: editionsOf,
    },
    { name: 'StoryEditionsConnection' },
    { name: 'StoryEditionsConnectionEdge' },
  ),
}))

// ---------------------------------------------------------------------------------------------
// Writing the link

const EditionInput = builder.inputType('EditionInput', {
  description: 'What the story is an edition of, and how it was made. Give originalId or sourceUri.',
  fields: (t) => ({
    kind: t.field({ type: EditionKindEnum, required: true }),
    originalId: t.id({ validate: globalIdOf('Story'), description: 'The story here it was made from.' }),
    sourceUri: t.string({
      validate: editionRules.sourceUri,
      description: 'The agency item it was made from, when that is no story here: its uri, as its ninjs gives it.',
    }),
    madeById: t.id({ validate: globalIdOf('Organisation'), description: 'The organisation that made the edition.' }),
    sourceOrganisationId: t.id({
      validate: globalIdOf('Organisation'),
      description: 'The agency the original comes from; the story’s stays as it is when not given.',
    }),
    at: t.field({ type: 'DateTime', description: 'When the edition was made; now when not given.' }),
  }),
  validate: editionRules.link,
})

editorMutation('linkEdition', {
  type: 'Story',
  description:
    'Makes the story an edition of another story, or of an agency item outside this graph, and bumps its version. ' +
    'A story cannot be an edition of itself or of one of its own editions (ValidationError on input.originalId).',
  args: (arg) => ({
    storyId: storyIdArg(arg),
    version: versionArg(arg),
    input: arg({ type: EditionInput, required: true }),
  }),
  write: (tx, { storyId, version, input }, ctx) =>
    writes.linkEdition(tx, author(ctx), storyId, version, {
      kind: input.kind,
      originalId: input.originalId ?? null,
      sourceUri: input.sourceUri ?? null,
      madeById: input.madeById ?? null,
      sourceOrganisationId: input.sourceOrganisationId,
      at: input.at ?? null,
    }),
})

editorMutation('unlinkEdition', {
  type: 'Story',
  description:
    'The story is no longer an edition (its text stays as it is), and its version is bumped. One that is none is a ValidationError on storyId.',
  args: (arg) => ({ storyId: storyIdArg(arg), version: versionArg(arg) }),
  write: (tx, { storyId, version }, ctx) => writes.unlinkEdition(tx, author(ctx), storyId, version),
})
