// Editions, read. A story can be a translation, an adaptation or a regional edition of another
// (Story.sourceStoryId), which may itself be an edition: the stories so linked are one family, the
// original at its root. What makes a story an edition is story-content.ts's withEdition; linking
// and unlinking are edition-writes.ts. Here: a story's family as the viewer may see it (one
// statement for every story of a list), the family's story in a language, the note an edition
// shows, and the questions the writes ask (is this story an edition of that one, which are its
// editions).
import type { Viewer } from '../auth/token.js'
import type { Context } from '../context.js'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import type { EditionKind } from '../generated/prisma/enums.js'
import { batched } from './batch.js'
import type { Tx } from './mutation.js'
import { keysetPage, ListOrder, type KeysetWindow, type Position } from './paging.js'
import { visibleStorySql } from './visibility-sql.js'

/** How far links are followed (editions of editions … this deep). The writes refuse cycles; the
 *  bound keeps a read finite over one written straight into the database. */
const MAX_DEPTH = 32

/** A story of a family, as the viewer may see it. */
export interface FamilyMember {
  id: string
  slug: string
  language: string
  /** 0 for the original, 1 for its editions, 2 for theirs … */
  depth: number
}

// ---------------------------------------------------------------------------------------------
// The family

/** `up`: each start's sources, (parent = the start, id, source, hops), the start itself at 0. */
const ancestry = (starts: string[]) => Prisma.sql`up AS (
  SELECT s.id AS parent, s.id, s."sourceStoryId" AS source, 0 AS hops FROM "Story" s WHERE s.id = ANY(${starts}::uuid[])
  UNION ALL
  SELECT up.parent, p.id, p."sourceStoryId", up.hops + 1 FROM up JOIN "Story" p ON p.id = up.source
   WHERE up.hops < ${MAX_DEPTH})`

/** `down`: below each row (parent, id) of `root`, (parent, id, depth), the root at 0. */
const descent = Prisma.sql`down AS (
  SELECT root.parent, root.id, 0 AS depth FROM root
  UNION ALL
  SELECT down.parent, c.id, down.depth + 1 FROM down JOIN "Story" c ON c."sourceStoryId" = down.id
   WHERE down.depth < ${MAX_DEPTH})`

/** The family of each of `ids` that `viewer` may see (published stories, for the public), in order. */
async function readFamilies(prisma: PrismaClient, viewer: Viewer | null, ids: string[]) {
  const rows = await prisma.$queryRaw<(FamilyMember & { parent: string })[]>`
    WITH RECURSIVE ${ancestry(ids)},
    root AS (SELECT DISTINCT ON (parent) parent, id FROM up ORDER BY parent, hops DESC),
    ${descent}
    SELECT DISTINCT ON (d.parent, d.id) d.parent::text AS parent, s.id::text AS id, s.slug, s.language, d.depth
      FROM down d JOIN "Story" s ON s.id = d.id
     WHERE ${visibleStorySql(viewer, 's')}
     ORDER BY d.parent, d.id, d.depth`
  const families = new Map<string, FamilyMember[]>(ids.map((id) => [id, []]))
  for (const { parent, ...member } of rows) families.get(parent)!.push(member)
  for (const family of families.values()) family.sort((a, b) => compare(position(a), position(b)))
  return families
}

/** A story's family as `viewer` may see it: the original first, then by depth, language and id. */
export async function readFamily(prisma: PrismaClient, viewer: Viewer | null, id: string) {
  return (await readFamilies(prisma, viewer, [id])).get(id)!
}

/** The same, read with every other story of the request that asks in the same tick. */
export async function familyOf(ctx: Context, id: string): Promise<FamilyMember[]> {
  return (await batched(ctx, 'editions:family', id, (ids) => readFamilies(ctx.prisma, ctx.viewer, ids))) ?? []
}

/** The original of the story's family, when it is not the story itself and the family shows it. */
export const originalIn = (family: FamilyMember[], id: string) =>
  family.find((m) => m.depth === 0 && m.id !== id) ?? null

// ---------------------------------------------------------------------------------------------
// Story.editions, paged by position (src/resolvers/paging.ts)

export const EDITIONS_ORDER = new ListOrder('editions', [
  { kind: 'int', dir: 'asc' },
  { kind: 'text', dir: 'asc' },
  { kind: 'uuid', dir: 'asc' },
])

const position = (m: FamilyMember): Position => [m.depth, m.language, m.id]

// The family is read whole and ordered here (a few stories), so positions are compared here too:
// in JavaScript's order of strings, which the SQL's collation need not share.
function compare(a: Position, b: Position): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x < y) return -1
    if (x > y) return 1
  }
  return 0
}

/** The page of `family` that window `w` asks for, each member with its cursor. */
export function editionsPage(family: FamilyMember[], w: KeysetWindow<Position>) {
  const ahead = w.forward ? 1 : -1
  const past = w.cursor ? family.filter((m) => Math.sign(compare(position(m), w.cursor!)) === ahead) : family
  const reading = w.forward ? past : [...past].reverse()
  const page = keysetPage(reading.slice(0, w.size + 1), w)
  return { ...page, edges: page.items.map((m) => ({ cursor: EDITIONS_ORDER.cursor(position(m)), member: m })) }
}

// ---------------------------------------------------------------------------------------------
// The edition in a language

/**
 * The family's story in `language` (a BCP 47 tag), by RFC 4647 lookup: sv-FI, then sv; then one
 * in a variant of the primary language (sv-SE for sv); then the original; then `found`, the story
 * asked for. Among several in one language, `found` if it is one, else the nearest the original.
 */
export function editionIn(family: FamilyMember[], language: string, found: string): string {
  const ranges: string[] = []
  for (const subtags = language.toLowerCase().split('-'); subtags.length > 0;) {
    ranges.push(subtags.join('-'))
    subtags.pop()
    // a range never ends in a singleton (the "x" of "de-x-…")
    while (subtags.at(-1)?.length === 1) subtags.pop()
  }
  const tag = (m: FamilyMember) => m.language.toLowerCase()
  const choose = (matches: FamilyMember[]) => (matches.find((m) => m.id === found) ?? matches[0])?.id
  for (const range of ranges) {
    const exact = choose(family.filter((m) => tag(m) === range))
    if (exact) return exact
  }
  const primary = ranges.at(-1)
  return (
    choose(family.filter((m) => tag(m).split('-')[0] === primary)) ?? family.find((m) => m.depth === 0)?.id ?? found
  )
}

// ---------------------------------------------------------------------------------------------
// The note

const NOTE: Record<EditionKind, [made: string, from: string]> = {
  TRANSLATION: ['Translated', 'from'],
  ADAPTATION: ['Adapted', 'from'],
  REGIONAL: ['Regional edition', 'of'],
}

export interface NoteFacts {
  editionNote: string | null
  editionKind: EditionKind | null
  adaptedBy: { name: string } | null
  sourceOrganisation: { name: string } | null
}

/**
 * The edition note as shown: the one written, else one said from the edition's own facts ("Adapted
 * by Sweden Herald from a story by TT"). Never from the story it was made from, which the reader
 * may not be allowed to know of.
 */
export function editionNote(s: NoteFacts): string | null {
  if (s.editionNote) return s.editionNote
  if (!s.editionKind) return null
  const [made, from] = NOTE[s.editionKind]
  const by = s.adaptedBy && `by ${s.adaptedBy.name}`
  const source = s.sourceOrganisation && `${from} a story by ${s.sourceOrganisation.name}`
  return [made, by, source].filter(Boolean).join(' ')
}

// ---------------------------------------------------------------------------------------------
// What the writes ask

/** Whether `story` is `of`, or an edition of it at any depth. */
export async function isEditionOf(tx: Tx, story: string, of: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ found: boolean }[]>`
    WITH RECURSIVE ${ancestry([story])}
    SELECT EXISTS (SELECT 1 FROM up WHERE up.id = ${of}::uuid) AS found`
  return row?.found ?? false
}

/** The row ids of the story's editions at every depth, whatever their status, in id order. */
export async function editionIds(tx: Tx, id: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE root AS (SELECT ${id}::uuid AS parent, ${id}::uuid AS id),
    ${descent}
    SELECT e.id::text AS id FROM (SELECT DISTINCT down.id FROM down WHERE down.depth > 0) e ORDER BY e.id`
  return rows.map((r) => r.id)
}
