// Editions, written: linkEdition makes a story an edition of another (or of an agency item outside
// this graph), unlinkEdition makes it none. Both are revisions of the story like any update (the
// version claimed, a revision, the change-log entry), so the edition link is part of what a
// revision holds; their checks are every write's (src/resolvers/story-rows.ts: no edition of
// itself, nor of one of its own editions).
import type { EditionKind } from '../generated/prisma/enums.js'
import { ValidationError } from './errors.js'
import type { Tx, Written } from './mutation.js'
import type { FieldOf } from './story-content.js'
import { reviseStory, type Author } from './story-writes.js'

export interface EditionLink {
  kind: EditionKind
  /** the story it was made from, or */
  originalId: string | null
  /** the agency item it was made from, when that is no story here */
  sourceUri: string | null
  madeById: string | null
  /** undefined: keep the story's source organisation */
  sourceOrganisationId: string | null | undefined
  /** null: now */
  at: Date | null
}

/** The linkEdition argument a field of the content comes from, for the errors that name one. */
const LINK_FIELDS: Record<string, string> = {
  editionKind: 'input.kind',
  editionAt: 'input.at',
  sourceStoryId: 'input.originalId',
  sourceUri: 'input.sourceUri',
  adaptedById: 'input.madeById',
  sourceOrganisationId: 'input.sourceOrganisationId',
}
const linkField: FieldOf = (path) => LINK_FIELDS[path] ?? 'storyId'

export function linkEdition(
  tx: Tx,
  by: Author,
  id: string,
  version: number,
  link: EditionLink,
): Promise<Written<{ id: string }>> {
  const patch = {
    editionKind: link.kind,
    editionAt: (link.at ?? new Date()).toISOString(),
    sourceStoryId: link.originalId,
    sourceUri: link.sourceUri,
    adaptedById: link.madeById,
    sourceOrganisationId: link.sourceOrganisationId,
  }
  return reviseStory(tx, by, id, version, patch, {
    action: 'edition-linked',
    kind: 'story.edition_linked',
    field: linkField,
    facts: { edition: { kind: link.kind, of: link.originalId } },
  })
}

/** The story stays as it is, no longer an edition (its source organisation stays credited). */
export function unlinkEdition(tx: Tx, by: Author, id: string, version: number): Promise<Written<{ id: string }>> {
  const patch = { editionKind: null, editionAt: null, sourceStoryId: null, sourceUri: null, adaptedById: null }
  return reviseStory(tx, by, id, version, patch, {
    action: 'edition-unlinked',
    kind: 'story.edition_unlinked',
    field: () => 'storyId',
    expect: (story) => {
      if (!story.editionKind) throw new ValidationError([{ field: 'storyId', message: 'the story is no edition' }])
    },
  })
}
