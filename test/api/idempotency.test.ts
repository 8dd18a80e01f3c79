// Idempotency-Key: a retried mutation is applied once; the key cannot be reused for another request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { writeChecks } from '../helpers/writes.js'

const UPSERT_TAG = /* GraphQL */ `
  mutation UpsertTag($input: TagInput!, $version: Int) {
    upsertTag(input: $input, version: $version) {
      __typename
      ... on Tag {
        id
        slug
        name
        version
      }
      ... on Error {
        code
        field
        message
      }
    }
  }
`

let db: TestDatabase
let app: ReturnType<typeof testApp>
let editor: Record<string, string>

beforeAll(async () => {
  db = await createTestDatabase()
  app = testApp(db)
  editor = await asRole('editor', 'idem-editor')
})
afterAll(() => db?.drop())

const { counts } = writeChecks(() => db)
/** How many tags, audit entries and change-log rows there are. */
const written = async () => ({ tags: await db.prisma.tag.count(), ...(await counts()) })

const upsert = (slug: string, name: string, key?: string, headers = editor, version?: number) =>
  app.run(UPSERT_TAG, { input: { slug, name }, version }, { ...headers, ...(key ? { 'idempotency-key': key } : {}) })

describe('Idempotency-Key', () => {
  it('applies a retried mutation once and replays the first response', async () => {
    const before = await written()
    const first = await upsert('retried', 'Retried', 'key-retry-1')
    const second = await upsert('retried', 'Retried', 'key-retry-1')
    expect(first.data).toMatchObject({ upsertTag: { __typename: 'Tag', slug: 'retried', version: 1 } })
    expect(second.data).toEqual(first.data)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(await written()).toEqual({ tags: before.tags + 1, audit: before.audit + 1, changes: before.changes + 1 })
  })

  it('refuses the same key for a different request, writing nothing', async () => {
    await upsert('reused', 'Reused', 'key-reuse-1')
    const before = await written()
    const other = await upsert('reused-other', 'Other', 'key-reuse-1')
    expect(other.status).toBe(422)
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED')
    expect(await written()).toEqual(before)
  })

  it('writes once when the same request races itself', async () => {
    const before = await written()
    const results = await Promise.all([1, 2, 3].map(() => upsert('raced', 'Raced', 'key-race-1')))
    expect(await written()).toEqual({ tags: before.tags + 1, audit: before.audit + 1, changes: before.changes + 1 })
    // the winner's response, replays of it, or a refusal while it was in flight: never a second write
    const applied = results.filter(
      (r) => (r.data as { upsertTag?: { __typename: string } } | null)?.upsertTag?.__typename === 'Tag',
    )
    expect(applied.length).toBeGreaterThanOrEqual(1)
    for (const r of results) {
      const kind = (r.data as { upsertTag?: { __typename: string; code?: string } } | null)?.upsertTag
      const code = r.errors?.[0]?.extensions?.code ?? kind?.code
      expect(kind?.__typename === 'Tag' || code === 'IDEMPOTENCY_KEY_IN_USE' || code === 'CONFLICT').toBe(true)
    }
  })

  it('keeps no key for a mutation that failed, so it can be retried with corrected input', async () => {
    const failed = await upsert('Not A Slug', 'Bad', 'key-fail-1')
    expect(failed.data).toMatchObject({ upsertTag: { __typename: 'ValidationError', field: 'input.slug' } })
    const fixed = await upsert('fixed-slug', 'Fixed', 'key-fail-1')
    expect(fixed.data).toMatchObject({ upsertTag: { __typename: 'Tag', slug: 'fixed-slug' } })
  })

  it('keeps keys per editor and for 24 hours', async () => {
    const other = await asRole('editor', 'another-editor')
    await upsert('per-editor', 'Per editor', 'key-shared-1')
    const theirs = await upsert('per-editor-2', 'Theirs', 'key-shared-1', other)
    expect(theirs.data).toMatchObject({ upsertTag: { __typename: 'Tag', slug: 'per-editor-2' } })

    await upsert('expiring', 'Expiring', 'key-expire-1')
    await db.prisma.idempotencyKey.updateMany({
      where: { key: 'key-expire-1' },
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000) },
    })
    const again = await upsert('expiring', 'Expiring again', 'key-expire-1', editor, 1)
    expect(again.headers.get('idempotent-replayed')).toBeNull()
    expect(again.data).toMatchObject({ upsertTag: { __typename: 'Tag', name: 'Expiring again', version: 2 } })
  })

  it('keeps keys per viewer: the same subject in another role gets no replay and no refusal', async () => {
    const asEditor = await asRole('editor', 'two-hats')
    const asAdmin = await asRole('admin', 'two-hats')
    const first = await upsert('two-hats', 'Two hats', 'key-roles-1', asEditor)
    expect(first.data).toMatchObject({ upsertTag: { __typename: 'Tag', slug: 'two-hats', version: 1 } })
    // the same request with the same key, as the admin: run as its own (refused: an update needs the version)
    const admin = await upsert('two-hats', 'Two hats', 'key-roles-1', asAdmin)
    expect(admin.headers.get('idempotent-replayed')).toBeNull()
    expect(admin.data).toMatchObject({ upsertTag: { __typename: 'ValidationError', field: 'version' } })
    // another request under a key the editor holds: the admin's own key, applied
    await upsert('two-hats-editor', 'Editor', 'key-roles-2', asEditor)
    const other = await upsert('two-hats-admin', 'Admin', 'key-roles-2', asAdmin)
    expect(other.data).toMatchObject({ upsertTag: { __typename: 'Tag', slug: 'two-hats-admin' } })
    // each role's retry replays its own first response
    const retried = await upsert('two-hats', 'Two hats', 'key-roles-1', asEditor)
    expect(retried.headers.get('idempotent-replayed')).toBe('true')
    expect(retried.data).toEqual(first.data)
  })

  it('refuses a malformed key before doing anything', async () => {
    const before = await written()
    const bad = await upsert('bad-key', 'Bad key', 'has spaces in it')
    expect(bad.status).toBe(400)
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
    expect(await written()).toEqual(before)
  })
})
