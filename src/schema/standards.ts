// The news in the standards' own formats: Story.ninjs and Event.ninjs (IPTC ninjs 3.1),
// Story.jsonLd and Event.jsonLd (schema.org), and the editors' importNinjs mutation. The documents
// are built in src/standards from one Prisma select each, which the Prisma plugin plans into the
// query of the story or event itself: a page of stories with their documents is still one query.
import { getRefFromModel, queryFromInfo } from '@pothos/plugin-prisma'
import { builder } from '../builder.js'
import { eventToJsonLd, storyToJsonLd } from '../standards/json-ld.js'
import { eventToNinjs, storyToNinjs } from '../standards/ninjs.js'
import { runImport, type ImportOutcome, type UnsupportedPart } from '../standards/import-ninjs.js'
import { EVENT_DOCUMENT_SELECT, storyDocumentSelect, type EventDocumentRow, type StoryDocumentRow } from '../standards/select.js'
import { Story } from './story.js'

// the Event type (src/schema/event.ts), by its model
const EventRef = getRefFromModel('Event', builder)

builder.prismaObjectFields('Story', (t) => ({
  uri: t.exposeString('uri', {
    nullable: true,
    description: 'The ninjs uri the story was imported under (importNinjs); null for a story written here.',
  }),
  ninjs: t.field({
    type: 'JSON',
    nullable: true,
    description:
      'The story as an IPTC ninjs 3.1 document (also at /ninjs/stories/<slug>.json). Null when the viewer may not read the story; for the public, a withdrawn story’s document is its withdrawal notice.',
    select: (_args, ctx) => storyDocumentSelect(ctx.viewer),
    resolve: (story, _args, ctx) => storyToNinjs(story as unknown as StoryDocumentRow, ctx.viewer),
  }),
  jsonLd: t.field({
    type: 'JSON',
    nullable: true,
    description:
      'The story as schema.org JSON-LD: a NewsArticle (LiveBlogPosting for live stories, the analysis, opinion and background subtypes where they fit), also at /jsonld/stories/<slug>.json.',
    select: (_args, ctx) => storyDocumentSelect(ctx.viewer),
    resolve: (story, _args, ctx) => storyToJsonLd(story as unknown as StoryDocumentRow, ctx.viewer),
  }),
}))

builder.prismaObjectFields('Event', (t) => ({
  uri: t.exposeString('uri', { nullable: true, description: 'The ninjs uri the event was imported under; null for an event recorded here.' }),
  ninjs: t.field({
    type: 'JSON',
    description: 'The event as an IPTC ninjs 3.1 event item.',
    select: EVENT_DOCUMENT_SELECT,
    resolve: (event) => eventToNinjs(event as unknown as EventDocumentRow),
  }),
  jsonLd: t.field({
    type: 'JSON',
    description: 'The event as a schema.org Event, its status as EventScheduled, EventPostponed, EventRescheduled or EventCancelled.',
    select: EVENT_DOCUMENT_SELECT,
    resolve: (event) => eventToJsonLd(event as unknown as EventDocumentRow),
  }),
}))

const ImportActionEnum = builder.enumType('ImportAction', {
  values: {
    CREATED: { description: 'Nothing had been imported under the document’s uri: a new story or event.' },
    UPDATED: { description: 'The uri was imported before: that story or event was updated (a new revision, the version bumped).' },
  } as const,
})

const UnsupportedPartRef = builder.objectRef<UnsupportedPart>('UnsupportedPart').implement({
  description: 'A part of an imported document that was not stored, and why.',
  fields: (t) => ({
    pointer: t.exposeString('pointer', { description: 'JSON pointer (RFC 6901) into the document, e.g. "/associations/1".' }),
    reason: t.exposeString('reason'),
  }),
})

const NinjsImport = builder.objectRef<ImportOutcome>('NinjsImport').implement({
  description: 'What importNinjs wrote.',
  fields: (t) => ({
    action: t.field({ type: ImportActionEnum, resolve: (r) => r.action }),
    uri: t.exposeString('uri', { description: 'The document’s uri, which identifies what it made from now on.' }),
    story: t.field({
      type: Story,
      nullable: true,
      description: 'The story written; null when the document was an event item.',
      // read after the commit, with everything the client selected, in one query
      resolve: (r, _args, ctx, info) =>
        r.storyId ? ctx.prisma.story.findUnique({ ...queryFromInfo({ context: ctx, info }), where: { id: r.storyId } }) : null,
    }),
    event: t.field({
      type: EventRef,
      nullable: true,
      description: 'The event written, for an event item.',
      resolve: (r, _args, ctx, info) =>
        r.eventId ? ctx.prisma.event.findUnique({ ...queryFromInfo({ context: ctx, info }), where: { id: r.eventId } }) : null,
    }),
    unsupported: t.field({
      type: [UnsupportedPartRef],
      description: 'Every part of the document that was not stored (unknown to ninjs, or with no place here), in document order.',
      resolve: (r) => r.unsupported,
    }),
  }),
})

builder.mutationField('importNinjs', (t) =>
  t.field({
    type: NinjsImport,
    authScopes: { editor: true },
    errors: { union: { name: 'ImportNinjsResult' } },
    description:
      'Creates or updates a story (or, for an event item, an event) from an IPTC ninjs 3.x document, through the same writes as the other mutations. ' +
      'The document’s uri identifies it: importing it again updates what the first import made. A document that is not ninjs is a ValidationError whose field is the JSON pointer at fault.',
    args: { document: t.arg({ type: 'JSON', required: true, description: 'The ninjs 3.0 or 3.1 document, as JSON.' }) },
    resolve: (_root, { document }, ctx) => runImport(ctx, document),
  }),
)
