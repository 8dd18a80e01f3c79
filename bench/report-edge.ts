// "Through the edge" in the report: Varnish in front of ours, and how soon a change is purged
// from it, summarised, judged and written.
import {
  EDGE_VARIANT_NAMES,
  type EdgeFigures,
  type EdgeRun,
  type EdgeVariant,
  type PurgeFigures,
} from './phase-edge.js'
import { fmt, pct, rate, seconds, x, type Line, type Table } from './report-format.js'
import { deskSummary, httpSummary, type DeskSummary, type HttpSummary, type TargetLine } from './report-summary.js'
import { TARGETS } from './settings.js'
import { ratio } from './stats.js'
import { EDITS_PER_SECOND, PUBLISH_EVERY_SECONDS } from './workloads/newsroom.js'

export interface EdgeSummary {
  stories: number
  zipfExponent: number
  sMaxAgeSeconds: number
  /** variant → medians of the rounds; hitRatio: hits ÷ lookups of the cache that answered first
   *  (Varnish's; directly, ours' response cache), over every round */
  http: Record<EdgeVariant, HttpSummary & { hitRatio: number }>
  /** story pages via Varnish ÷ ours directly, req/s */
  ratio: number
  desk: DeskSummary
  purge: PurgeFigures
}

export function edgeSummary(figures: EdgeFigures): EdgeSummary {
  const { stories, zipfExponent, sMaxAgeSeconds, runs, desk, purge } = figures
  const of = (r: EdgeRun[]) => {
    const hits = r.reduce((n, x) => n + x.cache.hits, 0)
    return { ...httpSummary(r), hitRatio: hits / r.reduce((n, x) => n + x.cache.hits + x.cache.misses, 0) }
  }
  const http = {
    varnish: of(runs.varnish),
    direct: of(runs.direct),
    varnishWriting: of(runs.varnishWriting),
  }
  return {
    stories,
    zipfExponent,
    sMaxAgeSeconds,
    http,
    ratio: ratio(http.varnish.rps, http.direct.rps),
    desk: deskSummary(desk),
    purge,
  }
}

export function judgeEdge({ http, ratio: r, purge, desk }: EdgeSummary): TargetLine[] {
  const { varnish, direct, varnishWriting } = http
  const cpu = (s: HttpSummary) => `ours' CPU ${fmt(s.cpuMsPerRequest, ' ms')}/request`
  const { purged, changes } = purge
  return [
    {
      id: 'edge.storyPage',
      target: `through the edge: story pages via Varnish ≥ ${TARGETS.edgeRatio}× ours directly`,
      measured: `${x(r)} (via Varnish ${rate(varnish)}, ${cpu(varnish)}, Varnish hits ${pct(varnish.hitRatio)}; directly ${rate(direct)}, ${cpu(direct)}, ours' cache hits ${pct(direct.hitRatio)})`,
      met: Number.isFinite(r) ? r >= TARGETS.edgeRatio : null,
    },
    {
      id: 'edge.purgeLag',
      target: `through the edge: purge lag p99 ≤ ${seconds(TARGETS.purgeLagP99Seconds)} at ${EDITS_PER_SECOND} writes/s`,
      measured: `p99 ${seconds(purge.p99)}, p50 ${seconds(purge.p50)} (${purged} of ${changes} changes purged; the desk: ${desk.updates} lede edits, ${desk.publishes} stories published in ${fmt(desk.seconds, ' s')}${desk.failures ? `, ${desk.failures} failed` : ''})`,
      met: purged > 0 ? purge.p99 <= TARGETS.purgeLagP99Seconds && purged >= changes : null,
    },
    {
      id: 'edge.writing',
      target: 'through the edge: story pages via Varnish while the desk writes (reported)',
      measured: `${x(ratio(varnishWriting.rps, varnish.rps))} quiet (${rate(varnishWriting)}, Varnish hits ${pct(varnishWriting.hitRatio)}; quiet ${pct(varnish.hitRatio)})`,
      met: null,
    },
  ]
}

export function edgeSection(e: EdgeSummary, p: Line, table: Table) {
  p('## Through the edge')
  p()
  p(
    `Varnish with the shipped VCL (\`deploy/varnish/default.vcl\`) in front of a server of ours whose purger purges it from the change log; answers kept up to ${fmt(e.sMaxAgeSeconds, ' s')} (\`EDGE_S_MAXAGE_SECONDS\`), so only purges send Varnish back to ours. ` +
      `Readers: story pages by GET (\`StoryBySlug\` by its hash), over ${e.stories.toLocaleString('en-US')} stories, popularity Zipf (s = ${e.zipfExponent}), the same sequence via Varnish and directly. ` +
      `"Ours' CPU" is our server process's CPU time per request answered (via Varnish: per request Varnish answered; while writing it includes the desk's writes). ` +
      `"Cache hits": answers Varnish marked \`X-Cache: HIT\` (via Varnish), or ours' response cache's hits (directly).`,
  )
  p()
  table(
    ['story pages', 'req/s', 'p50 ms', 'p99 ms', "ours' CPU ms/req", 'cache hits', '÷ directly', 'failed'],
    (Object.entries(e.http) as [EdgeVariant, EdgeSummary['http'][EdgeVariant]][]).map(([variant, s]) => [
      EDGE_VARIANT_NAMES[variant],
      fmt(s.rps),
      fmt(s.p50),
      fmt(s.p99),
      fmt(s.cpuMsPerRequest),
      pct(s.hitRatio),
      variant === 'direct' ? '' : x(ratio(s.rps, e.http.direct.rps)),
      s.failures,
    ]),
  )
  p(
    `Purges (\`${e.purge.target}\`): while the desk wrote (a lede edit ${EDITS_PER_SECOND} times a second, a new story every ${PUBLISH_EVERY_SECONDS} s: ${e.desk.updates} edits, ${e.desk.publishes} published in ${fmt(e.desk.seconds, ' s')}; a write's p50 ${fmt(e.desk.p50, ' ms')}, ${e.desk.failures} failed), ` +
      `${e.purge.purged} of the ${e.purge.changes} changes committed were purged; from a change's commit to Varnish's answer to its purge: p50 ${seconds(e.purge.p50)}, p99 ${seconds(e.purge.p99)}.`,
  )
  p()
}
