// Imports IPTC ninjs 3.x documents into the configured database, through the same code as the
// importNinjs mutation (each file one write, with its revision, audit entry and change-log row):
//
//   npm run import -- <file or folder> [more…] [--as <name>]
//
// A folder is read for *.json files, its subfolders too. Prints a progress bar while it works
// (on a terminal) and then a summary: what each file made, what of it was not stored, and why
// a file failed. Exits with 1 when any file failed, 2 when the arguments are wrong.
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { loadConfig } from '../src/config.js'
import type { Context } from '../src/context.js'
import { openDatabase } from '../src/db/database.js'
import { createLogger } from '../src/logger.js'
import { DomainError, ValidationError } from '../src/resolvers/errors.js'
import { runImport, type ImportOutcome } from '../src/standards/import-ninjs.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { as: { type: 'string', default: 'import-cli' }, help: { type: 'boolean', short: 'h' } },
})
if (values.help || positionals.length === 0) {
  console.error('usage: npm run import -- <file or folder> [more…] [--as <name>]')
  process.exit(values.help ? 0 : 2)
}

let files: string[]
try {
  files = (await Promise.all(positionals.map(jsonFiles))).flat()
} catch (error) {
  console.error(`import: ${(error as Error).message}`)
  process.exit(2)
}
if (files.length === 0) {
  console.error('import: no .json files found')
  process.exit(2)
}

const config = loadConfig()
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL)
const db = await openDatabase(config)
try {
  await db.migrate()
} catch (error) {
  console.error(`import: the database cannot be used: ${(error as Error).message}`)
  await db.close().catch(() => {})
  process.exit(1)
}

type Result = { file: string } & ({ outcome: ImportOutcome; made: string } | { error: string })
const results: Result[] = []
let failed = 0
try {
  const bar = new cliProgress.SingleBar(
    {
      format: 'importing [{bar}] {value}/{total} {file}',
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(files.length, 0, { file: '' })
  for (const [n, file] of files.entries()) {
    bar.update(n, { file: shown(file) })
    const result = await importFile(file, n)
    if ('error' in result) failed++
    results.push(result)
  }
  bar.update(files.length, { file: '' })
  bar.stop()
} finally {
  await db.close()
}

// The summary: one line per file, then the parts it did not store, then the counts.
for (const r of results) {
  const name = shown(r.file)
  if ('error' in r) {
    console.log(`✗ ${name}: ${r.error}`)
    continue
  }
  console.log(`✓ ${name}: ${r.outcome.action.toLowerCase()} ${r.made} (${r.outcome.uri})`)
  for (const part of r.outcome.unsupported) console.log(`    ${part.pointer || '(document)'}: ${part.reason}`)
}
const count = (action: string) => results.filter((r) => 'outcome' in r && r.outcome.action === action).length
const unsupported = results.reduce((n, r) => n + ('outcome' in r ? r.outcome.unsupported.length : 0), 0)
console.log(
  `${files.length} files: ${count('CREATED')} created, ${count('UPDATED')} updated, ${failed} failed; ${unsupported} parts not stored`,
)
process.exitCode = failed > 0 ? 1 : 0

async function importFile(file: string, n: number): Promise<Result> {
  let document: unknown
  try {
    document = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    return { file, error: `not JSON: ${(error as Error).message}` }
  }
  const requestId = `import-${process.pid}-${n + 1}`
  const ctx: Context = {
    prisma: db.prisma,
    requestId,
    log: log.child({ requestId, file }),
    viewer: { sub: values.as!, role: 'editor' },
    idempotency: null,
    live: null,
  }
  try {
    const outcome = await runImport(ctx, document)
    return { file, outcome, made: await describe(outcome) }
  } catch (error) {
    if (error instanceof ValidationError)
      return { file, error: error.issues.map((i) => `${i.field || '(document)'}: ${i.message}`).join('; ') }
    if (error instanceof DomainError) return { file, error: `${error.code}: ${error.message}` }
    return { file, error: `unexpected error: ${(error as Error).message}` }
  }
}

async function describe(outcome: ImportOutcome): Promise<string> {
  if (outcome.storyId) {
    const story = await db.prisma.story.findUniqueOrThrow({
      where: { id: outcome.storyId },
      select: { slug: true, status: true },
    })
    return `story ${story.slug} (${story.status.toLowerCase()})`
  }
  const event = await db.prisma.event.findUniqueOrThrow({ where: { id: outcome.eventId! }, select: { slug: true } })
  return `event ${event.slug}`
}

/** A path as given to a person: relative to here when it lies below here. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') ? file : relative
}

/** The file itself, or every *.json under the folder, in name order. */
async function jsonFiles(given: string): Promise<string[]> {
  const at = path.resolve(given)
  const info = await stat(at).catch(() => null)
  if (!info) throw new Error(`${given}: no such file or folder`)
  if (info.isFile()) return [at]
  const entries = await readdir(at, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}
