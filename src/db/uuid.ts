// Ids for rows written by raw SQL, as Prisma's @default(uuid(7)) makes them for rows it creates.
import { randomBytes } from 'node:crypto'

/** A UUIDv7: the milliseconds since 1970 first, so ids sort by creation; then random bits. */
export function uuidv7(): string {
  const b = randomBytes(16)
  b.writeUIntBE(Date.now(), 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x70 // version 7
  b[8] = (b[8]! & 0x3f) | 0x80 // variant 10
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
