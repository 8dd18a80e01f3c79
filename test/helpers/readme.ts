// The README's editor walk-through ("### From draft to published…"): its GraphQL block, split
// into its operations at the numbered comments.
import { docsText } from './docs.js'
import { Kind, parse, type OperationDefinitionNode } from 'graphql'
import { expect } from 'vitest'

const SECTION = '### From draft to published'

/** The block's operations by name, in order, each as printed there (with its numbered comment). */
export async function readmeOperations(): Promise<Map<string, string>> {
  const readme = docsText()
  const start = readme.indexOf(SECTION)
  expect(start, `the README's "${SECTION}" section`).toBeGreaterThanOrEqual(0)
  const block = /```graphql\n([\s\S]*?)```/.exec(readme.slice(start))?.[1]
  expect(block, `a graphql block under "${SECTION}"`).toBeDefined()
  return new Map(
    block!
      .split(/^(?=# \d+\. )/m)
      .filter((chunk) => chunk.trim())
      .map((chunk) => {
        const [op, ...rest] = parse(chunk).definitions as OperationDefinitionNode[]
        expect(rest, 'one operation per numbered comment').toEqual([])
        expect(op.kind).toBe(Kind.OPERATION_DEFINITION)
        return [op.name!.value, chunk.trimEnd() + '\n'] as const
      }),
  )
}
