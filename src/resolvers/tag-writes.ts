import type { TagScheme } from '../generated/prisma/enums.js'
import { NotFoundError, ValidationError } from './errors.js'
import { expectVersion, type Tx, type Written } from './mutation.js'

export interface TagInput {
  slug: string
  name: string
  scheme?: TagScheme | null
  code?: string | null
  description?: string | null
}

export async function upsertTag(tx: Tx, input: TagInput, version: number | null): Promise<Written<{ id: string }>> {
  const data = { name: input.name, scheme: input.scheme ?? 'KEYWORD', code: input.code ?? null, description: input.description ?? null }
  if (data.scheme === 'MEDIATOPIC' && !data.code) {
    throw new ValidationError([{ field: 'input.code', message: 'a MEDIATOPIC tag needs its code' }])
  }
  const existing = await tx.tag.findUnique({ where: { slug: input.slug }, select: { id: true } })
  let id: string
  if (!existing) {
    if (version != null) throw new NotFoundError('No tag with that slug to update.', 'input.slug')
    id = (await tx.tag.create({ data: { slug: input.slug, ...data }, select: { id: true } })).id
  } else {
    if (version == null) throw new ValidationError([{ field: 'version', message: 'required to update an existing tag' }])
    const updated = await tx.tag.updateMany({ where: { id: existing.id, version }, data: { ...data, version: { increment: 1 } } })
    await expectVersion(updated, () => tx.tag.findUnique({ where: { id: existing.id }, select: { version: true } }), 'tag', version)
    id = existing.id
  }
  return {
    result: { id },
    change: { kind: existing ? 'tag.updated' : 'tag.created', objectType: 'Tag', objectId: id, topics: [`tag:${id}`] },
  }
}
