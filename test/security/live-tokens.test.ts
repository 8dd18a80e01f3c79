// Tokens on the live transports: a WebSocket is closed with 4403 when a token it runs on expires
// (connection_init's, or a subscription's own), an SSE stream opened with one ends then; and a
// token that is present but not valid is refused wherever it comes (connection_init under any
// case of `Authorization`, an operation's GraphiQL headers, HTTP), never read as no token.
import { decodeJwt, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken } from '../../src/auth/token.js'
import { asRole } from '../helpers/api.js'
import {
  httpStream,
  nextPayloads,
  publishStory,
  rawSocket,
  until,
  type HttpStream,
  type RawSocket,
} from '../helpers/live-clients.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const CHANGE_LOG = 'subscription { changeLog { cursor kind } }'
const STORY_PUBLISHED = 'subscription { storyPublished { cursor story { headline } } }'

let server: TestServer
let editor: Record<string, string>
const sockets: RawSocket[] = []
const streams: HttpStream[] = []

beforeAll(async () => {
  server = await startTestServer({}, { kind: 'postgres' })
  editor = await asRole('editor', 'live-tokens-editor')
})
afterAll(async () => {
  for (const r of sockets) r.socket.terminate()
  for (const s of streams) s.close()
  await server?.close()
})

async function socket(payload?: Record<string, unknown>) {
  const r = await rawSocket(server.wsUrl)
  sockets.push(r)
  if (payload) expect(await r.init(payload)).toBe('acked')
  return r
}

/** An editor's token for `seconds` (whole seconds from its iat), and when it expires (ms). */
async function shortToken(seconds: number) {
  const token = await mintToken(server.config, { sub: 'short-lived', role: 'editor' }, `${seconds}s`)
  return { authorization: `Bearer ${token}`, expiresAt: decodeJwt(token).exp! * 1000 }
}

describe('a token expires', () => {
  it('closes the WebSocket whose connection_init brought it with 4403, at its expiry', async () => {
    const { authorization, expiresAt } = await shortToken(3)
    const r = await socket({ authorization })
    r.send({ id: 'log', type: 'subscribe', payload: { query: CHANGE_LOG } })
    await publishStory(server.origin, editor)
    await until(() => r.of('log').length >= 1)
    expect(r.of('log')[0]).toMatchObject({ type: 'next', payload: { data: { changeLog: { kind: 'story.created' } } } })

    const { code, reason, at } = await r.closed
    expect({ code, reason }).toEqual({ code: 4403, reason: 'Token expired' })
    expect(at).toBeGreaterThanOrEqual(expiresAt - 20)
    expect(at).toBeLessThan(expiresAt + 1_500)
  })

  it('closes a socket with 4403 when a subscription’s own token expires (GraphiQL’s headers), not one whose query with it is over', async () => {
    const { authorization, expiresAt } = await shortToken(2)
    const subscribed = await socket({})
    subscribed.send({
      id: 'log',
      type: 'subscribe',
      payload: { query: CHANGE_LOG, extensions: { headers: { Authorization: authorization } } },
    })
    const queried = await socket({})
    queried.send({
      id: 'q',
      type: 'subscribe',
      payload: { query: '{ __typename }', extensions: { headers: { authorization } } },
    })
    await until(() => queried.of('q').at(-1)?.type === 'complete')
    expect(queried.of('q')[0]).toEqual({ id: 'q', type: 'next', payload: { data: { __typename: 'Query' } } })

    const { code, at } = await subscribed.closed
    expect(code).toBe(4403)
    expect(at).toBeGreaterThanOrEqual(expiresAt - 20)
    expect(subscribed.of('log').filter((m) => m.type === 'error')).toEqual([])
    await queried.stillOpen()
  })

  it('ends an SSE stream opened with it: UNAUTHENTICATED (expired), then complete; a public stream goes on', async () => {
    const { authorization, expiresAt } = await shortToken(2)
    const editors = await httpStream(server.origin, { query: CHANGE_LOG }, { headers: { authorization } })
    const publics = await httpStream(server.origin, { query: STORY_PUBLISHED })
    streams.push(editors, publics)
    expect([editors.status, publics.status]).toEqual([200, 200])

    await editors.ended
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 20)
    const events = editors.events()
    expect(events.at(-1)).toBe('event: complete\ndata:')
    expect(nextPayloads(events).at(-1)).toEqual({
      errors: [{ message: 'The token has expired.', extensions: { code: 'UNAUTHENTICATED', reason: 'expired' } }],
    })
    const headline = await publishStory(server.origin, editor)
    await until(() => nextPayloads(publics.events()).some((p) => p.data?.storyPublished.story.headline === headline))
  })
})

describe('a token present but not valid is refused, whatever its case', () => {
  it('reads Authorization in connection_init under any case', async () => {
    const r = await socket({ Authorization: editor.authorization })
    r.send({ id: 'log', type: 'subscribe', payload: { query: CHANGE_LOG } })
    await publishStory(server.origin, editor)
    await until(() => r.of('log').length >= 1)
    expect(r.of('log')[0]).toMatchObject({
      type: 'next',
      payload: { data: { changeLog: { cursor: expect.any(String) } } },
    })
    expect(await (await socket()).init({ AUTHORIZATION: editor.authorization.replace('Bearer', 'bearer') })).toBe(
      'acked',
    )
  })

  it('closes with 4403 a connection_init whose token is forged, empty, not text, or given twice', async () => {
    const token = editor.authorization
    for (const payload of [
      { Authorization: 'Bearer forged.token.here' },
      { authorization: '' },
      { Authorization: 42 },
      { authorization: token, Authorization: token },
      { Authorization: token.replace('Bearer ', 'Basic ') },
    ]) {
      const r = await socket()
      expect(await r.init(payload), JSON.stringify(payload)).toBe('closed 4403')
    }
  })

  it('refuses an operation whose GraphiQL header is empty, given twice or forged, even on an editor’s socket', async () => {
    for (const r of [await socket({}), await socket(editor)]) {
      r.send({
        id: 'empty',
        type: 'subscribe',
        payload: { query: '{ __typename }', extensions: { headers: { Authorization: '' } } },
      })
      r.send({
        id: 'twice',
        type: 'subscribe',
        payload: {
          query: '{ __typename }',
          extensions: { headers: { authorization: editor.authorization, AUTHORIZATION: editor.authorization } },
        },
      })
      r.send({
        id: 'forged',
        type: 'subscribe',
        payload: { query: '{ __typename }', extensions: { headers: { authorization: 'Bearer forged.token.here' } } },
      })
      await until(() => ['empty', 'twice', 'forged'].every((id) => r.of(id).length === 1))
      for (const id of ['empty', 'twice', 'forged'])
        expect(r.of(id)[0], id).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'UNAUTHENTICATED' } }] })
      await r.stillOpen()
    }
  })

  it('refuses a token that lives too long, has no iat or no subject: 401 over HTTP, 4403 over WebSocket', async () => {
    const key = new TextEncoder().encode(server.config.JWT_SECRET)
    const now = Math.floor(Date.now() / 1000)
    const sign = (claims: Record<string, unknown>, iat?: number) => {
      const jwt = new SignJWT({ role: 'editor', ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('news-graph')
        .setAudience('news-graph')
        .setExpirationTime(now + 13 * 3600)
      return (iat === undefined ? jwt : jwt.setIssuedAt(iat)).sign(key)
    }
    const tooLong = await sign({ sub: 'desk' }, now)
    const noIat = await sign({ sub: 'desk' })
    const noSub = await sign({ sub: '' }, now + 3600)
    for (const token of [tooLong, noIat, noSub]) {
      const response = await fetch(`${server.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      })
      expect(response.status).toBe(401)
      expect(await (await socket()).init({ authorization: `Bearer ${token}` })).toBe('closed 4403')
    }
  })

  it('over HTTP and SSE: the scheme in any case is accepted, an empty header refused with 401', async () => {
    const ask = (authorization: string, accept = 'application/json') =>
      fetch(`${server.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization },
        body: JSON.stringify({ query: '{ __typename }' }),
      })
    expect((await ask(editor.authorization.replace('Bearer', 'bearer'))).status).toBe(200)
    const empty = await ask('')
    expect(empty.status).toBe(401)
    expect(await empty.json()).toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'malformed' } }],
    })
    const sse = await httpStream(server.origin, { query: STORY_PUBLISHED }, { headers: { authorization: '' } })
    streams.push(sse)
    expect(sse.status).toBe(401)
  })
})
