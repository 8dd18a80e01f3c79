// The project's documentation as the tests read it: the README, then docs/*.md, in one text. The
// examples they print are run as printed, wherever they stand.
import { readdirSync, readFileSync } from 'node:fs'

const ROOT = new URL('../../', import.meta.url)

/** A documentation file by its path from the repository's root. */
export const docFile = (path: string) => readFileSync(new URL(path, ROOT), 'utf8')

/** README.md and every docs/*.md, each starting on a line of its own. */
export function docsText(): string {
  const docs = readdirSync(new URL('docs/', ROOT))
    .filter((name) => name.endsWith('.md'))
    .sort()
  return ['README.md', ...docs.map((name) => `docs/${name}`)].map(docFile).join('\n')
}
