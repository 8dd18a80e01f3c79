// Who may see which story. The public sees published stories whose embargo has passed, and
// scheduled ones once their time has come (no job has to run for that); editors see everything.
// A story the public once read and that was then withdrawn stays findable by slug or id as a
// notice; one withdrawn before it ever went out stays unseen, like a draft (withdrawStory clears
// its firstPublishedAt: it never was first published).
// Every path that reaches a story (lookups, lists, search, node, nested edges, live streams,
// ninjs and JSON-LD documents) uses these; who counts as an editor is src/auth/roles.ts's mayEdit.
import { mayEdit } from '../auth/roles.js'
import type { Viewer } from '../auth/token.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { StoryStatus } from '../generated/prisma/enums.js'

/** Stories the public may read, as of `now`. */
export function publicStoryWhere(now = new Date()): Prisma.StoryWhereInput {
  return {
    OR: [
      { status: 'PUBLISHED', OR: [{ embargoedUntil: null }, { embargoedUntil: { lte: now } }] },
      { status: 'SCHEDULED', embargoedUntil: { lte: now } },
    ],
  }
}

/** The condition a viewer's reads of stories carry; empty for editors. */
export function visibleStoryWhere(viewer: Viewer | null | undefined, now = new Date()): Prisma.StoryWhereInput {
  return mayEdit(viewer) ? {} : publicStoryWhere(now)
}

/** Stories whose effective status (see effectiveStatus) is `status`. */
export function storyStatusWhere(status: StoryStatus, now = new Date()): Prisma.StoryWhereInput {
  switch (status) {
    case 'PUBLISHED':
      return publicStoryWhere(now)
    case 'SCHEDULED':
      return {
        OR: [
          { status: 'SCHEDULED', OR: [{ embargoedUntil: null }, { embargoedUntil: { gt: now } }] },
          { status: 'PUBLISHED', embargoedUntil: { gt: now } },
        ],
      }
    default:
      return { status }
  }
}

/** What decides whether the public may read a story. */
export interface PublicationState {
  status: StoryStatus
  embargoedUntil: Date | null
}

/** A scheduled story is published once its time has come; a published one under embargo is not yet. */
export function effectiveStatus(story: PublicationState, now = new Date()): StoryStatus {
  const embargo = story.embargoedUntil
  if (story.status === 'SCHEDULED') return embargo && embargo <= now ? 'PUBLISHED' : 'SCHEDULED'
  if (story.status === 'PUBLISHED' && embargo && embargo > now) return 'SCHEDULED'
  return story.status
}

export function isVisible(story: PublicationState, viewer: Viewer | null | undefined, now = new Date()): boolean {
  return mayEdit(viewer) || effectiveStatus(story, now) === 'PUBLISHED'
}

/** Withdrawn after the public read it: shown to the public as a notice, its text held back. */
const publicNoticeWhere: Prisma.StoryWhereInput = { status: 'WITHDRAWN', firstPublishedAt: { not: null } }

export const isPublicNotice = (story: PublicationState & { firstPublishedAt: Date | null }) =>
  story.status === 'WITHDRAWN' && story.firstPublishedAt !== null

/** What a lookup by slug or id may return: for the public also withdrawn stories, as notices. */
export function readableStoryWhere(viewer: Viewer | null | undefined, now = new Date()): Prisma.StoryWhereInput {
  return mayEdit(viewer) ? {} : { OR: [publicStoryWhere(now), publicNoticeWhere] }
}

/** The test readableStoryWhere makes, for a story already read. */
export function isReadable(
  story: PublicationState & { firstPublishedAt: Date | null },
  viewer: Viewer | null | undefined,
  now = new Date(),
) {
  return isVisible(story, viewer, now) || isPublicNotice(story)
}
