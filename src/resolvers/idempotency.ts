// Idempotency-Key: a mutation request carrying a key is applied once per key and viewer (role and
// subject: one person's editor and admin tokens act apart, so neither replays the other's). The key
// is recorded inside the mutation's own transaction, so a write and its key commit together; the
// response is stored after (src/server/idempotency.ts) and replayed to retries for 24 hours.
import type { Viewer } from '../auth/token.js'
import type { IdempotencyClaim } from '../context.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import { ConflictError } from './errors.js'
import type { Tx } from './mutation.js'

export const IDEMPOTENCY_TTL_HOURS = 24

/** What a key is kept under (the `subject` column): the whole viewer. A role has no ':'. */
const scopeOf = (viewer: Viewer) => `${viewer.role}:${viewer.sub}`

const expiry = () => new Date(Date.now() - IDEMPOTENCY_TTL_HOURS * 3_600_000)

export async function findIdempotencyKey(prisma: PrismaClient, viewer: Viewer, key: string) {
  return prisma.idempotencyKey.findFirst({ where: { subject: scopeOf(viewer), key, createdAt: { gt: expiry() } } })
}

export async function claimIdempotencyKey(tx: Tx, viewer: Viewer, claim: IdempotencyClaim): Promise<void> {
  // A concurrent request with the same key blocks here until the first commits, then fails on
  // the primary key: it is refused, and its transaction writes nothing. The expired keys go in the
  // same statement (one round trip); the insert reads their count, so they are gone before it
  // looks for a conflict, and an expired key may be used again.
  const inserted = await tx.$executeRaw`
    WITH expired AS (DELETE FROM "IdempotencyKey" WHERE "createdAt" <= ${expiry()}::timestamp(3) RETURNING 1)
    INSERT INTO "IdempotencyKey" (subject, key, "requestHash", "createdAt")
    SELECT ${scopeOf(viewer)}, ${claim.key}, ${claim.requestHash}, now() AT TIME ZONE 'UTC'
      FROM (SELECT count(*) FROM expired) AS gone
    ON CONFLICT DO NOTHING`
  if (inserted !== 1) {
    throw new ConflictError('A request with this Idempotency-Key was already applied or is in progress.', null, null)
  }
}

export async function storeIdempotentResponse(prisma: PrismaClient, viewer: Viewer, key: string, response: unknown) {
  await prisma.idempotencyKey.updateMany({
    where: { subject: scopeOf(viewer), key },
    data: { response: JSON.parse(JSON.stringify(response)) },
  })
}
