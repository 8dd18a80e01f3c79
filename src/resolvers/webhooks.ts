// Reads of webhook endpoints for admins: the endpoints, how far behind the log each is, and their
// delivery attempts, newest first. Paged by position (src/resolvers/paging.ts): endpoints come and
// go, and attempts are pruned, so a row-id cursor would not do.
import type { PrismaClient, WebhookAttempt, WebhookEndpoint } from '../generated/prisma/client.js'
import { DEFAULT_PAGE_SIZE, keysetPage, ListOrder, pageInfo, type PageArgs } from './paging.js'

/** Endpoints, oldest first (their ids are time-ordered UUIDs). */
const WEBHOOK_ORDER = new ListOrder('webhooks', [{ kind: 'uuid', dir: 'asc' }])
/** An endpoint's attempts, newest first. */
const ATTEMPT_ORDER = new ListOrder('webhookAttempts', [{ kind: 'bigint', dir: 'desc' }])

export async function webhookPage(prisma: PrismaClient, args: PageArgs) {
  const w = WEBHOOK_ORDER.window(args, DEFAULT_PAGE_SIZE)
  const rows: WebhookEndpoint[] = await prisma.webhookEndpoint.findMany({
    where: WEBHOOK_ORDER.where(['id'], w),
    orderBy: WEBHOOK_ORDER.orderBy(['id'], w),
    take: w.size + 1,
  })
  const page = keysetPage(rows, w)
  const edges = page.items.map((node) => ({ cursor: WEBHOOK_ORDER.cursor([node.id]), node }))
  return { edges, pageInfo: pageInfo(page, edges), totalCount: () => prisma.webhookEndpoint.count() }
}

export async function attemptPage(prisma: PrismaClient, endpointId: string, args: PageArgs) {
  const w = ATTEMPT_ORDER.window(args, DEFAULT_PAGE_SIZE)
  const rows: WebhookAttempt[] = await prisma.webhookAttempt.findMany({
    where: { endpointId, ...ATTEMPT_ORDER.where(['id'], w) },
    orderBy: ATTEMPT_ORDER.orderBy(['id'], w),
    take: w.size + 1,
  })
  const page = keysetPage(rows, w)
  const edges = page.items.map((node) => ({ cursor: ATTEMPT_ORDER.cursor([node.id]), node }))
  return {
    edges,
    pageInfo: pageInfo(page, edges),
    totalCount: () => prisma.webhookAttempt.count({ where: { endpointId } }),
  }
}

/** How many changes in the log the endpoint has not yet looked at (delivered or passed over). */
export const lagOf = (prisma: PrismaClient, cursor: bigint) => prisma.change.count({ where: { seq: { gt: cursor } } })
