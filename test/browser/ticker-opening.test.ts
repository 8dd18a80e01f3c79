// The tickers open full: stories published before the /ticker page (in Chromium) or `npm run
// ticker` (in a terminal) starts are there at once, newest first, the newest ten of them; a
// retraction committed before the page opened is struck already.
import { spawn } from 'node:child_process'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole } from '../helpers/api.js'
import { gqlOver, launchChromium, publishStoryOver, startSeededServer, type SeededServer } from '../helpers/browser.js'

let server: SeededServer
let browser: Browser
let editor: Record<string, string>
const published: { id: string; headline: string }[] = []

beforeAll(async () => {
  server = await startSeededServer()
  await server.app.feedStarted
  editor = await asRole('editor')
  browser = await launchChromium()
  // twelve urgent stories, the first retracted: the tickers open with the newest ten
  for (let i = 1; i <= 12; i++) {
    const headline = `Opening item ${i}`
    published.push({
      id: await publishStoryOver(server.origin, editor, { slug: `opening-${i}`, headline, urgency: 2, tags: ['gaza'] }),
      headline,
    })
  }
  await gqlOver(
    server.origin,
    editor,
    `mutation($id: ID!) { addCorrection(storyId: $id, kind: RETRACTION, text: "Wrong.") { __typename } }`,
    { id: published[11]!.id },
  )
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the tickers open with the newest items', () => {
  it('/ticker shows them at once, newest first, a retraction already struck', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`${server.origin}/ticker`)
      const headlines = () => page.locator('#items > li.item .headline').allTextContents()
      const newest = published
        .slice(2)
        .map((p) => p.headline)
        .reverse()
      await expect.poll(headlines, { timeout: 15_000 }).toEqual(newest)
      await expect.poll(() => page.locator('#empty').isVisible()).toBe(false)
      const retracted = page.locator(`#items > li.item[data-story="${published[11]!.id}"]`)
      await expect.poll(() => retracted.getAttribute('class'), { timeout: 15_000 }).toContain('struck')
    } finally {
      await page.close()
    }
  })

  it('`npm run ticker` prints them as it starts', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ticker.ts', '--min-urgency', '3'], {
      env: { ...process.env, TICKER_URL: `${server.origin.replace('http', 'ws')}/graphql` },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    try {
      const lines = () => out.split('\n').filter((line) => / {2}Opening item \d+/.test(line))
      await expect.poll(() => lines().length, { timeout: 20_000 }).toBe(10)
      expect(lines().map((line) => /Opening item \d+/.exec(line)![0])).toEqual(
        published.slice(2).map((p) => p.headline),
      )
    } finally {
      child.kill('SIGKILL')
    }
  })
})
