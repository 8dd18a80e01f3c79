// "Newsroom at work" in the report: readers while editors write, summarised, judged and written.
import type { Condition, NewsroomFigures, NewsroomRun, NewsroomTarget } from './phase-newsroom.js'
import { fmt, pct, rate, x, type Line, type Table } from './report-format.js'
import { deskSummary, httpSummary, type DeskSummary, type HttpSummary, type TargetLine } from './report-summary.js'
import { TARGETS } from './settings.js'
import { ratio } from './stats.js'
import { TARGET_NAMES, type Target } from './workloads/http.js'
import { EDITS_PER_SECOND, PUBLISH_EVERY_SECONDS, type NewsroomLoad } from './workloads/newsroom.js'

export interface NewsroomSummary {
  stories: number
  zipfExponent: number
  mix: NewsroomFigures['mix']
  /** load → server → condition; hitRatio: ours' cache hits ÷ lookups, over every round */
  http: Record<NewsroomLoad, Partial<Record<NewsroomTarget, Record<Condition, HttpSummary & { hitRatio?: number }>>>>
  desk: DeskSummary
}

export function newsroomSummary(figures: NewsroomFigures): NewsroomSummary {
  const { stories, zipfExponent, mix, desk } = figures
  const of = (runs: NewsroomRun[]) => {
    const hits = runs.reduce((n, r) => n + (r.cache?.hits ?? 0), 0)
    const lookups = runs.reduce((n, r) => n + (r.cache ? r.cache.hits + r.cache.misses : 0), 0)
    return { ...httpSummary(runs), ...(runs.some((r) => r.cache) ? { hitRatio: hits / lookups } : {}) }
  }
  const http = Object.fromEntries(
    Object.entries(figures.runs).map(([load, byTarget]) => [
      load,
      Object.fromEntries(
        Object.entries(byTarget).map(([target, runs]) => [
          target,
          { quiet: of(runs.quiet), writing: of(runs.writing) },
        ]),
      ),
    ]),
  ) as NewsroomSummary['http']
  return { stories, zipfExponent, mix, http, desk: deskSummary(desk) }
}

export function judgeNewsroom({ http, desk }: NewsroomSummary): TargetLine[] {
  const lines: TargetLine[] = []
  const pages = http.storyPages.ours
  if (pages) {
    const r = ratio(pages.writing.rps, pages.quiet.rps)
    lines.push({
      id: 'newsroom.storyPages',
      target: `newsroom at work: story pages while writing ≥ ${TARGETS.newsroomWritingRatio}× quiet (ours)`,
      measured: `${x(r)} (writing ${rate(pages.writing)}; quiet ${rate(pages.quiet)})`,
      met: Number.isFinite(r) ? r >= TARGETS.newsroomWritingRatio : null,
    })
  }
  const mix = http.mix
  if (mix.ours && mix.postgraphile) {
    const r = ratio(mix.ours.writing.rps, mix.postgraphile.writing.rps)
    lines.push({
      id: 'newsroom.mix',
      target: `newsroom at work: the whole mix while writing ≥ ${TARGETS.newsroomPostgraphileRatio}× PostGraphile`,
      measured: `${x(r)} (ours ${rate(mix.ours.writing)}; PostGraphile ${rate(mix.postgraphile.writing)}; quiet: ${x(ratio(mix.ours.quiet.rps, mix.postgraphile.quiet.rps))})`,
      met: Number.isFinite(r) ? r >= TARGETS.newsroomPostgraphileRatio : null,
    })
  }
  const hits = (load: NewsroomLoad) =>
    http[load].ours
      ? `${load} ${pct(http[load].ours!.quiet.hitRatio)} quiet, ${pct(http[load].ours!.writing.hitRatio)} writing`
      : `${load} not measured`
  lines.push({
    id: 'newsroom.cache',
    target: 'newsroom at work: response cache hit ratio (ours, reported)',
    measured: `${hits('storyPages')}; ${hits('mix')} (the desk: ${desk.updates} lede edits, ${desk.publishes} stories published in ${fmt(desk.seconds, ' s')}${desk.failures ? `, ${desk.failures} failed` : ''})`,
    met: null,
  })
  return lines
}

export function newsroomSection(n: NewsroomSummary, p: Line, table: Table, postgraphileSearches: boolean) {
  p('## Newsroom at work')
  p()
  p(
    `Readers: story pages over ${n.stories.toLocaleString('en-US')} stories, popularity Zipf (s = ${n.zipfExponent}); the mix: front page ${pct(n.mix.frontPage)}, search ${pct(n.mix.search)}, story pages ${pct(n.mix.storyPage)}${postgraphileSearches ? ', the same for PostGraphile' : ' (PostGraphile, without search: front and story pages, 1 : 8)'}. ` +
      `Writing: editors edit the lede of a random story ${EDITS_PER_SECOND} times a second and publish a new story every ${PUBLISH_EVERY_SECONDS} s, through ours (PostGraphile reads the same database): ` +
      `${n.desk.updates} lede edits and ${n.desk.publishes} stories published in ${fmt(n.desk.seconds, ' s')} of writing; a write's p50 ${fmt(n.desk.p50, ' ms')}, p99 ${fmt(n.desk.p99, ' ms')}; ${n.desk.failures} failed.`,
  )
  p()
  table(
    ['load', 'server', 'condition', 'req/s', 'p50 ms', 'p99 ms', 'cache hits', 'failed'],
    Object.entries(n.http).flatMap(([load, byTarget]) =>
      Object.entries(byTarget).flatMap(([target, byCondition]) =>
        Object.entries(byCondition).map(([condition, s]) => [
          load,
          TARGET_NAMES[target as Target],
          condition,
          fmt(s.rps),
          fmt(s.p50),
          fmt(s.p99),
          s.hitRatio === undefined ? '' : pct(s.hitRatio),
          s.failures,
        ]),
      ),
    ),
  )
}
