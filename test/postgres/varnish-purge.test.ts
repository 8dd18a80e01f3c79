// The purger's Varnish target against a real varnishd (/usr/sbin/varnishd, or VARNISHD_PATH; Debian:
// varnish and varnish-modules, for the xkey vmod), with a VCL of this test's own that files answers
// under their `xkey` header and purges by it. A local origin answers like the API does, tagged with
// the keys of the story it shows; an editor's correction through the app then drops that answer
// from Varnish, and only that one: the next request for it goes to the origin again.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerKeys } from '../../src/edge/keys.js'
import { objectKey } from '../../src/live/invalidation.js'
import { seedSampleGraph } from '../../src/seed/seed.js'
import { AddCorrectionDocument } from '../generated/graphql.js'
import { asRole, testApp } from '../helpers/api.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { until } from '../helpers/poll.js'

const VARNISHD = process.env.VARNISHD_PATH ?? '/usr/sbin/varnishd'
const SAMPLE = 'hamas-israel-ceasefire-talks-expected-to-resume'

let db: TestDatabase
let app: ReturnType<typeof testApp>
let origin: Server
let varnishd: ChildProcess | null = null
let dir: string
let varnish: string
let storyRowId: string
/** requests the origin answered, by path */
const fetched = new Map<string, number>()

/** The VCL: answers cached by their xkey header; PURGE with `xkey: k1 k2 …` from 127.0.0.1 drops them. */
const vcl = (port: number) => `vcl 4.1;
import xkey;
backend origin { .host = "127.0.0.1"; .port = "${port}"; }
acl purgers { "127.0.0.1"; }
sub vcl_recv {
  if (req.method == "PURGE") {
    if (client.ip !~ purgers) { return (synth(403, "Forbidden")); }
    if (!req.http.xkey) { return (synth(400, "No xkey")); }
    return (synth(200, "Purged " + xkey.purge(req.http.xkey)));
  }
}
`

/** GETs `path` through Varnish; whether the origin was asked for it. */
async function viaVarnish(path: string): Promise<boolean> {
  const before = fetched.get(path) ?? 0
  const response = await fetch(`${varnish}${path}`)
  expect(response.status).toBe(200)
  await response.text()
  return (fetched.get(path) ?? 0) > before
}

beforeAll(async () => {
  db = await createTestDatabase('postgres')
  await seedSampleGraph(db.prisma)
  storyRowId = (await db.prisma.story.findFirstOrThrow({ where: { slug: SAMPLE }, select: { id: true } })).id
  // the story's page is filed under its keys (as the API files an answer showing it); another page is not
  const tags: Record<string, string[]> = {
    '/story': answerKeys([objectKey('Story', storyRowId)]),
    '/other': answerKeys([objectKey('Story', '00000000-0000-4000-8000-000000000000')]).slice(1),
  }
  origin = createServer((req, res) => {
    fetched.set(req.url!, (fetched.get(req.url!) ?? 0) + 1)
    res.writeHead(200, { 'cache-control': 'public, max-age=600', xkey: tags[req.url!]!.join(' ') }).end('{}')
  })
  origin.listen(0, '127.0.0.1')
  await once(origin, 'listening')

  dir = mkdtempSync(join(tmpdir(), 'news-graph-varnish-'))
  // varnishd compiles the VCL as its own user (vcache, when started as root)
  chmodSync(dir, 0o755)
  writeFileSync(join(dir, 'test.vcl'), vcl((origin.address() as AddressInfo).port))
  const workdir = join(dir, 'work')
  varnishd = spawn(
    VARNISHD,
    ['-F', '-n', workdir, '-a', '127.0.0.1:0', '-T', '127.0.0.1:0', '-f', join(dir, 'test.vcl'), '-s', 'malloc,32m'],
    { stdio: 'ignore' },
  )
  // the port it took, once it answers its management interface
  const listen = await until(
    'varnishd listens',
    async () => {
      const { stdout } = await promisify(execFile)('varnishadm', ['-n', workdir, 'debug.listen_address'])
      return /^\S+ 127\.0\.0\.1 (\d+)$/m.exec(stdout)?.[1]
    },
    { everyMs: 100 },
  )
  varnish = `http://127.0.0.1:${listen}`

  app = testApp(db, { settings: { PURGE_VARNISH_URLS: [varnish], LIVE_POLL_MS: 60_000 } })
  await app.feedStarted
  const [target] = app.purger!.targets
  await until('the purger has its cursor', async () =>
    (await db.prisma.purgeCursor.count({ where: { target } })) === 1 ? true : undefined,
  )
})
afterAll(async () => {
  await app?.close()
  if (varnishd && varnishd.exitCode === null) {
    varnishd.kill('SIGTERM')
    await once(varnishd, 'exit')
  }
  origin?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  await db?.drop()
})

describe('purging a real Varnish', () => {
  it("drops the answers filed under a correction's keys, and no other", async () => {
    for (const path of ['/story', '/other']) {
      expect(await viaVarnish(path), `${path} the first time`).toBe(true)
      expect(await viaVarnish(path), `${path} cached`).toBe(false)
    }

    const { data, errors } = await app.run(
      AddCorrectionDocument,
      { storyId: encodeGlobalID('Story', storyRowId), kind: 'CORRECTION', text: 'A name was misspelt.' },
      await asRole('editor'),
    )
    expect(errors).toBeUndefined()
    expect(data?.addCorrection.__typename).toBe('Story')
    const { seq } = await db.prisma.change.findFirstOrThrow({ orderBy: { seq: 'desc' } })
    const [target] = app.purger!.targets
    // the cursor moves once Varnish answered the purge 200
    await until('the correction is purged', async () =>
      (await db.prisma.purgeCursor.findUniqueOrThrow({ where: { target } })).seq >= seq ? true : undefined,
    )

    expect(await viaVarnish('/story'), 'the corrected story is fetched again').toBe(true)
    expect(await viaVarnish('/other'), 'another story stays cached').toBe(false)
  })
})
