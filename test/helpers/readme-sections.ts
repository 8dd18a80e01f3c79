// The first GraphQL block under a heading of the README: the queries its sections offer for
// pasting into GraphiQL, which the tests run against the sample graph.
import { readFile } from 'node:fs/promises'
import { expect } from 'vitest'

export async function readmeSection(heading: string): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
  const start = readme.indexOf(`\n${heading}\n`)
  expect(start, `the README's "${heading}" section`).toBeGreaterThanOrEqual(0)
  const rest = readme.slice(start + heading.length + 2)
  const section = rest.slice(0, rest.search(/\n## |$/))
  const block = /```graphql\n([\s\S]*?)```/.exec(section)?.[1]
  expect(block, `a graphql block under "${heading}"`).toBeDefined()
  return block!
}
