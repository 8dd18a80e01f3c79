// The standards' documents at plain URLs, for feeds and crawlers that do not speak GraphQL:
//   GET /ninjs/stories/<slug>.json   IPTC ninjs 3.1 (application/json)
//   GET /jsonld/stories/<slug>.json  schema.org JSON-LD (application/ld+json)
// and the same for /events/<slug>.json. A story with editions lists them, its own and every other
// language's that the caller may read, as Link headers (rel="alternate"; hreflang=…), the original
// also as hreflang="x-default". The documents are Story.ninjs, Story.jsonLd, Event.ninjs
// and Event.jsonLd (src/standards), under the same rules of visibility: a story the caller may
// not read is a 404, exactly like one that does not exist. A bearer token makes the caller an
// editor, as at /graphql; such answers are private and never cached. Every document, here and in
// GraphQL answers (Story.jsonLd, Story.ninjs, Event.…), is serialised safe to inline in a page
// (src/standards/inline-json.ts).
import { createHash } from 'node:crypto'
import { GraphQLError } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import { authenticate } from '../auth/authenticate.js'
import type { TokenSettings, Viewer } from '../auth/token.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import type { Logger } from '../logger.js'
import { readFamily, type FamilyMember } from '../resolvers/editions.js'
import { readableStoryWhere } from '../resolvers/visibility.js'
import { inlineSafeJson } from '../standards/inline-json.js'
import { eventToJsonLd, storyToJsonLd } from '../standards/json-ld.js'
import { eventToNinjs, storyToNinjs } from '../standards/ninjs.js'
import { EVENT_DOCUMENT_SELECT, storyDocumentSelect } from '../standards/select.js'
import { matchesEtag } from '../edge/headers.js'
import { requestIdOf } from './request-id.js'

const ROUTE = /^\/(ninjs|jsonld)\/(stories|events)\/([^/]+)\.json$/

const CONTENT_TYPES = {
  ninjs: 'application/json; charset=utf-8',
  jsonld: 'application/ld+json; charset=utf-8',
} as const

/** How long shared caches may keep a public document: a withdrawal reaches readers within it. */
const PUBLIC_MAX_AGE_SECONDS = 60

export interface DocumentOptions {
  prisma: PrismaClient
  auth: TokenSettings
  logger: Logger
}

export function useDocuments({ prisma, auth, logger }: DocumentOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const match = ROUTE.exec(url.pathname)
      if (!match) return
      const [, format, collection, encodedSlug] = match as unknown as [
        string,
        'ninjs' | 'jsonld',
        'stories' | 'events',
        string,
      ]
      const json = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
        new fetchAPI.Response(inlineSafeJson({ error: { code, message } }), {
          status,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
        })
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(json(405, 'METHOD_NOT_ALLOWED', 'Use GET or HEAD.', { allow: 'GET, HEAD' }))
        return
      }
      let viewer: Viewer | null
      try {
        viewer = await authenticate(auth, request.headers.get('authorization'))
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error
        endResponse(json(401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer' }))
        return
      }
      const notFound = () =>
        json(404, 'NOT_FOUND', `No ${collection === 'stories' ? 'story' : 'event'} with that slug.`)
      let slug: string
      try {
        slug = decodeURIComponent(encodedSlug)
      } catch {
        endResponse(notFound())
        return
      }
      let found: Awaited<ReturnType<typeof load>>
      try {
        found = await load(prisma, format, collection, slug, viewer)
      } catch (error) {
        const requestId = requestIdOf(request)
        logger.error({ err: error, requestId, path: url.pathname }, 'document request failed')
        endResponse(json(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'))
        return
      }
      if (!found?.document) {
        endResponse(notFound())
        return
      }
      const body = inlineSafeJson(found.document)
      const link = alternates(format, found.family)
      const etag = `W/"${createHash('sha256').update(body).update(link).digest('base64url').slice(0, 27)}"`
      const headers = {
        ...(link && { link }),
        'content-type': CONTENT_TYPES[format],
        etag,
        'last-modified': found.modified.toUTCString(),
        'cache-control': viewer ? 'private, no-store' : `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`,
        vary: 'Authorization',
        'x-content-type-options': 'nosniff',
      }
      if (matchesEtag(request.headers.get('if-none-match'), etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }))
        return
      }
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }))
    },
  }
}

async function load(
  prisma: PrismaClient,
  format: 'ninjs' | 'jsonld',
  collection: 'stories' | 'events',
  slug: string,
  viewer: Viewer | null,
) {
  if (collection === 'stories') {
    const story = await prisma.story.findFirst({
      where: { slug, ...readableStoryWhere(viewer) },
      select: storyDocumentSelect(viewer),
    })
    if (!story) return null
    return {
      document: format === 'ninjs' ? storyToNinjs(story, viewer) : storyToJsonLd(story, viewer),
      modified: story.updatedAt,
      family: await readFamily(prisma, viewer, story.id),
    }
  }
  const event = await prisma.event.findUnique({ where: { slug }, select: EVENT_DOCUMENT_SELECT })
  if (!event) return null
  return {
    document: format === 'ninjs' ? eventToNinjs(event) : eventToJsonLd(event),
    modified: event.updatedAt,
    family: [],
  }
}

/** The Link header naming the document of each edition in the family (none for a story alone). */
function alternates(format: 'ninjs' | 'jsonld', family: FamilyMember[]): string {
  if (family.length < 2) return ''
  const link = (slug: string, hreflang: string) =>
    `</${format}/stories/${encodeURIComponent(slug)}.json>; rel="alternate"; hreflang="${hreflang}"; type="${CONTENT_TYPES[format].split(';')[0]}"`
  const original = family.find((m) => m.depth === 0)
  return [...family.map((m) => link(m.slug, m.language)), ...(original ? [link(original.slug, 'x-default')] : [])].join(
    ', ',
  )
}

/** GraphQL answers over HTTP serialised as the documents are (Yoga's result processor uses a
 *  result's own `stringify`): a page may inline one holding Story.jsonLd as it would /jsonld/…. */
export function useInlineSafeResults(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (result && !Array.isArray(result) && !isAsyncIterable(result))
        setResult({ ...result, stringify: inlineSafeJson })
    },
  }
}
