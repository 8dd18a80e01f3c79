// Admins' writes of webhook endpoints: register, change, rotate the secret, delete. Each is audited
// (runAdminWrite) but no change-log entry: it is no news. The secret is made here, handed back by
// create and rotate only, and kept for signing; nothing else returns it.
import type { Context } from '../context.js'
import { Prisma } from '../generated/prisma/client.js'
import { filterEntities, type LiveFilterShape } from '../live/filters.js'
import { checkDestination, OutboundRefused } from '../outbound/request.js'
import { newSecret } from '../webhooks/signing.js'
import { AddressRefusedError, NotFoundError } from './errors.js'
import { runAdminWrite, type Tx } from './mutation.js'

export interface WebhookInput {
  url?: string | null
  kinds?: string[] | null
  filter?: LiveFilterShape | null
  includeDrafts?: boolean | null
  description?: string | null
  active?: boolean | null
}

/** A new secret, with the endpoint it signs for. */
export interface Secret {
  id: string
  secret: string
}

const TARGET = 'Webhook'

/** Where the URL points may be reached under the outbound policy (in production: a public
 *  address, or one OUTBOUND_ALLOW lists). Deliveries are checked again, after DNS, at connect time. */
async function checkUrl(ctx: Context, url: string): Promise<void> {
  const policy = ctx.webhooks?.policy
  if (!policy) throw new Error('webhook writes need the webhooks in the context')
  // outside production nothing is refused: no need to ask DNS about a receiver not yet up
  if (!policy.guard) return
  const target = new URL(url)
  try {
    await checkDestination(target, policy)
  } catch (error) {
    const message = error instanceof OutboundRefused ? error.message : `${target.hostname} does not resolve`
    throw new AddressRefusedError(message, 'input.url')
  }
}

/** Every entity the filter names exists (an endpoint filtering on a typo would wait forever). */
async function checkFilter(ctx: Context, filter: LiveFilterShape | null | undefined): Promise<void> {
  const missing = (await filterEntities(ctx.prisma, filter)).find((e) => e.id === null)
  if (missing)
    throw new NotFoundError(`No ${missing.kind} with the slug "${missing.slug}".`, `input.filter.${missing.kind}`)
}

/** The filter as stored: the conditions given, nothing for none. */
function filterColumn(filter: LiveFilterShape | null): Prisma.InputJsonValue | typeof Prisma.DbNull {
  const given = Object.entries(filter ?? {}).filter(([, value]) => value != null)
  return given.length ? (Object.fromEntries(given) as Prisma.InputJsonObject) : Prisma.DbNull
}

/** The input as the audit log records it. Editors read the audit log, and a receiver's URL may
 *  carry its own token (in the path or the query): the log keeps its origin only. */
function audited(input: WebhookInput): WebhookInput {
  return input.url ? { ...input, url: `${new URL(input.url).origin}/…` } : input
}

async function expectWebhook(tx: Tx, id: string): Promise<void> {
  // locked until commit: two writes of one endpoint (two rotations) take turns
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "WebhookEndpoint" WHERE "id" = ${id}::uuid FOR UPDATE`
  if (rows.length === 0) throw new NotFoundError('No webhook with that id.', 'id')
}

export async function createWebhook(ctx: Context, input: WebhookInput & { url: string }): Promise<Secret> {
  await checkFilter(ctx, input.filter)
  await checkUrl(ctx, input.url)
  const secret = newSecret()
  const { id } = await runAdminWrite(ctx, 'createWebhook', { input: audited(input) }, async (tx) => {
    // from now on: changes already in the log are not sent
    const head = await tx.change.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } })
    const row = await tx.webhookEndpoint.create({
      data: {
        url: input.url,
        description: input.description ?? null,
        kinds: input.kinds ?? [],
        filter: filterColumn(input.filter ?? null),
        includeDrafts: input.includeDrafts ?? false,
        active: input.active ?? true,
        secret,
        cursor: head?.seq ?? 0n,
      },
      select: { id: true },
    })
    return { result: row, target: { type: TARGET, id: row.id } }
  })
  await ctx.webhooks?.reload(id)
  return { id, secret }
}

/**
 * Changes what the input gives (left out: unchanged; `kinds`, `filter`, `description` null: none).
 * `active: true` also resumes an endpoint marked failing: its failing flag and retry window are
 * cleared, and the change it stopped at is tried again.
 */
export async function updateWebhook(ctx: Context, id: string, input: WebhookInput): Promise<{ id: string }> {
  if (input.filter !== undefined) await checkFilter(ctx, input.filter)
  if (input.url != null) await checkUrl(ctx, input.url)
  await runAdminWrite(ctx, 'updateWebhook', { id, input: audited(input) }, async (tx) => {
    await expectWebhook(tx, id)
    await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...(input.url != null && { url: input.url }),
        ...(input.kinds !== undefined && { kinds: input.kinds ?? [] }),
        ...(input.filter !== undefined && { filter: filterColumn(input.filter) }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.includeDrafts != null && { includeDrafts: input.includeDrafts }),
        ...(input.active != null && { active: input.active }),
        ...(input.active === true && { failingSince: null, failingReason: null, retrySeq: null, retrySince: null }),
        version: { increment: 1 },
      },
    })
    return { result: null, target: { type: TARGET, id } }
  })
  await ctx.webhooks?.reload(id)
  return { id }
}

/** A new secret; for `overlapSeconds` the old one signs too (0: it stops at once). */
export async function rotateWebhookSecret(ctx: Context, id: string, overlapSeconds: number): Promise<Secret> {
  const secret = newSecret()
  await runAdminWrite(ctx, 'rotateWebhookSecret', { id, overlapSeconds }, async (tx) => {
    await expectWebhook(tx, id)
    const { secret: old } = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secret: true } })
    const overlap = overlapSeconds > 0
    await tx.webhookEndpoint.update({
      where: { id },
      data: {
        secret,
        previousSecret: overlap ? old : null,
        previousSecretUntil: overlap ? new Date(Date.now() + overlapSeconds * 1000) : null,
        version: { increment: 1 },
      },
    })
    return { result: null, target: { type: TARGET, id } }
  })
  await ctx.webhooks?.reload(id)
  return { id, secret }
}

/** Deletes the endpoint and its attempts; nothing more is sent to it. */
export async function deleteWebhook(ctx: Context, id: string): Promise<{ id: string }> {
  await runAdminWrite(ctx, 'deleteWebhook', { id }, async (tx) => {
    await expectWebhook(tx, id)
    await tx.webhookEndpoint.delete({ where: { id } })
    return { result: null, target: { type: TARGET, id } }
  })
  await ctx.webhooks?.reload(id)
  return { id }
}
