// GET /ticker: a live ticker for people, in one page of plain HTML with a small inline script and
// no build step (src/server/ticker/: page.html, page.css, page.js). The page subscribes over
// Server-Sent Events to breakingNews and correctionPublished, naming each operation by its trusted
// document's hash (src/clients/ticker-page.graphql), shows each breaking item as it arrives, newest
// first, and strikes through what a correction or retraction concerns. Each stream opens with the
// newest items (`last`), keeps its last cursor and resumes with `since` after a drop; messages are
// deduplicated by cursor. Options in the query string: ?minUrgency=1..9 (default 5), ?tags=slug,slug,
// ?language=en.
import { readFileSync } from 'node:fs'
import type { Plugin } from 'graphql-yoga'
import { hashOf, TickerPageBreakingDocument, TickerPageCorrectionsDocument } from '../clients/documents.js'
import { contentSecurityPolicy } from './csp.js'

const read = (name: string) => readFileSync(new URL(`./ticker/${name}`, import.meta.url), 'utf8')

/** The operations the page runs, by name → trusted document hash. */
const OPERATIONS = {
  TickerPageBreaking: hashOf(TickerPageBreakingDocument),
  TickerPageCorrections: hashOf(TickerPageCorrectionsDocument),
}

const STYLE = read('page.css')
const SCRIPT = read('page.js')

/** `html` with `tag`, which it holds once, replaced by `by` (split and join: `by` is taken as it is). */
function replaceOnce(html: string, tag: string, by: string): string {
  const parts = html.split(tag)
  if (parts.length !== 2) throw new Error(`src/server/ticker/page.html must hold ${tag} once`)
  return parts.join(by)
}

/** The page as served: its style and script inline (each allowed by its hash), and its operations. */
const PAGE = [
  ['<link rel="stylesheet" href="page.css" />', `<style>${STYLE}</style>`],
  // JSON in a data block, which runs nothing; `<` escaped so that nothing in it can end the element
  [
    '<script type="application/json" id="operations"></script>',
    `<script type="application/json" id="operations">${JSON.stringify(OPERATIONS).replaceAll('<', '\\u003c')}</script>`,
  ],
  ['<script src="page.js"></script>', `<script>${SCRIPT}</script>`],
].reduce((html, [tag, by]) => replaceOnce(html, tag, by), read('page.html'))

const CSP = contentSecurityPolicy({
  scripts: [SCRIPT],
  styles: [STYLE],
  allow: { 'connect-src': "'self'", 'form-action': "'self'" },
})

/** Serves the ticker page at GET /ticker. */
export function useTicker(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ticker') return
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response('Method Not Allowed', { status: 405, headers: { allow: 'GET, HEAD' } }))
        return
      }
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : PAGE, {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-security-policy': CSP,
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
          },
        }),
      )
    },
  }
}
