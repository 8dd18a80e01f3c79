// Story page: one story with its sections, corrections, related stories and their bylines, and
// the status history of the events it reports. `related` is the related list's page size (10 in
// the measured runs; 5, 20 and 50 of a story with 50 related when the bench counts statements).
import { dataOf, graphqlRequest, isoDate, sorted, type HttpWorkload, type Target } from './http.js'

export interface StoryPageParams {
  slug: string
  related: number
}

export const STORY_PAGE = /* GraphQL */ `
  query StoryPage($slug: String!, $related: Int!) {
    story(slug: $slug) {
      slug
      headline
      lede
      byline
      firstPublishedAt
      updatedAt
      readTimeMinutes
      photo {
        caption
        creditLine
        altText
      }
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
      corrections {
        edges {
          node {
            kind
            text
            createdAt
          }
        }
      }
      related(first: $related) {
        edges {
          reason
          node {
            slug
            headline
            byline
            firstPublishedAt
          }
        }
      }
      events {
        edges {
          node {
            slug
            name
            status
            statusHistory {
              edges {
                node {
                  at
                  from
                  to
                  note
                }
              }
            }
          }
        }
      }
    }
  }
`

/** PostGraphile makes no storyBySlug (Prisma's unique indexes are not constraints): a condition. */
export const STORY_PAGE_POSTGRAPHILE = /* GraphQL */ `
  query StoryPage($slug: String!, $related: Int!) {
    allStories(condition: { slug: $slug }, first: 1) {
      nodes {
        slug
        headline
        lede
        byline
        firstPublishedAt
        contentUpdatedAt
        readTimeMinutes
        mediaAssetByPhotoId {
          caption
          creditLine
          altText
        }
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
        correctionsByStoryId(first: 20, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {
          nodes {
            kind
            text
            createdAt
          }
        }
        relatedStoriesByStoryId(first: $related, orderBy: POSITION_ASC) {
          nodes {
            reason
            storyByRelatedId {
              slug
              headline
              byline
              firstPublishedAt
            }
          }
        }
        storyEventsByStoryId(first: 20) {
          nodes {
            eventByEventId {
              slug
              name
              status
              eventStatusChangesByEventId(first: 20, orderBy: [AT_ASC, ROW_ID_ASC]) {
                nodes {
                  at
                  fromStatus
                  toStatus
                  note
                }
              }
            }
          }
        }
      }
    }
  }
`

function canonicalStory(
  s: any,
  lists: { sections: any[]; tags: any[]; corrections: any[]; related: any[]; events: any[] },
) {
  if (!s) return null
  return {
    slug: s.slug,
    headline: s.headline,
    lede: s.lede,
    byline: s.byline,
    firstPublishedAt: isoDate(s.firstPublishedAt),
    updatedAt: isoDate(s.updatedAt),
    readTimeMinutes: s.readTimeMinutes,
    photo: s.photo ? { caption: s.photo.caption, creditLine: s.photo.creditLine, altText: s.photo.altText } : null,
    body: lists.sections.map((x) => ({ heading: x.heading, paragraphs: x.paragraphs })),
    tags: sorted(
      lists.tags.map((t) => `${t.slug}|${t.name}`),
      String,
    ),
    corrections: lists.corrections.map((c) => ({ kind: c.kind, text: c.text, createdAt: isoDate(c.createdAt) })),
    related: lists.related.map((r) => ({
      reason: r.reason,
      slug: r.slug,
      headline: r.headline,
      byline: r.byline,
      firstPublishedAt: isoDate(r.firstPublishedAt),
    })),
    events: sorted(
      lists.events.map((e) => ({
        slug: e.slug,
        name: e.name,
        status: e.status,
        history: e.history.map((h: any) => ({ at: isoDate(h.at), from: h.from, to: h.to, note: h.note })),
      })),
      (e) => e.slug,
    ),
  }
}

export const storyPage: HttpWorkload<StoryPageParams> = {
  name: 'storyPage',
  title: 'story page (10 related)',
  targets: ['ours', 'oursUncached', 'naive', 'floor', 'postgraphile'],
  request(target: Target, { slug, related }: StoryPageParams) {
    if (target === 'floor') return { method: 'GET', path: `/story?slug=${encodeURIComponent(slug)}&related=${related}` }
    return graphqlRequest(target === 'postgraphile' ? STORY_PAGE_POSTGRAPHILE : STORY_PAGE, { slug, related })
  },
  canonical(target: Target, response: any) {
    const data = dataOf(response)
    if (target === 'postgraphile') {
      const s = data.allStories.nodes[0]
      if (!s) return null
      return canonicalStory(
        { ...s, updatedAt: s.contentUpdatedAt ?? s.firstPublishedAt, photo: s.mediaAssetByPhotoId },
        {
          sections: s.storySectionsByStoryId.nodes,
          tags: s.storyTagsByStoryId.nodes.map((n: any) => n.tagByTagId),
          corrections: s.correctionsByStoryId.nodes,
          related: s.relatedStoriesByStoryId.nodes.map((n: any) => ({ reason: n.reason, ...n.storyByRelatedId })),
          events: s.storyEventsByStoryId.nodes.map(({ eventByEventId: e }: any) => ({
            ...e,
            history: e.eventStatusChangesByEventId.nodes.map((h: any) => ({
              ...h,
              from: h.fromStatus,
              to: h.toStatus,
            })),
          })),
        },
      )
    }
    const s = data.story
    if (!s) return null
    return canonicalStory(s, {
      sections: s.body,
      tags: s.tags.edges.map((e: any) => e.node),
      corrections: s.corrections.edges.map((e: any) => e.node),
      related: s.related.edges.map((e: any) => ({ reason: e.reason, ...e.node })),
      events: s.events.edges.map(({ node: e }: any) => ({
        ...e,
        history: e.statusHistory.edges.map((h: any) => h.node),
      })),
    })
  },
}
