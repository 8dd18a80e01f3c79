// Every `npm run <script>` the README tells a reader to type exists in package.json.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { docsText } from '../helpers/docs.js'

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')

describe('the README’s commands', () => {
  it('name only scripts package.json has', () => {
    const scripts = Object.keys(JSON.parse(read('package.json')).scripts as Record<string, string>)
    const named = [...new Set([...docsText().matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]))]
    expect(named.length).toBeGreaterThan(5)
    expect(named.filter((name) => !scripts.includes(name))).toEqual([])
  })
})
