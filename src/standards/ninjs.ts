// Stories and events as IPTC ninjs 3.1 documents (https://iptc.org/standards/ninjs/). What the
// viewer may not read is not in them: a story the viewer may not see gives null, a withdrawn one
// gives the public its withdrawal notice only (as Story.body and Story.photo do), and the desk's
// note (edNote) is for editors. src/standards/import-ninjs.ts reads these documents back.
import type { Viewer } from '../auth/token.js'
import type { EditionKind, EntityRelation, StoryStatus, StoryType } from '../generated/prisma/enums.js'
import { editionNote } from '../resolvers/editions.js'
import { countWords } from '../resolvers/reading.js'
import { mayEdit } from '../auth/roles.js'
import { isReadable, isVisible } from '../resolvers/visibility.js'
import { compact, copyrightNotice, iso, sortBy, truncatedDate } from './common.js'
import { schemaOrgEventStatus } from './json-ld.js'
import { documentUri, entityUris, urnOf } from './select.js'
import type { EntityRow, EventDocumentRow, PlaceRow, StoryDocumentRow } from './select.js'
import { sectionsToHtml, sectionsToPlain } from './text.js'

export type NinjsDocument = Record<string, unknown>

export const NINJS_STANDARD = {
  name: 'ninjs',
  version: '3.1',
  schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#',
} as const

/** IPTC Media Topic codes ("medtop:16000000") and their URIs. */
export const MEDIATOPIC_URI = 'http://cv.iptc.org/newscodes/mediatopic/'

/** The ninjs genre (literal) for each story type, and back. */
export const GENRES: Record<StoryType, string> = {
  ARTICLE: 'Article',
  LIVE: 'Live',
  ANALYSIS: 'Analysis',
  OPINION: 'Opinion',
  FEATURE: 'Feature',
  EXPLAINER: 'Explainer',
  BRIEF: 'Brief',
}

/** Roles of infoSources besides the contributors' own (author, reporter, …). */
export const SOURCE_ROLE = 'source'
export const ADAPTED_BY_ROLE = 'adapted-by'

/** The rel of an association between editions, said from the edition (`of`) and from the story
 *  it was made from (`edition`). */
export const EDITION_RELS: Record<EditionKind, { of: string; edition: string }> = {
  TRANSLATION: { of: 'translation-of', edition: 'translation' },
  ADAPTATION: { of: 'adaptation-of', edition: 'adaptation' },
  REGIONAL: { of: 'regional-edition-of', edition: 'regional-edition' },
}

export function pubStatusOf(status: StoryStatus): 'usable' | 'withheld' | 'canceled' {
  return status === 'WITHDRAWN' ? 'canceled' : status === 'DRAFT' ? 'withheld' : 'usable'
}

export function storyToNinjs(s: StoryDocumentRow, viewer: Viewer | null, now = new Date()): NinjsDocument | null {
  if (!isReadable(s, viewer, now)) return null
  const editor = mayEdit(viewer)
  const heldBack = s.status === 'WITHDRAWN' && !editor
  const plain = sectionsToPlain(s.sections)
  const note = editionNote(s)
  return compact({
    uri: documentUri(s),
    // an identifier it was imported under that is not a uri
    altIds: s.uri && documentUri(s) !== s.uri ? [{ role: 'imported-uri', value: s.uri }] : [],
    standard: NINJS_STANDARD,
    type: 'text',
    representationType: heldBack ? 'partial' : 'full',
    version: String(s.version),
    firstCreated: iso(s.createdAt),
    versionCreated: iso(s.updatedAt),
    contentCreated: iso(s.createdAt),
    embargoedUntil: iso(s.embargoedUntil),
    pubStatus: pubStatusOf(s.status),
    urgency: s.urgency,
    language: s.language,
    slugline: s.slug,
    headlines: [
      { role: 'main', value: s.headline },
      ...(heldBack ? [] : s.headlines.map((h) => ({ role: h.role.toLowerCase(), value: h.value }))),
    ],
    by: s.byline,
    descriptions: [
      ...(s.lede && !heldBack ? [{ role: 'summary', contentType: 'text/plain', value: s.lede }] : []),
      ...(note ? [{ role: 'editionnote', contentType: 'text/plain', value: note }] : []),
      ...(s.status === 'WITHDRAWN' && s.withdrawalReason
        ? [{ role: 'withdrawal', contentType: 'text/plain', value: s.withdrawalReason }]
        : []),
    ],
    bodies:
      heldBack || !plain
        ? []
        : [
            { role: 'main', contentType: 'text/plain', wordCount: countWords(plain), value: plain },
            { role: 'main', contentType: 'text/html', value: sectionsToHtml(s.sections) },
          ],
    edNote: editor ? s.editorNote : null,
    genres: [{ name: GENRES[s.type], literal: s.type.toLowerCase() }],
    subjects: sortBy(
      s.tags.map((t) => t.tag),
      (t) => t.slug,
    ).map((t) =>
      compact({
        name: t.name,
        literal: t.slug,
        uri: t.scheme === 'MEDIATOPIC' && t.code ? MEDIATOPIC_URI + t.code.replace(/^medtop:/, '') : null,
      }),
    ),
    people: links(s.people.map((l) => ({ relation: l.relation, entity: l.person }))).map(entityRef),
    organisations: links(s.organisations.map((l) => ({ relation: l.relation, entity: l.organisation }))).map(entityRef),
    places: links(s.places.map((l) => ({ relation: l.relation, entity: l.place }))).map(placeRef),
    events: sortBy(s.events, (l) => l.event.slug).map((l) =>
      compact({ name: l.event.name, rel: rel(l.relation), literal: l.event.slug, uri: documentUri(l.event) }),
    ),
    infoSources: [
      ...s.contributors.map((c) =>
        compact({ name: c.name, role: c.role.toLowerCase(), ...sourceRef(c.organisation ?? c.person) }),
      ),
      ...(s.sourceOrganisation
        ? [compact({ name: s.sourceOrganisation.name, role: SOURCE_ROLE, ...sourceRef(s.sourceOrganisation) })]
        : []),
      ...(s.adaptedBy ? [compact({ name: s.adaptedBy.name, role: ADAPTED_BY_ROLE, ...sourceRef(s.adaptedBy) })] : []),
    ],
    associations: [
      ...(s.photo && !heldBack ? [photoAssociation(s.photo)] : []),
      ...editionAssociations(s, viewer, now),
    ],
  })
}

/** The story this edition was made from (if the viewer may read it, or else the agency item's uri)
 *  and the editions made from this story that the viewer may read, each with its language. */
function editionAssociations(s: StoryDocumentRow, viewer: Viewer | null, now: Date): NinjsDocument[] {
  const link = (name: string, rel: string, e: NonNullable<StoryDocumentRow['sourceStory']>) =>
    compact({
      name,
      rel,
      uri: documentUri(e),
      type: 'text',
      representationType: 'partial',
      language: e.language,
      slugline: e.slug,
      headlines: [{ role: 'main', value: e.headline }],
    })
  const source = s.sourceStory && isVisible(s.sourceStory, viewer, now) ? s.sourceStory : null
  const rel = s.editionKind && EDITION_RELS[s.editionKind].of
  return [
    ...(rel && source ? [link('original', rel, source)] : []),
    ...(rel && !source && s.sourceUri ? [{ name: 'original', rel, uri: s.sourceUri }] : []),
    ...s.editions.flatMap((e) => (e.editionKind ? [link('edition', EDITION_RELS[e.editionKind].edition, e)] : [])),
  ]
}

function photoAssociation(photo: NonNullable<StoryDocumentRow['photo']>): NinjsDocument {
  const renditions = [...photo.renditions].sort(
    (a, b) => (b.width ?? -1) - (a.width ?? -1) || a.name.localeCompare(b.name),
  )
  return compact({
    name: 'photo',
    uri: urnOf(photo.id),
    type: photo.type.toLowerCase(),
    by: photo.creditLine,
    copyrightHolder: photo.copyrightHolder,
    copyrightNotice: photo.copyrightHolder ? copyrightNotice(photo.copyrightHolder) : null,
    descriptions: [
      ...(photo.caption ? [{ role: 'caption', contentType: 'text/plain', value: photo.caption }] : []),
      ...(photo.altText ? [{ role: 'alt', contentType: 'text/plain', value: photo.altText }] : []),
    ],
    renditions: renditions.map((r) =>
      compact({ name: r.name, href: r.href, contentType: r.mimeType, width: r.width, height: r.height }),
    ),
  })
}

export function eventToNinjs(e: EventDocumentRow): NinjsDocument {
  const organiser = e.participants.find((p) => p.role === 'ORGANISER' && p.organisation)?.organisation
  const { startDate, expectedStartDate } = ninjsStart(e)
  const dates = compact({ startDate, expectedStartDate, endDate: iso(e.endAt) })
  return compact({
    uri: documentUri(e),
    altIds: e.uri && documentUri(e) !== e.uri ? [{ role: 'imported-uri', value: e.uri }] : [],
    standard: NINJS_STANDARD,
    type: 'event',
    representationType: 'full',
    version: String(e.version),
    firstCreated: iso(e.createdAt),
    versionCreated: iso(e.updatedAt),
    pubStatus: 'usable',
    slugline: e.slug,
    title: e.name,
    headlines: [{ role: 'main', value: e.name }],
    descriptions: e.description ? [{ role: 'summary', contentType: 'text/plain', value: e.description }] : [],
    eventDetails: compact({
      eventStatus: `https://schema.org/${schemaOrgEventStatus(e).status}`,
      // ninjs wants a start or an end in its dates, or no dates at all
      dates: Object.keys(dates).length ? dates : null,
      organiser: organiser ? compact({ name: organiser.name, ...sourceRef(organiser) }) : null,
    }),
    places: e.location ? [placeRef({ relation: null, entity: e.location })] : [],
    organisations: e.participants.flatMap((p) =>
      p.organisation
        ? [compact({ name: p.organisation.name, rel: p.role.toLowerCase(), ...sourceRef(p.organisation) })]
        : [],
    ),
    people: e.participants.flatMap((p) =>
      p.person ? [compact({ name: p.person.name, rel: p.role.toLowerCase(), ...sourceRef(p.person) })] : [],
    ),
  })
}

/**
 * The start ninjs can say: the start when there is one, else the expected start cut to its
 * precision ("2025-07" for a month). ninjs takes one of the two, never both.
 */
function ninjsStart(e: EventDocumentRow): { startDate: string | null; expectedStartDate: string | null } {
  if (e.startAt) return { startDate: iso(e.startAt), expectedStartDate: null }
  if (!e.expectedStartFrom) return { startDate: null, expectedStartDate: null }
  return { startDate: null, expectedStartDate: truncatedDate(e.expectedStartFrom, e.expectedStartPrecision) }
}

// ---------------------------------------------------------------------------------------------
// Entities

interface Link<T> {
  relation: EntityRelation | null
  entity: T
}

const rel = (relation: EntityRelation | null) => relation?.toLowerCase() ?? null

function links<T extends { slug: string }>(list: Link<T>[]): Link<T>[] {
  return sortBy(list, (l) => l.entity.slug)
}

function entityRef({ relation, entity }: Link<EntityRow>) {
  return compact({ name: entity.name, rel: rel(relation), literal: entity.slug, uri: entityUris(entity)[0] ?? null })
}

function placeRef({ relation, entity }: Link<PlaceRow>) {
  return compact({
    name: entity.name,
    rel: rel(relation),
    literal: entity.slug,
    uri: entityUris(entity)[0] ?? null,
    geoJSON:
      entity.latitude !== null && entity.longitude !== null
        ? { type: 'Point', coordinates: [entity.longitude, entity.latitude] }
        : null,
  })
}

/** How an infoSource or organiser names the entity behind it, when there is one. */
function sourceRef(entity: EntityRow | null | undefined) {
  return entity ? { literal: entity.slug, uri: entityUris(entity)[0] ?? null } : {}
}
