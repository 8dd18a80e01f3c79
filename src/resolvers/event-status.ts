// The life of an event: from each status, the statuses it may move to. The one place that says so;
// changeEventStatus (src/resolvers/event-writes.ts) refuses every other move.
import type { EventStatus } from '../generated/prisma/enums.js'
import { InvalidTransitionError } from './errors.js'

export const EVENT_TRANSITIONS: Readonly<Record<EventStatus, readonly EventStatus[]>> = {
  // Not started. RESUMED is for talks that broke off and were rescheduled (see resumable below).
  SCHEDULED: ['CONFIRMED', 'UNDERWAY', 'RESUMED', 'POSTPONED', 'CANCELLED'],
  // Confirmed may fall back to SCHEDULED when the date becomes uncertain again.
  CONFIRMED: ['SCHEDULED', 'UNDERWAY', 'RESUMED', 'POSTPONED', 'CANCELLED'],
  UNDERWAY: ['SUSPENDED', 'CONCLUDED', 'CANCELLED'],
  // Broken off: it picks up again, gets a date to resume on (SCHEDULED), or ends.
  SUSPENDED: ['RESUMED', 'SCHEDULED', 'CONCLUDED', 'CANCELLED'],
  RESUMED: ['SUSPENDED', 'CONCLUDED', 'CANCELLED'],
  // A postponed event needs a new date (SCHEDULED or CONFIRMED) before it can start.
  POSTPONED: ['SCHEDULED', 'CONFIRMED', 'CANCELLED'],
  // Final. An event that was called off and then happens after all is a new event.
  CANCELLED: [],
  CONCLUDED: [],
}

/** Statuses that show an event has been under way at some time. */
export const BEGUN: readonly EventStatus[] = ['UNDERWAY', 'SUSPENDED', 'RESUMED']

/**
 * Where an event may go from `from`. RESUMED means "under way again", so it is offered from
 * SCHEDULED or CONFIRMED only to an event that has `begun` (its history shows it under way):
 * the seeded talks went UNDERWAY → SUSPENDED → SCHEDULED ("expected to resume next week") and
 * may now be RESUMED; an event that never started starts with UNDERWAY.
 */
export function allowedTransitions(from: EventStatus, begun: boolean): EventStatus[] {
  return EVENT_TRANSITIONS[from].filter((to) => to !== 'RESUMED' || begun || BEGUN.includes(from))
}

/** Refuses a move the table does not allow; moving to the status it already has is no change. */
export function expectTransition(from: EventStatus, to: EventStatus, begun: boolean): void {
  const allowed = allowedTransitions(from, begun)
  if (allowed.includes(to)) return
  const message =
    from === to
      ? `The event is already ${from}.`
      : allowed.length === 0
        ? `A ${from} event is final; it cannot become ${to}.`
        : `A ${from} event cannot become ${to}; it may become ${allowed.join(', ')}.`
  throw new InvalidTransitionError(message, from, to, allowed)
}
