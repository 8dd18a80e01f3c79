// The query GraphiQL opens with, and the README's first example.
export const EXAMPLE_QUERY = /* GraphQL */ `# The front page: newest published stories with what they are about.
query FrontPage {
  stories(first: 5) {
    totalCount
    edges {
      node {
        headline
        byline
        readTimeMinutes
        photo { creditLine }
        tags { edges { node { name } } }
        events { edges { node { name status expectedStart { from to precision } } } }
      }
    }
  }
}
`
