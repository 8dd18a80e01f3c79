// Trusted documents, against listening servers on PostgreSQL, over HTTP (POST and GET), Server-Sent
// Events and WebSocket: with TRUSTED_DOCUMENTS_ONLY the public runs only the project's own
// clients' operations (src/clients/*.graphql, listed by `npm run codegen`), by hash or by their
// listed text; anything else is refused before it is parsed; editors send anything. The clients
// themselves work that way: the /ticker page's request, and `npm run ticker` as a process. Without
// the setting, hashes resolve and anything goes.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { printExecutableGraphQLDocument } from '@graphql-tools/documents'
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql'
import { createClient, type Client, type SubscribePayload } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  FrontPageDocument,
  hashOf,
  persistedQuery,
  TickerPageBreakingDocument,
  TickerPageCorrectionsDocument,
} from '../../src/clients/documents.js'
import type { Config } from '../../src/config.js'
import { documentHash, loadTrustedDocuments } from '../../src/server/trusted-documents.js'
import { asRole } from '../helpers/api.js'
import { publishStoryOver } from '../helpers/browser.js'
import { latestCursor } from '../helpers/live.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { docsText } from '../helpers/docs.js'

const NO_RATE_LIMITS: Partial<Config> = { RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0 }
const CLIENTS = new URL('../../src/clients/', import.meta.url)
const REFUSED = {
  errors: [
    {
      message:
        "This server runs only trusted documents for the public: send the hash of a listed document as documentId or extensions.persistedQuery.sha256Hash (or an editor's token).",
      extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' },
    },
  ],
}
const NOT_FOUND = {
  errors: [
    {
      message: 'No trusted document has this hash (documentId, or extensions.persistedQuery.sha256Hash).',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    },
  ],
}
const UNKNOWN_HASH = { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } }

const documents = loadTrustedDocuments()
/** The listed text of one of the clients' operations. */
const listed = (document: Parameters<typeof hashOf>[0]) => documents.get(hashOf(document))!
/** The operations of src/clients/*.graphql as written there, by name. */
const written = new Map(
  readdirSync(CLIENTS)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(readFileSync(new URL(file, CLIENTS), 'utf8')).definitions as OperationDefinitionNode[])
    .map((op) => [op.name!.value, op] as const),
)

let editor: Record<string, string>
const clients: Client[] = []
beforeAll(async () => {
  editor = await asRole('editor', 'trusted-editor')
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()))
})

async function post(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

function overSocket(server: TestServer, payload: SubscribePayload, connectionParams?: Record<string, unknown>) {
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  })
  clients.push(client)
  return new Promise<{ next: unknown[]; error?: unknown }>((resolve) => {
    const next: unknown[] = []
    client.subscribe(payload, {
      next: (m) => next.push(m),
      error: (error) => resolve({ next, error }),
      complete: () => resolve({ next }),
    })
  })
}

describe('the list', () => {
  it('holds every operation of the clients, each under the SHA-256 of its listed text', () => {
    const names = [...documents.values()].map(
      (text) => (parse(text).definitions[0] as OperationDefinitionNode).name!.value,
    )
    expect(names.sort()).toEqual([...written.keys()].sort())
    for (const [hash, text] of documents) expect(documentHash(text)).toBe(hash)
    // each as written now (the list's text is codegen's normalised print): a list made before a
    // client's operation changed fails here
    for (const [name, op] of written) {
      const text = printExecutableGraphQLDocument({ kind: Kind.DOCUMENT, definitions: [op] })
      expect(documents.get(documentHash(text)), `${name} as written is listed`).toBe(text)
    }
  })

  it("holds the README's examples as the README prints them", () => {
    const readme = docsText()
    // every query and subscription of the README's GraphQL blocks, but the editors' walk-through
    // (the block that writes: editors may send any operation)
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((block) => !/\bmutation\b/.test(block))
    const inBlocks = blocks.flatMap((block) => [...block.matchAll(/^(?:query|subscription) (\w+)/gm)].map((m) => m[1]))
    expect(inBlocks).toEqual(
      expect.arrayContaining(['StoryPage', 'Search', 'BreakingNews', 'TalksTimeline', 'MoreNewsExplained']),
    )
    // and the subscription its SSE example sends with curl
    const names = [...inBlocks, 'Headlines']
    for (const name of names) {
      const at = readme.search(new RegExp(`(query|subscription) ${name} \\{`))
      expect(at, `the README prints ${name}`).toBeGreaterThanOrEqual(0)
      const printed = parse(balanced(readme, at)).definitions[0] as OperationDefinitionNode
      expect(printed.kind).toBe(Kind.OPERATION_DEFINITION)
      expect(written.has(name), `${name} is in src/clients`).toBe(true)
      expect(print(printed), name).toBe(print(written.get(name)!))
    }
    // its example of a request by hash names the front page's
    expect(readme).toContain(`"sha256Hash":"${hashOf(FrontPageDocument)}"`)
  })
})

/** The text from `start` to the brace that closes its first opening one. */
function balanced(text: string, start: number): string {
  let depth = 0
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1)
  }
  throw new Error('unbalanced')
}

describe('with TRUSTED_DOCUMENTS_ONLY', () => {
  let server: TestServer
  /** what the front page query answers (as an editor, by its text) */
  let frontPage: unknown
  beforeAll(async () => {
    server = await startTestServer({
      ...NO_RATE_LIMITS,
      NODE_ENV: 'production',
      PUBLIC_INTROSPECTION: false,
      PUBLIC_GRAPHIQL: false,
      TRUSTED_DOCUMENTS_ONLY: true,
    })
    frontPage = (await post(server, { query: listed(FrontPageDocument) }, editor)).body
    expect(frontPage).toMatchObject({ data: { stories: { totalCount: expect.any(Number) } } })
  })
  afterAll(() => server?.close())

  describe('over HTTP', () => {
    it('refuses any other document from the public with 403, before parsing it', async () => {
      expect(await post(server, { query: '{ __typename }' })).toEqual({ status: 403, body: REFUSED })
      // not even parsed: a syntax error gets the same refusal
      expect(await post(server, { query: '{ oops' })).toEqual({ status: 403, body: REFUSED })
      // a listed operation as written, not as listed, is another text
      expect(await post(server, { query: readFileSync(new URL('front-page.graphql', CLIENTS), 'utf8') })).toEqual({
        status: 403,
        body: REFUSED,
      })
      // a text with a listed hash is still judged by its text
      expect(await post(server, { query: '{ __typename }', extensions: persistedQuery(FrontPageDocument) })).toEqual({
        status: 403,
        body: REFUSED,
      })
    })

    it('runs a listed document for the public by its hash, or by its listed text', async () => {
      expect(await post(server, { extensions: persistedQuery(FrontPageDocument) })).toEqual({
        status: 200,
        body: frontPage,
      })
      expect(await post(server, { query: listed(FrontPageDocument) })).toEqual({ status: 200, body: frontPage })
      const url = `${server.origin}/graphql?extensions=${encodeURIComponent(JSON.stringify(persistedQuery(FrontPageDocument)))}`
      const byGet = await fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } })
      expect(byGet.status).toBe(200)
      expect(await byGet.json()).toEqual(frontPage)
    })

    it('refuses an unknown hash with 400', async () => {
      expect(await post(server, { extensions: UNKNOWN_HASH })).toEqual({ status: 400, body: NOT_FOUND })
      expect(await post(server, { extensions: UNKNOWN_HASH }, editor)).toEqual({ status: 400, body: NOT_FOUND })
    })

    it('runs any operation for an editor', async () => {
      expect(await post(server, { query: '{ __typename stories(first: 1) { totalCount } }' }, editor)).toMatchObject({
        status: 200,
        body: { data: { __typename: 'Query', stories: { totalCount: expect.any(Number) } } },
      })
    })

    it('refuses a request with neither a query nor a hash', async () => {
      expect(await post(server, {})).toEqual({
        status: 200,
        body: { errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }] },
      })
    })
  })

  describe('over WebSocket', () => {
    it('refuses any other document from the public, and an unknown hash', async () => {
      expect(await overSocket(server, { query: '{ __typename }' })).toEqual({ next: [], error: REFUSED.errors })
      expect(await overSocket(server, { query: '', extensions: UNKNOWN_HASH })).toEqual({
        next: [],
        error: NOT_FOUND.errors,
      })
    })

    it('runs a listed document for the public by its hash (graphql-ws asks for a query: an empty one), or by its listed text', async () => {
      expect(await overSocket(server, { query: '', extensions: persistedQuery(FrontPageDocument) })).toEqual({
        next: [frontPage],
      })
      expect(await overSocket(server, { query: listed(FrontPageDocument) })).toEqual({ next: [frontPage] })
    })

    it('runs any operation for an editor', async () => {
      expect(await overSocket(server, { query: '{ __typename }' }, { authorization: editor.authorization })).toEqual({
        next: [{ data: { __typename: 'Query' } }],
      })
    })
  })

  describe("the project's clients", () => {
    it('/ticker names its operations by their hashes, and streams over SSE with them', async () => {
      const html = await (await fetch(`${server.origin}/ticker`)).text()
      expect(html).toContain(`"TickerPageBreaking":"${hashOf(TickerPageBreakingDocument)}"`)
      expect(html).toContain(`"TickerPageCorrections":"${hashOf(TickerPageCorrectionsDocument)}"`)
      // the page's request, as its script makes it: opening with the newest items, so that what
      // is published next reaches the stream however late the request arrives
      const controller = new AbortController()
      const response = await fetch(`${server.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          operationName: 'TickerPageBreaking',
          variables: { minUrgency: 5, last: 10 },
          extensions: persistedQuery(TickerPageBreakingDocument),
        }),
        signal: controller.signal,
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
      let text = ''
      const arrived = (async () => {
        while (!text.includes('Trusted ticker item')) {
          const { value, done } = await reader.read()
          if (done) break
          text += value
        }
      })()
      await publishStoryOver(server.origin, editor, {
        slug: 'trusted-ticker-item',
        headline: 'Trusted ticker item',
        urgency: 3,
        tags: ['gaza'],
      })
      await arrived
      controller.abort()
      const event = /event: next\ndata: (.*)\n\n/.exec(text)
      expect(JSON.parse(event![1])).toMatchObject({
        data: {
          breakingNews: {
            cursor: expect.stringMatching(/^\d+$/),
            kind: 'story.published',
            story: { headline: 'Trusted ticker item', urgency: 3 },
          },
        },
      })
    })

    it('`npm run ticker` subscribes by hash and prints what is published', async () => {
      // from the newest cursor (--since), so that what is published next is printed however late
      // its subscription reaches the server
      const since = await latestCursor(server.db)
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/ticker.ts', '--min-urgency', '3', '--since', since],
        {
          env: { ...process.env, TICKER_URL: server.wsUrl },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let out = ''
      let err = ''
      child.stdout.on('data', (chunk) => (out += chunk))
      child.stderr.on('data', (chunk) => (err += chunk))
      try {
        await expect.poll(() => err, { timeout: 20_000, interval: 50 }).toContain('# connected to')
        expect(err).toContain(`since ${since}`)
        await publishStoryOver(server.origin, editor, {
          slug: 'terminal-ticker-item',
          headline: 'Terminal ticker item',
          urgency: 2,
          tags: ['gaza'],
        })
        await expect
          .poll(() => out, { timeout: 15_000, interval: 50 })
          .toMatch(/^\d\d:\d\d:\d\d {2}2 {2}Terminal ticker item {2}\[Gaza\]$/m)
        expect(err).not.toMatch(/error/i)
      } finally {
        child.kill('SIGKILL')
      }
    })
  })
})

describe('without TRUSTED_DOCUMENTS_ONLY', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ ...NO_RATE_LIMITS, TRUSTED_DOCUMENTS_ONLY: false })
  })
  afterAll(() => server?.close())

  it('runs any document from the public, and a listed one by its hash', async () => {
    expect(await post(server, { query: '{ __typename }' })).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    })
    expect(await post(server, { extensions: persistedQuery(FrontPageDocument) })).toMatchObject({
      status: 200,
      body: { data: { stories: { totalCount: expect.any(Number) } } },
    })
    expect(await overSocket(server, { query: '', extensions: persistedQuery(FrontPageDocument) })).toMatchObject({
      next: [{ data: { stories: {} } }],
    })
    expect(await post(server, { extensions: UNKNOWN_HASH })).toEqual({ status: 400, body: NOT_FOUND })
  })
})
