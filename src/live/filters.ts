// Who hears of a change, and which changes a filter lets through: the one home of these rules for
// everything that follows the change log on someone's behalf, the subscriptions (src/schema/live.ts)
// and the webhooks (src/webhooks). Both judge a change by the facts it recorded when it committed
// (src/live/changes.ts), never by how things stand now, so a replayed stream is the live one.
import { mayEdit } from '../auth/roles.js'
import type { Viewer } from '../auth/token.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import { isStoryChange, topic, type Change, type StoryChangeEntry, type Topic } from './changes.js'

export type StoryMessage = Change & StoryChangeEntry

/** Whether the public could hear of a story change: it could read the story once the change
 *  committed, or (with `notices`) the change withdrew a story it had read. */
const publicHears = (c: StoryMessage, notices: boolean) => c.facts.public || (notices && c.facts.notice)

/** A story change this viewer may hear of: one the public could hear of (see publicHears); every
 *  story change for editors. */
export function heard(c: Change, viewer: Viewer | null | undefined, notices = false): c is StoryMessage {
  if (!isStoryChange(c)) return false
  return mayEdit(viewer) || publicHears(c as StoryMessage, notices)
}

/** Whether a change may reach the public at all (a webhook not for the newsroom): a story change
 *  the public could hear of, withdrawals of what it read included; events' and entities' changes,
 *  which have no drafts. What such a change may say is forThePublic's (src/live/client-change.ts). */
export const publicMayHear = (c: Change): boolean => !isStoryChange(c) || publicHears(c as StoryMessage, true)

/** The conditions a live filter (LiveStoryFilter) may set: entities by slug, a language. */
export interface LiveFilterShape {
  tag?: string | null
  person?: string | null
  organisation?: string | null
  place?: string | null
  event?: string | null
  language?: string | null
}

export const FILTER_ENTITIES = ['tag', 'person', 'organisation', 'place', 'event'] as const

// What filterOf asks of each entity's delegate; their generic signatures do not unify, hence the cast.
interface SlugRows {
  findUnique(args: { where: { slug: string }; select: { id: true } }): Promise<{ id: string } | null>
}

/** The row id of each entity a filter names by slug, null for an unknown slug. */
export async function filterEntities(
  prisma: PrismaClient,
  filter: LiveFilterShape | null | undefined,
): Promise<{ kind: (typeof FILTER_ENTITIES)[number]; slug: string; id: string | null }[]> {
  const f = filter ?? {}
  const found = []
  for (const kind of FILTER_ENTITIES) {
    const slug = f[kind]
    if (!slug) continue
    const row = await (prisma[kind] as unknown as SlugRows).findUnique({ where: { slug }, select: { id: true } })
    found.push({ kind, slug, id: row?.id ?? null })
  }
  return found
}

/**
 * A filter as the topics a change must touch, and the language it must be in (only story changes
 * have one). Every condition given must hold; an unknown slug matches nothing.
 */
export async function filterOf(
  prisma: PrismaClient,
  filter: LiveFilterShape | null | undefined,
): Promise<(c: Change) => boolean> {
  const required: Topic[] = (await filterEntities(prisma, filter)).map(({ kind, id }) => topic(kind, id ?? 'none'))
  const language = filter?.language
  return (c) =>
    required.every((r) => c.topics.includes(r)) &&
    (!language || (isStoryChange(c) && (c as StoryMessage).facts.language === language))
}
