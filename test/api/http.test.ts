// The HTTP surface on a real listening socket: liveness, readiness (and its loss when the database
// goes), GraphiQL, GraphQL over POST and GET, the X-Request-Id header, and 404s.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/server/app.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface Listening {
  server: Server
  url: string
}

async function listen(db: TestDatabase): Promise<Listening> {
  const { server } = createApp({ db, logger: pino({ level: 'silent' }) })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}` }
}

async function stop(listening: Listening | undefined) {
  if (!listening) return
  listening.server.closeAllConnections()
  await new Promise<void>((resolve) => listening.server.close(() => resolve()))
}

function post(url: string, query: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query }),
  })
}

let db: TestDatabase
let app: Listening

beforeAll(async () => {
  db = await createTestDatabase()
  app = await listen(db)
})
afterAll(async () => {
  await stop(app)
  await db?.drop()
})

describe('liveness and readiness', () => {
  it('GET /health is 200', async () => {
    const response = await fetch(`${app.url}/health`)
    expect(response.status).toBe(200)
  })

  it('GET /ready is 200 while the database answers', async () => {
    const response = await fetch(`${app.url}/ready`)
    expect(response.status).toBe(200)
  })

  describe('when the database is gone', () => {
    let gone: TestDatabase
    let goneApp: Listening

    beforeAll(async () => {
      gone = await createTestDatabase()
      goneApp = await listen(gone)
    })
    afterAll(async () => {
      await stop(goneApp)
      await gone?.drop().catch(() => {}) // closed already: the embedded one cannot close twice
    })

    it('GET /ready turns 503, while /health stays 200', async () => {
      expect((await fetch(`${goneApp.url}/ready`)).status).toBe(200)
      await gone.close()
      const ready = await fetch(`${goneApp.url}/ready`)
      expect(ready.status).toBe(503)
      expect(ready.ok).toBe(false)
      expect((await fetch(`${goneApp.url}/health`)).status).toBe(200)
    })
  })
})

describe('GraphiQL', () => {
  it('is served at /graphql to a browser', async () => {
    const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await response.text()
    expect(html).toMatch(/graphiql/i)
    expect(html).toContain('News graph')
  })
})

describe('GraphQL over HTTP', () => {
  it('answers a POST with JSON', async () => {
    const response = await post(app.url, '{ __typename stories(first: 1) { totalCount } }')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ data: { __typename: 'Query', stories: { totalCount: 0 } } })
  })

  it('answers a GET with the query in the URL (without credentials, no CSRF header needed)', async () => {
    const response = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{__typename}')}`, {
      headers: { accept: 'application/json' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } })
  })

  it('answers an unknown path with 404', async () => {
    for (const path of ['/nope', '/graphql/nope', '/healthz']) {
      const response = await fetch(`${app.url}${path}`)
      expect(response.status, path).toBe(404)
      await response.arrayBuffer()
    }
  })
})

describe('X-Request-Id', () => {
  const idOf = async (headers: Record<string, string> = {}) => {
    const response = await post(app.url, '{ __typename }', headers)
    expect(response.status).toBe(200)
    await response.arrayBuffer()
    return response.headers.get('x-request-id')
  }

  it.each([
    ['a plain id', 'req-42'],
    ['dots, colons and underscores', 'edge.7f3a:client_B-01'],
    ['128 characters, the longest allowed', 'a'.repeat(128)],
  ])('echoes a sane one: %s', async (_, id) => {
    expect(await idOf({ 'x-request-id': id })).toBe(id)
  })

  it('is a fresh UUID for each request that sends none', async () => {
    const first = await idOf()
    const second = await idOf()
    expect(first).toMatch(UUID)
    expect(second).toMatch(UUID)
    expect(second).not.toBe(first)
  })

  it('comes on every response, not only GraphQL ones', async () => {
    for (const [path, accept] of [
      ['/health', '*/*'],
      ['/ready', '*/*'],
      ['/nope', '*/*'],
      ['/graphql', 'text/html'],
    ]) {
      const given = await fetch(`${app.url}${path}`, { headers: { accept, 'x-request-id': 'probe-1' } })
      await given.arrayBuffer()
      expect(given.headers.get('x-request-id'), path).toBe('probe-1')
      const fresh = await fetch(`${app.url}${path}`, { headers: { accept } })
      await fresh.arrayBuffer()
      expect(fresh.headers.get('x-request-id'), path).toMatch(UUID)
    }
  })

  it.each([
    ['300 characters', 'r'.repeat(300)],
    ['129 characters', 'a'.repeat(129)],
    ['spaces', 'my request id'],
    ['a header injection attempt', 'abc;def<script>'],
  ])('is replaced by a fresh UUID when insane: %s', async (_, id) => {
    const echoed = await idOf({ 'x-request-id': id })
    expect(echoed).toMatch(UUID)
    expect(echoed).not.toBe(id)
  })
})
