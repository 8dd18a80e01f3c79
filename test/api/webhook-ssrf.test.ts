// Webhooks cannot be made a way into the newsroom's own network (SSRF). With the outbound guard on
// (production), a URL that reaches a private, loopback or link-local address is refused when it is
// registered, by address or by what its name resolves to (DNS here is a stub the app is given),
// unless OUTBOUND_ALLOW lists it; and a name that resolves elsewhere by the time of delivery (DNS
// rebinding) is refused at connect time. Nothing is ever sent to those addresses: the endpoints
// accepted here are registered inactive, but for the rebinding one, whose address is our own
// receiver, which must receive nothing.
import type { LookupAddress } from 'node:dns'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Resolver } from '../../src/outbound/request.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { until } from '../helpers/poll.js'
import { startReceiver, type Receiver } from '../helpers/receiver.js'

/** What the stub DNS answers; a name not here does not resolve. */
const dns: Record<string, string> = {
  'internal.example.org': '127.0.0.1',
  'metadata.example.org': '169.254.169.254',
  'public.example.org': '93.184.215.14',
  'rebinding.example.org': '93.184.215.14',
  'allowed.example.org': '10.20.30.40',
}
const resolve: Resolver = async (host) => {
  const address = dns[host]
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
  return [{ address, family: 4 } satisfies LookupAddress]
}

let db: TestDatabase
let app: ReturnType<typeof testApp>
let admin: Record<string, string>
let receiver: Receiver

beforeAll(async () => {
  db = await createTestDatabase()
  await seedSampleGraph(db.prisma)
  app = testApp(db, {
    settings: { NODE_ENV: 'production', OUTBOUND_ALLOW: ['10.9.0.0/16', 'allowed.example.org'] },
    resolve,
  })
  await app.feedStarted
  admin = await asRole('admin')
  receiver = await startReceiver()
})
afterAll(async () => {
  await receiver?.close()
  await app?.close()
  await db?.drop()
})

const CREATE = `mutation($input: WebhookInput!) { createWebhook(input: $input) {
  __typename ... on Error { code field message } ... on WebhookSecret { webhook { id url active } } } }`

async function create(url: string, input: object = { active: false }) {
  const { data, errors } = await app.run<any, object>(CREATE, { input: { url, ...input } }, admin)
  expect(errors).toBeUndefined()
  return data.createWebhook
}

describe('webhook URLs under the outbound guard', () => {
  it.each([
    'http://127.0.0.1:9/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:8080/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
    'https://internal.example.org/hook',
    'https://metadata.example.org/hook',
  ])('refuses %s with OUTBOUND_ADDRESS_REFUSED', async (url) => {
    const result = await create(url)
    expect(result).toMatchObject({ __typename: 'AddressRefused', code: 'OUTBOUND_ADDRESS_REFUSED', field: 'input.url' })
  })

  it('refuses a name that does not resolve', async () => {
    expect(await create('https://nowhere.example.org/hook')).toMatchObject({
      code: 'OUTBOUND_ADDRESS_REFUSED',
      message: 'nowhere.example.org does not resolve',
    })
  })

  it('accepts a name that resolves to a public address, and what OUTBOUND_ALLOW lists', async () => {
    for (const url of ['https://public.example.org/hook', 'http://10.9.1.2/hook', 'https://allowed.example.org/hook']) {
      const result = await create(url)
      expect(result, url).toMatchObject({ __typename: 'WebhookSecret', webhook: { url, active: false } })
    }
    // and refuses an update to a refused address, leaving the endpoint as it was
    const { id } = (await create('https://public.example.org/other')).webhook
    const { data } = await app.run<any, object>(
      `mutation($id: ID!) { updateWebhook(id: $id, input: { url: "http://10.0.0.1/hook" }) {
        __typename ... on Error { code field } } }`,
      { id },
      admin,
    )
    expect(data.updateWebhook).toEqual({
      __typename: 'AddressRefused',
      code: 'OUTBOUND_ADDRESS_REFUSED',
      field: 'input.url',
    })
    expect(await db.prisma.webhookEndpoint.count({ where: { url: 'http://10.0.0.1/hook' } })).toBe(0)
    expect(await db.prisma.webhookEndpoint.count()).toBe(4)
  })

  it('refuses at delivery a name that now resolves to a loopback address (DNS rebinding): nothing is sent', async () => {
    const url = `http://rebinding.example.org:${receiver.port}/hook`
    const { id } = (await create(url, { active: true, includeDrafts: true })).webhook
    // the name now points at this machine, where the receiver listens
    dns['rebinding.example.org'] = '127.0.0.1'
    const { data } = await app.run<any, object>(
      `mutation { createStory(input: { slug: "rebinding-probe", headline: "Probe" }) { __typename } }`,
      {},
      await asRole('editor'),
    )
    expect(data.createStory.__typename).toBe('Story')
    const attempt = await until('a refused attempt', async () => {
      const { data } = await app.run<any, object>(
        `query($id: ID!) { webhook(id: $id) { attempts(first: 1) { edges { node { status responseCode error } } } } }`,
        { id },
        admin,
      )
      return data.webhook.attempts.edges[0]?.node
    })
    expect(attempt).toMatchObject({ status: 'FAILED', responseCode: null })
    expect(attempt.error).toMatch(/rebinding\.example\.org resolves to 127\.0\.0\.1, which is not a public address/)
    expect(receiver.received).toEqual([])
  })
})
