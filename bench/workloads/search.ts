// Search: a web-style full-text query, ranked, with highlighted snippets. Ours and the naive
// baseline (the floor and PostGraphile have no search of this kind: PostGraphile would need a
// hand-written SQL function, which is the floor again).
import { dataOf, graphqlRequest, type HttpWorkload, type Target } from './http.js'

export interface SearchParams {
  query: string
  first: number
}

export const SEARCH = /* GraphQL */ `
  query Search($query: String!, $first: Int!) {
    search(query: $query, first: $first) {
      edges {
        rank
        snippet
        node {
          slug
          headline
          byline
        }
      }
    }
  }
`

export const search: HttpWorkload<SearchParams> = {
  name: 'search',
  title: 'search (20 hits, ranked, snippets)',
  targets: ['ours', 'oursUncached', 'naive'],
  request(_target: Target, params: SearchParams) {
    return graphqlRequest(SEARCH, { ...params })
  },
  canonical(_target: Target, response: any) {
    return dataOf(response).search.edges.map((e: any) => ({ rank: e.rank, snippet: e.snippet, ...e.node }))
  },
}
