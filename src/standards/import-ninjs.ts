// The ninjs importer's entry point (src/schema/standards.ts, scripts/import.ts); its parts, one
// concern a file, are in src/standards/import/.
import type { Context } from '../context.js'
import { runMutation, type Tx, type Written } from '../resolvers/mutation.js'
import type { Author } from '../resolvers/story-writes.js'
import { checked, itemKind } from './import/document.js'
import { importEvent } from './import/event.js'
import { startRun, type ImportOutcome } from './import/run.js'
import { importStory } from './import/story.js'

export type { UnsupportedPart } from './import/document.js'
export { expectedWindow } from './import/event.js'
export { slugify, type ImportOutcome } from './import/run.js'

/** The import as an editor's write: one transaction with its revision, audit entry and change-log row. */
export function runImport(ctx: Context, document: unknown): Promise<ImportOutcome> {
  return runMutation(ctx, 'importNinjs', { document }, (tx) =>
    importNinjs(tx, { actor: ctx.viewer!.sub, requestId: ctx.requestId }, document),
  )
}

/**
 * An IPTC ninjs 3.x document into the newsroom, through the same writes as the editors' mutations
 * (src/resolvers/story-writes.ts, entity-writes.ts, event-writes.ts): an import leaves a revision,
 * an audit entry and a change-log row like any other write, and nothing when it fails. A document
 * is identified by its `uri`: importing the same uri again updates what the first import made (a
 * new revision, the version bumped), never a second copy.
 *
 * How an item maps:
 * - text and composite items (and items without a type) become stories; the first picture among
 *   the associations becomes the story's photo; the body's text keeps the word boundaries its
 *   markup gives, and what the agency's markup marks in it leaves the text: a figure fills the
 *   photo's caption, credit and alt text (or is the photo, when there is none), a byline credits
 *   contributors, a dateline links the place it names; the item's language is the story's;
 * - picture, graphic, video and audio items become stories too, with the item's picture
 *   renditions (for video and audio: its previews and thumbnails) as the photo and its caption as
 *   the lede: the model has no picture or video story type, and says so in the report;
 * - event items become events (Event.uri), with their dates, status, place and organiser.
 * People, organisations, places and subjects (tags) are found by uri (Wikidata ids, sameAs
 * links, Media Topic codes, our own urn:uuid), by literal (our slugs) or by name, and created when
 * none is found. Whatever of a document is not stored is listed in the result with its JSON
 * pointer and the reason, rather than dropped silently; a document that is not ninjs is refused
 * with a ValidationError naming the pointer at fault.
 */
export async function importNinjs(tx: Tx, by: Author, document: unknown): Promise<Written<ImportOutcome>> {
  const { doc, report } = checked(document)
  const kind = itemKind(doc, report)
  const run = startRun(tx, doc, report)
  return kind === 'event' ? importEvent(run) : importStory(run, by, kind)
}
