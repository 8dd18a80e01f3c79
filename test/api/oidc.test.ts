// Editors signing in with their identity provider: a real OpenID provider (oidc-provider 9) on
// 127.0.0.1 with RS256 keys of its own issues JWT access tokens for this API (client credentials,
// resource indicators) with the newsroom's groups in them; the app finds its keys by discovery
// (AUTH_ISSUER) and maps the groups to roles (AUTH_ROLE_MAP). Proves: an editor's token writes, a
// token whose groups map to no role is refused, the provider's key rotation (old and new key
// published together) keeps the old key's tokens working while a key never published is refused,
// a socket closes with 4403 when its provider token expires, and HS256 in AUTH_ALGORITHMS stops
// the server at start.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import Provider, { type AccessTokenLike } from 'oidc-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type Config } from '../../src/config.js'
import { testApp } from '../helpers/api.js'
import { publishStory, rawSocket, type RawSocket } from '../helpers/live-clients.js'
import { spawnServer } from '../helpers/server-process.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const RESOURCE = 'https://api.news-graph.test'
/** who each client is in the newsroom's directory: its groups, under `newsroom.groups` */
const GROUPS: Record<string, string | string[]> = {
  desk: ['staff', 'newsroom-editors'],
  chief: 'newsroom-admins',
  marketing: ['staff', 'marketing'],
}
const CREATE_STORY = `mutation($input: StoryInput!) { createStory(input: $input) { ... on Story { id } ... on Error { code } } }`

/** A signing key as oidc-provider takes it (private JWK) and as a stranger would use it. */
async function signingKey(kid: string) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  return { kid, privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } as JWK }
}

let http: Server
let issuer: string
let provider: Provider
/** the key the provider signs access tokens with, and their lifetime */
let signingKid = 'key-a'
let accessTokenTTL = 600

/** An oidc-provider publishing `keys` (and signing with the one named `signingKid`). */
function newProvider(keys: JWK[]): Provider {
  return new Provider(issuer, {
    jwks: { keys },
    clients: Object.keys(GROUPS).map((client_id) => ({
      client_id,
      client_secret: `${client_id}-secret-for-tests`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'news',
          audience: RESOURCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL,
          jwt: { sign: { alg: 'RS256', kid: signingKid } },
        }),
      },
    },
    extraTokenClaims: (_ctx: unknown, token: AccessTokenLike) => ({
      newsroom: { groups: GROUPS[token.clientId] },
    }),
  })
}

/** A JWT access token for this API from the provider, for the client named. */
async function tokenFor(client: keyof typeof GROUPS): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client,
      client_secret: `${client}-secret-for-tests`,
      resource: RESOURCE,
      scope: 'news',
    }),
    signal: AbortSignal.timeout(5000),
  })
  const body = (await response.json()) as { access_token?: string }
  expect(response.status, JSON.stringify(body)).toBe(200)
  return body.access_token!
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** The app's settings for the provider, read as the server reads its environment. */
const oidcConfig = (): Config =>
  loadConfig({
    ...process.env,
    AUTH_ISSUER: issuer,
    AUTH_AUDIENCE: RESOURCE,
    AUTH_ROLE_CLAIM: 'newsroom.groups',
    AUTH_ROLE_MAP: 'newsroom-editors=editor, newsroom-admins=admin',
    AUTH_FETCH_TIMEOUT_MS: '3000',
  })

let keyA: Awaited<ReturnType<typeof signingKey>>
let keyB: Awaited<ReturnType<typeof signingKey>>
let server: TestServer
const sockets: RawSocket[] = []

beforeAll(async () => {
  ;[keyA, keyB] = await Promise.all([signingKey('key-a'), signingKey('key-b')])
  http = createServer((req, res) => provider.callback()(req, res))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  provider = newProvider([keyA.jwk])
  server = await startTestServer(oidcConfig())
})
afterAll(async () => {
  for (const r of sockets) r.socket.terminate()
  await server?.close()
  http?.closeAllConnections()
  await new Promise((resolve) => http?.close(resolve))
})

async function post(origin: string, headers: Record<string, string>) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: CREATE_STORY, variables: { input: { slug: 'refused', headline: 'Refused' } } }),
  })
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: any[] } }
}

describe('tokens from the identity provider', () => {
  it('lets an editor whose groups map to editor write, and an admin', async () => {
    const desk = await tokenFor('desk')
    expect(decodeProtectedHeader(desk)).toMatchObject({ alg: 'RS256', kid: 'key-a' })
    expect(decodeJwt(desk)).toMatchObject({ iss: issuer, aud: RESOURCE, sub: 'desk' })
    expect(await publishStory(server.origin, bearer(desk))).toMatch(/^Live client story/)
    expect(await publishStory(server.origin, bearer(await tokenFor('chief')))).toMatch(/^Live client story/)
  })

  it('refuses a token whose groups map to no role with 401 UNAUTHENTICATED, writing nothing', async () => {
    const before = await server.db.prisma.story.count()
    const { status, body } = await post(server.origin, bearer(await tokenFor('marketing')))
    expect(status).toBe(401)
    expect(body.data ?? null).toBeNull()
    expect(body.errors?.[0]).toMatchObject({
      message: 'The token’s groups grant no editor or admin role here.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'invalid' },
    })
    expect(await server.db.prisma.story.count()).toBe(before)
    const socket = await rawSocket(server.wsUrl)
    sockets.push(socket)
    expect(await socket.init(bearer(await tokenFor('marketing')))).toBe('closed 4403')
  })

  it('closes a WebSocket with 4403 when the provider token its connection_init brought expires', async () => {
    accessTokenTTL = 2
    const token = await tokenFor('desk')
    accessTokenTTL = 600
    const { exp, iat } = decodeJwt(token)
    expect(exp! - iat!).toBe(2)
    const socket = await rawSocket(server.wsUrl)
    sockets.push(socket)
    expect(await socket.init(bearer(token))).toBe('acked')
    const { code, reason, at } = await socket.closed
    expect({ code, reason }).toEqual({ code: 4403, reason: 'Token expired' })
    expect(at).toBeGreaterThanOrEqual(exp! * 1000 - 20)
  })

  it('keeps old-key tokens working while the provider publishes old and new keys, and refuses a key never published', async () => {
    const old = await tokenFor('desk')
    // the rotation: the provider publishes the new key beside the old one and signs with the new
    provider = newProvider([keyB.jwk, keyA.jwk])
    signingKid = 'key-b'
    const fresh = await tokenFor('desk')
    expect(decodeProtectedHeader(fresh).kid).toBe('key-b')
    const published = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: JWK[] }
    expect(published.keys.map((k) => k.kid)).toEqual(['key-b', 'key-a'])

    // the server already running, whose cached key set holds the old key
    expect(await publishStory(server.origin, bearer(old))).toMatch(/^Live client story/)
    // a process that fetches the key set during the overlap takes tokens of either key
    const during = testApp(server.db, { settings: oidcConfig() })
    try {
      for (const token of [old, fresh]) {
        const { data, errors } = await during.run<{ createStory: { id?: string } }, unknown>(
          CREATE_STORY,
          {
            input: { slug: `rotation-${decodeProtectedHeader(token).kid}`, headline: 'Rotation' },
          },
          bearer(token),
        )
        expect(errors).toBeUndefined()
        expect(data?.createStory.id).toBeTruthy()
      }

      // the same claims, signed by a key the provider never published: under its own kid, and
      // under the old key's kid
      const stranger = await signingKey('key-never-published')
      const claims = decodeJwt(fresh)
      for (const kid of ['key-never-published', 'key-a']) {
        const forged = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
          .sign(stranger.privateKey)
        const refused = await post(server.origin, bearer(forged))
        expect(refused.status, kid).toBe(401)
        expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'invalid' } })
        const { status, errors } = await during.run(
          CREATE_STORY,
          { input: { slug: 'x', headline: 'X' } },
          bearer(forged),
        )
        expect(status, kid).toBe(401)
        expect(errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' })
      }
    } finally {
      await during.close()
    }
  })
})

describe('configuration', () => {
  it('refuses HS256 (or none) among AUTH_ALGORITHMS at start, saying why', async () => {
    const env = { AUTH_ISSUER: 'https://login.example.org', AUTH_AUDIENCE: RESOURCE }
    expect(() => loadConfig({ ...env, AUTH_ALGORITHMS: 'RS256,HS256' })).toThrow(
      /AUTH_ALGORITHMS: HS256 not accepted for OIDC tokens.*HS256 tokens are JWT_SECRET's/,
    )
    expect(() => loadConfig({ ...env, AUTH_ALGORITHMS: 'none' })).toThrow(/AUTH_ALGORITHMS: none not accepted/)
    expect(() => loadConfig({ AUTH_ISSUER: 'https://login.example.org' })).toThrow(/AUTH_AUDIENCE is required/)
    expect(() => loadConfig({ ...env, AUTH_ROLE_MAP: 'newsroom=owner' })).toThrow(/AUTH_ROLE_MAP: "newsroom=owner"/)

    // the server as `npm start` runs it stops before listening, with the reason in its output
    await expect(spawnServer({ ...env, AUTH_ALGORITHMS: 'HS256' })).rejects.toThrow(
      /the server exited \(1\)[\s\S]*AUTH_ALGORITHMS: HS256 not accepted for OIDC tokens/,
    )
  })
})
