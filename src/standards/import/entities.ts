// The people, organisations, places, subjects (tags) and events a document names: found by uri
// (Wikidata ids, sameAs links, Media Topic codes, our own urn:uuid), by literal (our slugs) or by
// name, and created through the editors' entity writes when none is found (events never are).
import { upsertOrganisation, upsertPerson, upsertPlace } from '../../resolvers/entity-writes.js'
import type { EntityLink } from '../../resolvers/story-writes.js'
import { upsertTag } from '../../resolvers/tag-writes.js'
import { LIMITS, SLUG } from '../../resolvers/validation.js'
import { idOfUrn } from '../select.js'
import { entries, type NinjsEntity } from './document.js'
import { bounded, freeSlug, lower, slugify, type ImportRun } from './run.js'
import type { BodyText } from './story-text.js'
import { countryOf, mediaTopicOf, relation, wikidataOf } from './vocabulary.js'

type Found = (run: ImportRun, entry: NinjsEntity, pointer: string) => Promise<string | null>

/** A story's people, organisations or places: each entity once, as many as a story may link. */
export async function links(
  run: ImportRun,
  key: 'people' | 'organisations' | 'places',
  find: Found,
): Promise<EntityLink[]> {
  const found: EntityLink[] = []
  for (const [i, entry] of entries(run.doc[key]).entries()) {
    if (!entry) continue
    const pointer = `/${key}/${i}`
    const id = await find(run, entry, pointer)
    if (!id) continue
    if (found.some((l) => l.id === id)) {
      run.report.add(pointer, 'the same entity as an earlier entry; linked once')
      continue
    }
    if (found.length >= LIMITS.links) {
      run.report.add(pointer, `not linked: a story links at most ${LIMITS.links}`)
      continue
    }
    found.push({ id, relation: relation(run, entry, pointer) })
  }
  return found
}

/** `found` and the places the body's datelines name (by name, created when unknown), each once. */
export async function datelinePlaces(run: ImportRun, body: BodyText, found: EntityLink[]): Promise<EntityLink[]> {
  const all = [...found]
  for (const name of body.datelines) {
    const id = await place(run, { name }, body.pointer)
    if (!id || all.some((l) => l.id === id)) continue
    if (all.length >= LIMITS.links)
      body.notes.push(`not linked: the dateline's place (a story links at most ${LIMITS.links})`)
    else all.push({ id, relation: 'MENTIONS' })
  }
  return all
}

/** events a story reports: known events only (an event is imported as an event item). */
export async function eventLinks(run: ImportRun): Promise<EntityLink[]> {
  const { tx, report } = run
  const found: EntityLink[] = []
  for (const [i, e] of entries(run.doc.events).entries()) {
    if (!e) continue
    const pointer = `/events/${i}`
    const select = { id: true } as const
    const urn = typeof e.uri === 'string' ? idOfUrn(e.uri) : null
    const event =
      (typeof e.uri === 'string' && (await tx.event.findUnique({ where: { uri: e.uri }, select }))) ||
      (urn && (await tx.event.findUnique({ where: { id: urn }, select }))) ||
      (await bySlug(e, (slug) => tx.event.findUnique({ where: { slug }, select })))
    if (!event) {
      report.add(pointer, 'not linked: no event known by this uri, literal or name (import the event item first)')
      continue
    }
    if (e.id !== undefined) report.add(`${pointer}/id`, 'not stored')
    if (found.some((l) => l.id === event.id)) report.add(pointer, 'the same event as an earlier entry; linked once')
    else found.push({ id: event.id, relation: e.rel === undefined ? 'ABOUT' : relation(run, e, pointer) })
  }
  return found
}

/** What `find` gives for the entry's literal when that is a slug (ours are), else for its name made a slug. */
async function bySlug<T>(entry: NinjsEntity, find: (slug: string) => Promise<T | null>): Promise<T | null> {
  const byLiteral = typeof entry.literal === 'string' && SLUG.test(entry.literal) ? await find(entry.literal) : null
  if (byLiteral) return byLiteral
  return typeof entry.name === 'string' && entry.name.trim() ? find(slugify(entry.name)) : null
}

// ---------------------------------------------------------------------------------------------
// People, organisations, places

export const person = (run: ImportRun, entry: NinjsEntity, pointer: string, create = true) =>
  personOrOrganisation(run, 'person', entry, pointer, create)

export const organisation = (run: ImportRun, entry: NinjsEntity, pointer: string, create = true) =>
  personOrOrganisation(run, 'organisation', entry, pointer, create)

/** The one the entry names; unless `create` is false, a new one when none is known. */
async function personOrOrganisation(
  run: ImportRun,
  model: 'person' | 'organisation',
  entry: NinjsEntity,
  pointer: string,
  create: boolean,
): Promise<string | null> {
  const found = await findEntity(run, model, entry, pointer)
  if (found || !create) return found
  const name = nameOf(run, entry, pointer)
  if (!name) return null
  const ids = externalIds(run, entry, pointer, model)
  const slug = await freeSlug(run, model, slugify(name))
  reportContact(run, entry, pointer)
  if (model === 'organisation' && entry.symbols !== undefined) run.report.add(`${pointer}/symbols`, 'not stored')
  const upsert = model === 'person' ? upsertPerson : upsertOrganisation
  return (await upsert(run.tx, { slug, name, wikidataId: ids.wikidataId, sameAs: ids.sameAs }, null)).result.id
}

export async function place(run: ImportRun, entry: NinjsEntity, pointer: string): Promise<string | null> {
  const found = await findEntity(run, 'place', entry, pointer)
  if (found) return found
  const name = nameOf(run, entry, pointer)
  if (!name) return null
  const country = countryOf(entry.uri)
  const wikidataId = wikidataOf(entry.uri)
  if (entry.uri && !country && !wikidataId) {
    run.report.add(`${pointer}/uri`, 'not stored: a place keeps a Wikidata id or an ISO country code only')
  }
  const point =
    entry.geoJSON?.type === 'Point' && Array.isArray(entry.geoJSON.coordinates) ? entry.geoJSON.coordinates : null
  const [longitude, latitude] = point && Math.abs(point[1]) <= 90 && Math.abs(point[0]) <= 180 ? point : [null, null]
  if (entry.geoJSON && latitude === null) run.report.add(`${pointer}/geoJSON`, 'not stored: only a point is kept')
  reportContact(run, entry, pointer)
  const slug = await freeSlug(run, 'place', slugify(name))
  const input = {
    slug,
    name,
    type: country ? ('COUNTRY' as const) : null,
    countryCode: country,
    wikidataId,
    latitude,
    longitude,
  }
  return (await upsertPlace(run.tx, input, null)).result.id
}

export function reportContact(run: ImportRun, entry: NinjsEntity, pointer: string) {
  if (entry.contactInfo !== undefined) {
    run.report.add(`${pointer}/contactInfo`, 'not stored: contact details have no field here')
  }
}

/** An entry's name, or its literal when it has none; reported and null when it has neither. */
function nameOf(run: ImportRun, entry: NinjsEntity, pointer: string): string | null {
  const name =
    bounded(`${pointer}/name`, entry.name, LIMITS.name) ?? bounded(`${pointer}/literal`, entry.literal, LIMITS.name)
  if (!name) run.report.add(pointer, 'not linked: no name and nothing known by its uri or literal')
  return name
}

/** Wikidata id and sameAs links from an entry's uri, for a new person or organisation. */
function externalIds(run: ImportRun, entry: NinjsEntity, pointer: string, model: 'person' | 'organisation') {
  const uri = typeof entry.uri === 'string' ? entry.uri : undefined
  const wikidataId = wikidataOf(uri)
  if (wikidataId) return { wikidataId, sameAs: [] }
  if (uri && /^https?:\/\//i.test(uri) && uri.length <= LIMITS.href) return { wikidataId: null, sameAs: [uri] }
  if (uri) run.report.add(`${pointer}/uri`, `not stored: a ${model} keeps http(s) links and Wikidata ids only`)
  return { wikidataId: null, sameAs: [] }
}

type Named = 'person' | 'organisation' | 'place'

/**
 * The row an entry names: by Wikidata id, sameAs link or our URN, then by literal (slug), then
 * by name. Found other than by its uri, the entry's uri is not kept: reported at `pointer`.
 */
async function findEntity(run: ImportRun, model: Named, entry: NinjsEntity, pointer: string): Promise<string | null> {
  const found = await lookUpEntity(run, model, entry)
  if (found && found.by !== 'uri' && typeof entry.uri === 'string') {
    const reason = `not stored: linked by its ${found.by} to an existing ${model}, which this uri does not name`
    run.report.add(`${pointer}/uri`, reason)
  }
  return found?.id ?? null
}

async function lookUpEntity(
  run: ImportRun,
  model: Named,
  entry: NinjsEntity,
): Promise<{ id: string; by: 'uri' | 'literal' | 'name' } | null> {
  const rows = run.tx[model] as unknown as {
    findFirst(args: { where: object; select: { id: true } }): Promise<{ id: string } | null>
  }
  const first = async (where: object) => (await rows.findFirst({ where, select: { id: true } }))?.id ?? null
  const uri = typeof entry.uri === 'string' ? entry.uri : null
  if (uri) {
    const wikidataId = wikidataOf(uri)
    const urn = idOfUrn(uri)
    const country = model === 'place' ? countryOf(uri) : null
    const found =
      (wikidataId && (await first({ wikidataId }))) ||
      (urn && (await first({ id: urn }))) ||
      (model !== 'place' && (await first({ sameAs: { has: uri } }))) ||
      (country && (await first({ countryCode: country, type: 'COUNTRY' })))
    if (found) return { id: found, by: 'uri' }
  }
  if (typeof entry.literal === 'string' && SLUG.test(entry.literal)) {
    const found = await first({ slug: entry.literal })
    if (found) return { id: found, by: 'literal' }
  }
  const name = typeof entry.name === 'string' ? entry.name.trim() : ''
  if (!name) return null
  const found = (await first({ slug: slugify(name) })) ?? (await first({ name: { equals: name, mode: 'insensitive' } }))
  return found ? { id: found, by: 'name' } : null
}

// ---------------------------------------------------------------------------------------------
// Subjects

/** subjects as tags: a Media Topic by its code, others by literal (slug) or name; new ones created. */
export async function tags(run: ImportRun): Promise<string[]> {
  const { report } = run
  const ids: string[] = []
  for (const [i, s] of entries(run.doc.subjects).entries()) {
    if (!s) continue
    const pointer = `/subjects/${i}`
    const code =
      mediaTopicOf(s.uri) ?? (typeof s.literal === 'string' && /^medtop:\d+$/.test(s.literal) ? s.literal : null)
    if (s.uri && !mediaTopicOf(s.uri)) report.add(`${pointer}/uri`, 'not stored: tags keep IPTC Media Topic codes only')
    if (s.rel !== undefined && lower(s.rel) !== 'about') {
      report.add(`${pointer}/rel`, 'not stored: a story is filed under its tags, with no relation')
    }
    for (const key of ['creator', 'relevance', 'confidence'] as const) {
      if (s[key] !== undefined) report.add(`${pointer}/${key}`, 'not stored')
    }
    const id = await tag(run, s, pointer, code)
    if (!id) continue
    if (ids.includes(id)) report.add(pointer, 'the same tag as an earlier subject; filed once')
    else if (ids.length >= LIMITS.tags) report.add(pointer, `not filed: a story has at most ${LIMITS.tags} tags`)
    else ids.push(id)
  }
  return ids
}

async function tag(run: ImportRun, s: NinjsEntity, pointer: string, code: string | null): Promise<string | null> {
  const { tx } = run
  const select = { id: true } as const
  const found =
    (code && (await tx.tag.findUnique({ where: { code }, select }))) ||
    (await bySlug(s, (slug) => tx.tag.findUnique({ where: { slug }, select })))
  if (found) return found.id
  const name = nameOf(run, s, pointer)
  if (!name) return null
  const slug = await freeSlug(run, 'tag', slugify(name))
  return (await upsertTag(tx, { slug, name, scheme: code ? 'MEDIATOPIC' : 'KEYWORD', code }, null)).result.id
}
