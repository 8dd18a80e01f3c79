// What the write tests share: global ids of the seeded rows, the code each typed error carries,
// and the checks that a write left exactly one audit entry and one change-log row (or none).
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay'
import { expect } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { asRole, testApp } from './api.js'
import { createTestDatabase, type TestDatabase } from './database.js'

/** The code each typed error of the API carries. */
export const CODES: Record<string, string> = {
  ValidationError: 'VALIDATION_FAILED',
  NotFound: 'NOT_FOUND',
  Forbidden: 'FORBIDDEN',
  Conflict: 'CONFLICT',
  InvalidTransition: 'INVALID_TRANSITION',
}

/** The database id inside a global id. */
export const rowId = (globalId: string) => decodeGlobalID(globalId).id

/** The ids of the seeded organisations, places, people, events and stories, once `load`ed. */
export function seededIds() {
  /** row ids by "model:slug" */
  const ids: Record<string, string> = {}
  return {
    ids,
    async load({ prisma }: Pick<Database, 'prisma'>) {
      const select = { id: true, slug: true } as const
      for (const [model, rows] of [
        ['organisation', await prisma.organisation.findMany({ select })],
        ['place', await prisma.place.findMany({ select })],
        ['person', await prisma.person.findMany({ select })],
        ['event', await prisma.event.findMany({ select })],
        ['story', await prisma.story.findMany({ select })],
      ] as const) {
        for (const row of rows) ids[`${model}:${row.slug}`] = row.id
      }
    },
    /** The global id of the seeded row of this type (Organisation, Place, …) with this slug. */
    gid(type: string, slug: string) {
      const id = ids[`${type.toLowerCase()}:${slug}`]
      if (!id) throw new Error(`no seeded ${type} with the slug ${slug}`)
      return encodeGlobalID(type, id)
    },
  }
}

/** The data of a response that must have no errors. */
export async function dataOf<T>(promise: Promise<{ data?: T | null; errors?: unknown }>): Promise<T> {
  const { data, errors } = await promise
  expect(errors).toBeUndefined()
  return data!
}

/** The typed error a refused write returns, with the fields the tests read. */
export type Refusal<T> = T & {
  code: string
  field: string | null
  currentVersion?: number | null
  from?: string
  to?: string
  allowed?: string[]
}

/** Checks of what a write leaves in the audit log and the change log of the database `database()` gives. */
export function writeChecks(database: () => Pick<Database, 'prisma'>) {
  /** How many audit entries and change-log rows there are. */
  const counts = async () => ({
    audit: await database().prisma.auditEntry.count(),
    changes: await database().prisma.change.count(),
  })

  /** A write that must succeed, leaving exactly one audit entry and one change-log row. */
  async function succeeds<T extends { __typename: string }, N extends T['__typename']>(
    typename: N,
    write: () => Promise<T>,
  ): Promise<Extract<T, { __typename: N }>> {
    const before = await counts()
    const result = await write()
    expect(result.__typename, JSON.stringify(result)).toBe(typename)
    expect(await counts()).toEqual({ audit: before.audit + 1, changes: before.changes + 1 })
    return result as Extract<T, { __typename: N }>
  }

  /** A write that must fail with this typed error on this field, leaving nothing behind. */
  async function fails<T extends { __typename: string }>(
    typename: string,
    field: string | null,
    write: () => Promise<T>,
  ): Promise<Refusal<T>> {
    const before = await counts()
    const result = await write()
    expect(result, JSON.stringify(result)).toMatchObject({ __typename: typename, code: CODES[typename], field })
    expect(await counts()).toEqual(before)
    return result as Refusal<T>
  }

  /** The newest change-log row and audit entry. */
  const lastChange = () => database().prisma.change.findFirstOrThrow({ orderBy: { seq: 'desc' } })
  const lastAudit = () => database().prisma.auditEntry.findFirstOrThrow({ orderBy: { id: 'desc' } })

  return { counts, succeeds, fails, lastChange, lastAudit }
}

/**
 * For a file of writes on the sample graph: `open()` makes a fresh database with the sample graph
 * (the file drops it), the app on it and an editor's headers, and loads the seeded rows' ids for
 * `ids` and `gid`; the write checks look at that database.
 */
export function sampleGraphWrites() {
  const { ids, gid, load } = seededIds()
  let db: TestDatabase | undefined
  const checks = writeChecks(() => {
    if (!db) throw new Error('the database is not open yet')
    return db
  })
  async function open() {
    const opened = await createTestDatabase()
    try {
      await seedSampleGraph(opened.prisma)
      const app = testApp(opened)
      const editor = await asRole('editor')
      await load(opened)
      db = opened
      return { db: opened, app, editor }
    } catch (error) {
      await opened.drop()
      throw error
    }
  }
  return { ids, gid, open, ...checks }
}
