// schema.graphql is committed for review and for codegen; it must be exactly what the code builds.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { printSchemaFile, SCHEMA_FILE } from '../../src/schema/print.js'

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:print` after changing src/schema)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printSchemaFile())
  })
})
