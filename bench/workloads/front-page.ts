// Front page: the newest published stories with byline, photo, tags, people and events with
// their status. `first` is the page size (20 in the measured runs; 5, 20 and 50 when the bench
// counts SQL statements to show they do not grow with it).
import { dataOf, graphqlRequest, isoDate, sorted, type HttpWorkload, type Target } from './http.js'

export interface FrontPageParams {
  first: number
}

export const FRONT_PAGE = /* GraphQL */ `
  query FrontPage($first: Int!) {
    stories(first: $first) {
      edges {
        node {
          slug
          headline
          byline
          firstPublishedAt
          readTimeMinutes
          photo {
            caption
            creditLine
          }
          tags {
            edges {
              node {
                slug
                name
              }
            }
          }
          people {
            edges {
              relation
              node {
                slug
                name
              }
            }
          }
          events {
            edges {
              node {
                slug
                name
                status
              }
            }
          }
        }
      }
    }
  }
`

/** The same page in the schema PostGraphile generates from our tables. */
export const FRONT_PAGE_POSTGRAPHILE = /* GraphQL */ `
  query FrontPage($first: Int!) {
    allStories(first: $first, condition: { status: PUBLISHED }, orderBy: [FIRST_PUBLISHED_AT_DESC, ROW_ID_DESC]) {
      nodes {
        slug
        headline
        byline
        firstPublishedAt
        readTimeMinutes
        mediaAssetByPhotoId {
          caption
          creditLine
        }
        storyTagsByStoryId(first: 20) {
          nodes {
            tagByTagId {
              slug
              name
            }
          }
        }
        storyPeopleByStoryId(first: 20) {
          nodes {
            relation
            personByPersonId {
              slug
              name
            }
          }
        }
        storyEventsByStoryId(first: 20) {
          nodes {
            eventByEventId {
              slug
              name
              status
            }
          }
        }
      }
    }
  }
`

interface Story {
  slug: string
  headline: string
  byline: string | null
  firstPublishedAt: string | null
  readTimeMinutes: number
  photo: { caption: string | null; creditLine: string | null } | null
  tags: string[]
  people: string[]
  events: string[]
}

// A story's tags, people and events come in no promised order (ours orders a story's links by
// the story's own date, the same for all of them): compared as sets.
function canonicalStory(s: any, links: { tags: any[]; people: any[]; events: any[] }): Story {
  return {
    slug: s.slug,
    headline: s.headline,
    byline: s.byline,
    firstPublishedAt: isoDate(s.firstPublishedAt),
    readTimeMinutes: s.readTimeMinutes,
    photo: s.photo ? { caption: s.photo.caption, creditLine: s.photo.creditLine } : null,
    tags: sorted(
      links.tags.map((t) => `${t.slug}|${t.name}`),
      String,
    ),
    people: sorted(
      links.people.map((p) => `${p.relation}|${p.slug}|${p.name}`),
      String,
    ),
    events: sorted(
      links.events.map((e) => `${e.slug}|${e.name}|${e.status}`),
      String,
    ),
  }
}

export const frontPage: HttpWorkload<FrontPageParams> = {
  name: 'frontPage',
  title: 'front page (20 newest stories)',
  targets: ['ours', 'oursUncached', 'naive', 'floor', 'postgraphile'],
  request(target: Target, { first }: FrontPageParams) {
    if (target === 'floor') return { method: 'GET', path: `/front-page?first=${first}` }
    return graphqlRequest(target === 'postgraphile' ? FRONT_PAGE_POSTGRAPHILE : FRONT_PAGE, { first })
  },
  canonical(target: Target, response: any) {
    const data = dataOf(response)
    if (target === 'postgraphile') {
      return data.allStories.nodes.map((s: any) =>
        canonicalStory(
          { ...s, photo: s.mediaAssetByPhotoId },
          {
            tags: s.storyTagsByStoryId.nodes.map((n: any) => n.tagByTagId),
            people: s.storyPeopleByStoryId.nodes.map((n: any) => ({ relation: n.relation, ...n.personByPersonId })),
            events: s.storyEventsByStoryId.nodes.map((n: any) => n.eventByEventId),
          },
        ),
      )
    }
    return data.stories.edges.map(({ node: s }: any) =>
      canonicalStory(s, {
        tags: s.tags.edges.map((e: any) => e.node),
        people: s.people.edges.map((e: any) => ({ relation: e.relation, ...e.node })),
        events: s.events.edges.map((e: any) => e.node),
      }),
    )
  },
}
