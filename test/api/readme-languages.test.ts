// The README's "Languages and editions" query, run as printed on the sample graph: the Swedish
// original is found by a word it holds only inflected, and the two editions name each other.
import { describe, expect, it } from 'vitest'
import { sampleAnswer } from '../helpers/readme-sections.js'

describe('README: languages and editions', () => {
  it('finds the Swedish original by its own stem, and lists both editions of the sample story', async () => {
    const data = await sampleAnswer('## Languages and editions')
    const found = data.search.edges.map((e: any) => e.node.slug)
    expect(found).toContain('hamas-vapenvilesamtalen-vantas-aterupptas')
    expect(
      data.search.edges.find((e: any) => e.node.slug === 'hamas-vapenvilesamtalen-vantas-aterupptas').snippet,
    ).toMatch(/<mark>Förhandlingarna<\/mark>/i)
    expect(data.story).toMatchObject({ language: 'sv', headline: expect.stringContaining('vapenvila') })
    const editions = data.story.editions.edges.map((e: any) => e.node)
    expect(editions.map((e: any) => e.language).sort()).toEqual(['en', 'sv'])
    const english = editions.find((e: any) => e.language === 'en')
    expect(english.edition).toMatchObject({ kind: 'ADAPTATION', madeBy: { name: 'Sweden Herald' } })
    expect(english.editionNote).toMatch(/Sweden Herald/)
    expect(editions.find((e: any) => e.language === 'sv').edition).toBeNull()
  })
})
