// The news in the standards' own formats: Story.ninjs and Event.ninjs (IPTC ninjs 3.1),
// Story.jsonLd and Event.jsonLd (schema.org), and the editors' importNinjs mutation. The documents
// are built in src/standards from one Prisma select each. That select is not planned into the
// story's own query: it reads the same relations as the connections beside it (people(first:)…)
// with other arguments, which the Prisma plugin cannot merge and would answer with a query per
// row. Instead every story (or event) of a request whose documents are asked for is read in one
// batched query (src/resolvers/batch.ts), shared by both fields: a page of stories with their
// documents is two queries, whatever its size and whatever else is selected. Answers over HTTP
// are serialised safe to inline in a page, as the documents' URLs are (src/server/documents.ts).
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { batched } from '../resolvers/batch.js'
import { eventToJsonLd, storyToJsonLd } from '../standards/json-ld.js'
import { eventToNinjs, storyToNinjs } from '../standards/ninjs.js'
import { runImport, type ImportOutcome, type UnsupportedPart } from '../standards/import-ninjs.js'
import {
  EVENT_DOCUMENT_SELECT,
  storyDocumentSelect,
  type EventDocumentRow,
  type StoryDocumentRow,
} from '../standards/select.js'

/** The story's row as the documents read it, loaded with every other story of the request at once. */
const storyDocumentRow = (ctx: Context, id: string) =>
  batched<string, StoryDocumentRow>(ctx, 'standards:story', id, async (ids) => {
    const rows = await ctx.prisma.story.findMany({
      where: { id: { in: ids } },
      select: storyDocumentSelect(ctx.viewer),
    })
    return new Map(rows.map((row) => [row.id, row]))
  })

const eventDocumentRow = (ctx: Context, id: string) =>
  batched<string, EventDocumentRow>(ctx, 'standards:event', id, async (ids) => {
    const rows = await ctx.prisma.event.findMany({ where: { id: { in: ids } }, select: EVENT_DOCUMENT_SELECT })
    return new Map(rows.map((row) => [row.id, row]))
  })

builder.prismaObjectFields('Story', (t) => ({
  ninjs: t.field({
    type: 'JSON',
    nullable: true,
    description:
      'The story as an IPTC ninjs 3.1 document (also at /ninjs/stories/<slug>.json). Null when the viewer may not read the story; for the public, a withdrawn story’s document is its withdrawal notice.',
    resolve: async (story, _args, ctx) => {
      const row = await storyDocumentRow(ctx, story.id)
      return row ? storyToNinjs(row, ctx.viewer) : null
    },
  }),
  jsonLd: t.field({
    type: 'JSON',
    nullable: true,
    description:
      'The story as schema.org JSON-LD: a NewsArticle (LiveBlogPosting for live stories, the analysis, opinion and background subtypes where they fit), also at /jsonld/stories/<slug>.json. ' +
      'There and in answers over HTTP it is written with <, > and & escaped (\\u003c…), safe to inline as served in <script type="application/ld+json">; a client that serialises it again must escape likewise.',
    resolve: async (story, _args, ctx) => {
      const row = await storyDocumentRow(ctx, story.id)
      return row ? storyToJsonLd(row, ctx.viewer) : null
    },
  }),
}))

builder.prismaObjectFields('Event', (t) => ({
  ninjs: t.field({
    type: 'JSON',
    description: 'The event as an IPTC ninjs 3.1 event item.',
    resolve: async (event, _args, ctx) => eventToNinjs((await eventDocumentRow(ctx, event.id))!),
  }),
  jsonLd: t.field({
    type: 'JSON',
    description:
      'The event as a schema.org Event, its status as EventScheduled, EventPostponed, EventRescheduled or EventCancelled.',
    resolve: async (event, _args, ctx) => eventToJsonLd((await eventDocumentRow(ctx, event.id))!),
  }),
}))

// The uri a story or an event was imported under: importing the document again updates it.
const importedUri = (model: 'Story' | 'Event', description: string) =>
  builder.prismaObjectField(model, 'uri', (t) => t.exposeString('uri', { nullable: true, description }))
importedUri('Story', 'The ninjs uri the story was imported under (importNinjs); null for a story written here.')
importedUri('Event', 'The ninjs uri the event was imported under; null for an event recorded here.')

const ImportActionEnum = builder.enumType('ImportAction', {
  values: {
    CREATED: { description: 'Nothing had been imported under the document’s uri: a new story or event.' },
    UPDATED: {
      description: 'The uri was imported before: that story or event was updated (a new revision, the version bumped).',
    },
  } as const,
})

const UnsupportedPartRef = builder.objectRef<UnsupportedPart>('UnsupportedPart').implement({
  description: 'A part of an imported document that was not stored, and why.',
  fields: (t) => ({
    pointer: t.exposeString('pointer', {
      description: 'JSON pointer (RFC 6901) into the document, e.g. "/associations/1".',
    }),
    reason: t.exposeString('reason'),
  }),
})

// What the import wrote, read after the commit with everything the client selected, in one query.
const written = <Query extends object, Row>(
  rows: { findUnique(args: Query & { where: { id: string } }): Promise<Row> },
  id: string | null,
  query: Query,
) => (id ? rows.findUnique({ ...query, where: { id } }) : null)

const NinjsImport = builder.objectRef<ImportOutcome>('NinjsImport').implement({
  description: 'What importNinjs wrote.',
  fields: (t) => ({
    action: t.field({ type: ImportActionEnum, resolve: (r) => r.action }),
    uri: t.exposeString('uri', { description: 'The document’s uri, which identifies what it made from now on.' }),
    story: t.prismaField({
      type: 'Story',
      nullable: true,
      description: 'The story written; null when the document was an event item.',
      resolve: (query, r, _args, ctx) => written(ctx.prisma.story, r.storyId, query),
    }),
    event: t.prismaField({
      type: 'Event',
      nullable: true,
      description: 'The event written, for an event item.',
      resolve: (query, r, _args, ctx) => written(ctx.prisma.event, r.eventId, query),
    }),
    unsupported: t.field({
      type: [UnsupportedPartRef],
      description:
        'Every part of the document that was not stored (unknown to ninjs, or with no place here), in document order.',
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
