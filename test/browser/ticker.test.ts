// The live ticker at /ticker in a real browser (Debian's Chromium, driven by playwright-core): an
// editor publishes an urgent story through the API and it appears, with its headline (as text,
// never markup) and tags; a retraction strikes it through; after the page's streams are dropped,
// it resumes from its cursors and shows what was published meanwhile, once.
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole } from '../helpers/api.js'
import { gqlOver, launchChromium, publishStoryOver, startSeededServer, type SeededServer } from '../helpers/browser.js'

const SCREENSHOT = process.env.TICKER_SCREENSHOT ?? join(tmpdir(), 'ticker.png')

let server: SeededServer
let browser: Browser
let page: Page
let origin: string
let editor: Record<string, string>
/** requests the page made to anywhere but our server */
const outside: string[] = []
const pageErrors: string[] = []
const consoleErrors: string[] = []

beforeAll(async () => {
  server = await startSeededServer()
  origin = server.origin
  await server.app.feedStarted
  editor = await asRole('editor')
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) outside.push(request.url())
  })
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.app.feed.stop()
  await server?.close()
})

let count = 0
/** An editor creates and publishes a story (through the API, not the page). */
async function publish(headline: string, urgency: number, tags: string[]): Promise<string> {
  return publishStoryOver(origin, editor, { slug: `ticker-${++count}`, headline, urgency, tags })
}

/** A GraphQL request to the listening server, as an editor; fails the test on any error. */
const gql = (query: string, variables: Record<string, unknown> = {}) => gqlOver(origin, editor, query, variables)

const items = () => page.locator('#items > li.item')
const item = (storyId: string) => page.locator(`#items > li.item[data-story="${storyId}"]`)
const statusText = () => page.locator('#status').textContent()
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 50 })

describe('the live ticker at /ticker', () => {
  it('shows breaking news as it is published, strikes a retraction, and resumes after a drop', async () => {
    const response = await page.goto(`${origin}/ticker`)
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-type']).toMatch(/^text\/html/)
    expect(await page.title()).toBe('Live ticker · News graph')
    await poll(statusText).toBe('Live')

    // Below the ticker's urgency (5 by default): not shown. Then an urgent story, whose headline
    // looks like markup: shown as text.
    const quiet = await publish('A quiet story nobody should see here', 8, ['gaza'])
    const headline = 'Ceasefire <em>collapses</em> in Gaza & talks halt'
    const urgent = await publish(headline, 4, ['gaza', 'ceasefire'])

    await poll(() => items().count()).toBe(1)
    const row = item(urgent)
    expect(await row.locator('.headline').textContent()).toBe(headline)
    expect(await row.locator('.headline em').count()).toBe(0)
    expect(await row.locator('.urgency').textContent()).toBe('4')
    expect(await row.locator('.tags li').allTextContents()).toEqual(['Gaza', 'Ceasefire'])
    expect(await row.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(await item(quiet).count()).toBe(0)
    const textDecoration = () =>
      row.locator('.headline').evaluate((el) => (globalThis as any).getComputedStyle(el).textDecorationLine as string)
    expect(await textDecoration()).toBe('none')

    // A retraction (which also withdraws the story) strikes the item through, with a note.
    const { addCorrection } = await gql(
      `mutation($id: ID!) { addCorrection(storyId: $id, kind: RETRACTION, text: "The talks did not halt; the report was wrong.") { __typename } }`,
      { id: urgent },
    )
    expect(addCorrection.__typename).toBe('Story')
    await poll(() => row.getAttribute('class')).toContain('struck')
    expect(await textDecoration()).toContain('line-through')
    expect(await row.locator('.note').allTextContents()).toEqual([
      'Retracted: The talks did not halt; the report was wrong.',
    ])

    // The streams drop (every connection to the server closed); a story published meanwhile
    // arrives after the page resubscribes with its cursors, and nothing comes twice.
    const breakingCursor = await page.locator('body').getAttribute('data-breaking-cursor')
    expect(breakingCursor).toMatch(/^\d+$/)
    server.app.server.closeAllConnections()
    await poll(statusText).toBe('Reconnecting…')
    const later = await publish('Aid convoys reach the north after the ceasefire holds', 2, ['gaza'])
    await poll(() => item(later).count()).toBe(1)
    await poll(statusText).toBe('Live')
    // nothing twice: the stream delivers in order, so a repeat of what came before would come
    // before a story published last (where a fixed wait would only hope it had come by then)
    const last = await publish('Crossings reopen as the truce holds', 3, ['gaza'])
    await poll(() => item(last).count()).toBe(1)
    expect(await items().count()).toBe(3)
    const cursors = await items().evaluateAll((rows) => rows.map((r) => (r as any).dataset.cursor as string))
    expect(new Set(cursors).size).toBe(3)
    expect(BigInt(cursors[0])).toBeGreaterThan(BigInt(cursors[1])) // newest first
    expect(BigInt(cursors[1])).toBeGreaterThan(BigInt(cursors[2]))
    expect(await items().evaluateAll((rows) => rows.map((r) => (r as any).dataset.story as string))).toEqual([
      last,
      later,
      urgent,
    ])
    expect(await item(later).locator('.urgency').textContent()).toBe('2')
    expect(await item(urgent).getAttribute('class')).toContain('struck')
    expect(await item(later).getAttribute('class')).not.toContain('struck')

    await mkdir(dirname(SCREENSHOT), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })

    // Everything came from our server, and nothing went wrong in the page (a CSP violation would
    // be logged here); the drop itself may log the interrupted streams.
    expect(outside).toEqual([])
    expect(pageErrors).toEqual([])
    expect(consoleErrors.filter((m) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|net::ERR_/.test(m))).toEqual([])
  })

  it('takes its urgency from the query string', async () => {
    const other = await browser.newPage()
    try {
      await other.goto(`${origin}/ticker?minUrgency=2&tags=wildlife`)
      await expect.poll(() => other.locator('#status').textContent(), { timeout: 15_000 }).toBe('Live')
      expect(await other.locator('#range').textContent()).toBe('urgency 1–2')
      expect(await other.locator('select[name=minUrgency]').inputValue()).toBe('2')
      const filed = await publish('Rare owls return to the valley', 1, ['wildlife'])
      await publish('Another Gaza story, outside this ticker’s tags', 1, ['gaza'])
      await publish('A wildlife story below the urgency', 3, ['wildlife'])
      // the two between are not shown: a matching story published after them comes after them
      // (the stream delivers in order), so once it is shown, they would have been too
      const last = await publish('Beavers build a dam in the valley', 2, ['wildlife'])
      await expect
        .poll(() => other.locator(`#items > li.item[data-story="${last}"]`).count(), { timeout: 15_000 })
        .toBe(1)
      expect(await other.locator(`#items > li.item[data-story="${filed}"]`).count()).toBe(1)
      expect(await other.locator('#items > li.item .headline').allTextContents()).toEqual([
        'Beavers build a dam in the valley',
        'Rare owls return to the valley',
      ])
    } finally {
      await other.close()
    }
  })

  it('strikes what a correction supersedes and shows the corrected story as a new item', async () => {
    const other = await browser.newPage()
    try {
      await other.goto(`${origin}/ticker`)
      await expect.poll(() => other.locator('#status').textContent(), { timeout: 15_000 }).toBe('Live')
      const id = await publish('Talks resume in Cairo', 3, ['ceasefire'])
      const rows = other.locator(`#items > li.item[data-story="${id}"]`)
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1)
      await gql(
        `mutation($id: ID!) { addCorrection(storyId: $id, kind: CORRECTION, text: "The talks resumed in Doha, not Cairo.") { __typename } }`,
        { id },
      )
      // breakingNews brings the corrected story (newest, not struck); correctionPublished strikes the item before it
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2)
      await expect.poll(() => rows.nth(1).getAttribute('class'), { timeout: 15_000 }).toContain('struck')
      expect(await rows.nth(1).locator('.note').allTextContents()).toEqual([
        'Corrected: The talks resumed in Doha, not Cairo.',
      ])
      expect(await rows.nth(0).getAttribute('class')).not.toContain('struck')
      expect(await rows.nth(0).locator('.kind').textContent()).toBe('corrected')
    } finally {
      await other.close()
    }
  })
})
