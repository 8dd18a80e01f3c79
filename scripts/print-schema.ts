// npm run schema:print — writes schema.graphql from the code; a test fails when they differ.
import { writeFile } from 'node:fs/promises'
import { printSchemaFile, SCHEMA_FILE } from '../src/schema/print.js'

await writeFile(SCHEMA_FILE, printSchemaFile())
console.log(`wrote ${SCHEMA_FILE}`)
