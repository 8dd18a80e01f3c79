// Varied queries: the long tail no cache serves well. 500 different story pages drawn (seeded)
// over every story the public may read, each asked for in one of four field sets, from the
// headline alone to the full story page: the same sequence for every server.
import { Random } from '../prng.js'
import { dataOf, graphqlRequest, isoDate, sorted, type HttpWorkload, type Target } from './http.js'
import { storyPage } from './story-page.js'

export const VARIANTS = ['lede', 'body', 'related', 'full'] as const
export type Variant = (typeof VARIANTS)[number]

export interface VariedParams {
  slug: string
  variant: Variant
}

export const VARIED_PAGES = 500
const SEED = 15

/** The sequence: `VARIED_PAGES` stories drawn without repeats (fewer if there are fewer), each
 *  with a field set of its own. */
export function variedParams(publicSlugs: string[]): VariedParams[] {
  const random = new Random(SEED)
  const pool = [...publicSlugs]
  const n = Math.min(VARIED_PAGES, pool.length)
  for (let i = 0; i < n; i++) {
    const j = random.int(i, pool.length - 1)
    ;[pool[i], pool[j]] = [pool[j], pool[i]]
  }
  return pool.slice(0, n).map((slug) => ({ slug, variant: VARIANTS[random.int(0, VARIANTS.length - 1)] }))
}

const OURS: Record<Exclude<Variant, 'full'>, string> = {
  lede: /* GraphQL */ `
    query StoryLede($slug: String!) {
      story(slug: $slug) {
        slug
        headline
        lede
        byline
        firstPublishedAt
      }
    }
  `,
  body: /* GraphQL */ `
    query StoryBody($slug: String!) {
      story(slug: $slug) {
        slug
        headline
        lede
        body {
          heading
          paragraphs
        }
        tags {
          edges {
            node {
              slug
              name
            }
          }
        }
      }
    }
  `,
  related: /* GraphQL */ `
    query StoryRelated($slug: String!) {
      story(slug: $slug) {
        slug
        headline
        byline
        related(first: 10) {
          edges {
            reason
            node {
              slug
              headline
              byline
            }
          }
        }
      }
    }
  `,
}

/** PostGraphile's: a condition on the slug (as the story page's), and its relations' names. */
const POSTGRAPHILE: Record<Exclude<Variant, 'full'>, string> = {
  lede: /* GraphQL */ `
    query StoryLede($slug: String!) {
      allStories(condition: { slug: $slug }, first: 1) {
        nodes {
          slug
          headline
          lede
          byline
          firstPublishedAt
        }
      }
    }
  `,
  body: /* GraphQL */ `
    query StoryBody($slug: String!) {
      allStories(condition: { slug: $slug }, first: 1) {
        nodes {
          slug
          headline
          lede
          storySectionsByStoryId(orderBy: POSITION_ASC) {
            nodes {
              heading
              paragraphs
            }
          }
          storyTagsByStoryId(first: 20) {
            nodes {
              tagByTagId {
                slug
                name
              }
            }
          }
        }
      }
    }
  `,
  related: /* GraphQL */ `
    query StoryRelated($slug: String!) {
      allStories(condition: { slug: $slug }, first: 1) {
        nodes {
          slug
          headline
          byline
          relatedStoriesByStoryId(first: 10, orderBy: POSITION_ASC) {
            nodes {
              reason
              storyByRelatedId {
                slug
                headline
                byline
              }
            }
          }
        }
      }
    }
  `,
}

/** The fields a variant asked for, whichever server answered (the full page: the story page's). */
function canonicalPart(s: any, target: Target) {
  const pg = target === 'postgraphile'
  const out: Record<string, unknown> = { slug: s.slug, headline: s.headline }
  for (const key of ['lede', 'byline'] as const) if (key in s) out[key] = s[key]
  if ('firstPublishedAt' in s) out.firstPublishedAt = isoDate(s.firstPublishedAt)
  const sections = pg ? s.storySectionsByStoryId?.nodes : s.body
  if (sections) out.body = sections.map((x: any) => ({ heading: x.heading, paragraphs: x.paragraphs }))
  const tags = pg ? s.storyTagsByStoryId?.nodes.map((n: any) => n.tagByTagId) : s.tags?.edges.map((e: any) => e.node)
  if (tags)
    out.tags = sorted(
      tags.map((t: any) => `${t.slug}|${t.name}`),
      String,
    )
  const related = pg
    ? s.relatedStoriesByStoryId?.nodes.map((n: any) => ({ reason: n.reason, ...n.storyByRelatedId }))
    : s.related?.edges.map((e: any) => ({ reason: e.reason, ...e.node }))
  if (related)
    out.related = related.map((r: any) => ({ reason: r.reason, slug: r.slug, headline: r.headline, byline: r.byline }))
  return out
}

export const varied: HttpWorkload<VariedParams> = {
  name: 'varied',
  title: `varied (${VARIED_PAGES} story pages, ${VARIANTS.length} field sets)`,
  targets: ['ours', 'oursUncached', 'postgraphile'],
  request(target: Target, { slug, variant }: VariedParams) {
    if (variant === 'full') return storyPage.request(target, { slug, related: 10 })
    return graphqlRequest(target === 'postgraphile' ? POSTGRAPHILE[variant] : OURS[variant], { slug })
  },
  canonical(target: Target, response: any) {
    const data = dataOf(response)
    const s = target === 'postgraphile' ? data.allStories?.nodes[0] : data.story
    if (!s) return null
    // the full page: its own canonical form (events, corrections, photo …)
    if ('events' in s || 'storyEventsByStoryId' in s) return storyPage.canonical(target, response)
    return canonicalPart(s, target)
  },
}
