// What the container runs (Dockerfile: `node --import tsx src/main.ts` on a production install),
// run here without Docker: the sources and the generated client copied to a clean folder,
// `npm ci --omit=dev --ignore-scripts` there, then the server started with NODE_ENV=production
// against an empty PostgreSQL database. It must migrate, seed, answer, and drain on SIGTERM.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { access, cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAIN_STORY } from '../../src/seed/sample.js'
import { ADMIN_URL } from '../helpers/database.js'
import { spawnServer, type ServerProcess } from '../helpers/server-process.js'

const ROOT = new URL('../../', import.meta.url).pathname
/** What the image holds (Dockerfile's run stage), src/generated included. */
const IMAGE_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'schema.graphql',
  'prisma',
  'standards',
  'src',
]

let folder: string
let database: string
let server: ServerProcess | undefined

const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'news-graph-production-'))
  for (const file of IMAGE_FILES) await cp(join(ROOT, file), join(folder, file), { recursive: true })
  await promisify(execFile)('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: folder,
    timeout: 300_000,
  })
  database = `news_production_${randomBytes(6).toString('hex')}`
  await admin(`CREATE DATABASE ${database}`)
}, 360_000)

afterAll(async () => {
  await server?.kill()
  if (database) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  if (folder) await rm(folder, { recursive: true, force: true })
})

describe('the production start command, from a production install', () => {
  it('has no development tools installed', async () => {
    for (const tool of ['vitest', 'postgraphile', '@graphql-codegen/cli', 'node'])
      await expect(access(join(folder, 'node_modules', tool, 'package.json')), tool).rejects.toThrow()
    await access(join(folder, 'node_modules/tsx/package.json'))
  })

  it('migrates an empty database, seeds it, answers, and drains on SIGTERM', async () => {
    const url = new URL(ADMIN_URL)
    url.pathname = `/${database}`
    server = await spawnServer(
      {
        NODE_ENV: 'production',
        DATABASE_URL: url.toString(),
        JWT_SECRET: randomBytes(32).toString('hex'),
        SEED_ON_START: 'true',
      },
      folder,
    )
    await server.waitForLog((line) => /ready/.test(line.msg ?? ''), 0, 120_000)
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200)
    const document = await fetch(`${server.origin}/jsonld/stories/hamas-israel-ceasefire-talks-expected-to-resume.json`)
    expect(document.status).toBe(200)
    expect((await document.json()).headline).toBe(MAIN_STORY.headline)

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  }, 180_000)
})
