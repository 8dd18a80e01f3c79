// The README's "What a change carries" example, run as printed: after the talks move on (an
// editor's changeEventStatus), the subscription opens (`last`) with that change, its status
// from and to, when, and the note.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { allowedTransitions } from '../../src/resolvers/event-status.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, listening, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { sseStream } from '../helpers/sse.js'
import { docsText } from '../helpers/docs.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let origin: string

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  app = testApp(db)
  origin = await listening(app)
})
afterAll(async () => {
  await app?.close()
  await db?.drop()
})

/** The README's GraphQL block that defines `operation`. */
async function readmeBlock(operation: string): Promise<string> {
  const readme = docsText()
  const block = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes(`subscription ${operation} `))
  expect(block, `a README block with subscription ${operation}`).toBeDefined()
  return block!
}

it('shows a status change of the talks with its from and to', async () => {
  const talks = await db.prisma.event.findUniqueOrThrow({
    where: { slug: 'gaza-ceasefire-talks-2025' },
    select: { id: true, version: true, status: true },
  })
  const to = allowedTransitions(talks.status, true)[0]!
  const { data, errors } = await app.run<any, any>(
    `mutation($id: ID!, $version: Int!, $to: EventStatus!) { changeEventStatus(eventId: $id, version: $version, to: $to, note: "Mediators report progress") { __typename } }`,
    {
      id: (await app.run<any, any>(`{ event(slug: "gaza-ceasefire-talks-2025") { id } }`)).data.event.id,
      version: talks.version,
      to,
    },
    await asRole('editor'),
  )
  expect(errors).toBeUndefined()
  expect(data.changeEventStatus.__typename).toBe('Event')

  const stream = sseStream(origin, await readmeBlock('TalksStatus'))
  try {
    await expect.poll(() => stream.received.length, { timeout: 15_000 }).toBeGreaterThan(0)
  } finally {
    stream.close()
  }
  const message = stream.received.at(-1).data.eventUpdated
  expect(message).toMatchObject({
    kind: 'event.status_changed',
    statusChange: { from: talks.status, to, at: expect.stringMatching(/^\d{4}-/), note: 'Mediators report progress' },
  })
})
