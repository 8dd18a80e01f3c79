// The standards' documents inlined in a page, as JSON-LD is meant to be (Debian's Chromium, driven
// by playwright-core): a story whose headline tries to close the script element and open another
// is published through the API; its /jsonld/… and /ninjs/… documents and a GraphQL answer holding
// Story.jsonLd, each put as served into <script type="application/ld+json">, run nothing and parse
// back to the headline. The same document serialised plainly does run the attacker's script: the
// page would catch a regression.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole } from '../helpers/api.js'
import { launchChromium, publishStoryOver, startSeededServer, type SeededServer } from '../helpers/browser.js'

const HEADLINE = '</script><script>window.__pwned=1</script><!--\u2028 <script>window.__pwned=2</script> & \u2029 end'
const SLUG = 'inline-attempt'

let server: SeededServer
let browser: Browser

beforeAll(async () => {
  server = await startSeededServer()
  await publishStoryOver(server.origin, await asRole('editor'), {
    slug: SLUG,
    headline: HEADLINE,
    urgency: 5,
    tags: [],
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** A page holding `json` in a JSON-LD script element, as a site would inline it; what ran, and
 *  the element's text as the page reads it. */
async function inlined(json: string): Promise<{ pwned: unknown; text: string | null }> {
  // a page of its own each time: setContent writes into the same window, whose globals stay
  const page = await browser.newPage()
  await page.setContent(
    `<!doctype html><html><head><title>story</title>\n<script type="application/ld+json" id="doc">${json}</script>\n` +
      `<script>window.__read = document.getElementById('doc').textContent</script>\n</head><body><p>Story</p></body></html>`,
  )
  try {
    return await page.evaluate(() => ({
      pwned: (window as { __pwned?: unknown }).__pwned ?? null,
      text: (window as { __read?: string }).__read ?? null,
    }))
  } finally {
    await page.close()
  }
}

const served = async (path: string, init?: RequestInit) => (await fetch(`${server.origin}${path}`, init)).text()

describe('documents inlined in a page', () => {
  it.each([
    ['/jsonld/…', () => served(`/jsonld/stories/${SLUG}.json`), (doc: any) => doc.headline],
    ['/ninjs/…', () => served(`/ninjs/stories/${SLUG}.json`), (doc: any) => doc.headlines[0].value],
    [
      'a GraphQL answer with Story.jsonLd',
      () =>
        served('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ story(slug: "${SLUG}") { jsonLd } }` }),
        }),
      (answer: any) => answer.data.story.jsonLd.headline,
    ],
  ])('%s runs nothing and parses back to the headline', async (_, fetchText, headlineOf) => {
    const text = await fetchText()
    const { pwned, text: read } = await inlined(text)
    expect(pwned).toBeNull()
    expect(read).toBe(text)
    expect(headlineOf(JSON.parse(read!))).toBe(HEADLINE)

    // the control: the same document as JSON.stringify writes it breaks out of the element
    expect((await inlined(JSON.stringify(JSON.parse(text)))).pwned).not.toBeNull()
  })
})
