// Writes of the named entities (people, organisations, places), and the upsert by slug they share
// with tags: a new slug creates the row; a known one updates it, but only with the version the
// client read, so nobody overwrites a change they have not seen.
import type { Prisma } from '../generated/prisma/client.js'
import type { OrganisationType, PlaceType } from '../generated/prisma/enums.js'
import { ENTITY_TYPES, topic, type EntityModel } from '../live/changes.js'
import { NotFoundError, ValidationError } from './errors.js'
import { expectVersion, type Tx, type Written } from './mutation.js'

// ---------------------------------------------------------------------------------------------
// The upsert by slug, written once for every slugged, versioned model.

type SlugModel = EntityModel

// What the upsert needs of a model's delegate. Each Prisma delegate has it, but with generic
// signatures TypeScript cannot unify across models: hence the one cast in upsertBySlug.
interface SlugDelegate {
  findUnique(args: {
    where: { slug: string } | { id: string }
    select: { id: true; version: true }
  }): Promise<{ id: string; version: number } | null>
  findFirst(args: { where: object; select: { slug: true } }): Promise<{ slug: string } | null>
  create(args: { data: object; select: { id: true } }): Promise<{ id: string }>
  updateMany(args: { where: { id: string; version: number }; data: object }): Promise<{ count: number }>
}

export interface SlugUpsert<Data extends object> {
  model: SlugModel
  slug: string
  /** the version the client read: required to update, refused to create */
  version: number | null
  /** every column but slug and version; what the input leaves out is cleared */
  data: Data
  /** columns unique besides the slug: a clash is the client's to fix, named as the field input.<column> */
  unique?: (keyof Data & string)[]
  /** checks that need the stored row (its id, null when creating), e.g. that a parent makes no cycle */
  check?: (id: string | null) => Promise<void>
  /** writes beside the row, once it exists, e.g. a person's affiliations */
  after?: (id: string) => Promise<void>
}

export async function upsertBySlug<Data extends object>(
  tx: Tx,
  spec: SlugUpsert<Data>,
): Promise<Written<{ id: string }>> {
  const { model, slug, version } = spec
  const rows = tx[model] as unknown as SlugDelegate
  const existing = await rows.findUnique({ where: { slug }, select: { id: true, version: true } })
  if (!existing && version != null) throw new NotFoundError(`No ${model} with that slug to update.`, 'input.slug')
  if (existing && version == null)
    throw new ValidationError([{ field: 'version', message: `required to update an existing ${model}` }])

  for (const column of spec.unique ?? []) {
    const value = spec.data[column]
    if (value == null) continue
    const holder = await rows.findFirst({ where: { [column]: value, NOT: { slug } }, select: { slug: true } })
    if (holder) {
      const message = `already used by the ${model} "${holder.slug}"`
      throw new ValidationError([{ field: `input.${column}`, message }])
    }
  }
  await spec.check?.(existing?.id ?? null)

  let id: string
  if (!existing) {
    id = (await rows.create({ data: { slug, ...spec.data }, select: { id: true } })).id
  } else {
    const updated = await rows.updateMany({
      where: { id: existing.id, version: version! },
      data: { ...spec.data, version: { increment: 1 } },
    })
    await expectVersion(
      updated,
      () => rows.findUnique({ where: { id: existing.id }, select: { id: true, version: true } }),
      model,
      version!,
    )
    id = existing.id
  }
  await spec.after?.(id)
  return {
    result: { id },
    change: {
      kind: `${model}.${existing ? 'updated' : 'created'}`,
      objectType: ENTITY_TYPES[model],
      objectId: id,
      topics: [topic(model, id)],
      facts: { version: existing ? version! + 1 : 1 },
    },
  }
}

// ---------------------------------------------------------------------------------------------
// References between rows, shared with the event writes.

type ReferencedModel = 'organisation' | 'person' | 'place' | 'event' | 'story'

interface IdDelegate {
  findMany(args: { where: { id: { in: string[] } }; select: { id: true } }): Promise<{ id: string }[]>
}

/** Every referenced row must exist; NotFound names the first input field whose id is unknown. */
export async function expectExisting(
  tx: Tx,
  model: ReferencedModel,
  refs: { id: string; field: string }[],
): Promise<void> {
  if (refs.length === 0) return
  const rows = tx[model] as unknown as IdDelegate
  const found = new Set(
    (await rows.findMany({ where: { id: { in: [...new Set(refs.map((r) => r.id))] } }, select: { id: true } })).map(
      (r) => r.id,
    ),
  )
  const missing = refs.find((r) => !found.has(r.id))
  if (missing) throw new NotFoundError(`No ${model} with the id given in ${missing.field}.`, missing.field)
}

type TreeModel = 'organisation' | 'place' | 'event'

interface ParentDelegate {
  findUnique(args: { where: { id: string }; select: { parentId: true } }): Promise<{ parentId: string | null } | null>
}

/**
 * The parent must exist and must not be the row itself or lie below it: walking up from the new
 * parent must never reach the row. `id` is null when creating, where only existence matters.
 */
export async function expectParent(
  tx: Tx,
  model: TreeModel,
  id: string | null,
  parentId: string,
  field = 'input.parentId',
): Promise<void> {
  if (parentId === id) throw new ValidationError([{ field, message: `the ${model} cannot be its own parent` }])
  const rows = tx[model] as unknown as ParentDelegate
  const seen = new Set<string>()
  for (let at: string | null = parentId; at && !seen.has(at);) {
    seen.add(at)
    const row = await rows.findUnique({ where: { id: at }, select: { parentId: true } })
    // only the first can be missing: every parentId after it is a foreign key
    if (!row) throw new NotFoundError(`No ${model} with the id given in ${field}.`, field)
    // a new row has nothing below it
    if (!id) return
    if (row.parentId === id)
      throw new ValidationError([{ field, message: `would make a cycle: that ${model} lies below this one` }])
    at = row.parentId
  }
}

/** A span whose end comes before its start is a typing error. */
export function expectOrdered(
  start: Date | null | undefined,
  end: Date | null | undefined,
  field: string,
  message = 'must not be before the start',
): void {
  if (start && end && end < start) throw new ValidationError([{ field, message }])
}

// ---------------------------------------------------------------------------------------------
// People, organisations, places. Each input is the whole entity: what it leaves out is cleared
// (null, or an empty list), and each Wikidata item names one row of a model.

interface NamedInput {
  slug: string
  name: string
  alternateNames?: string[] | null
  wikidataId?: string | null
}

/** The columns the three have in common. */
const namedColumns = (input: NamedInput) => ({
  name: input.name,
  alternateNames: input.alternateNames ?? [],
  wikidataId: input.wikidataId ?? null,
})

/** By slug, with one row per Wikidata item. */
function upsertNamed<Data extends { wikidataId: string | null }>(
  tx: Tx,
  model: 'person' | 'organisation' | 'place',
  input: NamedInput,
  version: number | null,
  data: Data,
  hooks: Pick<SlugUpsert<Data>, 'check' | 'after'>,
): Promise<Written<{ id: string }>> {
  return upsertBySlug(tx, { model, slug: input.slug, version, data, unique: ['wikidataId'], ...hooks })
}

/** Organisations and places form trees: the parent given must exist and make no cycle. */
function upsertInTree<Data extends { wikidataId: string | null; parentId: string | null }>(
  tx: Tx,
  model: 'organisation' | 'place',
  input: NamedInput,
  version: number | null,
  data: Data,
): Promise<Written<{ id: string }>> {
  return upsertNamed(tx, model, input, version, data, {
    check: async (id) => {
      if (data.parentId) await expectParent(tx, model, id, data.parentId)
    },
  })
}

export interface AffiliationInput {
  /** an organisation's row id (the GraphQL input decodes the global ID) */
  organisationId: string
  role: string
  startDate?: Date | null
  endDate?: Date | null
}

export interface PersonInput extends NamedInput {
  description?: string | null
  sameAs?: string[] | null
  /** replaces the person's affiliations */
  affiliations?: AffiliationInput[] | null
}

export async function upsertPerson(
  tx: Tx,
  input: PersonInput,
  version: number | null,
): Promise<Written<{ id: string }>> {
  const affiliations = input.affiliations ?? []
  affiliations.forEach((a, i) => expectOrdered(a.startDate, a.endDate, `input.affiliations.${i}.endDate`))
  const data = {
    ...namedColumns(input),
    description: input.description ?? null,
    sameAs: input.sameAs ?? [],
  } satisfies Prisma.PersonUncheckedUpdateManyInput
  return upsertNamed(tx, 'person', input, version, data, {
    check: () =>
      expectExisting(
        tx,
        'organisation',
        affiliations.map((a, i) => ({ id: a.organisationId, field: `input.affiliations.${i}.organisationId` })),
      ),
    // The list is replaced whole: the editor sends the affiliations as they now stand.
    after: async (personId) => {
      await tx.affiliation.deleteMany({ where: { personId } })
      await tx.affiliation.createMany({
        data: affiliations.map((a) => ({
          personId,
          organisationId: a.organisationId,
          role: a.role,
          startDate: a.startDate ?? null,
          endDate: a.endDate ?? null,
        })),
      })
    },
  })
}

export interface OrganisationInput extends NamedInput {
  type?: OrganisationType | null
  description?: string | null
  countryCode?: string | null
  sameAs?: string[] | null
  /** the parent organisation's row id */
  parentId?: string | null
}

export async function upsertOrganisation(
  tx: Tx,
  input: OrganisationInput,
  version: number | null,
): Promise<Written<{ id: string }>> {
  const data = {
    ...namedColumns(input),
    type: input.type ?? 'OTHER',
    description: input.description ?? null,
    countryCode: input.countryCode ?? null,
    sameAs: input.sameAs ?? [],
    parentId: input.parentId ?? null,
  } satisfies Prisma.OrganisationUncheckedUpdateManyInput
  return upsertInTree(tx, 'organisation', input, version, data)
}

export interface PlaceInput extends NamedInput {
  type?: PlaceType | null
  countryCode?: string | null
  latitude?: number | null
  longitude?: number | null
  /** the row id of the place this one lies in */
  parentId?: string | null
}

export async function upsertPlace(tx: Tx, input: PlaceInput, version: number | null): Promise<Written<{ id: string }>> {
  const data = {
    ...namedColumns(input),
    type: input.type ?? 'OTHER',
    countryCode: input.countryCode ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    parentId: input.parentId ?? null,
  } satisfies Prisma.PlaceUncheckedUpdateManyInput
  // half a coordinate places nothing on a map
  if ((data.latitude === null) !== (data.longitude === null)) {
    const field = data.latitude === null ? 'input.latitude' : 'input.longitude'
    throw new ValidationError([{ field, message: 'give latitude and longitude together, or neither' }])
  }
  return upsertInTree(tx, 'place', input, version, data)
}
