// A Server-Sent Events client that stops reading is held to the WebSocket's byte budget
// (src/server/event-streams.ts): once more than sendBufferCap bytes wait for it, its stream ends
// with SLOW_SUBSCRIBER after every message it holds, and it resumes by cursor, nothing lost.
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { createApp } from '../../src/server/app.js'
import { asRole, listening } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { httpStream, nextPayloads, publishStory, until, type HttpStream } from '../helpers/live-clients.js'

const CAP = 64 * 1024
const PUBLISHED = `subscription($since: String) { storyPublished(since: $since) { cursor story { headline body { paragraphs } } } }`

let db: TestDatabase
let app: ReturnType<typeof createApp>
let origin: string
let editor: Record<string, string>
const streams: HttpStream[] = []

beforeAll(async () => {
  db = await createTestDatabase('postgres')
  await seedSampleGraph(db.prisma)
  const config = { ...loadConfig(), RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0, RESPONSE_CACHE_TTL_MS: 0 }
  app = createApp({ db, logger: pino({ level: 'silent' }), config, schedule: false, sendBufferCap: CAP })
  origin = await listening(app)
  editor = await asRole('editor', 'slow-streams-editor')
})
afterAll(async () => {
  for (const s of streams) s.close()
  await app?.close()
  await db?.drop()
})

describe('a paused SSE client', () => {
  it('has its stream ended with SLOW_SUBSCRIBER once more than sendBufferCap bytes wait, after every message it holds; it resumes by cursor', async () => {
    const paused = await httpStream(origin, { query: PUBLISHED })
    streams.push(paused)
    expect(paused.status).toBe(200)
    await until(() => app.feed.subscribers === 1) // subscribed
    paused.response.pause() // stops reading: the kernel's buffers fill, then what the server holds

    // each story's body ten paragraphs of 20 000 characters (~200 kB): the budget is a few of them
    const paragraphs = Array.from({ length: 10 }, () => 'x'.repeat(20_000))
    const headlines: string[] = []
    for (let i = 0; i < 100 && app.feed.subscribers === 1; i++)
      headlines.push(await publishStory(origin, editor, 'gaza', paragraphs))
    // the server let go of the subscription, with far fewer than the 1,000 messages a subscriber may queue
    await until(() => app.feed.subscribers === 0)
    expect(headlines.length).toBeLessThan(100)
    headlines.push(await publishStory(origin, editor, 'gaza', paragraphs)) // after the end

    paused.response.resume()
    await paused.ended
    const events = paused.events()
    expect(events.at(-1)).toBe('event: complete\ndata:')
    const payloads = nextPayloads(events)
    expect(payloads.at(-1)).toEqual({
      errors: [
        {
          message: `This stream fell more than ${CAP} bytes behind and was ended; subscribe again with \`since\` set to the last cursor received.`,
          extensions: { code: 'SLOW_SUBSCRIBER' },
        },
      ],
    })
    // every message it got came before the end, in order; resumed from the last cursor, the rest
    // comes, nothing twice
    const got = payloads.slice(0, -1).map((p) => p.data.storyPublished)
    expect(got.length).toBeGreaterThan(0)
    expect(got.map((m: any) => m.story.headline)).toEqual(headlines.slice(0, got.length))
    expect(headlines.length - got.length).toBeGreaterThanOrEqual(2) // the one refused at the budget, the one after the end
    const again = await httpStream(origin, { query: PUBLISHED, variables: { since: got.at(-1).cursor } })
    streams.push(again)
    await until(() => nextPayloads(again.events()).length === headlines.length - got.length)
    expect(nextPayloads(again.events()).map((p) => p.data.storyPublished.story.headline)).toEqual(
      headlines.slice(got.length),
    )
  })
})
