// The record of webhook deliveries: one row per attempt (WebhookAttempt), what admins see of an
// endpoint's health. Kept bounded: a week, and the newest ATTEMPTS_KEPT of each endpoint.
import type { PrismaClient } from '../generated/prisma/client.js'
import type { WebhookAttemptStatus } from '../generated/prisma/enums.js'

/** How long attempts are kept, and how many at most per endpoint. */
export const ATTEMPTS_KEPT_MS = 7 * 86_400_000
export const ATTEMPTS_KEPT = 1000

/** What one attempt at a change came to. */
export interface Outcome {
  seq: bigint
  at: Date
  responseCode: number | null
  /** why it failed, in a line; null when it succeeded */
  error: string | null
  durationMs: number
}

/** A delivery that did not succeed; the follower retries it (src/webhooks/endpoint.ts). */
export class DeliveryFailed extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.error ?? 'delivery failed')
  }
}

const ERROR_CHARS = 200

/** A line of at most ERROR_CHARS characters. */
const brief = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > ERROR_CHARS ? `${line.slice(0, ERROR_CHARS - 1)}…` : line
}

/** Why a receiver's answer is a failure: its status, and the start of what it said. */
export const answerError = (status: number, body: string) => brief(`HTTP ${status}${body.trim() ? `: ${body}` : ''}`)

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

/** Why a request failed without an answer: a timeout, a refused address, a connection error.
 *  The message only (no stack); nothing of the request, whose headers hold signatures. */
export function requestError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || TIMEOUTS.has(e?.code ?? '') || TIMEOUTS.has(e?.cause?.code ?? ''))
    return `no answer within ${timeoutMs} ms`
  const message = e?.cause?.message && e.message === 'fetch failed' ? e.cause.message : (e?.message ?? String(error))
  return brief(message || e?.code || 'request failed')
}

export async function recordAttempt(
  prisma: PrismaClient,
  endpointId: string,
  outcome: Outcome,
  status: WebhookAttemptStatus,
  nextTryAt: Date | null = null,
): Promise<void> {
  const { seq, at, responseCode, error, durationMs } = outcome
  await prisma.webhookAttempt.create({
    data: { endpointId, seq, at, status, responseCode, error, durationMs, nextTryAt },
  })
}

/** Drops attempts older than ATTEMPTS_KEPT_MS, and those beyond each endpoint's newest ATTEMPTS_KEPT. */
export async function pruneAttempts(prisma: PrismaClient, now = new Date()): Promise<void> {
  await prisma.webhookAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - ATTEMPTS_KEPT_MS) } } })
  await prisma.$executeRaw`
    DELETE FROM "WebhookAttempt" a USING (
      SELECT "id", row_number() OVER (PARTITION BY "endpointId" ORDER BY "id" DESC) AS "n" FROM "WebhookAttempt"
    ) old
    WHERE a."id" = old."id" AND old."n" > ${ATTEMPTS_KEPT}`
}
