// The Content-Security-Policy of the pages this server renders (GraphiQL, /ticker): nothing from
// anywhere by default; scripts only those inline in the page, each allowed by its hash (no
// 'unsafe-inline', no eval, nothing loaded); no <base>, no framing. What else a page needs it names.
import { createHash } from 'node:crypto'

export interface PagePolicy {
  /** the text of each inline <script> the page holds */
  scripts: readonly string[]
  /** the text of each inline <style>, or 'unsafe-inline' for a page whose library writes styles
   *  at run time (style attributes, <style> elements), which hashes cannot cover */
  styles: readonly string[] | 'unsafe-inline'
  /** further directives, each with its sources: { 'connect-src': "'self'" } */
  allow?: Readonly<Record<string, string>>
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

export function contentSecurityPolicy({ scripts, styles, allow = {} }: PagePolicy): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${styles === 'unsafe-inline' ? "'unsafe-inline'" : styles.map(sha256).join(' ')}`,
    ...Object.entries(allow).map(([directive, sources]) => `${directive} ${sources}`),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** The text of each inline <script> element of an HTML page (one with `src` has none). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((match) => match[1])
}
