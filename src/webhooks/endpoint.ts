// One webhook endpoint's deliveries: a Follower (src/outbound/follower.ts) of the change log from
// the cursor on the endpoint's row, one change per batch, so that a change that fails holds back
// the later ones of that endpoint (in order) and nothing else. A change the endpoint did not ask
// for (kinds, filter, drafts) is passed over: the cursor moves past it.
import type { PrismaClient, WebhookEndpoint } from '../generated/prisma/client.js'
import type { Change } from '../live/changes.js'
import { changeForClients, forThePublic } from '../live/client-change.js'
import { filterOf, publicMayHear, type LiveFilterShape } from '../live/filters.js'
import type { Logger } from '../logger.js'
import type { Backoff } from '../outbound/backoff.js'
import { Follower } from '../outbound/follower.js'
import type { Outbound } from '../outbound/request.js'
import { answerError, DeliveryFailed, recordAttempt, requestError, type Outcome } from './attempts.js'
import { signedHeaders, signingSecrets } from './signing.js'

export interface EndpointSettings {
  prisma: PrismaClient
  log: Logger
  outbound: Outbound
  backoff: Backoff
  /** how long a change is retried, from its first failure, before the endpoint is marked failing */
  retryForMs: number
  leaseMs: number
}

/** The endpoint was deleted, paused, marked failing or changed since its follower was made: the
 *  follower stops, and the dispatcher's next reload makes what the row now asks for. */
class Superseded extends Error {}

/** Whether the endpoint asked for this change. */
export async function endpointMatcher(
  prisma: PrismaClient,
  endpoint: Pick<WebhookEndpoint, 'kinds' | 'filter' | 'includeDrafts'>,
): Promise<(c: Change) => boolean> {
  const kinds = new Set(endpoint.kinds)
  const filter = await filterOf(prisma, endpoint.filter as LiveFilterShape | null)
  return (c) => (kinds.size === 0 || kinds.has(c.kind)) && (endpoint.includeDrafts || publicMayHear(c)) && filter(c)
}

/** The follower that delivers to `endpoint` (as its row stood when read); not yet started. */
export async function endpointFollower(endpoint: WebhookEndpoint, settings: EndpointSettings): Promise<Follower> {
  const { prisma, log, outbound } = settings
  const { id, version } = endpoint
  const matches = await endpointMatcher(prisma, endpoint)
  // the change being retried and when it first failed, as the row holds it (read at every round,
  // so that the retry window survives restarts and moves with the work between processes)
  let retrying: { seq: bigint; since: Date } | null = null

  async function deliver(change: Change): Promise<void> {
    const body = JSON.stringify(changeForClients(endpoint.includeDrafts ? change : forThePublic(change)))
    const at = new Date()
    const started = performance.now()
    const outcome = (responseCode: number | null, error: string | null): Outcome => ({
      seq: change.seq,
      at,
      responseCode,
      error,
      durationMs: Math.round(performance.now() - started),
    })
    const headers = signedHeaders(signingSecrets(endpoint, at), change.seq.toString(), at, body)
    let answer
    try {
      answer = await outbound.send(endpoint.url, { method: 'POST', headers, body })
    } catch (error) {
      throw new DeliveryFailed(outcome(null, requestError(error, outbound.policy.timeoutMs)))
    }
    if (answer.status < 200 || answer.status > 299)
      throw new DeliveryFailed(outcome(answer.status, answerError(answer.status, answer.body)))
    await recordAttempt(prisma, id, outcome(answer.status, null), 'SUCCEEDED')
  }

  /** A delivery failed: recorded; once the change has failed for retryForMs, the endpoint is
   *  marked failing and the follower stops. Never throws (the follower would stop retrying). */
  async function failed(error: unknown, retryAt: Date): Promise<boolean> {
    if (error instanceof Superseded) return false
    if (!(error instanceof DeliveryFailed)) {
      log.warn({ err: error, webhook: id }, 'webhook deliveries stalled (the database?); retrying')
      return true
    }
    const { outcome } = error
    try {
      if (retrying?.seq !== outcome.seq) {
        retrying = { seq: outcome.seq, since: outcome.at }
        await prisma.webhookEndpoint.updateMany({
          where: { id },
          data: { retrySeq: outcome.seq, retrySince: outcome.at },
        })
      }
      const giveUp = outcome.at.getTime() - retrying.since.getTime() >= settings.retryForMs
      await recordAttempt(prisma, id, outcome, giveUp ? 'GAVE_UP' : 'FAILED', giveUp ? null : retryAt)
      if (!giveUp) return true
      await prisma.webhookEndpoint.updateMany({
        where: { id, version },
        data: { failingSince: new Date(), failingReason: `change ${outcome.seq}: ${outcome.error}` },
      })
      log.warn(
        { webhook: id, seq: outcome.seq.toString(), reason: outcome.error },
        'webhook endpoint failing: its retries ran out; nothing is sent to it until an admin resumes it',
      )
      return false
    } catch (cause) {
      log.warn({ err: cause, webhook: id }, 'webhook attempt not recorded; retrying')
      return true
    }
  }

  return new Follower({
    name: `webhook:${id}`,
    prisma,
    log,
    batch: 1,
    backoff: settings.backoff,
    leaseMs: settings.leaseMs,
    async load() {
      const row = await prisma.webhookEndpoint.findUnique({
        where: { id },
        select: { cursor: true, retrySeq: true, retrySince: true, version: true, active: true, failingSince: true },
      })
      if (!row || row.version !== version || !row.active || row.failingSince) throw new Superseded()
      retrying = row.retrySeq !== null && row.retrySince ? { seq: row.retrySeq, since: row.retrySince } : null
      return row.cursor
    },
    async save(cursor) {
      const done = retrying !== null && cursor >= retrying.seq
      await prisma.webhookEndpoint.updateMany({
        where: { id },
        data: { cursor, ...(done && { retrySeq: null, retrySince: null }) },
      })
      if (done) retrying = null
    },
    async handle([change]) {
      if (change && matches(change)) await deliver(change)
    },
    onFailure: (error, _attempt, _since, retryAt) => failed(error, retryAt),
  })
}
