// What the browser tests share: the app on the seeded in-memory database, listening on a port of
// its own, and headless Chromium (CHROMIUM_PATH or Debian's /usr/bin/chromium, driven by playwright-core).
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { pino } from 'pino'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createApp } from '../../src/server/app.js'
import { expect } from 'vitest'
import { createTestDatabase, type TestDatabase } from './database.js'

export interface SeededServer {
  db: TestDatabase
  app: ReturnType<typeof createApp>
  /** http://127.0.0.1:port */
  origin: string
  /** Stops the server and drops the database. */
  close(): Promise<void>
}

/** The app on a fresh in-memory database with the sample graph, listening on 127.0.0.1 at a free port. */
export async function startSeededServer(): Promise<SeededServer> {
  const db = await createTestDatabase('embedded')
  let app: ReturnType<typeof createApp> | undefined
  async function close() {
    if (app) {
      app.server.closeAllConnections()
      await new Promise<void>((resolve) => app!.server.close(() => resolve()))
    }
    await db.drop()
  }
  try {
    await seedSampleGraph(db.prisma)
    app = createApp({ db, logger: pino({ level: 'silent' }) })
    const server = app.server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return { db, app, origin, close }
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
}

/** Headless Chromium, without its own background traffic (updates, sync, QUIC). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  })
}

/** Runs an operation against a listening server over HTTP, as the holder of `headers`; it must succeed. */
export async function gqlOver(
  origin: string,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  })
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] }
  expect(body.errors).toBeUndefined()
  return body.data!
}

/** An editor creates and publishes a story filed under the tags (slugs), through the API; returns its global id. */
export async function publishStoryOver(
  origin: string,
  editor: Record<string, string>,
  story: { slug: string; headline: string; urgency: number; tags: string[] },
): Promise<string> {
  const run = (query: string, variables?: Record<string, unknown>) => gqlOver(origin, editor, query, variables)
  const tagIds = await Promise.all(
    story.tags.map(async (slug) => (await run(`query($s: String!) { tag(slug: $s) { id } }`, { s: slug })).tag.id),
  )
  const { createStory } = await run(
    `mutation($input: StoryInput!) { createStory(input: $input) { __typename ... on Story { id version } ... on Error { code message } } }`,
    { input: { slug: story.slug, headline: story.headline, urgency: story.urgency, tagIds } },
  )
  expect(createStory.__typename).toBe('Story')
  const { publishStory } = await run(
    `mutation($id: ID!, $v: Int!) { publishStory(id: $id, version: $v) { __typename } }`,
    {
      id: createStory.id,
      v: createStory.version,
    },
  )
  expect(publishStory.__typename).toBe('Story')
  return createStory.id
}
