// Phase 2: before anything is measured, every baseline must answer the same data as ours for the
// workload queries (read back into one canonical form: bench/workloads/*.ts). A difference stops
// the run: comparing the speed of different answers would say nothing.
import type { BenchContext } from './context.js'
import type { ServerProcess } from './processes.js'
import { firstDifference, send } from './requests.js'
import { searchQueries } from './vocabulary.js'
import { frontPage } from './workloads/front-page.js'
import { search } from './workloads/search.js'
import { storyPage } from './workloads/story-page.js'
import { varied, variedParams, VARIANTS } from './workloads/varied.js'
import type { HttpWorkload, Target } from './workloads/http.js'

/** workload → server → what was compared */
export type EqualityFigures = Record<string, Partial<Record<Target, string>>>

export async function checkSameData(
  ctx: BenchContext,
  servers: Record<Target, ServerProcess>,
): Promise<EqualityFigures> {
  const { fixtures } = ctx
  const cases: [HttpWorkload<any>, unknown[]][] = [
    [frontPage, [{ first: 20 }, { first: 50 }]],
    [
      storyPage,
      [
        { slug: fixtures.hubSlug, related: 10 },
        ...fixtures.storySlugs.slice(0, 5).map((slug) => ({ slug, related: 10 })),
      ],
    ],
    [
      search,
      searchQueries()
        .slice(0, 4)
        .map((query) => ({ query, first: 20 })),
    ],
    // the first pages of the sequence, and one story in every field set
    [
      varied,
      [
        ...variedParams(fixtures.publicSlugs).slice(0, 8),
        ...VARIANTS.map((variant) => ({ slug: fixtures.storySlugs[0], variant })),
      ],
    ],
  ]
  const figures: EqualityFigures = {}
  for (const [workload, paramsList] of cases) {
    figures[workload.name] = {}
    for (const params of paramsList) {
      const expected = workload.canonical('ours', (await send(servers.ours, workload.request('ours', params))).json)
      if (expected === null || (Array.isArray(expected) && expected.length === 0)) {
        throw new Error(
          `${workload.name}: ours answered nothing for ${JSON.stringify(params)}; the data is not what the bench expects`,
        )
      }
      for (const target of workload.targets.filter((t) => t !== 'ours')) {
        const actual = workload.canonical(target, (await send(servers[target], workload.request(target, params))).json)
        const difference = firstDifference(expected, actual)
        if (difference)
          throw new Error(
            `${target} answers other data than ours for ${workload.name} ${JSON.stringify(params)}: ${difference}`,
          )
      }
    }
    for (const target of workload.targets.filter((t) => t !== 'ours')) {
      figures[workload.name][target] = `same data as ours (${paramsList.length} requests compared)`
    }
    ctx.log(`  ${workload.name}: ${workload.targets.join(', ')} answer the same data`)
  }
  return figures
}
