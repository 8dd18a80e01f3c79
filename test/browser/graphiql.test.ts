// GraphiQL in a real browser (Debian's Chromium, driven by playwright-core): the page renders
// without any outside network, opens with the example query, and running it shows the seeded graph.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, print } from 'graphql'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE_QUERY } from '../../src/server/example-query.js'
import { launchChromium, startSeededServer, type SeededServer } from '../helpers/browser.js'

const SCREENSHOT = process.env.GRAPHIQL_SCREENSHOT ?? join(tmpdir(), 'graphiql.png')

interface FrontPage {
  stories: { totalCount: number; edges: { node: { headline: string } }[] }
}

let server: SeededServer
let app: SeededServer['app']
let browser: Browser
let page: Page
let origin: string
/** requests the page made to anywhere but our server (data: and blob: URLs aside) */
const outside: string[] = []
const failed: string[] = []
const pageErrors: string[] = []

beforeAll(async () => {
  server = await startSeededServer()
  ;({ app, origin } = server)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.push(url)
  })
  page.on('requestfailed', (request) => failed.push(`${request.url().slice(0, 200)}: ${request.failure()?.errorText}`))
  page.on('pageerror', (error) => pageErrors.push(error.message))
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** The text a Monaco editor inside `section` shows, whitespace collapsed. */
async function editorText(section: string) {
  const text = await page.locator(`${section} .monaco-editor .view-lines`).innerText()
  return collapse(text)
}

const collapse = (text: string) =>
  text
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

describe('GraphiQL at /graphql', () => {
  it('renders offline, opens with the example query and runs it against the seeded graph', async () => {
    // What the example query returns, asked without the browser.
    const direct = await app.yoga.fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: EXAMPLE_QUERY }),
    })
    const expected = ((await direct.json()) as { data: FrontPage }).data.stories
    expect(expected.totalCount).toBeGreaterThan(0)
    const firstHeadline = expected.edges[0].node.headline

    const response = await page.goto(`${origin}/graphql`)
    expect(response?.status()).toBe(200)

    // The editor is up and holds the default query.
    const queryEditor = 'section[aria-label="Operation Editor"]'
    await page.locator(`${queryEditor} .monaco-editor .view-lines`).waitFor()
    await expect.poll(() => editorText(queryEditor), { timeout: 30_000 }).toBe(collapse(EXAMPLE_QUERY))
    expect(await page.title()).toBe('News graph')

    // Run it with the toolbar's execute button, and see the request that goes out.
    const execute = page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' })
    await execute.waitFor()
    const sent = page.waitForResponse(
      (r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('query FrontPage'),
    )
    await execute.click()
    const executed = await sent
    expect(executed.status()).toBe(200)
    // (GraphiQL sends the operation compacted: compare documents, not text)
    expect(print(parse((executed.request().postDataJSON() as { query: string }).query))).toBe(
      print(parse(EXAMPLE_QUERY)),
    )

    // The result pane shows the seeded graph.
    const resultWindow = 'section[aria-label="Result Window"]'
    await expect
      .poll(() => editorText(resultWindow), { timeout: 30_000 })
      .toContain(`"totalCount": ${expected.totalCount}`)
    const result = await editorText(resultWindow)
    expect(result).toContain(`"headline": ${JSON.stringify(firstHeadline)}`)
    expect(result).not.toContain('"errors"')

    await page.screenshot({ path: SCREENSHOT })

    // Everything came from our server: no CDN, nothing failed, no script errors.
    expect(outside).toEqual([])
    expect(failed).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
