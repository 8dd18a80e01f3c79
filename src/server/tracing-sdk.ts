// The OpenTelemetry SDK, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (src/server/tracing.ts):
// spans over OTLP/HTTP in JSON, W3C trace context, and the instrumentations of Node's HTTP
// server, ioredis and Prisma. The SDK reads the other standard OTEL_* variables itself (OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY, …).
import { createRequire } from 'node:module'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis'
import { NodeSDK } from '@opentelemetry/sdk-node'
import { PrismaInstrumentation } from '@prisma/instrumentation'

/** Paths whose requests make no span: probes, polled every few seconds. */
const UNTRACED = new Set(['/health', '/ready'])

export async function startSdk(serviceName: string): Promise<NodeSDK> {
  // traces only: metrics are Prometheus's (/metrics) and logs go to stdout
  process.env.OTEL_METRICS_EXPORTER ??= 'none'
  process.env.OTEL_LOGS_EXPORTER ??= 'none'
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED.has((request.url ?? '').split('?')[0] ?? ''),
        // the exporter's own requests, and nothing else outgoing, are made by this process
        ignoreOutgoingRequestHook: () => true,
      }),
      new IORedisInstrumentation({ requireParentSpan: false }),
      new PrismaInstrumentation(),
    ],
  })
  sdk.start()
  // The instrumentations patch CommonJS modules as they are required; the app imports them as
  // ES modules, which share the same module objects: require them once here so they are patched.
  const require = createRequire(import.meta.url)
  require('node:http')
  require('ioredis')
  return sdk
}
