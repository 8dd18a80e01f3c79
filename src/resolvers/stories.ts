// How the `stories` filter and order map onto the database.
import type { Prisma } from '../generated/prisma/client.js'
import type { Viewer } from '../auth/token.js'
import type { StoryStatus, StoryType } from '../generated/prisma/enums.js'
import { isEditor, storyStatusWhere } from './visibility.js'

export interface StoryFilterInput {
  tag?: string | null
  person?: string | null
  organisation?: string | null
  place?: string | null
  event?: string | null
  type?: StoryType | null
  language?: string | null
  status?: StoryStatus | null
  publishedAfter?: Date | null
  publishedBefore?: Date | null
}

export function storyWhere(filter: StoryFilterInput | null | undefined, viewer: Viewer | null): Prisma.StoryWhereInput {
  const f = filter ?? {}
  const status = f.status ?? 'PUBLISHED'
  // The public asking for drafts finds none, exactly as if there were none.
  if (status !== 'PUBLISHED' && !isEditor(viewer)) return { id: { in: [] } }
  return {
    ...storyStatusWhere(status),
    ...(f.type ? { type: f.type } : {}),
    ...(f.language ? { language: f.language } : {}),
    ...(f.tag ? { tags: { some: { tag: { slug: f.tag } } } } : {}),
    ...(f.person ? { people: { some: { person: { slug: f.person } } } } : {}),
    ...(f.organisation ? { organisations: { some: { organisation: { slug: f.organisation } } } } : {}),
    ...(f.place ? { places: { some: { place: { slug: f.place } } } } : {}),
    ...(f.event ? { events: { some: { event: { slug: f.event } } } } : {}),
    ...(f.publishedAfter || f.publishedBefore
      ? {
          firstPublishedAt: {
            ...(f.publishedAfter ? { gte: f.publishedAfter } : {}),
            ...(f.publishedBefore ? { lt: f.publishedBefore } : {}),
          },
        }
      : {}),
  }
}

export function storyOrderBy(order: 'NEWEST' | 'OLDEST' | null | undefined): Prisma.StoryOrderByWithRelationInput[] {
  const direction = order === 'OLDEST' ? 'asc' : 'desc'
  // the id breaks ties between stories published in the same instant, so pages never overlap
  return [{ firstPublishedAt: { sort: direction, nulls: 'last' } }, { id: direction }]
}
