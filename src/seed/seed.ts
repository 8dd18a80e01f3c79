// Loads the sample graph (src/seed/sample.ts). Idempotent: when the main story exists the seed
// has run, and nothing is written. Everything happens in one transaction, so a failure leaves
// nothing half-written.
import type { PrismaClient } from '../generated/prisma/client.js'
import { readingStats } from '../resolvers/reading.js'
import {
  EVENT,
  MAIN_STORY,
  MORE_NEWS,
  ORGANISATIONS,
  PEOPLE,
  PLACES,
  SWEDISH_ORIGINAL,
  TAGS,
  type SampleLinks,
  type SampleText,
} from './sample.js'

type Ids = Map<string, string>

export async function seedSampleGraph(prisma: PrismaClient): Promise<{ created: boolean }> {
  return prisma.$transaction(
    async (tx) => {
      const existing = await tx.story.findUnique({ where: { slug: MAIN_STORY.slug }, select: { id: true } })
      if (existing) return { created: false }

      // Entities are matched by slug and kept as they are when present (`update: {}`), so the
      // seed also fits a database where someone removed the stories but not the entities.
      const orgs: Ids = new Map()
      for (const { parentSlug, ...o } of ORGANISATIONS) {
        const parentId = parentSlug ? need(orgs, parentSlug) : undefined
        const row = await tx.organisation.upsert({
          where: { slug: o.slug },
          update: {},
          create: { ...o, parentId },
          select: { id: true },
        })
        orgs.set(o.slug, row.id)
      }
      const places: Ids = new Map()
      for (const { parentSlug, ...p } of PLACES) {
        const parentId = parentSlug ? need(places, parentSlug) : undefined
        const row = await tx.place.upsert({
          where: { slug: p.slug },
          update: {},
          create: { ...p, parentId },
          select: { id: true },
        })
        places.set(p.slug, row.id)
      }
      const tags: Ids = new Map()
      for (const t of TAGS) {
        const row = await tx.tag.upsert({ where: { slug: t.slug }, update: {}, create: t, select: { id: true } })
        tags.set(t.slug, row.id)
      }
      const people: Ids = new Map()
      for (const { affiliations, ...p } of PEOPLE) {
        const row = await tx.person.upsert({
          where: { slug: p.slug },
          update: {},
          create: {
            ...p,
            sameAs: p.wikidataId ? [`https://www.wikidata.org/wiki/${p.wikidataId}`] : [],
            affiliations: {
              create: affiliations.map((a) => ({
                organisationId: need(orgs, a.organisationSlug),
                role: a.role,
                startDate: a.startDate,
              })),
            },
          },
          select: { id: true },
        })
        people.set(p.slug, row.id)
      }
      const refs = { orgs, places, tags, people }

      // The "More news" teasers: no body here, so their read time is the one the page states.
      const teaserIds: string[] = []
      for (const t of MORE_NEWS) {
        const stats = readingStats({ lede: t.lede, sections: [] }, t.statedReadTimeMinutes)
        const row = await tx.story.upsert({
          where: { slug: t.slug },
          update: {},
          create: {
            slug: t.slug,
            headline: t.headline,
            lede: t.lede,
            status: 'PUBLISHED',
            firstPublishedAt: t.firstPublishedAt,
            byline: 'TT',
            ...stats,
            sourceOrganisationId: need(orgs, 'tt'),
            contributors: { create: [{ role: 'AUTHOR', position: 0, name: 'TT', organisationId: need(orgs, 'tt') }] },
            tags: { create: t.tagSlugs.map((slug) => ({ tagId: need(tags, slug) })) },
            ...entityLinks(t, refs),
          },
          select: { id: true },
        })
        teaserIds.push(row.id)
      }

      // A present event keeps its participants and history; only a new one gets them.
      const foundEvent = await tx.event.findUnique({ where: { slug: EVENT.slug }, select: { id: true } })
      const event =
        foundEvent ??
        (await tx.event.create({
          data: {
            slug: EVENT.slug,
            name: EVENT.name,
            description: EVENT.description,
            status: EVENT.status,
            startAt: EVENT.startAt,
            expectedStartFrom: EVENT.expectedStartFrom,
            expectedStartTo: EVENT.expectedStartTo,
            expectedStartPrecision: EVENT.expectedStartPrecision,
            locationId: need(places, EVENT.locationSlug),
            participants: {
              create: EVENT.participants.map((p) => ({ role: p.role, organisationId: need(orgs, p.organisationSlug) })),
            },
          },
          select: { id: true },
        }))

      // TT's original, in Swedish: the main story is an edition of it
      const o = SWEDISH_ORIGINAL
      const original = await tx.story.upsert({
        where: { slug: o.slug },
        update: {},
        create: { ...storyText(o, orgs), language: o.language },
        select: { id: true, slug: true },
      })

      const s = MAIN_STORY
      if (s.edition.originalSlug !== original.slug) throw new Error('the main story names an original not seeded')
      const photo = await tx.mediaAsset.create({
        data: {
          type: 'PICTURE',
          caption: s.photo.caption,
          altText: s.photo.altText,
          creditLine: s.photo.creditLine,
          copyrightHolder: s.photo.copyrightHolder,
          renditions: { create: s.photo.renditions },
        },
        select: { id: true },
      })
      const main = await tx.story.create({
        data: {
          ...storyText(s, orgs),
          language: 'en',
          type: 'ARTICLE',
          editionNote: s.editionNote,
          photoId: photo.id,
          editionKind: s.edition.kind,
          editionAt: s.firstPublishedAt,
          sourceStoryId: original.id,
          adaptedById: need(orgs, s.adaptedBySlug),
          tags: { create: s.tagSlugs.map((slug) => ({ tagId: need(tags, slug) })) },
          ...entityLinks(s, refs),
          events: { create: s.events.map((e) => ({ eventId: event.id, relation: e.relation })) },
          related: {
            create: MORE_NEWS.map((t, position) => ({ relatedId: teaserIds[position]!, reason: t.reason, position })),
          },
        },
        select: { id: true },
      })

      if (!foundEvent) {
        await tx.eventStatusChange.createMany({
          data: EVENT.statusChanges.map((c) => ({ eventId: event.id, reportedById: main.id, ...c })),
        })
        await tx.eventScheduleChange.createMany({
          data: EVENT.scheduleChanges.map((c) => ({ eventId: event.id, reportedById: main.id, ...c })),
        })
      }
      return { created: true }
    },
    { timeout: 60_000 },
  )
}

/** A published story's text, reading time, source and credits (contributors in byline order). */
function storyText(s: SampleText, orgs: Ids) {
  return {
    slug: s.slug,
    headline: s.headline,
    lede: s.lede,
    status: 'PUBLISHED' as const,
    urgency: s.urgency,
    firstPublishedAt: s.firstPublishedAt,
    byline: s.byline,
    ...readingStats({ lede: s.lede, sections: s.sections }),
    sourceOrganisationId: need(orgs, s.sourceOrganisationSlug),
    headlines: { create: [{ role: 'SHORT' as const, value: s.shortHeadline }] },
    sections: { create: s.sections.map((sec, position) => ({ position, ...sec })) },
    contributors: {
      create: s.contributors.map((c, position) => ({
        role: c.role,
        position,
        name: c.name,
        organisationId: need(orgs, c.organisationSlug),
      })),
    },
  }
}

/** Nested creates for a story's person, organisation and place links. */
function entityLinks(links: SampleLinks, refs: { people: Ids; orgs: Ids; places: Ids }) {
  return {
    people: {
      create: (links.people ?? []).map((l) => ({ personId: need(refs.people, l.slug), relation: l.relation })),
    },
    organisations: {
      create: (links.organisations ?? []).map((l) => ({
        organisationId: need(refs.orgs, l.slug),
        relation: l.relation,
      })),
    },
    places: { create: (links.places ?? []).map((l) => ({ placeId: need(refs.places, l.slug), relation: l.relation })) },
  }
}

/** The id written for a slug; a typo in the sample data fails loudly (and rolls back). */
function need(ids: Ids, slug: string): string {
  const id = ids.get(slug)
  if (!id) throw new Error(`sample data refers to unknown slug "${slug}"`)
  return id
}
