// The peer a team would pick instead: PostGraphile 5 (amber preset) serving the same PostgreSQL
// database, its schema generated from our tables (allStories, storyBySlug, storyTagsByStoryId …).
// The bench sends it the front-page and story-page queries written in that schema
// (bench/workloads/*.ts). Plain Node HTTP, like ours; nothing else is served.
//
//   DATABASE_URL=postgres://… PORT=4003 node --import tsx bench/baselines/postgraphile.ts
import { createServer } from 'node:http'
import { postgraphile } from 'postgraphile'
import { makePgService } from 'postgraphile/adaptors/pg'
import { grafserv } from 'postgraphile/grafserv/node'
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber'

const connectionString = process.env.DATABASE_URL
if (!connectionString) throw new Error('DATABASE_URL is required')
const port = Number(process.env.PORT ?? 4003)
const host = process.env.HOST ?? '127.0.0.1'
const poolMax = Number(process.env.DATABASE_POOL_MAX ?? 10)

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  // PostGraphile orders and filters by indexed columns only, unless told otherwise; the story
  // page lists related stories in the editor's order (RelatedStory.position, not indexed), as ours.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: poolMax } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, websockets: false, watch: false },
  grafast: { explain: false },
}

const pgl = postgraphile(preset)
const serv = pgl.createServ(grafserv)
const server = createServer()
await serv.addTo(server)
await pgl.getSchema()
server.listen(port, host)

if (process.env.PRINT_SCHEMA) {
  const { printSchema } = await import('postgraphile/graphql')
  console.log(printSchema(await pgl.getSchema()))
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    void Promise.resolve(pgl.release()).finally(() => process.exit(0))
  })
}
