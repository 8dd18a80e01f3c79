// Stories and events as schema.org JSON-LD (https://schema.org/NewsArticle, /Event), for pages
// to embed and crawlers to read. The same rules of visibility as the ninjs documents apply.
import type { Viewer } from '../auth/token.js'
import type { CorrectionKind, EventStatus, StoryType } from '../generated/prisma/enums.js'
import { mayEdit } from '../auth/roles.js'
import { isReadable, isVisible } from '../resolvers/visibility.js'
import { compact, copyrightNotice, iso, sortBy, truncatedDate } from './common.js'
import { documentUri, entityUris, urnOf } from './select.js'
import type { EntityRow, EventDocumentRow, PlaceRow, StoryDocumentRow } from './select.js'
import { sectionsToPlain } from './text.js'

export type JsonLdDocument = Record<string, unknown>

const CONTEXT = 'https://schema.org'

/** The schema.org type of each kind of story: the NewsArticle subtypes where one fits. */
const ARTICLE_TYPES: Record<StoryType, string> = {
  ARTICLE: 'NewsArticle',
  LIVE: 'LiveBlogPosting',
  ANALYSIS: 'AnalysisNewsArticle',
  OPINION: 'OpinionNewsArticle',
  FEATURE: 'NewsArticle',
  EXPLAINER: 'BackgroundNewsArticle',
  BRIEF: 'NewsArticle',
}

const CORRECTION_NAMES: Record<CorrectionKind, string> = {
  CORRECTION: 'Correction',
  CLARIFICATION: 'Clarification',
  UPDATE: 'Update',
  RETRACTION: 'Retraction',
}

export function storyToJsonLd(s: StoryDocumentRow, viewer: Viewer | null, now = new Date()): JsonLdDocument | null {
  if (!isReadable(s, viewer, now)) return null
  const heldBack = s.status === 'WITHDRAWN' && !mayEdit(viewer)
  const body = sectionsToPlain(s.sections)
  const role = (...roles: string[]) => s.contributors.filter((c) => roles.includes(c.role)).map(contributor)
  const authors = role('AUTHOR', 'REPORTER')
  const publisher = s.adaptedBy ?? s.sourceOrganisation
  // people, organisations, places, events; each kind by slug
  const about = (relation: 'ABOUT' | 'MENTIONS') => [
    ...bySlug(s.people, (l) => l.person)
      .filter((l) => l.relation === relation)
      .map((l) => thing('Person', l.person)),
    ...bySlug(s.organisations, (l) => l.organisation)
      .filter((l) => l.relation === relation)
      .map((l) => thing('Organization', l.organisation)),
    ...bySlug(s.places, (l) => l.place)
      .filter((l) => l.relation === relation)
      .map((l) => place(l.place)),
    ...bySlug(s.events, (l) => l.event)
      .filter((l) => l.relation === relation)
      .map((l) => compact({ '@type': 'Event', '@id': documentUri(l.event), name: l.event.name })),
  ]
  return compact({
    '@context': CONTEXT,
    '@type': ARTICLE_TYPES[s.type],
    '@id': documentUri(s),
    identifier: s.slug,
    headline: s.headline,
    alternativeHeadline: heldBack ? null : (s.headlines.find((h) => h.role === 'SHORT') ?? s.headlines[0])?.value,
    description: heldBack ? null : s.lede,
    articleBody: heldBack || !body ? null : body,
    inLanguage: s.language,
    dateCreated: iso(s.createdAt),
    datePublished: s.status === 'DRAFT' ? null : iso(s.firstPublishedAt),
    dateModified: iso(s.contentUpdatedAt ?? s.firstPublishedAt),
    creativeWorkStatus:
      s.status === 'WITHDRAWN'
        ? 'Withdrawn'
        : s.status === 'PUBLISHED'
          ? 'Published'
          : s.status === 'SCHEDULED'
            ? 'Scheduled'
            : 'Draft',
    wordCount: heldBack ? null : s.wordCount,
    timeRequired: heldBack ? null : `PT${s.readTimeMinutes}M`,
    // no contributor with a byline role: the byline names the author
    author: authors.length ? authors : s.byline ? [{ '@type': 'Person', name: s.byline }] : [],
    translator: role('TRANSLATOR'),
    editor: role('EDITOR'),
    contributor: role('ADAPTER', 'PHOTOGRAPHER'),
    publisher: publisher ? thing('Organization', publisher) : null,
    sourceOrganization: s.sourceOrganisation ? thing('Organization', s.sourceOrganisation) : null,
    ...editionLinks(s, viewer, now),
    image: s.photo && !heldBack ? image(s.photo) : null,
    about: about('ABOUT'),
    mentions: about('MENTIONS'),
    keywords: [...s.tags].map((t) => t.tag.name).sort(),
    correction: s.corrections.map((c) => ({
      '@type': 'CorrectionComment',
      name: CORRECTION_NAMES[c.kind],
      text: c.text,
      datePublished: iso(c.createdAt),
    })),
    coverageStartTime: s.type === 'LIVE' ? iso(s.firstPublishedAt) : null,
    // a withdrawn story tells why
    ...(s.status === 'WITHDRAWN' ? { backstory: s.withdrawalReason } : {}),
  })
}

type EditionRow = NonNullable<StoryDocumentRow['sourceStory']>
const article = (e: EditionRow) => ({
  '@type': 'NewsArticle',
  '@id': documentUri(e),
  headline: e.headline,
  inLanguage: e.language,
})

/**
 * What the story was made from (if the viewer may read it, or else the agency item's uri):
 * translationOfWork for a translation, isBasedOn for any other edition (and for a story pointed at
 * its source with no kind recorded); and the translations made from it that the viewer may read
 * (workTranslation).
 */
function editionLinks(s: StoryDocumentRow, viewer: Viewer | null, now: Date) {
  const source = s.sourceStory && isVisible(s.sourceStory, viewer, now) ? article(s.sourceStory) : null
  const from = source ?? (s.editionKind && s.sourceUri ? { '@type': 'NewsArticle', '@id': s.sourceUri } : null)
  const translation = s.editionKind === 'TRANSLATION'
  return {
    translationOfWork: translation ? from : null,
    isBasedOn: translation ? null : from,
    workTranslation: s.editions.filter((e) => e.editionKind === 'TRANSLATION').map(article),
  }
}

const bySlug = <T>(links: T[], entity: (link: T) => { slug: string }) => sortBy(links, (l) => entity(l).slug)

function image(photo: NonNullable<StoryDocumentRow['photo']>) {
  const bySize = [...photo.renditions].sort((a, b) => (b.width ?? -1) - (a.width ?? -1))
  const [largest] = bySize
  const smallest = bySize.at(-1)
  return compact({
    '@type': 'ImageObject',
    '@id': urnOf(photo.id),
    contentUrl: largest?.href,
    url: largest?.href,
    encodingFormat: largest?.mimeType,
    width: largest?.width,
    height: largest?.height,
    thumbnailUrl: smallest && smallest !== largest ? smallest.href : null,
    caption: photo.caption,
    description: photo.altText,
    creditText: photo.creditLine,
    copyrightHolder: photo.copyrightHolder ? { '@type': 'Organization', name: photo.copyrightHolder } : null,
    copyrightNotice: photo.copyrightHolder ? copyrightNotice(photo.copyrightHolder) : null,
  })
}

function contributor(c: StoryDocumentRow['contributors'][number]) {
  if (c.organisation) return { ...thing('Organization', c.organisation), name: c.name }
  if (c.person) return { ...thing('Person', c.person), name: c.name }
  return { '@type': 'Person', name: c.name }
}

function thing(type: 'Person' | 'Organization', e: EntityRow) {
  const sameAs = entityUris(e)
  return compact({ '@type': type, name: e.name, identifier: e.slug, sameAs: sameAs.length ? sameAs : null })
}

function place(p: PlaceRow) {
  const sameAs = entityUris(p)
  return compact({
    '@type': p.type === 'COUNTRY' ? 'Country' : p.type === 'CITY' ? 'City' : 'Place',
    name: p.name,
    identifier: p.slug,
    sameAs: sameAs.length ? sameAs : null,
    address: p.countryCode ? { '@type': 'PostalAddress', addressCountry: p.countryCode } : null,
    geo:
      p.latitude !== null && p.longitude !== null
        ? { '@type': 'GeoCoordinates', latitude: p.latitude, longitude: p.longitude }
        : null,
  })
}

// ---------------------------------------------------------------------------------------------
// Events

interface EventTimes {
  status: EventStatus
  startAt: Date | null
  expectedStartFrom: Date | null
  expectedStartPrecision: string | null
}

export type SchemaOrgEventStatus =
  'EventScheduled' | 'EventPostponed' | 'EventRescheduled' | 'EventCancelled' | 'EventMovedOnline'

/**
 * Our statuses in schema.org's five. An event expected to start (again) after the start it had
 * is rescheduled, with that start as previousStartDate; one stopped with no new date is
 * postponed. Going on, resumed or over is "scheduled" to schema.org: it took place as planned.
 * Nothing here says an event moved online, so EventMovedOnline is never given.
 */
export function schemaOrgEventStatus(e: EventTimes): { status: SchemaOrgEventStatus; previousStartDate: Date | null } {
  const movedLater = !!(e.startAt && e.expectedStartFrom && e.expectedStartFrom > e.startAt)
  switch (e.status) {
    case 'CANCELLED':
      return { status: 'EventCancelled', previousStartDate: null }
    case 'POSTPONED':
    case 'SUSPENDED':
      return movedLater
        ? { status: 'EventRescheduled', previousStartDate: e.startAt }
        : { status: 'EventPostponed', previousStartDate: e.startAt }
    case 'SCHEDULED':
    case 'CONFIRMED':
      return movedLater
        ? { status: 'EventRescheduled', previousStartDate: e.startAt }
        : { status: 'EventScheduled', previousStartDate: null }
    default:
      return { status: 'EventScheduled', previousStartDate: null }
  }
}

export function eventToJsonLd(e: EventDocumentRow): JsonLdDocument {
  const { status, previousStartDate } = schemaOrgEventStatus(e)
  // a rescheduled event starts when it is now expected to; otherwise at its start, or the expected one
  const expected = e.expectedStartFrom ? truncatedDate(e.expectedStartFrom, e.expectedStartPrecision) : null
  const startDate = status === 'EventRescheduled' ? expected : (iso(e.startAt) ?? expected)
  const party = (p: EventDocumentRow['participants'][number]) =>
    p.organisation ? thing('Organization', p.organisation) : p.person ? thing('Person', p.person) : null
  const inRoles = (...roles: string[]) =>
    e.participants
      .filter((p) => roles.includes(p.role))
      .map(party)
      .filter((p) => p !== null)
  return compact({
    '@context': CONTEXT,
    '@type': 'Event',
    '@id': documentUri(e),
    identifier: e.slug,
    name: e.name,
    description: e.description,
    eventStatus: `https://schema.org/${status}`,
    startDate,
    endDate: iso(e.endAt),
    previousStartDate: iso(previousStartDate),
    location: e.location ? place(e.location) : null,
    organizer: inRoles('ORGANISER', 'HOST'),
    attendee: inRoles('PARTY', 'MEDIATOR', 'OBSERVER'),
  })
}
