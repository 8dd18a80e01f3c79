// How the `stories` filter and order map onto the database, and a page of the list.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js'
import type { Viewer } from '../auth/token.js'
import type { StoryStatus, StoryType } from '../generated/prisma/enums.js'
import {
  keysetPage,
  ListOrder,
  NEWEST_STORIES,
  OLDEST_STORIES,
  storyPosition,
  type KeysetPage,
  type PageArgs,
} from './paging.js'
import { mayEdit } from '../auth/roles.js'
import { storyStatusWhere } from './visibility.js'

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
  if (status !== 'PUBLISHED' && !mayEdit(viewer)) return { id: { in: [] } }
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

// The id breaks ties between stories published in the same instant, so pages never overlap. NEWEST
// is the order of the (firstPublishedAt DESC NULLS LAST, id DESC) index the front page reads.
export const STORY_ORDERS = {
  NEWEST: new ListOrder('stories', NEWEST_STORIES),
  OLDEST: new ListOrder('stories-oldest', OLDEST_STORIES),
}
const KEYS = ['firstPublishedAt', 'id']

export interface StoryEdge<S> {
  cursor: string
  node: S
}

/** The window of a page of `stories(orderBy:)` that `args` ask for; a bad cursor is BAD_USER_INPUT. */
export function storyWindow(orderBy: 'NEWEST' | 'OLDEST' | null | undefined, args: PageArgs, defaultSize: number) {
  const order = STORY_ORDERS[orderBy ?? 'NEWEST']
  return { order, w: order.window(args, defaultSize) }
}

/**
 * One page of `stories(filter:, orderBy:)`, in one statement: the stories past the cursor's
 * position (src/resolvers/paging.ts) that the filter and the viewer allow, with `query` (what is
 * selected beneath the edges' nodes).
 */
export async function storyPage<S extends { id: string; firstPublishedAt: Date | null }>(
  prisma: PrismaClient,
  viewer: Viewer | null,
  filter: StoryFilterInput | null | undefined,
  { order, w }: ReturnType<typeof storyWindow>,
  query: object,
): Promise<KeysetPage<StoryEdge<S>>> {
  const where = storyWhere(filter, viewer)
  const past = order.where(KEYS, w)
  const rows = (await prisma.story.findMany({
    ...query,
    where: past ? { AND: [where, past] } : where,
    orderBy: order.orderBy(KEYS, w) as Prisma.StoryOrderByWithRelationInput[],
    take: w.size + 1,
  })) as unknown as S[]
  const page = keysetPage(rows, w)
  return { ...page, items: page.items.map((node) => ({ cursor: order.cursor(storyPosition(node)), node })) }
}
