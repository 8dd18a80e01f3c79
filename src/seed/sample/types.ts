// The shapes of the sample graph's data (src/seed/sample/*), cross-referenced by slug.
import type {
  ContributorRole,
  DatePrecision,
  EditionKind,
  EntityRelation,
  EventStatus,
  OrganisationType,
  ParticipantRole,
  PlaceType,
  RelatedReason,
  TagScheme,
} from '../../generated/prisma/enums.js'

export interface SampleTag {
  slug: string
  name: string
  scheme: TagScheme
  code?: string
  description?: string
}

export interface SampleOrganisation {
  slug: string
  name: string
  alternateNames?: string[]
  type: OrganisationType
  description: string
  countryCode?: string
  wikidataId?: string
  parentSlug?: string
}

export interface SamplePlace {
  slug: string
  name: string
  alternateNames?: string[]
  type: PlaceType
  countryCode: string
  latitude: number
  longitude: number
  wikidataId?: string
  parentSlug?: string
}

export interface SamplePerson {
  slug: string
  name: string
  alternateNames?: string[]
  description: string
  /** only where the Q-id is certain */
  wikidataId?: string
  affiliations: { organisationSlug: string; role: string; startDate?: Date }[]
}

/** Links from a story to entities, by slug. */
export interface SampleLinks {
  people?: { slug: string; relation: EntityRelation }[]
  organisations?: { slug: string; relation: EntityRelation }[]
  places?: { slug: string; relation: EntityRelation }[]
}

/** A "More news" teaser: the page gives only its headline and stated read time. */
export interface SampleTeaser extends SampleLinks {
  slug: string
  headline: string
  lede: string
  firstPublishedAt: Date
  /** the read time the page states; the body is not held here */
  statedReadTimeMinutes: number
  tagSlugs: string[]
  /** why the main story links to it */
  reason: RelatedReason
}

/** A story's text and credits: what the main story and its original both hold. */
export interface SampleText {
  slug: string
  headline: string
  shortHeadline: string
  lede: string
  firstPublishedAt: Date
  urgency: number
  byline: string
  sections: { heading: string | null; paragraphs: string[] }[]
  contributors: { role: ContributorRole; name: string; organisationSlug: string }[]
  sourceOrganisationSlug: string
}

export interface SampleStory extends SampleLinks, SampleText {
  editionNote: string
  photo: {
    caption: string
    altText: string
    creditLine: string
    copyrightHolder: string
    renditions: { name: string; href: string; mimeType: string; width: number; height: number }[]
  }
  adaptedBySlug: string
  /** the edition it is (made by adaptedBySlug when it was first published) of the original by slug */
  edition: { kind: EditionKind; originalSlug: string }
  tagSlugs: string[]
  events: { slug: string; relation: EntityRelation }[]
}

/** The agency's original of a story, in its own language: text and credits only. */
export interface SampleOriginal extends SampleText {
  language: string
}

export interface SampleEvent {
  slug: string
  name: string
  description: string
  status: EventStatus
  startAt: Date
  expectedStartFrom: Date
  expectedStartTo: Date
  expectedStartPrecision: DatePrecision
  locationSlug: string
  participants: { role: ParticipantRole; organisationSlug: string }[]
  /** each change is reported by the main story */
  statusChanges: { at: Date; fromStatus: EventStatus | null; toStatus: EventStatus; note: string }[]
  /** changes of the expected start, each reported by the main story (the event's timeline shows them) */
  scheduleChanges: {
    at: Date
    fromExpectedStartFrom: Date | null
    fromExpectedStartTo: Date | null
    fromExpectedStartPrecision: DatePrecision | null
    fromStartAt: Date | null
    toExpectedStartFrom: Date | null
    toExpectedStartTo: Date | null
    toExpectedStartPrecision: DatePrecision | null
    toStartAt: Date | null
    note: string
  }[]
}

/** A date from an ISO string, to keep the data short. */
export const d = (iso: string) => new Date(iso)
