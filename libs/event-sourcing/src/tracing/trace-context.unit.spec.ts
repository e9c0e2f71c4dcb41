import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { Decider } from '@cbme/decider';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Producer, ProducerBatch } from 'kafkajs';
import { executeCommand } from '../commands/execute-command';
import { OutboxRelay } from '../kafka/outbox-relay';
import { InMemoryCheckpointStore } from '../projections/checkpoint-store';
import { InMemoryDeadLetters } from '../projections/dead-letters';
import { ProjectionRunner } from '../projections/projection-runner';
import { StoredEvent } from '../store/event-store';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { BatchSpans } from './trace-context';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

const noted: Decider<{ type: 'Note' }, { type: 'feedback.noted'; data: object }, null> = {
  decide: () => [{ type: 'feedback.noted', data: {} }],
  evolve: (state) => state,
  initialState: null,
};
const catalog = { currentVersion: () => 1 } as unknown as EventCatalog;
const metadata: EventMetadata = {
  occurredAt: '2026-09-01T10:00:00.000Z', tenant: { institutionId: 'inst', schoolId: 'medicine' }, actor: { userId: 'ann', role: 'learner' }, correlationId: 'c', causationId: null,
};
const tracer = trace.getTracer('test');
/** a command under a request's span, as the http instrumentation starts one */
const commandInRequest = (store: InMemoryEventStore, streamId: string) =>
  tracer.startActiveSpan('POST /notes', async (request) => {
    await executeCommand(store, catalog, noted, streamId, { type: 'Note' }, metadata);
    request.end();
    return request.spanContext().traceId;
  });

const spansNamed = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan) => exporter.getFinishedSpans().find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);

function runner(store: InMemoryEventStore, projection: { name: string; apply: (events: StoredEvent[]) => Promise<void>; tracesItself?: boolean }) {
  return new ProjectionRunner(store, new InMemoryCheckpointStore(), projection, { deadLetters: new InMemoryDeadLetters(), pollIntervalMs: 5 });
}

describe('trace context carried with the stored commit', () => {
  it('a command\'s trace goes on from its append into a projection that reads the commit later', async () => {
    const store = new InMemoryEventStore();
    const traceId = await commandInRequest(store, 'note-1');
    const [commit] = await store.readCommitsAfter(0, 10);
    expect(commit.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const projecting = runner(store, { name: 'notes', apply: async () => undefined });
    await projecting.waitUntilCaughtUp();
    await projecting.stop();

    const [projected] = spansNamed('project notes');
    const path = [projected];
    for (let at = parentOf(projected); at; at = parentOf(at)) path.unshift(at);
    expect(path.map((s) => s.name)).toEqual(['POST /notes', 'command Note', 'append', 'project notes']);
    expect(new Set(path.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
    expect(commit.traceparent).toContain(spansNamed('append')[0].spanContext().spanId);
  });

  it('the relay sends each trace\'s commits under a span of that trace, in position order', async () => {
    const store = new InMemoryEventStore();
    const first = await commandInRequest(store, 'note-1');
    await store.append('note-2', 0, [{ ...metadata, eventId: 'untraced', type: 'feedback.noted', schemaVersion: 1, data: {} }]);
    const second = await commandInRequest(store, 'note-3');
    const sent: { trace: string | undefined; keys: string[] }[] = [];
    const producer = {
      sendBatch: async (batch: ProducerBatch) => {
        sent.push({ trace: trace.getActiveSpan()?.spanContext().traceId, keys: (batch.topicMessages ?? []).flatMap((t) => t.messages.map((m) => String(m.key))) });
        return [];
      },
    } as unknown as Producer;

    const relaying = runner(store, new OutboxRelay(producer, 'cbme'));
    await relaying.waitUntilCaughtUp();
    await relaying.stop();

    expect(sent).toEqual([{ trace: first, keys: ['note-1'] }, { trace: undefined, keys: ['note-2'] }, { trace: second, keys: ['note-3'] }]);
    expect(spansNamed('relay publish').map((s) => [s.spanContext().traceId, parentOf(s)?.name])).toEqual([[first, 'append'], [second, 'append']]);
    expect(spansNamed('project outbox-relay')).toEqual([]);
  });

  it('an inbox copy keeps the trace of the message that brought it, continued by its `inbox store` span', async () => {
    const store = new InMemoryEventStore();
    await commandInRequest(store, 'note-1');
    const [{ events: [event], traceparent }] = await store.readCommitsAfter(0, 1);
    const { position: _p, traceparent: _t, hash: _h, ...envelope } = event;
    const inbox = new InMemoryEventStore();

    const spans = new BatchSpans('inbox store', [traceparent]);
    await spans.run(() => inbox.importEvents([envelope], [spans.childOf(traceparent)]));

    const [stored] = spansNamed('inbox store');
    expect(parentOf(stored)?.name).toBe('append');
    expect((await inbox.readCommitsAfter(0, 1))[0].traceparent).toContain(stored.spanContext().spanId);
  });
});
