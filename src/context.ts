import type { PrismaClient } from './generated/prisma/client.js'
import type { Logger } from './logger.js'

/** What every resolver gets, built once per request (and once per subscription). */
export interface Context {
  prisma: PrismaClient
  requestId: string
  log: Logger
}
