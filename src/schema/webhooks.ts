// Webhooks, for admins: the endpoints every change is POSTed to (src/webhooks), their health and
// their delivery attempts, and the writes that register, change, rotate and delete them. The
// signing secret is returned by createWebhook and rotateWebhookSecret only; no field reads it.
import type { ArgBuilder } from '@pothos/core'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { isAdmin } from '../auth/roles.js'
import { builder } from '../builder.js'
import { WebhookAttemptStatus } from '../generated/prisma/enums.js'
import type { LiveFilterShape } from '../live/filters.js'
import { AddressRefusedError, ForbiddenError } from '../resolvers/errors.js'
import { globalIdOf, webhookRules } from '../resolvers/validation.js'
import {
  createWebhook,
  deleteWebhook,
  rotateWebhookSecret,
  updateWebhook,
  type Secret,
} from '../resolvers/webhook-writes.js'
import { attemptPage, lagOf, webhookPage } from '../resolvers/webhooks.js'
import { LiveFilter } from './live.js'
import { rowNode } from './rows.js'
import type { Types } from './types.js'

const ADMINS_ONLY = 'Admins only.'
/** What every webhook write refuses with, beside the domain errors every mutation has. */
const adminWrite = { authScopes: { admin: true }, errors: { types: [AddressRefusedError] } }

const WebhookAttemptStatusEnum = builder.enumType('WebhookAttemptStatus', {
  description: 'How a delivery attempt ended.',
  values: {
    SUCCEEDED: { value: WebhookAttemptStatus.SUCCEEDED, description: 'The receiver answered 2xx.' },
    FAILED: {
      value: WebhookAttemptStatus.FAILED,
      description: 'Another answer, a timeout or no connection: tried again at nextTryAt.',
    },
    GAVE_UP: {
      value: WebhookAttemptStatus.GAVE_UP,
      description: 'Failed once the change had been failing for WEBHOOK_RETRY_FOR_MS: the endpoint is now failing.',
    },
  } as const,
})

const WebhookFilter = builder.objectRef<LiveFilterShape>('WebhookFilter').implement({
  description: 'The conditions a change must meet (every one given), as registered: entities by slug.',
  fields: (t) => ({
    tag: t.string({ nullable: true, resolve: (f) => f.tag ?? null }),
    person: t.string({ nullable: true, resolve: (f) => f.person ?? null }),
    organisation: t.string({ nullable: true, resolve: (f) => f.organisation ?? null }),
    place: t.string({ nullable: true, resolve: (f) => f.place ?? null }),
    event: t.string({ nullable: true, resolve: (f) => f.event ?? null }),
    language: t.string({ nullable: true, resolve: (f) => f.language ?? null }),
  }),
})

const WebhookAttemptRef = builder.prismaObject('WebhookAttempt', {
  authScopes: { admin: true },
  description: 'One try at delivering one change. Kept a week, the newest 1,000 per endpoint.',
  fields: (t) => ({
    cursor: t.string({ description: 'The change’s cursor (the webhook-id header).', resolve: (a) => a.seq.toString() }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was sent.' }),
    status: t.expose('status', { type: WebhookAttemptStatusEnum }),
    responseCode: t.exposeInt('responseCode', {
      nullable: true,
      description: 'The receiver’s HTTP status, if it answered.',
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed, briefly.' }),
    durationMs: t.exposeInt('durationMs'),
    nextTryAt: t.expose('nextTryAt', {
      type: 'DateTime',
      nullable: true,
      description: 'For FAILED: when the change is tried again.',
    }),
  }),
})

export const Webhook = builder.prismaNode('WebhookEndpoint', {
  name: 'Webhook',
  ...rowNode,
  // refused by id before any lookup, as every admin-only node: the others learn nothing of which ids exist
  findUnique: (id, ctx) => {
    if (!isAdmin(ctx.viewer)) throw new ForbiddenError(ADMINS_ONLY)
    return { id }
  },
  authScopes: { admin: true },
  description:
    'An endpoint every matching change is POSTed to, signed (Standard Webhooks), in order, at least once. Admins only.',
  fields: (t) => ({
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    kinds: t.exposeStringList('kinds', { description: 'The change kinds it gets; empty: every kind.' }),
    filter: t.field({
      type: WebhookFilter,
      nullable: true,
      description: 'The filter changes must pass; null: none.',
      resolve: (w) => (w.filter as LiveFilterShape | null) ?? null,
    }),
    includeDrafts: t.exposeBoolean('includeDrafts', {
      description: 'Whether it gets every change, drafts included; otherwise only what the public could hear of.',
    }),
    active: t.exposeBoolean('active', { description: 'Whether changes are sent to it (an admin’s choice).' }),
    failing: t.boolean({
      description:
        'Whether its retries ran out: nothing is sent until an admin resumes it (updateWebhook with active: true).',
      resolve: (w) => w.failingSince !== null,
    }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true }),
    failingReason: t.exposeString('failingReason', {
      nullable: true,
      description: 'The change it stopped at, and why.',
    }),
    cursor: t.string({
      description: 'The cursor of the last change it is done with (delivered, or passed over as not matching).',
      resolve: (w) => w.cursor.toString(),
    }),
    lag: t.int({
      description: 'How many changes in the log come after its cursor: still to look at.',
      resolve: (w, _args, ctx) => lagOf(ctx.prisma, w.cursor),
    }),
    previousSecretValidUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'After a rotation: until when deliveries are also signed with the old secret.',
      resolve: (w) => (w.previousSecretUntil && w.previousSecretUntil > new Date() ? w.previousSecretUntil : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    attempts: t.connection({
      type: WebhookAttemptRef,
      description: 'Its delivery attempts, newest first.',
      resolve: (w, args, ctx) => attemptPage(ctx.prisma, w.id, args),
    }),
  }),
})

builder.queryFields((t) => ({
  webhooks: t.connection({
    type: Webhook,
    authScopes: { admin: true },
    description: 'The webhook endpoints, oldest first. Admins only.',
    resolve: (_root, args, ctx) => webhookPage(ctx.prisma, args),
  }),
  webhook: t.prismaField({
    type: Webhook,
    nullable: true,
    authScopes: { admin: true },
    description: 'A webhook endpoint by id; null when there is none. Admins only.',
    args: { id: t.arg.id({ required: true, validate: globalIdOf('Webhook') }) },
    resolve: (query, _root, { id }, ctx) => ctx.prisma.webhookEndpoint.findUnique({ ...query, where: { id } }),
  }),
}))

const WebhookSecret = builder.objectRef<Secret>('WebhookSecret').implement({
  description: 'A webhook with its new signing secret: shown this once.',
  fields: (t) => ({
    secret: t.exposeString('secret', {
      description: 'The signing secret (whsec_…, Standard Webhooks). Keep it: no query returns it again.',
    }),
    webhook: t.prismaField({
      type: Webhook,
      resolve: (query, s, _args, ctx) =>
        ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: s.id } }),
    }),
  }),
})

const WebhookDeleted = builder.objectRef<{ id: string }>('WebhookDeleted').implement({
  fields: (t) => ({
    id: t.id({ resolve: (d) => encodeGlobalID('Webhook', d.id), description: 'The deleted webhook’s id.' }),
  }),
})

const urlDescription =
  'Where changes are POSTed: http(s), at most 2,048 characters. In production it must reach a public address (or one OUTBOUND_ALLOW lists).'
const kindsDescription = 'Change kinds to send (story.published, story.corrected, event.status_changed …).'
const draftsDescription =
  'Send every change, drafts included (for the newsroom’s own systems). Otherwise only what the public could hear of.'

const WebhookInput = builder.inputType('WebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true, validate: webhookRules.url, description: urlDescription }),
    kinds: t.stringList({ validate: webhookRules.kinds, description: `${kindsDescription} Empty or left out: all.` }),
    filter: t.field({ type: LiveFilter, validate: webhookRules.filter, description: 'Only changes that pass it.' }),
    includeDrafts: t.boolean({ defaultValue: false, description: draftsDescription }),
    description: t.string({ validate: webhookRules.description }),
    active: t.boolean({ defaultValue: true, description: 'Whether changes are sent to it.' }),
  }),
})

const WebhookUpdateInput = builder.inputType('WebhookUpdateInput', {
  description: 'What to change; a field left out stays as it is.',
  fields: (t) => ({
    url: t.string({ validate: webhookRules.url, description: urlDescription }),
    kinds: t.stringList({ validate: webhookRules.kinds, description: `${kindsDescription} Empty or null: all.` }),
    filter: t.field({ type: LiveFilter, validate: webhookRules.filter, description: 'null: no filter.' }),
    includeDrafts: t.boolean({ description: draftsDescription }),
    description: t.string({ validate: webhookRules.description }),
    active: t.boolean({
      description:
        'false pauses it; true resumes it, and resumes a failing one: the change it stopped at is tried again.',
    }),
  }),
})

const webhookId = (arg: ArgBuilder<Types>) => arg.id({ required: true, validate: globalIdOf('Webhook') })

builder.mutationFields((t) => ({
  createWebhook: t.field({
    ...adminWrite,
    type: WebhookSecret,
    description:
      'Registers a webhook endpoint; changes from now on are sent to it. Returns its secret, once. Admins only.',
    args: { input: t.arg({ type: WebhookInput, required: true }) },
    resolve: (_root, { input }, ctx) => createWebhook(ctx, input),
  }),
  updateWebhook: t.prismaField({
    ...adminWrite,
    type: Webhook,
    description: 'Changes a webhook endpoint; `active: true` resumes a failing one. Admins only.',
    args: { id: webhookId(t.arg), input: t.arg({ type: WebhookUpdateInput, required: true }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      await updateWebhook(ctx, id, input)
      return ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id } })
    },
  }),
  rotateWebhookSecret: t.field({
    ...adminWrite,
    type: WebhookSecret,
    description:
      'A new signing secret, returned once. For overlapSeconds the old one signs too (each delivery carries both signatures). Admins only.',
    args: {
      id: webhookId(t.arg),
      overlapSeconds: t.arg.int({
        required: true,
        defaultValue: 86_400,
        validate: webhookRules.overlapSeconds,
        description: '0 to 604,800; 0 stops the old secret at once.',
      }),
    },
    resolve: (_root, { id, overlapSeconds }, ctx) => rotateWebhookSecret(ctx, id, overlapSeconds),
  }),
  deleteWebhook: t.field({
    ...adminWrite,
    type: WebhookDeleted,
    description: 'Deletes a webhook endpoint and its attempts; nothing more is sent to it. Admins only.',
    args: { id: webhookId(t.arg) },
    resolve: (_root, { id }, ctx) => deleteWebhook(ctx, id),
  }),
}))
