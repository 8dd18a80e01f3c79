// The query GraphiQL opens with: the front page, as the clients' documents hold it
// (src/clients/front-page.graphql, a trusted document).
import { readFileSync } from 'node:fs'

export const EXAMPLE_QUERY = readFileSync(new URL('../clients/front-page.graphql', import.meta.url), 'utf8')
