// The write: an editor publishes a draft (publishStory), which runs the whole write path: the
// version check, the revision, the audit entry and the change-log row in one transaction, then
// the live feed's read. Each request publishes a different draft the generator made.
import { graphqlRequest, type HttpRequest } from './http.js'

export const PUBLISH = /* GraphQL */ `
  mutation Publish($id: ID!) {
    publishStory(id: $id, version: 1) {
      __typename
      ... on Story {
        slug
        status
        firstPublishedAt
      }
      ... on Error {
        code
        field
        message
      }
    }
  }
`

export function publishRequest(id: string, token: string): HttpRequest {
  return graphqlRequest(PUBLISH, { id }, { authorization: `Bearer ${token}` })
}

/** What a successful publish answers (anything else is an error or a typed refusal). */
export const published = (body: string) =>
  body.includes('"__typename":"Story"') && body.includes('"status":"PUBLISHED"')
