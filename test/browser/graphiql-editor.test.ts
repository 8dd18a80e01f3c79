// An editor works through the README's "From draft to published…" walk-through in GraphiQL, the
// way a person would: the bearer token goes into the Headers pane, each operation of the README's
// block (pasted as printed there) into the query editor, its variables into the Variables pane as
// JSON; the Execute button runs it, and the result pane gives the ids and versions the next step
// needs. On a fresh page, with nothing in the Headers pane, the same Publish answers `Forbidden`.
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, print } from 'graphql'
import type { Browser, BrowserContext, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole } from '../helpers/api.js'
import { launchChromium, startSeededServer, type SeededServer } from '../helpers/browser.js'
import { readmeOperations } from '../helpers/readme.js'

const SCREENSHOT =
  process.env.GRAPHIQL_EDITOR_SCREENSHOT ?? fileURLToPath(new URL('../../tmp/graphiql-editor.png', import.meta.url))

type Json = Record<string, any>

let server: SeededServer
let db: SeededServer['db']
let browser: Browser
let origin: string
/** The README block's operations by name, each as printed there (with its numbered comment). */
let operations: Map<string, string>

beforeAll(async () => {
  operations = await readmeOperations()
  server = await startSeededServer()
  ;({ db, origin } = server)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** GraphiQL's Monaco editors, by the end of their model's URI. */
const EDITORS = {
  query: 'operation.graphql',
  variables: 'variables.json',
  headers: 'request-headers.json',
  result: 'response.json',
} as const
type EditorName = keyof typeof EDITORS

/** What the page's globals look like to us (the test is compiled without the DOM library). */
interface PageGlobals {
  __MONACO: { editor: { getModels(): { uri: { toString(): string }; getValue(): string }[] } }
  navigator: { clipboard: { writeText(text: string): Promise<void> } }
}

/** GraphiQL at /graphql on a page of its own (fresh storage: an empty Headers pane), and what a person does there. */
async function openGraphiQL() {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
  const page: Page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  expect((await page.goto(`${origin}/graphql`))?.status()).toBe(200)

  const editor = (name: EditorName) => page.locator(`.monaco-editor[data-uri$="-${EDITORS[name]}"]`)
  await editor('query').locator('.view-lines').waitFor()

  /** The whole text of an editor (its model: Monaco renders only the lines in view). */
  async function editorValue(name: EditorName) {
    const uri = await editor(name).getAttribute('data-uri')
    return page.evaluate((uri) => {
      const model = (globalThis as unknown as PageGlobals).__MONACO.editor
        .getModels()
        .find((m) => m.uri.toString() === uri)
      if (!model) throw new Error(`no Monaco model ${uri}`)
      return model.getValue()
    }, uri)
  }

  /** The lines an editor shows on screen, whitespace collapsed. */
  async function shown(name: EditorName) {
    return (await editor(name).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ')
  }

  /** Wait until the result pane shows `text` on screen (Monaco paints a frame after its model changes). */
  async function seeInResult(text: string) {
    await expect.poll(() => shown('result'), { message: 'the result pane on screen', timeout: 10_000 }).toContain(text)
  }

  /** Click into the editor and go to its last line (Ctrl+End), as one scrolls to the end of a long result. */
  async function scrollToEnd(name: EditorName) {
    await editor(name).locator('.view-lines').click()
    await page.keyboard.press('Control+End')
  }

  /** Click into the editor, select all, and paste `text` (Ctrl+V from the clipboard: typing would auto-indent). */
  async function paste(name: EditorName, text: string) {
    await page.evaluate((text) => (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(text), text)
    await editor(name).locator('.view-lines').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Control+V')
    await expect.poll(() => editorValue(name), { message: `${name} editor after pasting`, timeout: 10_000 }).toBe(text)
  }

  /** Click into the editor, clear it, and type `text` key by key. */
  async function type(name: EditorName, text: string) {
    await editor(name).locator('.view-lines').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Delete')
    await page.keyboard.type(text)
    await expect.poll(() => editorValue(name), { message: `${name} editor after typing`, timeout: 10_000 }).toBe(text)
  }

  /** The Variables / Headers tabs under the query editor. */
  const tab = (name: 'Variables' | 'Headers') =>
    page.locator('.graphiql-editor-tools').getByRole('button', { name, exact: true })

  const setQuery = (text: string) => paste('query', text)
  async function setVariables(variables: Json) {
    await tab('Variables').click()
    await paste('variables', JSON.stringify(variables, null, 2))
  }
  async function setHeaders(text: string) {
    await tab('Headers').click()
    await type('headers', text)
  }

  /** Press Execute; returns the request GraphiQL sent for `operationName` (not, say, its schema introspection) and the answer. */
  async function run(operationName: string): Promise<{ request: Request; answer: Json }> {
    const execute = page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' })
    const responded = page.waitForResponse(
      (r) =>
        r.url() === `${origin}/graphql` &&
        r.request().method() === 'POST' &&
        (r.request().postDataJSON() as { operationName?: string }).operationName === operationName,
    )
    await execute.click()
    const response = await responded
    return { request: response.request(), answer: (await response.json()) as Json }
  }

  /** The result pane's JSON, once it shows `answer` (the previous step's result may still be there a moment). */
  async function readResult(answer: Json): Promise<Json> {
    await expect
      .poll(async () => JSON.parse((await editorValue('result')) || 'null'), { timeout: 15_000 })
      .toEqual(answer)
    return JSON.parse(await editorValue('result')) as Json
  }

  /** One step of the walk-through: the README's operation and its variables in, Execute, the result pane's JSON out. */
  async function step(name: string, variables: Json = {}) {
    const operation = operations.get(name)!
    await setQuery(operation)
    await setVariables(variables)
    const { request, answer } = await run(name)
    // GraphiQL sent what the panes hold (the operation compacted: compare documents, not text)
    const sent = request.postDataJSON() as { query: string; variables?: Json }
    expect(print(parse(sent.query)), name).toBe(print(parse(operation)))
    expect(sent.variables ?? {}, name).toEqual(variables)
    const result = await readResult(answer)
    return { result, request }
  }

  return {
    page,
    context,
    pageErrors,
    editorValue,
    seeInResult,
    scrollToEnd,
    setQuery,
    setVariables,
    setHeaders,
    run,
    readResult,
    step,
  }
}

let story: { id: string; version: number } | undefined

describe('an editor in GraphiQL, following the README from draft to published', () => {
  it('creates, publishes and corrects a story and resumes the talks, reading each answer off the result pane', async () => {
    expect([...operations.keys()]).toEqual(['FindTalks', 'CreateDraft', 'Publish', 'Correct', 'ResumeTalks'])
    const { authorization } = await asRole('editor', 'desk-editor')
    const gq = await openGraphiQL()

    await gq.setHeaders(`{"Authorization": "${authorization}"}`)
    expect(JSON.parse(await gq.editorValue('headers'))).toEqual({ Authorization: authorization })

    // 1. the talks and the tag, as seeded
    const found = await gq.step('FindTalks')
    expect(found.request.headers().authorization).toBe(authorization)
    expect(found.result.errors).toBeUndefined()
    const { event, tag } = found.result.data
    expect(event).toMatchObject({ id: expect.any(String), version: expect.any(Number), status: 'SCHEDULED' })
    expect(tag).toMatchObject({ id: expect.any(String) })

    // 2. a draft
    const draft = (await gq.step('CreateDraft', { event: event.id, tag: tag.id })).result
    expect(draft.errors).toBeUndefined()
    expect(draft.data.createStory).toMatchObject({
      __typename: 'Story',
      id: expect.any(String),
      status: 'DRAFT',
      version: 1,
    })
    await gq.seeInResult('"status": "DRAFT"')
    const { id } = draft.data.createStory

    // 3. published
    const published = (await gq.step('Publish', { id, version: draft.data.createStory.version })).result
    expect(published.errors).toBeUndefined()
    expect(published.data.publishStory).toMatchObject({
      __typename: 'Story',
      id,
      status: 'PUBLISHED',
      version: 2,
      firstPublishedAt: expect.any(String),
    })
    await gq.seeInResult('"status": "PUBLISHED"')

    // 4. corrected
    const corrected = (await gq.step('Correct', { id })).result
    expect(corrected.errors).toBeUndefined()
    expect(corrected.data.addCorrection).toEqual({
      __typename: 'Story',
      version: 3,
      corrections: { edges: [{ node: { kind: 'CORRECTION', text: 'The talks resumed in Doha, not Cairo.' } }] },
    })
    await gq.seeInResult('"text": "The talks resumed in Doha, not Cairo."')
    story = { id, version: corrected.data.addCorrection.version }

    // 5. the talks resumed, reported by the new story
    const resumed = (await gq.step('ResumeTalks', { event: event.id, version: event.version, story: id })).result
    expect(resumed.errors).toBeUndefined()
    const changed = resumed.data.changeEventStatus
    expect(changed).toMatchObject({ __typename: 'Event', status: 'RESUMED', version: event.version + 1 })
    expect(changed.statusHistory.edges.at(-1).node).toEqual({
      from: 'SCHEDULED',
      to: 'RESUMED',
      note: 'Delegations back at the table in Doha.',
      reportedBy: { headline: 'Gaza ceasefire talks resume in Doha' },
    })
    await gq.seeInResult('"status": "RESUMED"')
    // the new entry is the last of the history: scroll the result pane to its end to see it
    await gq.scrollToEnd('result')
    await gq.seeInResult(
      '"to": "RESUMED", "note": "Delegations back at the table in Doha.", "reportedBy": { "headline": "Gaza ceasefire talks resume in Doha" }',
    )

    await mkdir(dirname(SCREENSHOT), { recursive: true })
    await gq.page.screenshot({ path: SCREENSHOT })
    expect(gq.pageErrors).toEqual([])
    await gq.context.close()
  })

  it('without the Authorization header (a fresh page), Publish answers Forbidden and writes nothing', async () => {
    expect(story, 'the story the walk-through above created').toBeDefined()
    const gq = await openGraphiQL()
    expect(await gq.editorValue('headers')).toBe('')
    const audited = await db.prisma.auditEntry.count()

    const { result, request } = await gq.step('Publish', { id: story!.id, version: story!.version })
    expect(request.headers().authorization).toBeUndefined()
    expect(result.data.publishStory).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' })
    await gq.seeInResult('"__typename": "Forbidden"')
    expect(await db.prisma.auditEntry.count()).toBe(audited)

    expect(gq.pageErrors).toEqual([])
    await gq.context.close()
  })
})
