// What the ninjs and schema.org documents read of a story and of an event: one Prisma select each,
// read for every story (or event) of a GraphQL request at once (src/schema/standards.ts) and by
// the document URLs (src/server/documents.ts).
import type { Viewer } from '../auth/token.js'
import type { Prisma } from '../generated/prisma/client.js'
import { mayEdit } from '../auth/roles.js'
import { ABSOLUTE_URI } from '../resolvers/validation.js'
import { publicStoryWhere, visibleStoryWhere } from '../resolvers/visibility.js'

const NAMED = { id: true, slug: true, name: true, wikidataId: true } as const
const ENTITY = { ...NAMED, sameAs: true } as const
const PLACE = { ...NAMED, type: true, countryCode: true, latitude: true, longitude: true } as const
const EVENT = { id: true, slug: true, uri: true, name: true } as const
/** A story an edition link names: enough to link to it, and to know whether the viewer may. */
const EDITION = {
  id: true,
  uri: true,
  slug: true,
  headline: true,
  language: true,
  editionKind: true,
  status: true,
  embargoedUntil: true,
} as const

export function storyDocumentSelect(viewer: Viewer | null) {
  return {
    id: true,
    slug: true,
    uri: true,
    headline: true,
    lede: true,
    language: true,
    type: true,
    status: true,
    urgency: true,
    firstPublishedAt: true,
    contentUpdatedAt: true,
    embargoedUntil: true,
    byline: true,
    editionNote: true,
    editorNote: true,
    withdrawnAt: true,
    withdrawalReason: true,
    version: true,
    wordCount: true,
    readTimeMinutes: true,
    createdAt: true,
    updatedAt: true,
    // the same arguments as Story.alternativeHeadlines and Story.body, so the selections merge
    headlines: { select: { role: true, value: true }, orderBy: { role: 'asc' } },
    sections: { select: { heading: true, paragraphs: true }, orderBy: { position: 'asc' } },
    photo: {
      select: {
        id: true,
        type: true,
        caption: true,
        altText: true,
        creditLine: true,
        copyrightHolder: true,
        renditions: { select: { name: true, href: true, mimeType: true, width: true, height: true } },
      },
    },
    contributors: {
      select: { role: true, name: true, person: { select: ENTITY }, organisation: { select: ENTITY } },
      orderBy: { position: 'asc' },
    },
    sourceOrganisation: { select: ENTITY },
    adaptedBy: { select: ENTITY },
    editionKind: true,
    sourceUri: true,
    sourceStory: { select: EDITION },
    // the editions made from it that the viewer may see
    editions: { where: visibleStoryWhere(viewer), select: EDITION, orderBy: [{ language: 'asc' }, { id: 'asc' }] },
    tags: { select: { tag: { select: { slug: true, name: true, scheme: true, code: true } } } },
    people: { select: { relation: true, person: { select: ENTITY } } },
    organisations: { select: { relation: true, organisation: { select: ENTITY } } },
    places: { select: { relation: true, place: { select: PLACE } } },
    events: { select: { relation: true, event: { select: EVENT } } },
    // as Story.corrections shows them: the public reads them only with a story it may read in full
    corrections: {
      where: mayEdit(viewer) ? {} : { story: publicStoryWhere() },
      select: { id: true, kind: true, text: true, createdAt: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    },
  } satisfies Prisma.StorySelect
}

export type StoryDocumentRow = Prisma.StoryGetPayload<{ select: ReturnType<typeof storyDocumentSelect> }>

export const EVENT_DOCUMENT_SELECT = {
  id: true,
  slug: true,
  uri: true,
  name: true,
  description: true,
  status: true,
  startAt: true,
  endAt: true,
  expectedStartFrom: true,
  expectedStartTo: true,
  expectedStartPrecision: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  location: { select: PLACE },
  participants: {
    select: { role: true, organisation: { select: ENTITY }, person: { select: ENTITY } },
    orderBy: [{ role: 'asc' }, { id: 'asc' }],
  },
} satisfies Prisma.EventSelect

export type EventDocumentRow = Prisma.EventGetPayload<{ select: typeof EVENT_DOCUMENT_SELECT }>

export type EntityRow = Prisma.PersonGetPayload<{ select: typeof ENTITY }>
export type PlaceRow = Prisma.PlaceGetPayload<{ select: typeof PLACE }>

/** The identifier a document gives a row that has no external one: its UUID, as a URN. */
export const urnOf = (id: string) => `urn:uuid:${id}`

/**
 * The uri documents give a story or event: the one it was imported under, or its URN when it has
 * none, or when that one is no absolute URI (ninjs requires one; such an item was imported anyway).
 */
export function documentUri(row: { id: string; uri: string | null }): string {
  return row.uri && ABSOLUTE_URI.test(row.uri) ? row.uri : urnOf(row.id)
}

const URN = /^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

/** The row id inside one of our URNs, or null. */
export function idOfUrn(uri: string): string | null {
  return URN.exec(uri)?.[1]?.toLowerCase() ?? null
}

/** The identifiers of a person, organisation or place: Wikidata first, then its sameAs links. */
export function entityUris(e: { wikidataId: string | null; sameAs?: string[] }): string[] {
  return [...(e.wikidataId ? [`http://www.wikidata.org/entity/${e.wikidataId}`] : []), ...(e.sameAs ?? [])]
}
