// The subscriptions the fan-out runs hold: every subscriber of breakingNews shares one
// subscription; per-event subscribers follow one of the live events each (as many distinct
// subscriptions as there are live events). Each live draft is urgent and about every live event,
// so one publish reaches every subscriber of either kind exactly once.

export type FanOutKind = 'breakingNews' | 'eventUpdated'

export const BREAKING_NEWS = /* GraphQL */ `
  subscription BreakingNews {
    breakingNews(minUrgency: 3) {
      cursor
      kind
      at
      story {
        slug
        headline
        urgency
        byline
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
  }
`

export const EVENT_UPDATED = /* GraphQL */ `
  subscription EventUpdated($slug: String!) {
    eventUpdated(slug: $slug) {
      cursor
      kind
      at
      event {
        slug
        name
        status
      }
      story {
        slug
        headline
        byline
      }
    }
  }
`

export function subscription(
  kind: FanOutKind,
  index: number,
  liveEventSlugs: string[],
): { query: string; variables: Record<string, unknown> } {
  return kind === 'breakingNews'
    ? { query: BREAKING_NEWS, variables: {} }
    : { query: EVENT_UPDATED, variables: { slug: liveEventSlugs[index % liveEventSlugs.length] } }
}

/** The published story's slug in a delivered payload (`data` of a `next` message). */
export function deliveredSlug(data: any): string | undefined {
  return (data?.breakingNews ?? data?.eventUpdated)?.story?.slug
}

/** The live drafts are numbered: live-000123. */
export const liveNumber = (slug: string | undefined) => (slug && slug.startsWith('live-') ? Number(slug.slice(5)) : -1)
