// "Newsroom at work": readers on the front page, on story pages over every generated story with
// Zipf-distributed popularity, and on search; meanwhile (when writing) editors edit the lede of
// random stories and publish new ones, through our API. Here: the readers' requests and the
// editors' mutations; bench/phase-newsroom.ts runs them.
import { Random, type Zipf } from '../prng.js'
import { searchQueries } from '../vocabulary.js'
import { frontPage } from './front-page.js'
import { graphqlRequest, type HttpRequest, type Target } from './http.js'
import { search } from './search.js'
import { storyPage } from './story-page.js'

/** Zipf's exponent of story popularity: rank k is read ∝ 1/k (a few stories are most of the reads). */
export const ZIPF_S = 1.0
/** The mix's shares; a server without search would get front and story pages, 1 : 8 (PostGraphile had
 *  none before its search baseline). */
export const MIX = { frontPage: 0.1, search: 0.1, storyPage: 0.8 }
/** Editors: lede edits per second, and a new story published every so many seconds. */
export const EDITS_PER_SECOND = 2
export const PUBLISH_EVERY_SECONDS = 10

export type NewsroomLoad = 'storyPages' | 'mix'

/** The readers' requests to one server: seeded, so every server gets the same story pages in the
 *  same order (kinds, stories and search queries each draw from a generator of their own). */
export function readers(
  target: Target,
  load: NewsroomLoad,
  slugs: string[],
  zipf: Zipf,
  seed: number,
): () => HttpRequest {
  const kinds = new Random(seed)
  const ranks = new Random(seed + 1)
  const queries = new Random(seed + 2)
  const front = frontPage.request(target, { first: 20 })
  const searches = search.targets.includes(target)
    ? searchQueries().map((query) => search.request(target, { query, first: 20 }))
    : []
  const pages = new Map<number, HttpRequest>()
  const story = () => {
    const rank = zipf.draw(ranks)
    let page = pages.get(rank)
    if (!page) pages.set(rank, (page = storyPage.request(target, { slug: slugs[rank], related: 10 })))
    return page
  }
  return () => {
    if (load === 'storyPages') return story()
    for (;;) {
      const r = kinds.float()
      if (r < MIX.frontPage) return front
      if (r >= MIX.frontPage + MIX.search) return story()
      if (searches.length) return queries.pick(searches)
    }
  }
}

export const UPDATE_LEDE = /* GraphQL */ `
  mutation UpdateLede($id: ID!, $version: Int!, $lede: String!) {
    updateStory(id: $id, version: $version, input: { lede: $lede }) {
      __typename
      ... on Story {
        version
      }
      ... on Error {
        code
        message
      }
    }
  }
`

export const CREATE_STORY = /* GraphQL */ `
  mutation CreateStory($input: StoryInput!) {
    createStory(input: $input) {
      __typename
      ... on Story {
        id
        version
      }
      ... on Error {
        code
        field
        message
      }
    }
  }
`

interface Link {
  id: string
  relation: string
}

/** What a generated story is filed under (global ids), for a new story to be filed alike. */
export interface Filing {
  headline: string
  tagIds: string[]
  people: Link[]
  organisations: Link[]
  places: Link[]
  events: Link[]
}

export function updateLedeRequest(id: string, version: number, lede: string, token: string): HttpRequest {
  return graphqlRequest(UPDATE_LEDE, { id, version, lede }, { authorization: `Bearer ${token}` })
}

/** A follow-up to a generated story: a draft filed under the same tags, people, places … */
export function createStoryRequest(slug: string, { headline, ...links }: Filing, token: string): HttpRequest {
  const input = {
    slug,
    headline: `Follow-up: ${headline}`,
    lede: `What happened next, as the desk reports it (${slug}).`,
    byline: 'The news desk',
    sections: [{ paragraphs: ['The desk filed this follow-up while readers were reading. More to come.'] }],
    ...links,
  }
  return graphqlRequest(CREATE_STORY, { input }, { authorization: `Bearer ${token}` })
}
