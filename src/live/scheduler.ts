// Scheduled stories are public from their time on without any job (src/resolvers/visibility.ts).
// This job also makes each one PUBLISHED once its time has come, through the same write path as an
// editor's publishStory, so that the publication is a change like any other: a revision, an audit
// entry by "system:scheduler", and a change-log entry that live subscribers receive.
import type { Context } from '../context.js'
import { ConflictError } from '../resolvers/errors.js'
import { runMutation } from '../resolvers/mutation.js'
import { publishStory } from '../resolvers/story-writes.js'

const ACTOR = 'system:scheduler'

/** Publishes every scheduled story that is due; returns how many this call published. */
export async function publishDueStories(base: Omit<Context, 'viewer' | 'requestId' | 'idempotency'>): Promise<number> {
  const due = await base.prisma.story.findMany({
    where: { status: 'SCHEDULED', embargoedUntil: { lte: new Date() } },
    select: { id: true, version: true },
    orderBy: { embargoedUntil: 'asc' },
    take: 100,
  })
  let published = 0
  for (const story of due) {
    const requestId = `scheduler:${story.id}:${story.version}`
    const ctx: Context = { ...base, viewer: { sub: ACTOR, role: 'admin' }, requestId, idempotency: null }
    try {
      await runMutation(
        ctx,
        'publishScheduledStory',
        { id: story.id, version: story.version },
        (tx) => publishStory(tx, { actor: ACTOR, requestId }, story.id, story.version, null),
        { single: true },
      )
      published += 1
    } catch (error) {
      // another process, or an editor, changed the story first: nothing to do here
      if (!(error instanceof ConflictError)) throw error
    }
  }
  return published
}

/**
 * Runs publishDueStories every `everyMs`. A round that fails (the database away) waits for the next
 * one: said once in the log when it starts failing, and once when it works again. `stop` ends the
 * rounds and resolves once a round in progress is done, so no publication is cut off by shutdown.
 */
export function startScheduler(base: Parameters<typeof publishDueStories>[0], everyMs: number) {
  let round: Promise<void> | null = null
  let failing = false
  const timer = setInterval(() => {
    if (round) return
    round = publishDueStories(base)
      .then(() => {
        if (failing) base.log.info('publishing scheduled stories works again')
        failing = false
      })
      .catch((error) => {
        if (!failing) base.log.warn({ err: error }, 'publishing scheduled stories failed; retrying every round')
        failing = true
      })
      .finally(() => (round = null))
  }, everyMs)
  timer.unref()
  return {
    async stop(): Promise<void> {
      clearInterval(timer)
      await round
    },
  }
}
