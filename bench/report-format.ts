// How the report writes its figures: rounded, with units, "n/a" for what was not measured; and
// the shapes of the line and table writers a section of the markdown is given.
import type { HttpSummary } from './report-summary.js'
import { round } from './stats.js'

export type Line = (line?: string) => void
export type Table = (head: string[], rows: (string | number)[][]) => void

export const fmt = (value: number, unit = '') =>
  Number.isFinite(value) ? `${round(value).toLocaleString('en-US')}${unit}` : 'n/a'
export const x = (value: number) => (Number.isFinite(value) ? `${round(value)}×` : 'n/a')
export const pct = (value: number | undefined) =>
  value !== undefined && Number.isFinite(value) ? `${(100 * value).toFixed(0)}%` : 'n/a'
export const rate = (s: HttpSummary) => `${fmt(s.rps)} req/s, p99 ${fmt(s.p99, ' ms')}`
export const seconds = (value: number) => (value < 1 ? fmt(value * 1000, ' ms') : fmt(value, ' s'))
