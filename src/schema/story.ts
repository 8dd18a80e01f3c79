import { queryFromInfo } from '@pothos/plugin-prisma'
import { builder } from '../builder.js'
import { dependsOn, STORY_LIST } from '../live/invalidation.js'
import type { Context } from '../context.js'
import { DEFAULT_PAGE_SIZE, pageInfo } from '../resolvers/paging.js'
import { editionIn, editionNote, familyOf } from '../resolvers/editions.js'
import { storyPage, storyWhere, storyWindow } from '../resolvers/stories.js'
import { storyRules } from '../resolvers/validation.js'
import { mayEdit } from '../auth/roles.js'
import { effectiveStatus, readableStoryWhere } from '../resolvers/visibility.js'
import { ContributorRoleEnum, HeadlineRoleEnum, StoryStatusEnum, StoryTypeEnum } from './enums.js'
import { keysetRelation } from './keyset-relation.js'
import { linkField } from './links.js'
import { MediaAsset } from './media.js'
import { storyRelationField } from './story-relation.js'

// Registered for Story.headlines, which names it by its type name.
builder.prismaObject('StoryHeadline', {
  name: 'AlternativeHeadline',
  fields: (t) => ({
    role: t.expose('role', { type: HeadlineRoleEnum }),
    value: t.exposeString('value'),
  }),
})

const StorySection = builder.prismaObject('StorySection', {
  fields: (t) => ({
    heading: t.exposeString('heading', { nullable: true, description: 'The subheading, if the section has one.' }),
    paragraphs: t.exposeStringList('paragraphs'),
  }),
})

/** For the public, a withdrawn story is a notice: its text and picture are held back. */
const heldBack = (story: { status: string }, ctx: Context) => story.status === 'WITHDRAWN' && !mayEdit(ctx.viewer)

const Withdrawal = builder.objectRef<{ at: Date; reason: string | null }>('Withdrawal').implement({
  description: 'Shown in place of a withdrawn story.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
})

export const Story = builder.prismaNode('Story', {
  id: { field: 'id' },
  // an unknown id gives null, not an error; a story the viewer may not see is unknown to them
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [readableStoryWhere(ctx.viewer)] }),
  // selected for every story, so visibility can always be decided without another query
  select: { id: true, status: true, embargoedUntil: true },
  description: 'A news item: schema.org NewsArticle, IPTC ninjs item.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    headline: t.exposeString('headline'),
    alternativeHeadlines: t.relation('headlines', {
      description: 'Other headlines by role (short, SEO, social…).',
      query: { orderBy: { role: 'asc' } },
    }),
    lede: t.string({
      nullable: true,
      select: { lede: true },
      resolve: (s, _args, ctx) => (heldBack(s, ctx) ? null : s.lede),
    }),
    body: t.field({
      type: [StorySection],
      description: 'The body, section by section, in reading order. Empty for the public once withdrawn.',
      select: (_args, _ctx, nested) => ({ sections: nested({ orderBy: { position: 'asc' } }) }),
      resolve: (s, _args, ctx) => (heldBack(s, ctx) ? [] : s.sections),
    }),
    withdrawal: t.field({
      type: Withdrawal,
      nullable: true,
      description: 'Set when the story has been withdrawn: the notice to show in its place.',
      select: { withdrawnAt: true, withdrawalReason: true },
      resolve: (s) =>
        s.status === 'WITHDRAWN' && s.withdrawnAt ? { at: s.withdrawnAt, reason: s.withdrawalReason } : null,
    }),
    editorNote: t.exposeString('editorNote', {
      nullable: true,
      authScopes: { editor: true },
      description: 'Notes for the desk. Editors only.',
    }),
    version: t.exposeInt('version', { description: 'Send it back with an update: a stale one is a Conflict.' }),
    language: t.exposeString('language', { description: 'BCP 47 language tag.' }),
    type: t.expose('type', { type: StoryTypeEnum }),
    status: t.field({
      type: StoryStatusEnum,
      description: 'PUBLISHED from the moment a scheduled story’s time comes.',
      resolve: (s) => effectiveStatus(s),
    }),
    urgency: t.exposeInt('urgency', { description: 'IPTC urgency: 1 = flash … 9 = lowest.' }),
    firstPublishedAt: t.expose('firstPublishedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the content last changed after publication (schema.org dateModified).',
      select: { contentUpdatedAt: true, firstPublishedAt: true },
      resolve: (s) => s.contentUpdatedAt ?? s.firstPublishedAt,
    }),
    embargoedUntil: t.expose('embargoedUntil', { type: 'DateTime', nullable: true }),
    byline: t.exposeString('byline', { nullable: true, description: 'The byline as displayed.' }),
    editionNote: t.string({
      nullable: true,
      description:
        'Edition and adaptation note, e.g. who made this language edition and for whom; for an edition given none, said from its facts ("Adapted by Sweden Herald from a story by TT").',
      select: {
        editionNote: true,
        editionKind: true,
        adaptedBy: { select: { name: true } },
        sourceOrganisation: { select: { name: true } },
      },
      resolve: (s) => editionNote(s),
    }),
    wordCount: t.exposeInt('wordCount'),
    readTimeMinutes: t.exposeInt('readTimeMinutes'),
    photo: t.field({
      type: MediaAsset,
      nullable: true,
      description: 'The hero picture.',
      select: (_args, _ctx, nested) => ({ photo: nested() }),
      resolve: (s, _args, ctx) => (heldBack(s, ctx) ? null : s.photo),
    }),
    // replaced whole by an update: paged by byline position (unique per story), not by row
    contributors: keysetRelation(t, {
      relation: 'contributors',
      type: 'Contributor',
      name: 'StoryContributors',
      description: 'Who made the story, with their roles, in byline order.',
      keys: [{ kind: 'int', dir: 'asc' }],
      fields: ['position'],
    }),
    sourceStory: storyRelationField(
      t,
      'sourceStory',
      'The story this edition was made from.',
      'Use edition { source }.',
    ),
    sourceOrganisation: t.relation('sourceOrganisation', {
      nullable: true,
      description: 'The agency or publisher the story comes from.',
    }),
    adaptedBy: t.relation('adaptedBy', {
      nullable: true,
      description: 'The organisation that made this edition.',
      deprecationReason: 'Use edition { madeBy }.',
    }),
  }),
})

// Story.related ("more news", explained) is in src/schema/related.ts.

builder.prismaObject('StoryContributor', {
  name: 'Contributor',
  description: 'A person, or for agency copy an organisation, credited on a story.',
  fields: (t) => ({
    role: t.expose('role', { type: ContributorRoleEnum }),
    name: t.exposeString('name', { description: 'The name as credited.' }),
    person: t.relation('person', { nullable: true }),
    organisation: t.relation('organisation', { nullable: true }),
  }),
})

linkField({
  on: 'Story',
  field: 'people',
  join: 'StoryPerson',
  type: 'Person',
  description: 'People the story is about or mentions.',
})
linkField({
  on: 'Story',
  field: 'organisations',
  join: 'StoryOrganisation',
  type: 'Organisation',
  description: 'Organisations the story is about or mentions.',
})
linkField({
  on: 'Story',
  field: 'places',
  join: 'StoryPlace',
  type: 'Place',
  description: 'Places the story is about or mentions.',
})
linkField({ on: 'Story', field: 'events', join: 'StoryEvent', type: 'Event', description: 'Events the story reports.' })
linkField({
  on: 'Story',
  field: 'tags',
  join: 'StoryTag',
  type: 'Tag',
  description: 'Topics the story is filed under.',
})

const StoryOrder = builder.enumType('StoryOrder', { values: { NEWEST: {}, OLDEST: {} } as const })

/** What a story is about, by slug, and its language: the conditions lists and live filters share. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shared by input types of different builders
export function aboutFilterFields(t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) {
  return {
    tag: t.string(),
    person: t.string(),
    organisation: t.string(),
    place: t.string(),
    event: t.string(),
    language: t.string(),
  }
}

export const StoryFilter = builder.inputType('StoryFilter', {
  description: 'Every condition given must hold. Entities are named by slug.',
  fields: (t) => ({
    ...aboutFilterFields(t),
    type: t.field({ type: StoryTypeEnum }),
    status: t.field({
      type: StoryStatusEnum,
      description: 'Defaults to PUBLISHED. Other statuses are for editors; the public finds none.',
    }),
    publishedAfter: t.field({ type: 'DateTime', description: 'First published at or after.' }),
    publishedBefore: t.field({ type: 'DateTime', description: 'First published before.' }),
  }),
})

builder.queryField('story', (t) =>
  t.prismaField({
    type: 'Story',
    nullable: true,
    description:
      'A story by slug; for the public, a withdrawn one carries its withdrawal notice. Null when no such slug exists. ' +
      'With `language`, the edition of that story in the language (BCP 47: sv-FI, else sv, else a variant of sv), else its original.',
    args: {
      slug: t.arg.string({ required: true }),
      language: t.arg.string({ validate: storyRules.language }),
    },
    resolve: async (query, _root, { slug, language }, ctx) => {
      // taken before the branches: Pothos warns of a planned selection left unused
      const selection = { ...query }
      const readable = readableStoryWhere(ctx.viewer)
      const where = { slug, AND: [readable] }
      if (!language) return ctx.prisma.story.findUnique({ ...selection, where })
      const found = await ctx.prisma.story.findUnique({ where, select: { id: true } })
      if (!found) return null
      // the answer changes as editions are linked and published
      dependsOn(ctx, STORY_LIST)
      const id = editionIn(await familyOf(ctx, found.id), language, found.id)
      return ctx.prisma.story.findUnique({ ...selection, where: { id, AND: [readable] } })
    },
  }),
)

builder.queryFields((t) => ({
  // Paged by position (src/resolvers/paging.ts): the next page goes on after the last story seen,
  // whatever has become of it since.
  stories: t.connection(
    {
      type: Story,
      args: {
        filter: t.arg({ type: StoryFilter }),
        orderBy: t.arg({ type: StoryOrder, defaultValue: 'NEWEST' }),
      },
      resolve: (_root, args, ctx, info) => {
        dependsOn(ctx, STORY_LIST)
        const window = storyWindow(args.orderBy, args, DEFAULT_PAGE_SIZE)
        // read only when edges or pageInfo are asked for: `stories { totalCount }` only counts
        let read: ReturnType<typeof storyPage> | undefined
        const page = () =>
          (read ??= storyPage(
            ctx.prisma,
            ctx.viewer,
            args.filter,
            window,
            queryFromInfo({
              context: ctx,
              info,
              typeName: 'Story',
              path: ['edges', 'node'],
              select: { id: true, firstPublishedAt: true },
            }),
          ))
        return {
          get edges() {
            return page().then((p) => p.items)
          },
          get pageInfo() {
            return page().then((p) => pageInfo(p, p.items))
          },
          totalCount: () => ctx.prisma.story.count({ where: storyWhere(args.filter, ctx.viewer) }),
        } as never
      },
    },
    {
      name: 'QueryStoriesConnection',
      // as the prisma connection it replaces had it (schema.graphql unchanged)
      fields: (c) => ({
        totalCount: c.int({
          resolve: (parent) => (parent as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: 'QueryStoriesConnectionEdge' },
  ),
}))
