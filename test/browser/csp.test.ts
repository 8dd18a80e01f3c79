// The Content-Security-Policy of the pages the server renders (src/server/csp.ts), in headless
// Chromium: GraphiQL runs under its policy (its editor and workers, a query over HTTP, a socket to
// its own origin) with nothing refused, while a script it did not serve and a connection elsewhere
// are refused (eval too: script-src holds one hash and nothing else, which the first test checks;
// code run through playwright's evaluate is not held to the page's policy, so it cannot show it);
// /ticker has its own, strict in the same way.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, startSeededServer, type SeededServer } from '../helpers/browser.js'

let server: SeededServer
let browser: Browser
let origin: string

beforeAll(async () => {
  server = await startSeededServer()
  origin = server.origin
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.app.close()
  await server?.close()
})

/** A policy's directives, by name. */
function directives(policy: string | null): Record<string, string[]> {
  expect(policy).toBeTruthy()
  return Object.fromEntries(
    policy!
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...sources]) => [name, sources]),
  )
}

/** A page on which every CSP violation and every console error is recorded. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]>; consoleErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  await page.addInitScript(() => {
    const seen: string[] = ((globalThis as any).__violations = [])
    ;(globalThis as any).addEventListener('securitypolicyviolation', (event: any) =>
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
    )
  })
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  return { page, violations: () => page.evaluate(() => (globalThis as any).__violations as string[]), consoleErrors }
}

describe('GraphiQL', () => {
  it('is served with a policy that allows its own inline script by hash only', async () => {
    const response = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    const policy = directives(response.headers.get('content-security-policy'))
    expect(policy['default-src']).toEqual(["'none'"])
    expect(policy['script-src']).toHaveLength(1)
    expect(policy['script-src'][0]).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/)
    expect(policy).toMatchObject({
      'connect-src': ["'self'"],
      'worker-src': ['blob:'],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
    })
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('runs under it: editor, workers, a query over HTTP and a socket to its own origin, nothing refused', async () => {
    const { page, violations, consoleErrors } = await watchedPage()
    expect((await page.goto(`${origin}/graphql`))?.status()).toBe(200)
    await page.locator('section[aria-label="Operation Editor"] .monaco-editor .view-lines').waitFor()
    const sent = page.waitForResponse(
      (r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('query FrontPage'),
    )
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click()
    expect((await sent).status()).toBe(200)
    await expect
      .poll(() => page.locator('section[aria-label="Result Window"] .monaco-editor .view-lines').innerText(), {
        timeout: 30_000,
      })
      .toContain('"totalCount"')

    // a socket to the page's own origin (ws:), as GraphiQL opens for subscriptions
    const socketUrl = `${origin.replace(/^http:/, 'ws:')}/graphql`
    const ack = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new (globalThis as any).WebSocket(url, 'graphql-transport-ws')
          socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }))
          socket.onmessage = (event: { data: string }) => {
            resolve(JSON.parse(event.data).type)
            socket.close()
          }
          socket.onerror = () => resolve('error')
        }),
      socketUrl,
    )
    expect(ack).toBe('connection_ack')
    expect(await violations()).toEqual([])
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([])
    await page.close()
  })

  it('refuses a script it did not serve and connections to other origins', async () => {
    const { page, violations } = await watchedPage()
    await page.goto(`${origin}/graphql`)
    await page.locator('section[aria-label="Operation Editor"] .monaco-editor .view-lines').waitFor()
    const outcome = await page.evaluate(async () => {
      const g = globalThis as any
      const script = g.document.createElement('script')
      script.textContent = 'globalThis.__injected = 1'
      g.document.head.appendChild(script)
      let fetched = 'fetched'
      try {
        await g.fetch('http://127.0.0.2:9/elsewhere')
      } catch (error) {
        fetched = (error as Error).name
      }
      return { injected: g.__injected ?? null, fetched }
    })
    expect(outcome).toEqual({ injected: null, fetched: 'TypeError' })
    await expect.poll(violations).toEqual(['script-src-elem inline', 'connect-src http://127.0.0.2:9/elsewhere'])
    await page.close()
  })
})

describe('/ticker', () => {
  it('has a policy of the same helper: its script and style by hash, its own origin to talk to', async () => {
    const response = await fetch(`${origin}/ticker`)
    const policy = directives(response.headers.get('content-security-policy'))
    expect(policy['default-src']).toEqual(["'none'"])
    expect(policy['script-src']).toEqual([expect.stringMatching(/^'sha256-/)])
    expect(policy['style-src']).toEqual([expect.stringMatching(/^'sha256-/)])
    expect(policy).toMatchObject({
      'connect-src': ["'self'"],
      'form-action': ["'self'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
    })
  })
})
