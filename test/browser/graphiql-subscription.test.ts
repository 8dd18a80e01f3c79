// The README's "Live" walk-through in GraphiQL, in headless Chromium: the `breakingNews`
// subscription (pasted as printed in the README) runs over the WebSocket at /graphql, with the
// graphql-transport-ws protocol (connection_init, then subscribe), not over HTTP; an editor then
// publishes an urgent story through the API and its headline appears in the result pane.
import { mkdir } from 'node:fs/promises'
import { docsText } from '../helpers/docs.js'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse, print } from 'graphql'
import type { Browser, BrowserContext, Page, WebSocket } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole } from '../helpers/api.js'
import { launchChromium, publishStoryOver, startSeededServer, type SeededServer } from '../helpers/browser.js'

const SCREENSHOT = process.env.GRAPHIQL_SUBSCRIPTION_SCREENSHOT ?? join(tmpdir(), 'graphiql-subscription.png')

type Json = Record<string, any>

let server: SeededServer
let browser: Browser
let origin: string
let editor: Record<string, string>
/** The README's Live section's subscription, as printed there. */
let subscription: string

/** The first GraphQL block of the README's "## Live" section. */
async function readmeLiveSubscription(): Promise<string> {
  const readme = docsText()
  const start = readme.indexOf('\n## Live\n')
  expect(start, 'the README\'s "## Live" section').toBeGreaterThanOrEqual(0)
  const end = readme.indexOf('\n## ', start + 1)
  const section = readme.slice(start, end < 0 ? undefined : end)
  const block = /```graphql\n([\s\S]*?)```/.exec(section)?.[1]
  expect(block, 'a graphql block in the Live section').toBeDefined()
  return block!
}

beforeAll(async () => {
  subscription = await readmeLiveSubscription()
  server = await startSeededServer()
  origin = server.origin
  await server.app.feedStarted
  editor = await asRole('editor', 'desk-editor')
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  // the feed, scheduler, notifier and WebSocket server too (the helper stops only HTTP and the database)
  await server?.app.close()
  await server?.close()
})

/** GraphiQL's Monaco editors, by the end of their model's URI. */
const EDITORS = { query: 'operation.graphql', result: 'response.json' } as const
type EditorName = keyof typeof EDITORS

/** What the page's globals look like to us (the test is compiled without the DOM library). */
interface PageGlobals {
  __MONACO: { editor: { getModels(): { uri: { toString(): string }; getValue(): string }[] } }
  navigator: { clipboard: { writeText(text: string): Promise<void> } }
}

/** A GraphQL request to the listening server, as an editor; fails the test on any error. */
/** An editor creates and publishes a story (through the API, not the page). */
async function publish(headline: string, urgency: number, tags: string[]): Promise<void> {
  await publishStoryOver(origin, editor, { slug: 'graphiql-subscription-flash', headline, urgency, tags })
}

interface Socket {
  url: string
  sent: Json[]
  received: Json[]
  closed: boolean
}

describe("GraphiQL runs the README's breakingNews subscription", () => {
  it('over the WebSocket (graphql-transport-ws), and shows an urgent story as it is published', async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
    const page: Page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))

    // every WebSocket the page opens, with its frames (as JSON), and every HTTP request it makes
    const sockets: Socket[] = []
    page.on('websocket', (ws: WebSocket) => {
      const socket: Socket = { url: ws.url(), sent: [], received: [], closed: false }
      sockets.push(socket)
      const json = (payload: string | Buffer) => JSON.parse(payload.toString()) as Json
      ws.on('framesent', ({ payload }) => socket.sent.push(json(payload)))
      ws.on('framereceived', ({ payload }) => socket.received.push(json(payload)))
      ws.on('close', () => (socket.closed = true))
    })
    const httpBodies: string[] = []
    page.on('request', (request) =>
      httpBodies.push(
        `${request.method()} ${request.url()} ${request.headers().accept ?? ''} ${request.postData() ?? ''}`,
      ),
    )

    expect((await page.goto(`${origin}/graphql`))?.status()).toBe(200)
    const editorOf = (name: EditorName) => page.locator(`.monaco-editor[data-uri$="-${EDITORS[name]}"]`)
    await editorOf('query').locator('.view-lines').waitFor()

    /** The whole text of an editor (its model: Monaco renders only the lines in view). */
    async function editorValue(name: EditorName) {
      const uri = await editorOf(name).getAttribute('data-uri')
      return page.evaluate((uri) => {
        const model = (globalThis as unknown as PageGlobals).__MONACO.editor
          .getModels()
          .find((m) => m.uri.toString() === uri)
        if (!model) throw new Error(`no Monaco model ${uri}`)
        return model.getValue()
      }, uri)
    }
    /** The lines an editor shows on screen, whitespace collapsed. */
    const shown = async (name: EditorName) =>
      (await editorOf(name).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ')

    // paste the README's subscription into the query editor (Ctrl+V: typing would auto-indent)
    await page.evaluate(
      (text) => (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(text),
      subscription,
    )
    await editorOf('query').locator('.view-lines').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Control+V')
    await expect
      .poll(() => editorValue('query'), { message: 'query editor after pasting', timeout: 10_000 })
      .toBe(subscription)

    // GraphiQL takes in an edit 100 ms later (parses it, picks the operation and saves the tab);
    // Execute before that would run the new document with the old operation's name ("FrontPage",
    // of the default query), which fails with "Cannot infer operation FrontPage". Wait until the
    // saved tab holds the subscription, with its operation name.
    const savedTab = () =>
      page.evaluate(() => {
        const saved = JSON.parse((globalThis as any).localStorage.getItem('graphiql:tabState') ?? 'null')
        const tab = saved?.tabs?.[saved.activeTabIndex]
        return tab ? { query: tab.query, operationName: tab.operationName } : null
      })
    await expect
      .poll(savedTab, { message: "GraphiQL's saved tab", timeout: 10_000 })
      .toEqual({ query: subscription, operationName: 'BreakingNews' })

    // Execute: GraphiQL opens a WebSocket to ws://127.0.0.1:<port>/graphql and subscribes there
    const subscribers = server.app.feed.subscribers
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click()
    /** the frames' types, without keep-alive pings and pongs */
    const types = (frames: Json[]) => frames.map((m) => m.type).filter((type) => type !== 'ping' && type !== 'pong')
    const wsUrl = `${origin.replace(/^http:/, 'ws:')}/graphql`
    await expect
      .poll(() => sockets.map((s) => ({ url: s.url, sent: types(s.sent), received: types(s.received) })), {
        message: "the page's WebSockets and the types of their frames",
        timeout: 15_000,
      })
      .toEqual([{ url: wsUrl, sent: ['connection_init', 'subscribe'], received: ['connection_ack'] }])
    const [socket] = sockets
    const subscribe = socket.sent[1]
    expect(subscribe).toMatchObject({
      type: 'subscribe',
      id: expect.any(String),
      payload: { query: expect.any(String) },
    })
    expect(print(parse(subscribe.payload.query))).toBe(print(parse(subscription)))
    // nothing of the subscription went over HTTP (no SSE, no POST)
    expect(httpBodies.filter((line) => line.includes('breakingNews') || line.includes('text/event-stream'))).toEqual([])
    // the subscription is live on the server before anything is published
    await expect
      .poll(() => server.app.feed.subscribers, { message: 'change feed subscribers', timeout: 15_000 })
      .toBe(subscribers + 1)

    // an editor publishes a flash (urgency 1) through the API; it arrives on the socket and in the result pane
    const headline = 'Flash: ceasefire agreed in Doha'
    await publish(headline, 1, ['gaza', 'ceasefire'])
    await expect
      .poll(
        () =>
          socket.received.filter((m) => m.type === 'next').map((m) => m.payload?.data?.breakingNews?.story?.headline),
        {
          message: 'next frames on the socket',
          timeout: 15_000,
        },
      )
      .toEqual([headline])
    const next = socket.received.find((m) => m.type === 'next')!
    expect(next.id).toBe(subscribe.id)
    expect(next.payload.data.breakingNews).toMatchObject({
      cursor: expect.stringMatching(/^\d+$/),
      kind: 'story.published',
      story: { headline, urgency: 1, tags: { edges: [{ node: { name: 'Gaza' } }, { node: { name: 'Ceasefire' } }] } },
    })

    const result = async () => JSON.parse((await editorValue('result')) || 'null') as Json | null
    await expect.poll(result, { message: 'the result pane', timeout: 15_000 }).toEqual(next.payload)
    await expect
      .poll(() => shown('result'), { message: 'the result pane on screen', timeout: 15_000 })
      .toContain(`"headline": "${headline}"`)

    await mkdir(dirname(SCREENSHOT), { recursive: true })
    await page.screenshot({ path: SCREENSHOT })
    expect(socket.closed).toBe(false)
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
