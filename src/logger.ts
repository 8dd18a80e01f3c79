import { pino, type Logger } from 'pino'
import { traceFields } from './server/tracing.js'

export type { Logger }

export function createLogger(level: string): Logger {
  // trace_id and span_id of the active span, when tracing is on (src/server/tracing.ts)
  return pino({ level, base: { service: 'news-graph' }, mixin: traceFields })
}
