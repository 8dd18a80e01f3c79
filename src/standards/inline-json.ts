// The one serialiser of the standards' documents (and of GraphQL answers, which carry them: see
// src/server/documents.ts): JSON safe to inline in an HTML page, as JSON-LD is meant to be, in
// <script type="application/ld+json">. `<`, `>` and `&` are written \u003c, \u003e, \u0026, so no
// `</script>` or `<!--` in a headline can end or bend the script element; U+2028 and U+2029 as
// \u2028 and \u2029, which older JavaScript reads as line ends. The text parses back the same.
const UNSAFE = /[<>&\u2028\u2029]/g

const ESCAPED: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

/** JSON.stringify, safe to inline in HTML. (Outside strings JSON has none of these characters.) */
export function inlineSafeJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(UNSAFE, (character) => ESCAPED[character])
}
