// The editable story as the writes see it: the content model (StoryContent, what createStory and
// updateStory write and what a revision's snapshot holds), the patch an input makes of it, and the
// diff between two versions of it. No database here: src/resolvers/story-rows.ts stores content,
// and story-writes.ts runs the operations.
import { isDeepStrictEqual } from 'node:util'
import type {
  ContributorRole,
  EditionKind,
  EntityRelation,
  HeadlineRole,
  RelatedReason,
  StoryType,
} from '../generated/prisma/enums.js'
import { ValidationError } from './errors.js'

export interface EntityLink {
  id: string
  relation: EntityRelation
}

export interface Rendition {
  name: string
  href: string
  mimeType: string | null
  width: number | null
  height: number | null
}

export interface Photo {
  caption: string | null
  altText: string | null
  creditLine: string | null
  copyrightHolder: string | null
  renditions: Rendition[]
}

/** The editable story: what createStory and updateStory write, and what a revision's snapshot holds. */
export interface StoryContent {
  slug: string
  headline: string
  alternativeHeadlines: { role: HeadlineRole; value: string }[]
  lede: string | null
  sections: { heading: string | null; paragraphs: string[] }[]
  language: string
  type: StoryType
  urgency: number
  byline: string | null
  editionNote: string | null
  editorNote: string | null
  photo: Photo | null
  contributors: { role: ContributorRole; name: string; personId: string | null; organisationId: string | null }[]
  tagIds: string[]
  people: EntityLink[]
  organisations: EntityLink[]
  places: EntityLink[]
  events: EntityLink[]
  /** an edition (see withEdition): its kind, when it was made (ISO), what from and by whom */
  editionKind: EditionKind | null
  editionAt: string | null
  sourceStoryId: string | null
  sourceUri: string | null
  sourceOrganisationId: string | null
  adaptedById: string | null
  related: { storyId: string; reason: RelatedReason }[]
}

/** The fields given (undefined: keep). A list replaces the stored one; null clears a field or list. */
export type StoryPatch = { [K in keyof StoryContent]?: StoryContent[K] | null }

/** Names the input field at fault for a path inside the story's content, e.g. "people.2.id". */
export type FieldOf = (path: string) => string
export const inputField: FieldOf = (path) => `input.${path}`

/** A new story's content, before its input is applied. */
export const DEFAULTS: StoryContent = {
  slug: '',
  headline: '',
  alternativeHeadlines: [],
  lede: null,
  sections: [],
  language: 'en',
  type: 'ARTICLE',
  urgency: 5,
  byline: null,
  editionNote: null,
  editorNote: null,
  photo: null,
  contributors: [],
  tagIds: [],
  people: [],
  organisations: [],
  places: [],
  events: [],
  editionKind: null,
  editionAt: null,
  sourceStoryId: null,
  sourceUri: null,
  sourceOrganisationId: null,
  adaptedById: null,
  related: [],
}

/** Columns that cannot be empty: an update may change them, never clear them. */
const REQUIRED = new Set(['slug', 'headline', 'language', 'type', 'urgency'])

/** The content kept in child rows, each list written by writeLists (src/resolvers/story-rows.ts). */
export const LISTS = [
  'alternativeHeadlines',
  'sections',
  'contributors',
  'tagIds',
  'people',
  'organisations',
  'places',
  'events',
  'related',
] as const
export type ListKey = (typeof LISTS)[number]

/** The content's links to entities, and the model each names. */
export const LINKS = [
  ['people', 'person'],
  ['organisations', 'organisation'],
  ['places', 'place'],
  ['events', 'event'],
] as const

/** field → { before, after }: what a revision records. */
export type Changes = Record<string, { before: unknown; after: unknown }>

/** The patch over `base`, lists in the order given (so errors can name an item by its index). */
export function applyPatch(base: StoryContent, patch: StoryPatch, field: FieldOf): StoryContent {
  const next: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || !(key in base)) continue
    if (value === null && REQUIRED.has(key))
      throw new ValidationError([{ field: field(key), message: 'cannot be cleared' }])
    next[key] = value === null && (LISTS as readonly string[]).includes(key) ? [] : value
  }
  return shaped(next as unknown as StoryContent)
}

const sortBy = <T>(items: T[], key: (item: T) => string) =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
const link = (l: EntityLink): EntityLink => ({ id: l.id, relation: l.relation })

/** Exactly the fields of StoryContent, absent values null: what a snapshot stores. */
export function shaped(c: StoryContent): StoryContent {
  return {
    slug: c.slug,
    headline: c.headline,
    alternativeHeadlines: c.alternativeHeadlines.map((h) => ({ role: h.role, value: h.value })),
    lede: c.lede ?? null,
    sections: c.sections.map((s) => ({ heading: s.heading ?? null, paragraphs: [...s.paragraphs] })),
    language: c.language,
    type: c.type,
    urgency: c.urgency,
    byline: c.byline ?? null,
    editionNote: c.editionNote ?? null,
    editorNote: c.editorNote ?? null,
    photo: c.photo
      ? {
          caption: c.photo.caption ?? null,
          altText: c.photo.altText ?? null,
          creditLine: c.photo.creditLine ?? null,
          copyrightHolder: c.photo.copyrightHolder ?? null,
          renditions: c.photo.renditions.map((r) => ({
            name: r.name,
            href: r.href,
            mimeType: r.mimeType ?? null,
            width: r.width ?? null,
            height: r.height ?? null,
          })),
        }
      : null,
    contributors: c.contributors.map((x) => ({
      role: x.role,
      name: x.name,
      personId: x.personId ?? null,
      organisationId: x.organisationId ?? null,
    })),
    tagIds: [...c.tagIds],
    people: c.people.map(link),
    organisations: c.organisations.map(link),
    places: c.places.map(link),
    events: c.events.map(link),
    editionKind: c.editionKind ?? null,
    editionAt: c.editionAt ?? null,
    sourceStoryId: c.sourceStoryId ?? null,
    sourceUri: c.sourceUri ?? null,
    sourceOrganisationId: c.sourceOrganisationId ?? null,
    adaptedById: c.adaptedById ?? null,
    related: c.related.map((r) => ({ storyId: r.storyId, reason: r.reason })),
  }
}

/**
 * The one rule of what makes a story an edition: a source (a story here, or an agency item's uri)
 * or an organisation that made it. Given without a kind, through createStory's and updateStory's
 * sourceStoryId or adaptedById, it is an ADAPTATION, as the relation was named before editions had
 * kinds; an edition given no time was made `now`. A story with none of these is no edition.
 */
export function withEdition(c: StoryContent, now: Date): StoryContent {
  const edition = !!(c.sourceStoryId || c.sourceUri || c.adaptedById)
  if (!edition) return { ...c, editionKind: null, editionAt: null }
  return { ...c, editionKind: c.editionKind ?? 'ADAPTATION', editionAt: c.editionAt ?? now.toISOString() }
}

/**
 * Lists the database keeps in no order of their own (tags, links, headlines, renditions) sorted,
 * so content read back equals the content written and only real changes show in a diff.
 */
export function sorted(c: StoryContent): StoryContent {
  return {
    ...c,
    alternativeHeadlines: sortBy(c.alternativeHeadlines, (h) => h.role),
    photo: c.photo && { ...c.photo, renditions: sortBy(c.photo.renditions, (r) => r.name) },
    tagIds: [...c.tagIds].sort(),
    people: sortBy(c.people, (l) => l.id),
    organisations: sortBy(c.organisations, (l) => l.id),
    places: sortBy(c.places, (l) => l.id),
    events: sortBy(c.events, (l) => l.id),
  }
}

/** field → { before, after } for every field of `after` whose value differs. */
export function diff(before: object, after: object): Changes {
  const changes: Changes = {}
  for (const [key, value] of Object.entries(after)) {
    const old = (before as Record<string, unknown>)[key] ?? null
    if (!isDeepStrictEqual(old, value ?? null)) changes[key] = { before: old, after: value ?? null }
  }
  return changes
}
