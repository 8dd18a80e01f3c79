// The story mutations: their inputs, each field held to its rule in src/resolvers/validation.ts,
// and the mutation fields. The checks that need the database live in src/resolvers/story-rows.ts,
// the write operations in src/resolvers/story-writes.ts. Every mutation returns the
// story as it is after the write (read again after commit), or a typed error, and writes nothing
// when it fails.
import type { ArgBuilder } from '@pothos/core'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import * as writes from '../resolvers/story-writes.js'
import {
  formatLimit,
  correctionRules,
  globalIdOf,
  LIMITS,
  photoRules,
  slugSchema,
  storyRules,
} from '../resolvers/validation.js'
import { editorMutation } from './editor-mutation.js'
import {
  ContributorRoleEnum,
  CorrectionKindEnum,
  EntityRelationEnum,
  HeadlineRoleEnum,
  RelatedReasonEnum,
  StoryTypeEnum,
} from './enums.js'

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never

// ---------------------------------------------------------------------------------------------
// Inputs: their rules and limits are src/resolvers/validation.ts's

const { headline } = storyRules

const AlternativeHeadlineInput = builder.inputType('AlternativeHeadlineInput', {
  fields: (t) => ({
    role: t.field({ type: HeadlineRoleEnum, required: true }),
    value: t.string({ required: true, validate: headline }),
  }),
})

const StorySectionInput = builder.inputType('StorySectionInput', {
  fields: (t) => ({
    heading: t.string({ validate: storyRules.sectionHeading }),
    paragraphs: t.stringList({
      required: true,
      description: `At most ${LIMITS.paragraphsPerSection}, each 1 to ${formatLimit(LIMITS.paragraph)} characters.`,
      validate: storyRules.paragraphs,
    }),
  }),
})

const RenditionInput = builder.inputType('RenditionInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: photoRules.renditionName }),
    href: t.string({ required: true, validate: photoRules.href }),
    mimeType: t.string({ validate: photoRules.mimeType }),
    width: t.int({ validate: photoRules.pixels }),
    height: t.int({ validate: photoRules.pixels }),
  }),
})

const PhotoInput = builder.inputType('PhotoInput', {
  description: 'The hero picture. Changing any part of it stores a new picture.',
  fields: (t) => ({
    caption: t.string({ validate: photoRules.caption }),
    altText: t.string({ validate: photoRules.altText }),
    creditLine: t.string({ validate: photoRules.creditLine }),
    copyrightHolder: t.string({ validate: photoRules.copyrightHolder }),
    renditions: t.field({
      type: [RenditionInput],
      description: `At most ${LIMITS.renditions}, with different names.`,
      validate: photoRules.renditions,
    }),
  }),
})

const ContributorInput = builder.inputType('ContributorInput', {
  fields: (t) => ({
    role: t.field({ type: ContributorRoleEnum, required: true }),
    name: t.string({ required: true, validate: storyRules.contributorName, description: 'The name as credited.' }),
    personId: t.id({ validate: globalIdOf('Person') }),
    organisationId: t.id({ validate: globalIdOf('Organisation') }),
  }),
})

type Linked = 'Person' | 'Organisation' | 'Place' | 'Event'

/** `PersonLinkInput` …: an entity the story is about or mentions; the default as in the database. */
function linkInput(model: Linked, relation: 'ABOUT' | 'MENTIONS') {
  return builder.inputType(`${model}LinkInput`, {
    fields: (t) => ({
      id: t.id({ required: true, validate: globalIdOf(model) }),
      relation: t.field({ type: EntityRelationEnum, required: true, defaultValue: relation }),
    }),
  })
}

const LinkInputs = {
  Person: linkInput('Person', 'MENTIONS'),
  Organisation: linkInput('Organisation', 'MENTIONS'),
  Place: linkInput('Place', 'MENTIONS'),
  Event: linkInput('Event', 'ABOUT'),
}

const RelatedStoryInput = builder.inputType('RelatedStoryInput', {
  fields: (t) => ({
    storyId: t.id({ required: true, validate: globalIdOf('Story') }),
    reason: t.field({ type: RelatedReasonEnum, required: true }),
  }),
})

/** Every story field but slug and headline, all optional; shared by StoryInput and StoryUpdateInput. */
function storyFields(t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) {
  const links = (type: (typeof LinkInputs)[Linked]) =>
    t.field({
      type: [type],
      description: `At most ${LIMITS.links}, each entity once.`,
      validate: storyRules.links,
    })
  return {
    alternativeHeadlines: t.field({
      type: [AlternativeHeadlineInput],
      description: 'At most one per role.',
      validate: storyRules.alternativeHeadlines,
    }),
    lede: t.string({ validate: storyRules.lede }),
    sections: t.field({
      type: [StorySectionInput],
      description: `The body, in reading order; at most ${LIMITS.sections} sections.`,
      validate: storyRules.sections,
    }),
    language: t.string({
      description: 'BCP 47 language tag, e.g. "en" or "pt-BR"; "en" when a story is created without one.',
      validate: storyRules.language,
    }),
    type: t.field({ type: StoryTypeEnum }),
    urgency: t.int({
      description: '1 = flash … 9 = lowest; 5 when a story is created without one.',
      validate: storyRules.urgency,
    }),
    byline: t.string({ validate: storyRules.byline }),
    editionNote: t.string({ validate: storyRules.editionNote }),
    editorNote: t.string({
      validate: storyRules.editorNote,
      description: 'Notes for the desk, never shown to the public.',
    }),
    photo: t.field({ type: PhotoInput }),
    contributors: t.field({
      type: [ContributorInput],
      description: `In byline order; at most ${LIMITS.contributors}.`,
      validate: storyRules.contributors,
    }),
    tagIds: t.idList({
      description: `At most ${LIMITS.tags}, each tag once.`,
      validate: storyRules.tagIds,
    }),
    people: links(LinkInputs.Person),
    organisations: links(LinkInputs.Organisation),
    places: links(LinkInputs.Place),
    events: links(LinkInputs.Event),
    sourceStoryId: t.id({
      validate: globalIdOf('Story'),
      description: 'The story this one was adapted from: it becomes an ADAPTATION of it.',
      deprecationReason: 'Use linkEdition, which says what kind of edition the story is.',
    }),
    sourceOrganisationId: t.id({
      validate: globalIdOf('Organisation'),
      description: 'The agency or publisher the story comes from.',
    }),
    adaptedById: t.id({
      validate: globalIdOf('Organisation'),
      description: 'The organisation that adapted it: it becomes an ADAPTATION.',
      deprecationReason: 'Use linkEdition (madeById).',
    }),
    related: t.field({
      type: [RelatedStoryInput],
      description: `"More news", in page order; at most ${LIMITS.related}, each story once.`,
      validate: storyRules.related,
    }),
  }
}

const StoryInput = builder.inputType('StoryInput', {
  description:
    'A new story. Text is stored as given, markup included: the API never renders it, so whoever does must escape it.',
  fields: (t) => ({
    slug: t.string({ required: true, validate: slugSchema }),
    headline: t.string({ required: true, validate: headline }),
    ...storyFields(t),
  }),
})

const StoryUpdateInput = builder.inputType('StoryUpdateInput', {
  description:
    'Only the fields given change. A list given replaces the stored one; null clears an optional field or a list (slug, headline, language, type and urgency cannot be cleared).',
  fields: (t) => ({
    slug: t.string({ validate: slugSchema }),
    headline: t.string({ validate: headline }),
    ...storyFields(t),
  }),
})

// ---------------------------------------------------------------------------------------------
// From GraphQL arguments to the domain's patch (global ids are row ids already, see globalIdOf);
// undefined (not given) and null (clear) are kept apart.

type StoryArgs = typeof StoryUpdateInput.$inferInput
const mapList = <T, R>(list: T[] | null | undefined, map: (item: T) => R) => (list == null ? list : list.map(map))
const linkOf = (l: { id: string; relation: writes.EntityLink['relation'] }) => ({ id: l.id, relation: l.relation })

function toPatch(input: StoryArgs): writes.StoryPatch {
  const { photo } = input
  return {
    slug: input.slug,
    headline: input.headline,
    alternativeHeadlines: input.alternativeHeadlines,
    lede: input.lede,
    sections: mapList(input.sections, (s) => ({ heading: s.heading ?? null, paragraphs: s.paragraphs })),
    language: input.language,
    type: input.type,
    urgency: input.urgency,
    byline: input.byline,
    editionNote: input.editionNote,
    editorNote: input.editorNote,
    photo: photo && {
      caption: photo.caption ?? null,
      altText: photo.altText ?? null,
      creditLine: photo.creditLine ?? null,
      copyrightHolder: photo.copyrightHolder ?? null,
      renditions: (photo.renditions ?? []).map((r) => ({
        name: r.name,
        href: r.href,
        mimeType: r.mimeType ?? null,
        width: r.width ?? null,
        height: r.height ?? null,
      })),
    },
    contributors: mapList(input.contributors, (c) => ({
      role: c.role,
      name: c.name,
      personId: c.personId ?? null,
      organisationId: c.organisationId ?? null,
    })),
    tagIds: input.tagIds,
    people: mapList(input.people, linkOf),
    organisations: mapList(input.organisations, linkOf),
    places: mapList(input.places, linkOf),
    events: mapList(input.events, linkOf),
    sourceStoryId: input.sourceStoryId,
    sourceOrganisationId: input.sourceOrganisationId,
    adaptedById: input.adaptedById,
    related: input.related,
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations

// editorMutation's authScopes refuse a request without a viewer before any write runs, and
// runMutation refuses it again.
export const author = (ctx: Context): writes.Author => ({ actor: ctx.viewer!.sub, requestId: ctx.requestId })

export const versionArg = (t: ArgBuilder<Types>) =>
  t.int({
    required: true,
    description: 'The version you read: a stale one is a Conflict, and nothing is written.',
    validate: storyRules.version,
  })
export const storyIdArg = (t: ArgBuilder<Types>) => t.id({ required: true, validate: globalIdOf('Story') })

editorMutation('createStory', {
  type: 'Story',
  description: 'Creates a story: a DRAFT, at version 1, that the public cannot see until it is published.',
  args: (arg) => ({ input: arg({ type: StoryInput, required: true }) }),
  write: (tx, args, ctx) => writes.createStory(tx, author(ctx), toPatch(args.input)),
})

editorMutation('updateStory', {
  type: 'Story',
  description: 'Changes the fields given, and bumps the version.',
  args: (arg) => ({
    id: storyIdArg(arg),
    version: versionArg(arg),
    input: arg({ type: StoryUpdateInput, required: true }),
  }),
  write: (tx, args, ctx) => writes.updateStory(tx, author(ctx), args.id, args.version, toPatch(args.input)),
})

editorMutation('publishStory', {
  type: 'Story',
  description:
    'Publishes the story now, or, with a later `at`, schedules it: it becomes public at that moment. A withdrawn story cannot be published again (ValidationError on id).',
  args: (arg) => ({ id: storyIdArg(arg), version: versionArg(arg), at: arg({ type: 'DateTime' }) }),
  write: (tx, args, ctx) => writes.publishStory(tx, author(ctx), args.id, args.version, args.at ?? null),
  mode: { single: true },
})

editorMutation('withdrawStory', {
  type: 'Story',
  description: 'Withdraws the story: the public then sees only a notice with the reason.',
  args: (arg) => ({
    id: storyIdArg(arg),
    version: versionArg(arg),
    reason: arg.string({ required: true, validate: storyRules.withdrawalReason }),
  }),
  write: (tx, args, ctx) => writes.withdrawStory(tx, author(ctx), args.id, args.version, args.reason),
  mode: { single: true },
})

// Returns the story rather than the correction: a client needs the new version to go on
// editing, sees the status a retraction changed, and selects `corrections` for the new one.
editorMutation('addCorrection', {
  type: 'Story',
  description:
    'Adds a correction, clarification, update note or retraction, shown with the story to everyone; bumps the version. A RETRACTION also withdraws the story, with the text as the reason.',
  args: (arg) => ({
    storyId: storyIdArg(arg),
    kind: arg({ type: CorrectionKindEnum, required: true }),
    text: arg.string({ required: true, validate: correctionRules.text }),
    field: arg.string({ description: 'The story field corrected, if one.', validate: correctionRules.field }),
    before: arg.string({ validate: correctionRules.wording }),
    after: arg.string({ validate: correctionRules.wording }),
  }),
  write: (tx, args, ctx) =>
    writes.addCorrection(tx, author(ctx), args.storyId, {
      kind: args.kind,
      text: args.text,
      field: args.field ?? null,
      before: args.before ?? null,
      after: args.after ?? null,
    }),
})

editorMutation('restoreRevision', {
  type: 'Story',
  description:
    'Brings back the story as a revision left it, as a new revision ("restored"). Send the story’s current version.',
  args: (arg) => ({
    revisionId: arg.id({ required: true, validate: globalIdOf('StoryRevision') }),
    version: versionArg(arg),
  }),
  write: (tx, args, ctx) => writes.restoreRevision(tx, author(ctx), args.revisionId, args.version),
})
