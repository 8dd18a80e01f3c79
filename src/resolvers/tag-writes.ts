// Writes of tags, through the upsert by slug the named entities use (src/resolvers/entity-writes.ts).
import type { TagScheme } from '../generated/prisma/enums.js'
import type { Prisma } from '../generated/prisma/client.js'
import { upsertBySlug } from './entity-writes.js'
import { ValidationError } from './errors.js'
import type { Tx, Written } from './mutation.js'

export interface TagInput {
  slug: string
  name: string
  scheme?: TagScheme | null
  code?: string | null
  description?: string | null
}

export async function upsertTag(tx: Tx, input: TagInput, version: number | null): Promise<Written<{ id: string }>> {
  const data = {
    name: input.name,
    scheme: input.scheme ?? 'KEYWORD',
    code: input.code ?? null,
    description: input.description ?? null,
  } satisfies Prisma.TagUncheckedUpdateManyInput
  if (data.scheme === 'MEDIATOPIC' && !data.code) {
    throw new ValidationError([{ field: 'input.code', message: 'a MEDIATOPIC tag needs its code' }])
  }
  // a Media Topic code names one tag
  return upsertBySlug(tx, { model: 'tag', slug: input.slug, version, data, unique: ['code'] })
}
