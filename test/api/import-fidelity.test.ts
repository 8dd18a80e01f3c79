// Import fidelity: every IPTC example that holds a text body, and an agency item of our own written
// the way TT (the Swedish agency) marks up its copy, imported and read back, has the words of the
// document's plain text in the same order: none merged, lost or added. What the agency's markup
// marks as the picture (a figure, its caption and credit), the byline and the dateline moves out
// of the text by rule; the test takes it out of the expected text itself and checks it arrived at
// the photo, the contributors and the places. The expected text comes from the document's own
// text/plain body, or from the HTML by a route of this file's (tags out, block tags as spaces),
// never from the importer's conversion.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { htmlToSections } from '../../src/standards/text.js'
import { ImportNinjsDocument, type ImportNinjsMutation } from '../generated/graphql.js'
import type { testApp } from '../helpers/api.js'
import type { TestDatabase } from '../helpers/database.js'
import { dataOf, sampleGraphWrites } from '../helpers/writes.js'

const EXAMPLES = fileURLToPath(new URL('../../standards/ninjs/examples/', import.meta.url))

type Doc = Record<string, any>
type Imported = Extract<ImportNinjsMutation['importNinjs'], { __typename: 'NinjsImport' }>
type Story = NonNullable<Imported['story']>

// ---------------------------------------------------------------------------------------------
// The expected text, by this file's own route

// the elements whose edges separate words, whatever their content (br included)
const BLOCK =
  /^(address|article|aside|blockquote|body|br|caption|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|html|legend|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)$/i
const REFERENCES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** The text content of HTML, a block's edges as spaces: tags out, comments and scripts out, references decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|template|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<\/?([a-z][^\s/>]*)(?:"[^"]*"|'[^']*'|[^"'>])*>/gi, (_, name: string) =>
      BLOCK.test(name.replace(/^.*:/, '')) ? ' ' : '',
    )
    .replace(/<[!?][^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) =>
      ref[0] === '#'
        ? String.fromCodePoint(ref[1]!.toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)))
        : (REFERENCES[ref.toLowerCase()] ?? whole),
    )
}

const words = (text: string) => text.split(/\s+/u).filter(Boolean)
const storyText = (story: Story) => story.body.flatMap((s) => [s.heading ?? '', ...s.paragraphs]).join(' ')
const htmlBody = (doc: Doc) => (doc.bodies ?? []).find((b: Doc) => /html/i.test(b.contentType ?? ''))
const plainBody = (doc: Doc) =>
  (doc.bodies ?? []).find((b: Doc) => b.contentType === undefined || /^text\/plain\b/i.test(b.contentType))

/** `text` without each of `moved`, which must stand in it exactly once. */
function without(text: string, moved: string[]): string {
  for (const part of moved) {
    expect(text.split(part), `"${part}" once in the text`).toHaveLength(2)
    text = text.replace(part, ' ')
  }
  return text
}

// ---------------------------------------------------------------------------------------------
// An item in TT's manner: a kicker and a signature in spans that run together across a block's
// edge, a dateline, a figure whose caption and "Photographer/TT" credit are spans run together, a
// link whose title holds a ">", a fact box (details/summary), a line break, and the byline.

const TT_HTML = `<article>
<hgroup><span class="kicker">Försvar</span></hgroup><span>TT</span>
<p><span class="dateline">STOCKHOLM (TT)</span> <span>Regeringen vill</span> <span>stärka försvaret</span> på Gotland och föreslår att anslaget höjs med två miljarder kronor nästa år.</p>
<figure><img src="https://example.org/tt/bilder/gotland-ovning.jpg" alt="Soldater i terrängen på Gotland" width="1200" height="800">
<figcaption><span>Soldater under en övning på Gotland i höstas.</span><span>Karl Melander/TT</span></figcaption></figure>
<p>Pengarna ska gå till luftvärn, <a href="https://example.org/tt/fakta" title="Mer om satsningen >>">övningar</a> och fler värnpliktiga.</p>
<details><summary><span>Fakta</span></summary><span>Gotland har haft ett eget regemente igen sedan 2018.</span></details>
<h2>Kritik</h2>
<p>Oppositionen menar att satsningen kommer för sent.<br><span>– Vi har väntat i flera år</span>, säger en riksdagsledamot.</p>
<p class="byline"><span>Anna Lindqvist</span><span>/TT</span></p>
</article>`

const TT_PLAIN = `Försvar TT

STOCKHOLM (TT) Regeringen vill stärka försvaret på Gotland och föreslår att anslaget höjs med två miljarder kronor nästa år.

Soldater under en övning på Gotland i höstas. Karl Melander/TT

Pengarna ska gå till luftvärn, övningar och fler värnpliktiga.

Fakta
Gotland har haft ett eget regemente igen sedan 2018.

Kritik

Oppositionen menar att satsningen kommer för sent.
– Vi har väntat i flera år, säger en riksdagsledamot.

Anna Lindqvist/TT`

const TT_ITEM: Doc = {
  uri: 'https://example.org/tt/forsvar-gotland-1',
  standard: { name: 'ninjs', version: '3.1', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#' },
  type: 'text',
  language: 'sv',
  headlines: [{ role: 'main', value: 'Regeringen vill stärka försvaret på Gotland' }],
  bodies: [
    { role: 'text', contentType: 'text/plain', value: TT_PLAIN },
    { role: 'richtext', contentType: 'text/html', value: TT_HTML },
  ],
}

/** What TT's markup marks, and where each must arrive. */
const CAPTION = 'Soldater under en övning på Gotland i höstas.'
const CREDIT = 'Karl Melander/TT'
const DATELINE = 'STOCKHOLM (TT)'
const BYLINE = 'Anna Lindqvist/TT'

// ---------------------------------------------------------------------------------------------

describe('import fidelity', () => {
  let db: TestDatabase
  let app: ReturnType<typeof testApp>
  let editor: Record<string, string>
  const { succeeds, open } = sampleGraphWrites()

  beforeAll(async () => {
    ;({ db, app, editor } = await open())
  })
  afterAll(() => db?.drop())

  const imported = async (document: Doc): Promise<Imported> =>
    succeeds('NinjsImport', () => dataOf(app.run(ImportNinjsDocument, { document }, editor)).then((d) => d.importNinjs))

  it('every IPTC example with a text body reads back word for word as its plain text', async () => {
    const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.json')).sort()
    const compared: Record<string, { reference: string; words: number }> = {}
    for (const file of files) {
      const doc = JSON.parse(await readFile(path.join(EXAMPLES, file), 'utf8')) as Doc
      const html = htmlBody(doc)
      const plain = plainBody(doc)
      if (!html && !plain) continue
      const story = (await imported(doc)).story!
      const got = words(storyText(story))
      // the imported body is the HTML one where there is one: its text content must come back
      if (html) expect(got, `${file}: the HTML's text`).toEqual(words(htmlText(html.value)))
      // and the agency's plain rendering of the same text, where it gives one
      let reference = html ? 'html' : 'text/plain'
      if (plain && PLAIN_IS_ANOTHER_TEXT[file]) {
        expect(words(plain.value), `${file}: ${PLAIN_IS_ANOTHER_TEXT[file]}`).not.toEqual(got)
      } else if (plain) {
        expect(got, `${file}: the text/plain body`).toEqual(words(plain.value))
        reference = html ? 'html, text/plain' : 'text/plain'
      }
      compared[file] = { reference, words: got.length }
    }
    expect(compared).toEqual(COMPARED)
  })

  it('an item in TT’s manner: no words run together; the figure is the photo, the byline the contributors, the dateline a place; Swedish', async () => {
    const result = await imported(TT_ITEM)
    const story = result.story!
    const expected = words(without(TT_PLAIN, [CAPTION, CREDIT, DATELINE, BYLINE]))
    expect(words(storyText(story))).toEqual(expected)
    // the same from the HTML, by this file's route, without what moved
    const html = htmlText(TT_HTML)
    expect(words(storyText(story))).toEqual(words(without(html, [CAPTION + CREDIT, DATELINE, BYLINE])))
    expect(story.body[0]!.paragraphs.slice(0, 2)).toEqual(['Försvar', 'TT'])
    expect(story.photo).toEqual({
      caption: CAPTION,
      creditLine: CREDIT,
      altText: 'Soldater i terrängen på Gotland',
      copyrightHolder: null,
      renditions: [
        {
          name: 'figure',
          href: 'https://example.org/tt/bilder/gotland-ovning.jpg',
          mimeType: null,
          width: 1200,
          height: 800,
        },
      ],
    })
    expect(story.contributors.edges.map((e) => e.node)).toEqual([
      { role: 'AUTHOR', name: 'Anna Lindqvist', organisation: null, person: null },
      { role: 'AUTHOR', name: 'TT', organisation: { slug: 'tt' }, person: null },
    ])
    expect(story.byline).toBe(BYLINE)
    expect(story.places.edges).toEqual([
      { relation: 'MENTIONS', node: expect.objectContaining({ slug: 'stockholm', name: 'Stockholm' }) },
    ])
    expect(story.language).toBe('sv')
    expect(result.unsupported.map((u) => u.pointer)).toEqual(['/bodies/0'])
  })

  it('a picture among the associations stays the photo; the body’s figure fills what it lacks, and is no paragraph', async () => {
    const result = await imported({
      ...TT_ITEM,
      uri: 'https://example.org/tt/forsvar-gotland-2',
      language: 'sv-SE',
      associations: [
        {
          name: 'featureimage',
          type: 'picture',
          uri: 'https://example.org/tt/bilder/1',
          renditions: [{ name: 'main', href: 'https://example.org/tt/bilder/1.jpg', contentType: 'image/jpeg' }],
          descriptions: [{ role: 'caption', contentType: 'text/plain', value: 'Övning på Gotland.' }],
        },
      ],
    })
    const story = result.story!
    expect(story.photo).toEqual({
      caption: 'Övning på Gotland.',
      creditLine: CREDIT,
      altText: 'Soldater i terrängen på Gotland',
      copyrightHolder: null,
      renditions: [
        {
          name: 'main',
          href: 'https://example.org/tt/bilder/1.jpg',
          mimeType: 'image/jpeg',
          width: null,
          height: null,
        },
      ],
    })
    expect(words(storyText(story))).toEqual(words(without(TT_PLAIN, [CAPTION, CREDIT, DATELINE, BYLINE])))
    expect(story.language).toBe('sv-SE')
    // the same place as the first item's, not a second Stockholm
    expect(await db.prisma.place.count({ where: { name: 'Stockholm' } })).toBe(1)
  })

  it('what names no one or no place stays text; a second figure is noted, not a paragraph; a name credited twice is credited once', async () => {
    const html = `<p class="dateline">12 maj 2025</p><p class="byline">Text och bild</p>
      <figure><img src="/bild.jpg"><figcaption>Första bilden. Foto: Karl Melander/TT</figcaption></figure>
      <p>Brödtext.</p><figure><figcaption>Andra bilden.<br>Anna Lindqvist/TT</figcaption></figure>
      <div class="tt-byline">Av Anna Lindqvist</div>`
    const result = await imported({
      uri: 'https://example.org/tt/rest-1',
      type: 'text',
      headlines: [{ value: 'Rester' }],
      infoSources: [{ name: 'Anna Lindqvist', role: 'author' }],
      bodies: [{ contentType: 'text/html', value: html }],
    })
    const story = result.story!
    expect(story.body).toEqual([{ heading: null, paragraphs: ['12 maj 2025', 'Text och bild', 'Brödtext.'] }])
    expect(story.photo).toEqual({
      caption: 'Första bilden.',
      creditLine: 'Foto: Karl Melander/TT',
      altText: null,
      copyrightHolder: null,
      renditions: [],
    })
    expect(story.contributors.edges.map((e) => e.node.name)).toEqual(['Anna Lindqvist'])
    expect(result.unsupported).toEqual([
      {
        pointer: '/bodies/0/value',
        reason:
          'not stored: the other figures (a story keeps one picture); not stored: the figure’s picture is not at an http(s) URL',
      },
    ])
  })

  it('a partial document without places keeps the story’s places, and says the dateline’s was not linked', async () => {
    const first = await imported({ ...TT_ITEM, uri: 'https://example.org/tt/partial-1' })
    const partial = await imported({
      uri: 'https://example.org/tt/partial-1',
      representationType: 'partial',
      bodies: [{ contentType: 'text/html', value: '<p><span class="dateline">VISBY (TT)</span> Ny text.</p>' }],
    })
    expect(partial.story!.body).toEqual([{ heading: null, paragraphs: ['Ny text.'] }])
    expect(partial.story!.places).toEqual(first.story!.places)
    expect(await db.prisma.place.count({ where: { name: 'Visby' } })).toBe(0)
    expect(partial.unsupported).toContainEqual({
      pointer: '/bodies/0/value',
      reason: 'not stored: the dateline, as the document gives no places',
    })
  })
})

describe('agency HTML read as text', () => {
  const blocks = (html: string) =>
    htmlToSections(html).flatMap((s) => (s.heading ? [s.heading, ...s.paragraphs] : s.paragraphs))

  it('keeps the word boundaries the markup gives, and only those', () => {
    const cases: [string, string[]][] = [
      // inline beside inline is one word, as a browser shows it ("<b>S</b>tockholm")
      ['<span>Försvar</span><span>TT</span>', ['FörsvarTT']],
      ['<span>Försvar</span> <span>TT</span>', ['Försvar TT']],
      ['<span>Försvar</span>\n  <span>TT</span>', ['Försvar TT']],
      ['<div><span>Försvar</span></div><span>TT</span>', ['Försvar', 'TT']],
      ['<details><summary>Fakta</summary>Text</details>', ['Fakta', 'Text']],
      ['<table><caption>Anslag</caption><tr><td>Ett</td><td>Två</td></tr></table>', ['Anslag', 'Ett', 'Två']],
      ['<p>Ett<p>Två<ul><li>Tre<li>Fyra</ul>', ['Ett', 'Två', 'Tre', 'Fyra']],
      ['Ett<br>två</br>tre<br/>fyra', ['Ett\ntvå\ntre\nfyra']],
      ['<a title="mer >>" href=x>länk</a> och <img alt="a > b">text', ['länk och text']],
      ['<p>1 < 2 &amp; 3 &gt; 2&nbsp;&#x2764;</p>', ['1 < 2 & 3 > 2 ❤']],
      ['<!-- <p>nej</p> --><script>if (a<b) "<p>"</script><p>ja</p>', ['ja']],
      ['<?xml version="1.0"?><!DOCTYPE html><html:p>Ett</html:p><html:p>Två</html:p>', ['Ett', 'Två']],
      ['<p>Ett <b>två<p>tre <span class="x', ['Ett två', 'tre']],
    ]
    for (const [html, expected] of cases) expect(blocks(html), html).toEqual(expected)
  })

  it('any nesting of blocks, inline elements, words and white space, and any soup of their tags, reads as the text content does', () => {
    const word = fc.constantFrom('Försvar', 'TT', 'år.', '–', 'Gotland', '&amp;', '&lt;', 'x&gt;y', 'é')
    const space = fc.constantFrom('', ' ', '\n', '\n  ', '<br>', '&nbsp;')
    const element = (names: string[], child: fc.Arbitrary<string>) =>
      fc
        .tuple(fc.constantFrom(...names), fc.array(fc.tuple(space, child), { maxLength: 4 }))
        .map(([name, children]) => `<${name} class="c">${children.map(([s, c]) => s + c).join('')}</${name}>`)
    // Nesting as HTML allows it: headings and paragraphs hold phrasing only, list items stand in
    // lists (a heading in a heading, or an item in an item, is closed by the parser, as browsers
    // do); no table parts, which outside a table
    // HTML ignores (a real table is among the cases above).
    const html: fc.Arbitrary<string> = fc.letrec<{ flow: string; phrasing: string }>((tie) => ({
      phrasing: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        word,
        element(['span', 'b', 'em', 'a'], tie('phrasing')),
      ),
      flow: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        tie('phrasing'),
        element(['p', 'h2', 'summary'], tie('phrasing')),
        element(['div', 'hgroup', 'section'], tie('flow')),
        element(['ul'], element(['li'], tie('flow'))),
      ),
    })).flow
    fc.assert(
      fc.property(fc.array(fc.tuple(space, html), { maxLength: 5 }), (parts) => {
        const source = parts.map(([s, h]) => s + h).join('')
        expect(words(blocks(source).join(' ')), source).toEqual(words(htmlText(source)))
      }),
      { numRuns: 300 },
    )
    // start and end tags in any order: no text is lost or added. Where the words part follows
    // HTML's parsing rules, as a browser shows them: an end tag with nothing open to close is
    // ignored there, so `a</ul>b` reads "ab", and this route, which knows no such rule, cannot say.
    const names = fc.constantFrom('p', 'div', 'span', 'b', 'li', 'h2', 'h3', 'td', 'tr', 'dd', 'ul', 'caption')
    const tag = names.chain((name) => fc.constantFrom(`<${name}>`, `</${name}>`))
    const letters = (text: string) => text.replace(/\s+/g, '')
    fc.assert(
      fc.property(fc.array(fc.oneof(word, space, tag), { maxLength: 30 }), (parts) => {
        const source = parts.join('')
        expect(letters(blocks(source).join(' ')), source).toEqual(letters(htmlText(source)))
      }),
      { numRuns: 300 },
    )
  })
})

/** Examples whose text/plain body is not a rendering of the body imported, and what it is instead. */
const PLAIN_IS_ANOTHER_TEXT: Record<string, string> = {
  '3.0_SIPA_image_3.json': 'its text/plain body is the picture’s caption, not the text of its HTML body',
}

/** Every example compared, what against, and how many words each has. */
const COMPARED: Record<string, { reference: string; words: number }> = {
  '3.0_20231016-addb-example-press-conference.json': { reference: 'text/plain', words: 452 },
  '3.0_SIPA_image_3.json': { reference: 'html', words: 158 },
  '3.0_businesswire-newsml-20130731006140.json': { reference: 'html', words: 51 },
  '3.0_ninjsExSimpleText_3.json': { reference: 'html, text/plain', words: 158 },
  '3.1_001_simple_example.json': { reference: 'text/plain', words: 158 },
  '3.1_002_renditions_example.json': { reference: 'text/plain', words: 1 },
  '3.1_003_associations_example.json': { reference: 'html', words: 3 },
  '3.1_004_simple_text_article.json': { reference: 'html, text/plain', words: 158 },
  '3.1_005_complex_text_article.json': { reference: 'html, text/plain', words: 158 },
  '3.1_007_multimedia.json': { reference: 'html, text/plain', words: 158 },
}
