// Input rules, one home for each: the limits, the patterns and the zod schemas that the GraphQL
// inputs (src/schema) apply, and whose limits and patterns the ninjs importer (src/standards/import)
// applies too, so an imported story or entity holds nothing an editor could not have typed.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { z } from 'zod'
import { CHANGE_KINDS } from '../live/changes.js'

// ---------------------------------------------------------------------------------------------
// Limits: characters for a text, entries for a list

export const LIMITS = {
  slug: 120,
  /** an imported item's identifier (its ninjs uri) */
  uri: 2_000,

  // a story
  headline: 300,
  alternativeHeadlines: 10,
  lede: 2_000,
  sections: 200,
  sectionHeading: 300,
  paragraphsPerSection: 100,
  paragraph: 20_000,
  language: 35,
  byline: 200,
  editionNote: 1_000,
  editorNote: 5_000,
  contributors: 50,
  /** people, organisations, places or events a story links, each */
  links: 100,
  tags: 50,
  related: 50,
  withdrawalReason: 1_000,
  /** a correction's text, the field it names, and the wording before and after */
  correction: 5_000,
  correctedField: 200,
  correctedWording: 20_000,

  // a story's photo
  caption: 1_000,
  altText: 1_000,
  creditLine: 300,
  copyrightHolder: 300,
  renditions: 20,
  renditionName: 50,
  mimeType: 100,
  href: 2_000,
  /** a rendition's width or height */
  pixels: 100_000,

  // people, organisations, places and events; a contributor's name is a name too
  name: 200,
  alternateNames: 20,
  description: 2_000,
  sameAs: 20,
  /** a person's role in an organisation */
  role: 200,
  participants: 50,
  affiliations: 50,
  /** the note on an event's change of status */
  statusNote: 2_000,
  tagName: 120,

  // a webhook
  webhookUrl: 2_048,
  webhookDescription: 500,
  /** the longest an old secret goes on signing after a rotation: a week */
  secretOverlapSeconds: 7 * 86_400,
} as const

/** A limit as the messages and descriptions write it: 20,000. */
export const formatLimit = (limit: number) => limit.toLocaleString('en')

// ---------------------------------------------------------------------------------------------
// Patterns

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/
/** The importer's too, for a language it cannot read as a tag. */
export const LANGUAGE_MESSAGE = 'must be a BCP 47 language tag, e.g. en or pt-BR'
/** A media type, e.g. image/jpeg. */
export const MIME = /^[\w.+-]+\/[\w.+-]+$/
const HTTP = { protocol: /^https?$/ }
/** An absolute URI, as ninjs wants an item's uri: a scheme, a colon, no spaces. */
export const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:[^\s]+$/i

// ---------------------------------------------------------------------------------------------
// Schemas

/** Trimmed, and not empty once trimmed. */
export const line = (max: number) => z.string().trim().min(1).max(max)
export const text = (max: number) => z.string().max(max)

/** At most `max` items, no two with the same `key`; a repeat is reported at its index. */
function uniqueList<T>(max: number, key: (item: T) => unknown, what: string, item: z.ZodType<T> = z.any()) {
  return z
    .array(item)
    .max(max)
    .superRefine((items, ctx) => {
      const seen = new Set<unknown>()
      items.forEach((value, i) => {
        if (seen.has(key(value))) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${what}` })
        seen.add(key(value))
      })
    })
}

export const slugSchema = z
  .string()
  .min(1)
  .max(LIMITS.slug)
  .regex(SLUG, 'lower-case letters, digits and single hyphens')

// Ids as the database prints them (and this API hands them out inside global ids).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a row id (the part of a global ID after the type) is shaped as ours are. */
export const isRowId = (id: string) => UUID.test(id)

/** The row id a global ID names, when it is a well-formed ID of that type; null otherwise. */
export function rowId(globalId: string, typename: string): string | null {
  try {
    const { typename: type, id } = decodeGlobalID(globalId)
    return type === typename && UUID.test(id) ? id : null
  } catch {
    return null
  }
}

/**
 * A global ID (what `node(id:)` takes) of one type, turned into its row id. Checked here rather
 * than with the relay plugin's globalID inputs so that a wrong ID is a ValidationError naming its
 * field, and a malformed one never reaches the database. Base64 decoding is lenient (two strings
 * may name one row), so compare the row ids this gives, never the strings sent.
 */
export function globalIdOf(typename: string) {
  return z
    .string()
    .refine((value) => rowId(value, typename) !== null, `must be the id of a ${typename}`)
    .transform((value) => rowId(value, typename)!)
}

/** The fields of a story (src/schema/story-mutations.ts). */
export const storyRules = {
  headline: line(LIMITS.headline),
  alternativeHeadlines: uniqueList(LIMITS.alternativeHeadlines, (h: { role: string }) => h.role, 'a role'),
  lede: text(LIMITS.lede),
  sections: z.array(z.any()).max(LIMITS.sections),
  sectionHeading: text(LIMITS.sectionHeading),
  paragraphs: z.array(z.string().min(1).max(LIMITS.paragraph)).max(LIMITS.paragraphsPerSection),
  language: z.string().max(LIMITS.language).regex(LANGUAGE, LANGUAGE_MESSAGE),
  urgency: z.number().int().min(1).max(9),
  byline: text(LIMITS.byline),
  editionNote: text(LIMITS.editionNote),
  editorNote: text(LIMITS.editorNote),
  contributors: z.array(z.any()).max(LIMITS.contributors),
  contributorName: line(LIMITS.name),
  tagIds: uniqueList(LIMITS.tags, (id: string) => id, 'a tag', globalIdOf('Tag')),
  links: uniqueList(LIMITS.links, (l: { id: string }) => l.id, 'an entity'),
  related: uniqueList(LIMITS.related, (r: { storyId: string }) => r.storyId, 'a story'),
  withdrawalReason: line(LIMITS.withdrawalReason),
  version: z.number().int().min(1),
}

/** An edition link's fields (linkEdition): what it was made from is a story here or an item's uri. */
export const editionRules = {
  sourceUri: z
    .string()
    .max(LIMITS.uri)
    .regex(ABSOLUTE_URI, 'must be an absolute URI, e.g. https://example.org/item/1 or urn:newsml:example.org:1'),
  link: z
    .object({ originalId: z.unknown(), sourceUri: z.unknown() })
    .loose()
    .superRefine((input, ctx) => {
      const given = [input.originalId, input.sourceUri].filter((value) => value != null).length
      if (given !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['originalId'],
          message: given ? 'give originalId or sourceUri, not both' : 'give originalId (a story here) or sourceUri',
        })
    }),
}

/** A correction's fields. */
export const correctionRules = {
  text: line(LIMITS.correction),
  field: text(LIMITS.correctedField),
  wording: text(LIMITS.correctedWording),
}

/** The fields of a story's photo and its renditions. */
export const photoRules = {
  caption: text(LIMITS.caption),
  altText: text(LIMITS.altText),
  creditLine: text(LIMITS.creditLine),
  copyrightHolder: text(LIMITS.copyrightHolder),
  renditions: uniqueList(LIMITS.renditions, (r: { name: string }) => r.name, 'a rendition name'),
  renditionName: line(LIMITS.renditionName),
  href: z.url(HTTP).max(LIMITS.href),
  mimeType: z.string().max(LIMITS.mimeType).regex(MIME, 'must look like image/jpeg'),
  pixels: z.number().int().min(1).max(LIMITS.pixels),
}

/** The fields people, organisations, places and events share (the inputs in src/schema). */
export const entityRules = {
  name: line(LIMITS.name),
  alternateNames: z.array(line(LIMITS.name)).max(LIMITS.alternateNames),
  description: text(LIMITS.description),
  wikidataId: z.string().regex(/^Q\d+$/, 'must look like Q22686'),
  sameAs: z.array(z.url(HTTP)).max(LIMITS.sameAs),
  // The format only: whether a code is assigned is ISO's business, and Intl knows no better.
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper-case, e.g. QA'),
  role: line(LIMITS.role),
  affiliations: z.array(z.unknown()).max(LIMITS.affiliations),
  participants: z.array(z.unknown()).max(LIMITS.participants),
  statusNote: text(LIMITS.statusNote),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
}

/** A tag's fields. */
export const tagRules = {
  name: line(LIMITS.tagName),
  code: z.string().regex(/^medtop:\d{8}$/, 'must look like medtop:16000000'),
  description: text(LIMITS.description),
}

/** A webhook's fields (src/schema/webhooks.ts). Where a URL may point is the outbound policy's
 *  (src/outbound/request.ts checkDestination), asked by the write. */
export const webhookRules = {
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(LIMITS.webhookUrl)
    // a password in the URL would be shown to every admin who lists the webhooks
    .refine((url) => !/^https?:\/\/[^/?#]*@/i.test(url), 'must not hold a user name or password'),
  kinds: uniqueList(
    CHANGE_KINDS.length,
    (kind: string) => kind,
    'a kind',
    z.enum(CHANGE_KINDS, { error: `must be a kind of change: ${CHANGE_KINDS.join(', ')}` }),
  ),
  description: text(LIMITS.webhookDescription),
  filter: z.object({
    tag: slugSchema.nullish(),
    person: slugSchema.nullish(),
    organisation: slugSchema.nullish(),
    place: slugSchema.nullish(),
    event: slugSchema.nullish(),
    language: storyRules.language.nullish(),
  }),
  overlapSeconds: z.number().int().min(0).max(LIMITS.secretOverlapSeconds),
}
