// The README's editor walk-through, run exactly as printed there, on the sample graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { readmeOperations } from '../helpers/readme.js'

let db: TestDatabase
let app: ReturnType<typeof testApp>
/** The README block's operations by name, each as printed there (with its numbered comment). */
let operations: Map<string, string>

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  app = testApp(db)
  operations = await readmeOperations()
})
afterAll(() => db?.drop())

describe('README: from draft to published, corrected, and the talks resumed', () => {
  it('works as printed', async () => {
    const editor = await asRole('editor', 'desk-editor')
    const step = async (name: string, variables: Record<string, unknown> = {}, headers = editor) => {
      const { data, errors } = await app.run(operations.get(name)!, variables, headers)
      expect(errors, name).toBeUndefined()
      return data as Record<string, any>
    }
    expect([...operations.keys()]).toEqual(['FindTalks', 'CreateDraft', 'Publish', 'Correct', 'ResumeTalks'])
    const publicView = (slug: string) => app.run(`{ story(slug: "${slug}") { headline corrections { totalCount } } }`)

    const found = await step('FindTalks')
    expect(found.event.status).toBe('SCHEDULED')

    const draft = (await step('CreateDraft', { event: found.event.id, tag: found.tag.id })).createStory
    expect(draft).toMatchObject({ __typename: 'Story', status: 'DRAFT', version: 1 })
    expect((await publicView('gaza-ceasefire-talks-resume')).data).toEqual({ story: null })

    const published = (await step('Publish', { id: draft.id, version: draft.version })).publishStory
    expect(published).toMatchObject({ __typename: 'Story', status: 'PUBLISHED', version: 2 })
    expect((await publicView('gaza-ceasefire-talks-resume')).data).toMatchObject({
      story: { headline: 'Gaza ceasefire talks resume in Doha' },
    })

    const corrected = (await step('Correct', { id: draft.id })).addCorrection
    expect(corrected).toMatchObject({
      __typename: 'Story',
      version: 3,
      corrections: { edges: [{ node: { kind: 'CORRECTION' } }] },
    })
    expect((await publicView('gaza-ceasefire-talks-resume')).data).toMatchObject({
      story: { corrections: { totalCount: 1 } },
    })

    const resumed = (
      await step('ResumeTalks', { event: found.event.id, version: found.event.version, story: draft.id })
    ).changeEventStatus
    expect(resumed).toMatchObject({ __typename: 'Event', status: 'RESUMED', version: found.event.version + 1 })
    expect(resumed.statusHistory.edges.at(-1).node).toEqual({
      from: 'SCHEDULED',
      to: 'RESUMED',
      note: 'Delegations back at the table in Doha.',
      reportedBy: { headline: 'Gaza ceasefire talks resume in Doha' },
    })

    // the same writes without a token are refused, and write nothing
    const before = await db.prisma.auditEntry.count()
    const refused = await step('Publish', { id: draft.id, version: 3 }, {})
    expect(refused.publishStory).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' })
    expect(await db.prisma.auditEntry.count()).toBe(before)
    expect(before).toBe(4)
  })
})
