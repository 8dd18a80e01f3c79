// Search: a web-style full-text query, ranked, with highlighted snippets. Ours, the naive baseline
// and PostGraphile, through the SQL function the bench gives it (bench/baselines/postgraphile.ts:
// ours' statement, as a root field); the floor has no search.
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

export const SEARCH_POSTGRAPHILE = /* GraphQL */ `
  query Search($query: String!, $first: Int!) {
    searchStoriesList(query: $query, hits: $first) {
      rank
      snippet
      slug
      headline
      byline
    }
  }
`

export const search: HttpWorkload<SearchParams> = {
  name: 'search',
  title: 'search (20 hits, ranked, snippets)',
  targets: ['ours', 'oursUncached', 'naive', 'postgraphile'],
  request(target: Target, params: SearchParams) {
    return graphqlRequest(target === 'postgraphile' ? SEARCH_POSTGRAPHILE : SEARCH, { ...params })
  },
  canonical(target: Target, response: any) {
    if (target === 'postgraphile') return dataOf(response).searchStoriesList.map((h: any) => ({ ...h }))
    return dataOf(response).search.edges.map((e: any) => ({ rank: e.rank, snippet: e.snippet, ...e.node }))
  },
}
