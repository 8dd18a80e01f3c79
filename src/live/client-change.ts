// A change as clients outside the server see it: every row id a global id (what `node(id:)`
// takes). The one home of that shape, for the editors' changeLog subscription
// (src/schema/live-messages.ts, ChangeLogEntry) and the body of a webhook delivery (src/webhooks).
import { encodeGlobalID } from '@pothos/plugin-relay'
import { parseTopic, topic, TOPIC_TYPES, type Change } from './changes.js'

/** A change as a webhook's body carries it (and ChangeLogEntry's fields name). */
export interface ClientChange {
  /** the change's kind: story.published, story.corrected, event.status_changed … */
  type: string
  /** its sequence number: where a subscription resumes (`since`), the webhook-id header */
  cursor: string
  /** when it committed */
  at: string
  objectType: string
  /** the global id of what changed */
  objectId: string
  /** the global ids of what it touches: the object itself, and what it is filed under, before and after */
  topics: string[]
  /** what the change was, as recorded when it committed (ids are global ids) */
  facts: unknown
}

const gid = (type: string, id: string | null | undefined) => (id ? encodeGlobalID(type, id) : null)

export const objectIdForClients = (c: Change) => encodeGlobalID(c.objectType, c.objectId)

export const topicsForClients = (c: Change) =>
  c.topics.map((t) => {
    const { kind, id } = parseTopic(t)
    return encodeGlobalID(TOPIC_TYPES[kind], id)
  })

/** The facts with every row id a client could see as a global id. */
export function factsForClients(change: Change): unknown {
  if (change.objectType === 'Story') {
    const { correction, edition, editions } = change.facts
    return {
      ...change.facts,
      ...(correction && { correction: { ...correction, id: gid('Correction', correction.id) } }),
      ...(edition && { edition: { ...edition, ...('of' in edition && { of: gid('Story', edition.of) }) } }),
      ...(editions && { editions: editions.map((id) => gid('Story', id)) }),
    }
  }
  if (change.objectType === 'Event') {
    const { statusChange, scheduleChange } = change.facts
    return {
      ...change.facts,
      ...(statusChange && {
        statusChange: {
          ...statusChange,
          id: gid('EventStatusChange', statusChange.id),
          ...('reportedBy' in statusChange && { reportedBy: gid('Story', statusChange.reportedBy) }),
        },
      }),
      // schedule changes are no node of their own: their row id means nothing to a client
      ...(scheduleChange && { scheduleChange: { from: scheduleChange.from, to: scheduleChange.to } }),
    }
  }
  return change.facts
}

/** The whole change, as a client gets it. */
export function changeForClients(change: Change): ClientChange {
  return {
    type: change.kind,
    cursor: change.seq.toString(),
    at: change.at.toISOString(),
    objectType: change.objectType,
    objectId: objectIdForClients(change),
    topics: topicsForClients(change),
    facts: factsForClients(change),
  }
}

/**
 * A change the public may hear of (src/live/filters.ts publicMayHear), less what may name a story
 * the public cannot read: other stories among its topics (the original an edition was made from,
 * the editions a correction reached), the editions a correction names, the story an edition was
 * made from, and the story that reported an event's status change. The change's own story is one
 * the public could read (or a withdrawal notice of one it read).
 */
export function forThePublic(change: Change): Change {
  const own = topic('story', change.objectId)
  const topics = change.topics.filter((t) => !t.startsWith('story:') || t === own)
  if (change.objectType === 'Story') {
    const { editions: _editions, edition, ...facts } = change.facts
    return { ...change, topics, facts: { ...facts, ...(edition && { edition: { kind: edition.kind } }) } } as Change
  }
  if (change.objectType === 'Event' && change.facts.statusChange) {
    const { reportedBy: _reportedBy, ...statusChange } = change.facts.statusChange
    return { ...change, topics, facts: { ...change.facts, statusChange } } as Change
  }
  return { ...change, topics }
}
