// What the edge suites share: GraphQL over GET and POST as a CDN's clients send it, with what the
// answer says about caching, and the key a story's answers are filed under.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { edgeKey } from '../../src/edge/keys.js'
import { objectKey } from '../../src/live/invalidation.js'
import { startTestServer, type TestServer } from './server.js'
import { startVarnish, type Varnish } from './varnish.js'

export interface Answer {
  status: number
  headers: Headers
  /** the body as sent ('' for a 304) */
  text: string
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined
  /** Surrogate-Key's keys, null without it */
  keys: string[] | null
}

/** GraphQL over HTTP's own media type, unless a test says otherwise. */
export const GRAPHQL_RESPONSE = 'application/graphql-response+json'

async function answer(response: Response): Promise<Answer> {
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? JSON.parse(text) : undefined,
    keys: response.headers.get('surrogate-key')?.split(' ') ?? null,
  }
}

/** The query string of a GET: strings as they are, anything else as JSON. */
export const searchOf = (params: Record<string, unknown>) =>
  new URLSearchParams(
    Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  ).toString()

/** GET /graphql with these parameters. */
export const get = async (origin: string, params: Record<string, unknown>, headers: Record<string, string> = {}) =>
  answer(await fetch(`${origin}/graphql?${searchOf(params)}`, { headers: { accept: GRAPHQL_RESPONSE, ...headers } }))

/** POST /graphql with this JSON body. */
export const post = async (origin: string, body: unknown, headers: Record<string, string> = {}) =>
  answer(
    await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
      body: JSON.stringify(body),
    }),
  )

/** The key of the answers that show the story with this global id. */
export const storyKey = (globalId: string) => edgeKey(objectKey('Story', decodeGlobalID(globalId).id))

/** A test server with the shipped Varnish in front, its answers kept an hour at the edge (nothing a
 *  test fills expires while it looks: only a purge makes Varnish ask the server again), no rate
 *  limits. */
export async function startBehindVarnish(): Promise<{ server: TestServer; varnish: Varnish; close(): Promise<void> }> {
  const server = await startTestServer({
    RATE_LIMIT_PUBLIC_POINTS: 0,
    RATE_LIMIT_EDITOR_POINTS: 0,
    EDGE_S_MAXAGE_SECONDS: 3600,
  })
  const varnish = await startVarnish(Number(new URL(server.origin).port)).catch(async (error: unknown) => {
    await server.close()
    throw error
  })
  return {
    server,
    varnish,
    close: async () => {
      await varnish.stop()
      await server.close()
    },
  }
}
