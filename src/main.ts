// `npm start`: serve, and prepare the database (embedded unless DATABASE_URL says otherwise):
// migrate, seed an empty one. The server listens at once and becomes ready when the database is
// (src/server/start.ts). SIGTERM or SIGINT drains it gracefully within SHUTDOWN_TIMEOUT_MS; a
// second signal exits at once. With OTEL_EXPORTER_OTLP_ENDPOINT, traces are sent there
// (src/server/tracing.ts), the last of them flushed when the server stops.
import { loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { startServer } from './server/start.js'
import { startTracing } from './server/tracing.js'

const config = loadConfig()
// before the app is built: the SDK (loaded only with an endpoint) patches what the app uses
const tracing = await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, config.OTEL_SERVICE_NAME)
const logger = createLogger(config.LOG_LEVEL)
const running = await startServer(config, logger, tracing)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting')
      process.exit(1)
    }
    stopping = true
    void running.stop(signal).then((code) => process.exit(code))
  })
}
