// The first GraphQL block under a heading of the README: the queries its sections offer for
// pasting into GraphiQL, which the tests run against the sample graph.
import { expect } from 'vitest'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { testApp } from './api.js'
import { docsText } from './docs.js'
import { createTestDatabase } from './database.js'

export async function readmeSection(heading: string): Promise<string> {
  const readme = docsText()
  const start = readme.indexOf(`\n${heading}\n`)
  expect(start, `the README's "${heading}" section`).toBeGreaterThanOrEqual(0)
  const rest = readme.slice(start + heading.length + 2)
  const section = rest.slice(0, rest.search(/\n##? |$/))
  const block = /```graphql\n([\s\S]*?)```/.exec(section)?.[1]
  expect(block, `a graphql block under "${heading}"`).toBeDefined()
  return block!
}

/** What the README's query under `heading` answers on a database of its own holding the sample
 *  graph (in-process; no errors expected). */
export async function sampleAnswer(heading: string): Promise<any> {
  const sample = await createTestDatabase()
  try {
    await seedSampleGraph(sample.prisma)
    const app = testApp(sample)
    try {
      const { data, errors } = await app.run<any, Record<string, never>>(await readmeSection(heading))
      expect(errors).toBeUndefined()
      return data
    } finally {
      await app.close()
    }
  } finally {
    await sample.drop()
  }
}
