// CORS (src/server/cors.ts) against listening servers on PostgreSQL: preflights and actual requests
// from a listed origin get that origin back, never with credentials; from any other origin they get
// no CORS header at all, so a browser keeps the answer from the page. Without CORS_ORIGINS no
// origin is answered; CORS_ORIGINS takes origins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { asRole } from '../helpers/api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const DESK = 'https://desk.example.org'
const EVIL = 'https://evil.example'
const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'

let listed: TestServer
let unlisted: TestServer
beforeAll(async () => {
  listed = await startTestServer({ CORS_ORIGINS: [DESK, 'http://localhost:5173'], LIVE_POLL_MS: 60_000 })
  unlisted = await startTestServer({ LIVE_POLL_MS: 60_000 })
})
afterAll(async () => {
  await listed?.close()
  await unlisted?.close()
})

/** The access-control-* headers of a response, and its Vary. */
function cors(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')))
  return { status: response.status, headers, vary: response.headers.get('vary') }
}

const preflight = (server: TestServer, origin: string, path = '/graphql') =>
  fetch(`${server.origin}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  })

const post = (server: TestServer, origin: string, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: `{ story(slug: "${SAMPLE}") { headline } }` }),
  })

const ANSWERED = {
  'access-control-allow-origin': DESK,
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers': 'authorization, content-type, idempotency-key, x-graphql-yoga-csrf, x-request-id',
  'access-control-expose-headers': 'idempotent-replayed, retry-after, x-request-id',
  'access-control-max-age': '600',
}

describe('a listed origin', () => {
  it('gets its preflight answered with its own origin, the headers an editor needs, and no credentials', async () => {
    expect(cors(await preflight(listed, DESK))).toEqual({ status: 204, headers: ANSWERED, vary: 'Origin' })
  })

  it('gets its actual requests answered the same, an editor’s token in Authorization', async () => {
    const response = await post(listed, DESK, await asRole('editor', 'cors-editor'))
    // GraphQL answers vary by Accept and Authorization too (src/edge/cache-headers.ts)
    expect(cors(response)).toEqual({ status: 200, headers: ANSWERED, vary: 'Origin, Accept, Authorization' })
    expect(((await response.json()) as { data: unknown }).data).toMatchObject({
      story: { headline: expect.any(String) },
    })
  })

  it('is one of several: each gets its own origin back', async () => {
    const response = await preflight(listed, 'http://localhost:5173')
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
  })

  it('reads the standards’ documents too', async () => {
    const response = await fetch(`${listed.origin}/jsonld/stories/${SAMPLE}.json`, { headers: { origin: DESK } })
    expect(cors(response)).toEqual({ status: 200, headers: ANSWERED, vary: 'Authorization, Origin' })
  })
})

describe('any other origin', () => {
  it.each([
    ['another site', EVIL],
    ['a listed origin’s other port', 'https://desk.example.org:8443'],
    ['a listed origin over http', 'http://desk.example.org'],
    ['a sandboxed page', 'null'],
  ])('gets no CORS header from a preflight or an actual request: %s', async (_, origin) => {
    expect(cors(await preflight(listed, origin))).toEqual({ status: 204, headers: {}, vary: 'Origin' })
    expect(cors(await post(listed, origin))).toEqual({
      status: 200,
      headers: {},
      vary: 'Origin, Accept, Authorization',
    })
  })

  it('gets none where no origin is listed, with or without credentials asked for', async () => {
    expect(cors(await preflight(unlisted, EVIL))).toEqual({ status: 204, headers: {}, vary: null })
    expect(cors(await post(unlisted, EVIL))).toEqual({ status: 200, headers: {}, vary: 'Accept, Authorization' })
    expect(cors(await preflight(unlisted, DESK))).toEqual({ status: 204, headers: {}, vary: null })
  })
})

describe('CORS_ORIGINS', () => {
  it('is a list of origins, and nothing else', () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual([])
    expect(loadConfig({ CORS_ORIGINS: ' https://desk.example.org, http://localhost:5173 ,' }).CORS_ORIGINS).toEqual([
      DESK,
      'http://localhost:5173',
    ])
    // `*` is refused too: no origin is answered but by name
    for (const bad of [
      '*',
      'desk.example.org',
      'https://desk.example.org/',
      'https://desk.example.org/app',
      'ftp://desk.example.org',
    ]) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS: must be origins/)
    }
  })
})
