// Phase: "newsroom at work" (bench/workloads/newsroom.ts). Each round, the story pages alone and
// the whole mix, on ours and on PostGraphile in turn, each quiet and while the desk writes (both
// orders rotating by round); both servers get the same readers' sequence. The desk writes through
// ours in both cases, to the database PostGraphile reads too. Ours' response cache counts are read
// before and after each of its runs (GET /cache-stats, RESPONSE_CACHE_STATS on in bench/servers.ts).
import { encodeGlobalID } from '@pothos/plugin-relay'
import pg from 'pg'
import type { BenchContext } from './context.js'
import { runLoad, type LoadResult } from './http-load.js'
import { Desk, type DeskFigures, type DeskStory } from './newsroom-desk.js'
import { isData, rotate } from './phase-http.js'
import type { ServerProcess } from './processes.js'
import { Zipf } from './prng.js'
import { send, sleep } from './requests.js'
import { MIX, readers, ZIPF_S, type Filing, type NewsroomLoad } from './workloads/newsroom.js'

export type NewsroomTarget = 'ours' | 'postgraphile'
export type Condition = 'quiet' | 'writing'

export interface CacheCounts {
  hits: number
  misses: number
  invalidations: number
}

export interface NewsroomRun extends LoadResult {
  /** ours: what its response cache counted during the run */
  cache?: CacheCounts
}

export interface NewsroomFigures {
  stories: number
  zipfExponent: number
  mix: typeof MIX
  /** load → server → condition → one run per round */
  runs: Record<NewsroomLoad, Partial<Record<NewsroomTarget, Record<Condition, NewsroomRun[]>>>>
  desk: DeskFigures
}

const LOADS: NewsroomLoad[] = ['storyPages', 'mix']
const TARGETS: NewsroomTarget[] = ['ours', 'postgraphile']
const CONDITIONS: Condition[] = ['quiet', 'writing']
const DESK_SEED = 13

export async function measureNewsroom(
  ctx: BenchContext,
  servers: Record<NewsroomTarget, ServerProcess>,
): Promise<NewsroomFigures> {
  const { settings } = ctx
  const { stories, filings } = await loadNewsroom(ctx.databaseUrl)
  const slugs = stories.map((s) => s.slug)
  const zipf = new Zipf(slugs.length, ZIPF_S)
  const desk = new Desk(servers.ours, ctx.token, stories, filings, DESK_SEED)
  const figures: NewsroomFigures = {
    stories: slugs.length,
    zipfExponent: ZIPF_S,
    mix: MIX,
    runs: { storyPages: {}, mix: {} },
    desk: desk.figures,
  }
  const counts = async (): Promise<CacheCounts> =>
    (
      await send(servers.ours, {
        method: 'GET',
        path: '/cache-stats',
        headers: { authorization: `Bearer ${ctx.token}` },
      })
    ).json
  const load = (target: NewsroomTarget, kind: NewsroomLoad, seed: number, seconds: number) =>
    runLoad({
      server: servers[target],
      next: readers(target, kind, slugs, zipf, seed),
      ok: isData,
      seconds,
      connections: settings.connections,
    })

  for (let round = 0; round < settings.newsroomRounds; round++) {
    for (const kind of LOADS) {
      for (const target of rotate(TARGETS, round)) {
        if (round === 0 && settings.warmupSeconds > 0) await load(target, kind, 1, settings.warmupSeconds)
        for (const condition of rotate(CONDITIONS, round)) {
          // the same readers for both servers; other readers each round, load and condition
          const seed = 100 * (round + 1) + 10 * LOADS.indexOf(kind) + 5 * CONDITIONS.indexOf(condition)
          const before = target === 'ours' ? await counts() : null
          if (condition === 'writing') desk.start()
          const result: NewsroomRun = await load(target, kind, seed, settings.seconds)
          if (condition === 'writing') await desk.stop()
          if (before) {
            const after = await counts()
            result.cache = {
              hits: after.hits - before.hits,
              misses: after.misses - before.misses,
              invalidations: after.invalidations - before.invalidations,
            }
          }
          const byCondition = (figures.runs[kind][target] ??= { quiet: [], writing: [] })
          byCondition[condition].push(result)
          const hits = result.cache
            ? `, cache hits ${((100 * result.cache.hits) / (result.cache.hits + result.cache.misses)).toFixed(0)}%`
            : ''
          ctx.log(
            `  round ${round + 1} ${kind} ${target} ${condition}: ${result.rps.toFixed(1)} req/s, p99 ${result.latencyMs.p99} ms${hits}${result.failures ? `, ${result.failures} failed` : ''}`,
          )
          await sleep(300)
        }
      }
    }
  }
  const d = desk.figures
  ctx.log(
    `  the desk: ${d.updates} lede edits, ${d.publishes} stories published in ${d.seconds.toFixed(1)} s of writing${d.failures ? `, ${d.failures} failed: ${d.errors[0]}` : ''}`,
  )
  return figures
}

/** Every generated published story (not the drafts the other phases publish), in a fixed order
 *  that is its popularity rank; and what some of them are filed under, for the desk's new stories. */
export async function loadNewsroom(url: string): Promise<{ stories: DeskStory[]; filings: Filing[] }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const generated = `status = 'PUBLISHED' AND slug !~ '^(bench-write|live)-[0-9]{6}$' AND slug !~ '^newsroom-'`
    const stories = (
      await client.query(`SELECT id::text, slug, version FROM "Story" WHERE ${generated} ORDER BY md5(slug)`)
    ).rows.map((r): DeskStory => ({ id: encodeGlobalID('Story', r.id), slug: r.slug, version: r.version }))
    const links = (table: string, column: string) =>
      `(SELECT coalesce(json_agg(json_build_object('id', "${column}", 'relation', relation)), '[]') FROM "${table}" WHERE "storyId" = s.id)`
    const rows = (
      await client.query(
        `SELECT headline, ARRAY(SELECT "tagId"::text FROM "StoryTag" WHERE "storyId" = s.id) AS tags,
           ${links('StoryPerson', 'personId')} AS people, ${links('StoryOrganisation', 'organisationId')} AS organisations,
           ${links('StoryPlace', 'placeId')} AS places, ${links('StoryEvent', 'eventId')} AS events
         FROM "Story" s WHERE ${generated} ORDER BY md5(slug || 'filed') LIMIT 100`,
      )
    ).rows
    const ids = (type: string, list: { id: string; relation: string }[]) =>
      list.map((l) => ({ id: encodeGlobalID(type, l.id), relation: l.relation }))
    const filings = rows.map((r): Filing => ({
      headline: r.headline,
      tagIds: r.tags.map((id: string) => encodeGlobalID('Tag', id)),
      people: ids('Person', r.people),
      organisations: ids('Organisation', r.organisations),
      places: ids('Place', r.places),
      events: ids('Event', r.events),
    }))
    return { stories, filings }
  } finally {
    await client.end()
  }
}
