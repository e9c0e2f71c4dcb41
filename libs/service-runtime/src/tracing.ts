import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { startNodeSdk } from '@opentelemetry/sdk-node';

/**
 * Tracing is on only when an exporter is named (`OTEL_TRACES_EXPORTER` other than `none`, or an OTLP endpoint) and
 * `OTEL_SDK_DISABLED` is not true: no collector runs by default, so the SDK's own default (OTLP to localhost) would
 * only fail. Off, nothing is loaded into the request path: the kernel's spans are the OpenTelemetry API's no-ops.
 */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (exporters.length) return !exporters.every((name) => name === 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts the OpenTelemetry Node SDK for one service (traces only: metrics are Prometheus's at /metrics), with the
 * exporter, sampler and batching the standard `OTEL_*` variables say. Must run before NestJS, express, kafkajs and
 * mongoose are loaded, which is why each service's `src/tracing.ts` calls it and is main.ts's first import.
 */
let sdk: { shutdown(): Promise<void> } | undefined;

export function startTracing(serviceName: string): void {
  if (!tracingWanted() || sdk) return;
  sdk = startNodeSdk({
    resourceAttributes: { 'service.name': process.env.OTEL_SERVICE_NAME || serviceName },
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // health probes and polling are not worth a trace of their own
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health') === true, requireParentforOutgoingSpans: true }),
      new ExpressInstrumentation(),
      new KafkaJsInstrumentation(),
      // projections and the relay poll the store all the time: only what runs inside a trace gets database spans
      new MongooseInstrumentation({ requireParentSpan: true }),
    ],
  });
}

/** Sends the spans still in the batch processor (called as the service shuts down). */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
