// Asks Prisma's own schema engine (its WebAssembly build: no native binary, nothing downloaded)
// what SQL would take the database built by our migrations to prisma/schema.prisma.
// Empty SQL means the two agree. Used by `npm run db:diff` and by the drift test.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { applyMigrations, MIGRATIONS_DIR } from './migrate.js'

export const SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url))

interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>
  free?(): void
}

// The wasm glue module keeps the instance in module state, so instantiate it once per process.
let engineModule: ReturnType<typeof instantiateEngine> | undefined
const loadEngineModule = () => (engineModule ??= instantiateEngine())

async function instantiateEngine() {
  // The package's entry imports the .wasm file the way bundlers do, so instantiate it by hand.
  const entry = fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'))
  const dir = path.dirname(entry)
  const bg = await import(pathToFileURL(entry).href)
  const wasm = new WebAssembly.Module(await readFile(path.join(dir, 'schema_engine_bg.wasm')))
  const instance = new WebAssembly.Instance(wasm, { './schema_engine_bg.js': bg })
  bg.__wbg_set_wasm(instance.exports)
  ;(instance.exports.__wbindgen_start as () => void)()
  return bg as {
    SchemaEngine: { new: (o: unknown, log: (s: string) => void, adapter: object) => Promise<WasmSchemaEngine> }
  }
}

/** SQL from (all migrations applied to an empty database) to (the schema file). */
export async function diffMigrationsToSchema(
  migrationsDir = MIGRATIONS_DIR,
  schemaPath = SCHEMA_PATH,
): Promise<string> {
  const lite = await PGlite.create('memory://')
  try {
    await applyMigrations(
      {
        query: async (sql, params) => (await lite.query<Record<string, unknown>>(sql, params)).rows,
        exec: async (sql) => void (await lite.exec(sql)),
      },
      migrationsDir,
    )
    const { SchemaEngine } = await loadEngineModule()
    const files = [{ path: 'schema.prisma', content: await readFile(schemaPath, 'utf8') }]
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(lite))
    const engine = await SchemaEngine.new({ datamodels: files.map((f) => [f.path, f.content]) }, () => {}, adapter)
    try {
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      })
      return result.stdout
    } finally {
      engine.free?.()
    }
  } finally {
    await lite.close()
  }
}
