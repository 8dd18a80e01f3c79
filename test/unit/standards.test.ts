// The pure parts of the ninjs and schema.org code: bodies between sections and HTML or plain
// text (HTML out and back is lossless, checked on generated stories), slugs, expected-start
// windows from truncated dates, and our event statuses in schema.org's.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectedWindow, slugify } from '../../src/standards/import-ninjs.js'
import { schemaOrgEventStatus } from '../../src/standards/json-ld.js'
import {
  decodeEntities,
  htmlToSections,
  plainToSections,
  sectionsToHtml,
  sectionsToPlain,
  type Section,
} from '../../src/standards/text.js'

describe('bodies', () => {
  it('reads agency HTML: headings start sections, blocks are paragraphs, inline markup goes, entities are decoded', () => {
    const html = `<?xml version="1.0"?><body>
      <p class="lead">GROSSETO, Italy (AP) &#8212; The <b>trial</b> of the captain
        has begun.</p>
      <script>alert("not text")</script><!-- a comment -->
      <h2>The <i>defence</i></h2>
      <p>His lawyer, Domenico Pepe, said &quot;no&quot; &amp; left.<br/>Then he returned.</p>
      <ul><li>One</li><li>Two &euro;</li></ul>
      <h3>Empty</h3>
      <h3>Last</h3><div>Caf&eacute; &#x2764; &unknown;</div>
    </body>`
    expect(htmlToSections(html)).toEqual([
      { heading: null, paragraphs: ['GROSSETO, Italy (AP) — The trial of the captain has begun.'] },
      {
        heading: 'The defence',
        paragraphs: ['His lawyer, Domenico Pepe, said "no" & left.\nThen he returned.', 'One', 'Two €'],
      },
      { heading: 'Empty', paragraphs: [] },
      { heading: 'Last', paragraphs: ['Café ❤ &unknown;'] },
    ])
    expect(htmlToSections('')).toEqual([])
    expect(decodeEntities('&lt;p&gt; &#0; &#x110000;')).toBe('<p> &#0; &#x110000;')
  })

  it('reads plain text: paragraphs at blank lines, or at line ends when there are none', () => {
    expect(plainToSections('One.\r\n\r\nTwo,\r\nstill two.\n  \nThree.')).toEqual([
      { heading: null, paragraphs: ['One.', 'Two,\nstill two.', 'Three.'] },
    ])
    expect(plainToSections('Line one\nLine two\n')).toEqual([{ heading: null, paragraphs: ['Line one', 'Line two'] }])
    expect(plainToSections('  \n ')).toEqual([])
  })

  it('writes sections as plain text and as escaped HTML', () => {
    const sections: Section[] = [
      { heading: null, paragraphs: ['A <b>bold</b> claim & more.'] },
      { heading: 'Then "this"', paragraphs: ['B.', 'C.'] },
    ]
    expect(sectionsToPlain(sections)).toBe('A <b>bold</b> claim & more.\n\nThen "this"\n\nB.\n\nC.')
    expect(sectionsToHtml(sections)).toBe(
      '<p>A &lt;b&gt;bold&lt;/b&gt; claim &amp; more.</p>\n<h2>Then &quot;this&quot;</h2>\n<p>B.</p>\n<p>C.</p>',
    )
  })

  it('HTML written from sections reads back as the same sections', () => {
    // text as a story holds it: no runs of spaces, no space at either end, no line ends
    const text = fc
      .string({
        unit: fc.constantFrom('a', 'Z', '0', ' ', '<', '>', '&', '"', "'", ';', '#', 'é', '’', '—', '€'),
        minLength: 1,
        maxLength: 30,
      })
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter((s) => s.length > 0)
    const section = (heading: fc.Arbitrary<string | null>, min: number) =>
      fc.record({ heading, paragraphs: fc.array(text, { minLength: min, maxLength: 4 }) })
    const story = fc
      .tuple(fc.option(section(fc.constant(null), 1), { nil: undefined }), fc.array(section(text, 0), { maxLength: 4 }))
      .map(([first, rest]) => [...(first ? [first] : []), ...rest] as Section[])
    fc.assert(
      fc.property(story, (sections) => {
        expect(htmlToSections(sectionsToHtml(sections))).toEqual(sections)
      }),
      { numRuns: 300 },
    )
  })
})

describe('slugs and dates', () => {
  it('makes slugs of any text: ASCII, lower case, single hyphens, at most 100 characters', () => {
    expect(slugify('Champions League 2023/2024 - Group E - Atlético de Madrid-Feyenoord')).toBe(
      'champions-league-2023-2024-group-e-atletico-de-madrid-feyenoord',
    )
    expect(slugify('Lunch Taking a Toll? Let Applebee’s® Stand In')).toBe('lunch-taking-a-toll-let-applebee-s-stand-in')
    expect(slugify('...')).toBe('')
    expect(slugify('غزة')).toBe('')
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const slug = slugify(text)
        expect(slug === '' || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)).toBe(true)
        expect(slug.length).toBeLessThanOrEqual(100)
      }),
    )
  })

  it('reads a truncated expected date as the window it names', () => {
    expect(expectedWindow('2025')).toEqual({
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-12-31T23:59:59Z'),
      precision: 'YEAR',
    })
    expect(expectedWindow('2024-02')).toEqual({
      from: new Date('2024-02-01T00:00:00Z'),
      to: new Date('2024-02-29T23:59:59Z'),
      precision: 'MONTH',
    })
    expect(expectedWindow('2023-07-11')).toEqual({
      from: new Date('2023-07-11T00:00:00Z'),
      to: new Date('2023-07-11T23:59:59Z'),
      precision: 'DAY',
    })
    expect(expectedWindow('2023-07-11T10:00:00+02:00')).toEqual({
      from: new Date('2023-07-11T08:00:00Z'),
      to: new Date('2023-07-11T08:00:00Z'),
      precision: 'EXACT',
    })
    expect(expectedWindow('2023-07-11T10:00:00')).toEqual({
      from: new Date('2023-07-11T10:00:00Z'),
      to: new Date('2023-07-11T10:00:00Z'),
      precision: 'EXACT',
    })
  })
})

describe('event statuses in schema.org', () => {
  const started = new Date('2025-07-06T00:00:00Z')
  const later = new Date('2025-07-28T00:00:00Z')
  const earlier = new Date('2025-07-01T00:00:00Z')
  it.each([
    ['SCHEDULED', null, null, 'EventScheduled', null],
    ['SCHEDULED', started, earlier, 'EventScheduled', null],
    ['SCHEDULED', started, later, 'EventRescheduled', started],
    ['CONFIRMED', started, later, 'EventRescheduled', started],
    ['POSTPONED', started, null, 'EventPostponed', started],
    ['POSTPONED', started, later, 'EventRescheduled', started],
    ['SUSPENDED', started, null, 'EventPostponed', started],
    ['CANCELLED', started, later, 'EventCancelled', null],
    ['UNDERWAY', started, later, 'EventScheduled', null],
    ['RESUMED', started, later, 'EventScheduled', null],
    ['CONCLUDED', started, null, 'EventScheduled', null],
  ] as const)('%s (start %s, expected %s) is %s', (status, startAt, expectedStartFrom, expected, previous) => {
    expect(schemaOrgEventStatus({ status, startAt, expectedStartFrom, expectedStartPrecision: 'WEEK' })).toEqual({
      status: expected,
      previousStartDate: previous,
    })
  })
})
