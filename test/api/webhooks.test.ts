// Webhooks (src/webhooks, src/schema/webhooks.ts): admins register endpoints; every matching change
// is POSTed to each, signed (Standard Webhooks), in order, retried until it succeeds or the endpoint
// is marked failing. Real receivers on 127.0.0.1; waits are on what they received or on the
// endpoint's cursor, never on a clock.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import { ATTEMPTS_KEPT, ATTEMPTS_KEPT_MS, pruneAttempts } from '../../src/webhooks/attempts.js'
import { until } from '../helpers/poll.js'
import { verifies } from '../helpers/receiver.js'
import { CREATE, DELETE, ROTATE, UPDATE, webhookSuite } from '../helpers/webhooks.js'

// quick retries, and a retry window short enough to run out within a test
const suite = webhookSuite({ WEBHOOK_RETRY_BASE_MS: 10, WEBHOOK_RETRY_MAX_MS: 40, WEBHOOK_RETRY_FOR_MS: 400 })
const { gql, receiver, register, webhook, newest, caughtUp, draft, published, arrived, requestFor, changeLogEntry } =
  suite

describe('webhooks: the admin API', () => {
  it('is for admins: editors and the public get typed refusals, and nothing is written', async () => {
    const to = await receiver()
    const { id } = await register(to)
    for (const headers of [suite.editor, {}]) {
      const { createWebhook } = await gql(CREATE, { input: { url: to.url } }, headers)
      expect(createWebhook).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' })
      const { updateWebhook } = await gql(UPDATE, { id, input: { active: false } }, headers)
      expect(updateWebhook).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' })
      const { rotateWebhookSecret } = await gql(ROTATE, { id, overlapSeconds: 0 }, headers)
      expect(rotateWebhookSecret).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' })
      const { deleteWebhook } = await gql(DELETE, { id }, headers)
      expect(deleteWebhook).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' })
      for (const query of [
        `{ webhooks { totalCount } }`,
        `{ webhook(id: "${id}") { url } }`,
        `{ node(id: "${id}") { id } }`,
      ]) {
        const { errors } = await suite.app.run(query, undefined, headers)
        expect(errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN')
      }
    }
    expect(await suite.db.prisma.webhookEndpoint.count()).toBe(1)
    expect((await webhook(id)).active).toBe(true)
  })

  it('refuses bad input with typed errors naming the field, and writes nothing', async () => {
    const cases: [object, string, string][] = [
      [{ url: 'ftp://example.org/hook' }, 'ValidationError', 'input.url'],
      [{ url: 'not a url' }, 'ValidationError', 'input.url'],
      [{ url: `https://example.org/${'a'.repeat(2048)}` }, 'ValidationError', 'input.url'],
      [{ url: 'https://user:pass@example.org/hook' }, 'ValidationError', 'input.url'],
      [
        { url: 'https://example.org/hook', kinds: ['story.published', 'story.nope'] },
        'ValidationError',
        'input.kinds.1',
      ],
      [
        { url: 'https://example.org/hook', kinds: ['story.published', 'story.published'] },
        'ValidationError',
        'input.kinds.1',
      ],
      [{ url: 'https://example.org/hook', filter: { tag: 'Not A Slug' } }, 'ValidationError', 'input.filter.tag'],
      [
        { url: 'https://example.org/hook', filter: { language: 'english!' } },
        'ValidationError',
        'input.filter.language',
      ],
      [{ url: 'https://example.org/hook', filter: { person: 'nobody-we-know' } }, 'NotFound', 'input.filter.person'],
    ]
    for (const [input, type, field] of cases) {
      const { createWebhook } = await gql(CREATE, { input })
      expect(createWebhook, JSON.stringify(input)).toMatchObject({ __typename: type, field })
      if (type === 'ValidationError') expect(createWebhook.issues[0].field).toBe(field)
    }
    expect(await suite.db.prisma.webhookEndpoint.count()).toBe(0)

    const { id } = await register(await receiver())
    const { rotateWebhookSecret } = await gql(ROTATE, { id, overlapSeconds: -1 })
    expect(rotateWebhookSecret).toMatchObject({ __typename: 'ValidationError', field: 'overlapSeconds' })
    const { updateWebhook } = await gql(UPDATE, { id: 'nonsense', input: { active: false } })
    expect(updateWebhook).toMatchObject({ __typename: 'ValidationError', field: 'id' })
    const gone = encodeGlobalID('Webhook', '01900000-0000-7000-8000-000000000000')
    expect((await gql(DELETE, { id: gone })).deleteWebhook).toMatchObject({ __typename: 'NotFound', field: 'id' })
  })

  it('returns the secret once: no query, audit entry or log line holds it, and writes no change', async () => {
    const changes = await suite.db.prisma.change.count()
    const to = await receiver()
    const { id, secret } = await register(to, { description: 'push notifications', filter: { tag: 'gaza' } })
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32)
    const { secret: rotated } = (await gql(ROTATE, { id, overlapSeconds: 60 })).rotateWebhookSecret
    expect(rotated).not.toBe(secret)

    const fields = await gql(`{ __type(name: "Webhook") { fields { name } } }`)
    expect(fields.__type.fields.map((f: { name: string }) => f.name)).not.toContain('secret')
    const everything = JSON.stringify([
      await gql(
        `{ webhooks { edges { node { id url description kinds filter { tag } includeDrafts active cursor lag } } } }`,
      ),
      await webhook(id),
      await gql(`{ auditLog(first: 5) { edges { node { operation targetId input } } } }`),
      suite.app.logLines,
    ])
    expect(everything).not.toContain(secret.slice(6))
    expect(everything).not.toContain(rotated.slice(6))

    const { auditLog } = await gql(`{ auditLog(first: 2) { edges { node { operation targetId input } } } }`)
    expect(auditLog.edges.map((e: any) => e.node.operation)).toEqual(['rotateWebhookSecret', 'createWebhook'])
    expect(auditLog.edges[1].node).toMatchObject({
      targetId: id,
      input: { input: { url: `${new URL(to.url).origin}/…` } },
    })
    // admin writes are no news
    expect(await suite.db.prisma.change.count()).toBe(changes)
  })
})

describe('webhooks: attempts', () => {
  it('are kept bounded: a week, and the newest 1,000 of each endpoint', async () => {
    const busy = rowIdOf((await register(await receiver(), { active: false })).id)
    const quiet = rowIdOf((await register(await receiver(), { active: false })).id)
    const now = Date.now()
    const attempt = (endpointId: string, seq: number, ageMs: number) => ({
      endpointId,
      seq: BigInt(seq),
      at: new Date(now - ageMs),
      status: 'SUCCEEDED' as const,
      durationMs: 1,
    })
    await suite.db.prisma.webhookAttempt.createMany({
      data: [
        ...Array.from({ length: ATTEMPTS_KEPT + 5 }, (_, i) => attempt(busy, i + 1, 60_000)),
        attempt(quiet, 1, ATTEMPTS_KEPT_MS + 60_000),
        attempt(quiet, 2, 60_000),
      ],
    })
    await pruneAttempts(suite.db.prisma, new Date(now))
    const kept = await suite.db.prisma.webhookAttempt.findMany({ where: { endpointId: busy }, select: { seq: true } })
    expect(kept).toHaveLength(ATTEMPTS_KEPT)
    // the oldest went
    expect(kept.map((a) => Number(a.seq)).sort((a, b) => a - b)[0]).toBe(6)
    const left = await suite.db.prisma.webhookAttempt.findMany({ where: { endpointId: quiet }, select: { seq: true } })
    expect(left).toEqual([{ seq: 2n }])
  })
})

describe('webhooks: deliveries', () => {
  it('POSTs each change as the changeLog shows it, signed, with its cursor as webhook-id', async () => {
    const to = await receiver()
    const { id, secret } = await register(to)
    const { story, published: cursor } = await published(['gaza'])
    await arrived(to, cursor)
    const request = requestFor(to, cursor)
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'news-graph-webhooks',
      'webhook-id': cursor,
    })
    expect(Number(request.headers['webhook-timestamp'])).toBeGreaterThan(0)
    expect(verifies(secret, request)).toBe(true)
    expect(verifies(secret, { ...request, body: request.body.replace('story.published', 'story.withdrawn') })).toBe(
      false,
    )
    // the body is what the editors' changeLog subscription gives for the change
    const { changeLog } = await changeLogEntry(cursor)
    expect(JSON.parse(request.body)).toEqual({
      type: 'story.published',
      cursor,
      at: changeLog.at,
      objectType: 'Story',
      objectId: story.id,
      topics: changeLog.topics,
      facts: changeLog.facts,
    })
    expect(changeLog.facts).toMatchObject({ public: true, to: 'PUBLISHED' })
    await caughtUp(id)
    expect((await webhook(id)).lag).toBe(0)
  })

  it('sends a default endpoint only what the public could hear of; includeDrafts gets every change', async () => {
    const publicSide = await receiver()
    const newsroom = await receiver()
    const open = await register(publicSide)
    const all = await register(newsroom, { includeDrafts: true })
    const first = await published()
    const hidden = await draft() // never published
    const withdrawn = await published()
    const { withdrawStory } = await gql(
      `mutation($id: ID!, $version: Int!) { withdrawStory(id: $id, version: $version, reason: "Legal") { __typename } }`,
      withdrawn.story,
      suite.editor,
    )
    expect(withdrawStory.__typename).toBe('Story')
    const notice = await newest()
    await caughtUp(open.id)
    await caughtUp(all.id)
    expect(publicSide.delivered()).toEqual([first.published, withdrawn.published, notice])
    expect(newsroom.delivered()).toEqual([
      first.created,
      first.published,
      hidden.cursor,
      withdrawn.created,
      withdrawn.published,
      notice,
    ])
    // what the public side got never names the draft
    expect(publicSide.received.map((r) => r.body).join()).not.toContain(hidden.id)
  })

  it('honours kinds and the filter; what does not match is passed over', async () => {
    const corrections = await receiver()
    const gaza = await receiver()
    const byKind = await register(corrections, { kinds: ['story.corrected'] })
    const byTag = await register(gaza, { filter: { tag: 'gaza' } })
    const tagged = await published(['gaza'])
    const other = await published(['health'])
    const { addCorrection } = await gql(
      `mutation($storyId: ID!) { addCorrection(storyId: $storyId, kind: CORRECTION, text: "A name was misspelt.") { __typename } }`,
      { storyId: other.story.id },
      suite.editor,
    )
    expect(addCorrection.__typename).toBe('Story')
    const correction = await newest()
    await caughtUp(byKind.id)
    await caughtUp(byTag.id)
    expect(corrections.delivered()).toEqual([correction])
    expect(gaza.delivered()).toEqual([tagged.published])
    expect(gaza.bodies()[0]).toMatchObject({ type: 'story.published', objectId: tagged.story.id })
  })

  it('signs with both secrets during a rotation’s overlap, and with the new one only after', async () => {
    const to = await receiver()
    const { id, secret: first } = await register(to)
    const { secret: second } = (await gql(ROTATE, { id, overlapSeconds: 3600 })).rotateWebhookSecret
    expect(Date.parse((await webhook(id)).previousSecretValidUntil)).toBeGreaterThan(Date.now())
    const during = (await published()).published
    await arrived(to, during)
    const overlapping = requestFor(to, during)
    expect(String(overlapping.headers['webhook-signature']).split(' ')).toHaveLength(2)
    expect(verifies(second, overlapping)).toBe(true)
    expect(verifies(first, overlapping)).toBe(true)

    // the overlap ends (0: at once)
    const { secret: third } = (await gql(ROTATE, { id, overlapSeconds: 0 })).rotateWebhookSecret
    expect((await webhook(id)).previousSecretValidUntil).toBeNull()
    const after = (await published()).published
    await arrived(to, after)
    const single = requestFor(to, after)
    expect(String(single.headers['webhook-signature']).split(' ')).toHaveLength(1)
    expect(verifies(third, single)).toBe(true)
    expect(verifies(second, single)).toBe(false)
    expect(verifies(first, single)).toBe(false)
  })

  it('retries a failed delivery, holding back the later ones, and records every attempt', async () => {
    // the first try of every change fails
    const to = await receiver(({ count }) => (count === 1 ? 500 : 200))
    const { id } = await register(to)
    const a = (await published()).published
    const b = (await published()).published
    await arrived(to, b)
    expect(to.delivered()).toEqual([a, b])
    // in order: b was first sent after a had succeeded
    const firstTry = (cursor: string) => to.received.findIndex((r) => r.headers['webhook-id'] === cursor)
    const lastTry = (cursor: string) => to.received.findLastIndex((r) => r.headers['webhook-id'] === cursor)
    expect(firstTry(b)).toBeGreaterThan(lastTry(a))

    const { attempts } = await webhook(id)
    expect(attempts.totalCount).toBe(4)
    const [bOk, bFailed, aOk, aFailed] = attempts.edges.map((e: any) => e.node)
    expect(aFailed).toMatchObject({ cursor: a, status: 'FAILED', responseCode: 500, error: 'HTTP 500' })
    expect(Date.parse(aFailed.nextTryAt)).toBeGreaterThanOrEqual(Date.parse(aFailed.at))
    expect(aOk).toMatchObject({ cursor: a, status: 'SUCCEEDED', responseCode: 200, error: null, nextTryAt: null })
    expect(bFailed).toMatchObject({ cursor: b, status: 'FAILED', responseCode: 500 })
    expect(bOk).toMatchObject({ cursor: b, status: 'SUCCEEDED', responseCode: 200 })
    for (const attempt of [aFailed, aOk, bFailed, bOk]) expect(attempt.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('marks an endpoint failing once a change has failed for the retry window; resuming sends it again', async () => {
    const to = await receiver(() => 503)
    const { id } = await register(to)
    const stuck = (await published()).published
    const failing = await until('the endpoint marked failing', async () => {
      const w = await webhook(id)
      return w.failing ? w : undefined
    })
    expect(failing.failingReason).toBe(`change ${stuck}: HTTP 503`)
    expect(Date.parse(failing.failingSince)).toBeGreaterThan(0)
    const [last, ...earlier] = failing.attempts.edges.map((e: any) => e.node)
    expect(last).toMatchObject({ cursor: stuck, status: 'GAVE_UP', responseCode: 503, nextTryAt: null })
    expect(earlier.length).toBeGreaterThan(0)
    for (const attempt of earlier) expect(attempt).toMatchObject({ cursor: stuck, status: 'FAILED' })
    // held back: a later change waits behind the stuck one
    const later = (await published()).published
    expect((await webhook(id)).lag).toBeGreaterThan(0)

    to.answer = () => 200
    const { updateWebhook } = await gql(UPDATE, { id, input: { active: true } })
    expect(updateWebhook).toMatchObject({ __typename: 'Webhook', failing: false, failingReason: null })
    await arrived(to, later)
    expect(to.delivered()).toEqual([stuck, later])
  })

  it('a connection refused is a failed attempt without a response code', async () => {
    const gone = await receiver()
    await gone.close()
    const { id } = await register(gone)
    const cursor = (await published()).published
    const attempt = await until('a failed attempt', async () => (await webhook(id)).attempts.edges[0]?.node)
    expect(attempt).toMatchObject({ cursor, status: expect.stringMatching(/FAILED|GAVE_UP/), responseCode: null })
    expect(attempt.error).toMatch(/ECONNREFUSED/)
  })

  it('updates take effect at once; a deleted endpoint gets nothing more', async () => {
    const before = await receiver()
    const after = await receiver()
    const watcher = await receiver()
    const { id } = await register(before)
    await register(watcher)
    const { updateWebhook } = await gql(UPDATE, {
      id,
      input: { url: after.url, kinds: ['story.published'], description: 'moved' },
    })
    expect(updateWebhook).toMatchObject({ __typename: 'Webhook', url: after.url, kinds: ['story.published'] })
    const moved = (await published()).published
    await arrived(after, moved)
    expect(before.received).toEqual([])

    // paused: nothing is sent until active again
    await gql(UPDATE, { id, input: { active: false } })
    const paused = (await published()).published
    await arrived(watcher, paused)
    expect(after.delivered()).toEqual([moved])
    await gql(UPDATE, { id, input: { active: true } })
    await arrived(after, paused)

    expect((await gql(DELETE, { id })).deleteWebhook).toEqual({ __typename: 'WebhookDeleted', id })
    expect((await gql(`query($id: ID!) { webhook(id: $id) { id } }`, { id })).webhook).toBeNull()
    expect(await suite.db.prisma.webhookAttempt.count({ where: { endpointId: rowIdOf(id) } })).toBe(0)
    const gone = (await published()).published
    await arrived(watcher, gone)
    expect(after.delivered()).toEqual([moved, paused])
  })
})

const rowIdOf = (globalId: string) => decodeGlobalID(globalId).id
