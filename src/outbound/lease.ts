// Leases: background work that one process at a time should do (an edge's purges, a webhook
// endpoint's deliveries, in order) is done by the process holding its lease. A process that dies
// stops renewing, and another takes the work over once the lease runs out. Times are the
// database's, so that the processes' clocks need not agree.
import { randomUUID } from 'node:crypto'
import type { PrismaClient } from '../generated/prisma/client.js'

/** This process, as a lease holder. */
export const PROCESS_HOLDER = randomUUID()

/** Takes or renews the lease `name` for `ms`; whether this holder has it now. */
export async function holdLease(prisma: PrismaClient, name: string, ms: number, holder = PROCESS_HOLDER) {
  const taken = await prisma.$executeRaw`
    INSERT INTO "Lease" ("name", "holder", "until")
    VALUES (${name}, ${holder}, now() + ${ms} * interval '1 millisecond')
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "until" = EXCLUDED."until"
    WHERE "Lease"."holder" = EXCLUDED."holder" OR "Lease"."until" < now()`
  return taken === 1
}

/** Gives the lease up (at shutdown), so that another process need not wait for it to run out. */
export async function releaseLease(prisma: PrismaClient, name: string, holder = PROCESS_HOLDER) {
  await prisma.lease.deleteMany({ where: { name, holder } })
}
