import { Attributes, context, Context, propagation, ROOT_CONTEXT, Span, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';

/**
 * Spans of the kernel, through the OpenTelemetry API only: without an SDK (tracing off, the default) every call here is
 * the API's no-op and nothing is stored or sent. A commit keeps the W3C `traceparent` of the span that wrote it, so the
 * readers that handle it later (the relay, projections, another service's inbox) continue that trace.
 */
const tracer = trace.getTracer('@cbme/event-sourcing');

/** The traceparent of the active span, when it is sampled (nothing else is worth storing). */
export function activeTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span || !(span.spanContext().traceFlags & TraceFlags.SAMPLED)) return undefined;
  return traceparentOf(trace.setSpan(context.active(), span));
}

function traceparentOf(ctx: Context): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

const contextOf = (traceparent: string): Context => propagation.extract(ROOT_CONTEXT, { traceparent });

function failed(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
}

/** Runs `work` in a span of the active trace (a command, an append). */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Work that handles several stored commits at once (a projection's batch, an import into the inbox): one span per
 * distinct trace among them, each a child of the span that wrote its commits; the first is active during the work.
 * Commits written without tracing add no span, so a batch of them costs nothing.
 */
export class BatchSpans {
  private readonly spans = new Map<string, Span>();

  constructor(name: string, traceparents: Iterable<string | undefined>, attributes: Attributes = {}) {
    for (const traceparent of traceparents) {
      if (traceparent && !this.spans.has(traceparent)) this.spans.set(traceparent, tracer.startSpan(name, { attributes }, contextOf(traceparent)));
    }
  }

  /** The traceparent of this batch's span for a commit written under `traceparent`: what the batch's own writes keep. */
  childOf(traceparent: string | undefined): string | undefined {
    const span = traceparent ? this.spans.get(traceparent) : undefined;
    return span && traceparentOf(trace.setSpan(ROOT_CONTEXT, span));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const [first] = this.spans.values();
    if (!first) return work();
    try {
      return await context.with(trace.setSpan(context.active(), first), work);
    } catch (error) {
      for (const span of this.spans.values()) failed(span, error);
      throw error;
    } finally {
      for (const span of this.spans.values()) span.end();
    }
  }
}

/** `work` inside one span per distinct stored trace (see BatchSpans). */
export const inBatchSpans = <T>(name: string, traceparents: Iterable<string | undefined>, work: () => Promise<T>, attributes?: Attributes): Promise<T> =>
  new BatchSpans(name, traceparents, attributes).run(work);
