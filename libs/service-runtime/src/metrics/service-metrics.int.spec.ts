import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { Decider, ruleViolated } from '@cbme/decider';
import { executeCommand, MongoDeadLetters, MongoEventStore, StoredEvent } from '@cbme/event-sourcing';
import { Controller, Get, INestApplication, MiddlewareConsumer, Module, NestModule, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import mongoose, { Connection } from 'mongoose';
import { MetricValueWithName } from 'prom-client';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ResolvedConfig } from '../config/service-config';
import { EventSourcingRuntime, KnownLags } from '../event-sourcing/event-sourcing-runtime';
import { ALL_ROUTES, ServiceMetrics } from './service-metrics';

// a database of its own on the test server (a runtime library may not use @cbme/testing's helpers)
let connection: Connection;
let lags: KnownLags;
let leases: { name: string; held: boolean; acquisitions: number }[];
let metrics: ServiceMetrics;

beforeAll(async () => {
  connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', { dbName: `test_metrics_${randomUUID().slice(0, 8)}` }).asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});
beforeEach(() => {
  lags = { projections: [], consumer: [] };
  leases = [];
  // the runtime's in-memory lags and leases, as the gauges read them at scrape time
  const runtime = { knownLags: () => lags, leaseHolders: () => leases } as unknown as EventSourcingRuntime;
  metrics = new ServiceMetrics({ service: 'feedback' } as ResolvedConfig, runtime);
});
afterEach(() => metrics.onModuleDestroy());

/** a counter's or gauge's samples, as `labels -> value` */
async function samples(name: string): Promise<Record<string, number>> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return Object.fromEntries(values.map((v) => [JSON.stringify(v.labels), v.value]));
}

/** a histogram's `_count` samples, as labels and count */
async function counts(name: string): Promise<Record<string, string | number>[]> {
  const { values } = await metrics.registry.getSingleMetric(name)!.get();
  return (values as MetricValueWithName<string>[]).filter((v) => v.metricName === `${name}_count`).map((v) => ({ ...v.labels, count: v.value }));
}

type Command = { type: 'Note'; data: { text: string } };
type Event = { type: 'noted'; data: { text: string } };
const decider: Decider<Command, Event, null> = {
  initialState: null,
  evolve: (state) => state,
  decide: ({ data }) => {
    if (!data.text) throw ruleViolated('a note needs text');
    return [{ type: 'noted', data }];
  },
};
const catalog = { currentVersion: () => 1 } as unknown as EventCatalog;
const metadata: EventMetadata = {
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'lea', role: 'learner' }, correlationId: 'c-1', causationId: null,
  occurredAt: new Date().toISOString(),
};

describe('ServiceMetrics', () => {
  it('counts a command once by type and outcome, a rejection with its reason, and times the append in the store it went to', async () => {
    const store = new MongoEventStore(connection, { collection: 'events' });
    await store.init();
    await executeCommand(store, catalog, decider, `note-${randomUUID()}`, { type: 'Note', data: { text: 'hello' } }, metadata);
    await expect(executeCommand(store, catalog, decider, `note-${randomUUID()}`, { type: 'Note', data: { text: '' } }, metadata)).rejects.toThrow('a note needs text');

    expect(await samples('cbme_commands_total')).toEqual({
      [JSON.stringify({ command: 'Note', outcome: 'accepted', reason: '' })]: 1,
      [JSON.stringify({ command: 'Note', outcome: 'rejected', reason: 'rule-violated' })]: 1,
    });
    expect(await counts('cbme_event_store_append_duration_seconds')).toEqual([{ store: 'events', operation: 'append', count: 1 }]);
  });

  it('counts a dead letter once, however often the same event is parked', async () => {
    const deadLetters = new MongoDeadLetters(connection);
    const event = { eventId: randomUUID(), type: 'noted' } as StoredEvent;
    await deadLetters.park('notes', event, 'cannot apply');
    await deadLetters.park('notes', event, 'cannot apply');
    await deadLetters.noteMessage('cbme.feedback.dlq', { id: `t:0:${randomUUID()}`, type: null, eventId: null, reason: 'not JSON' });
    expect(await samples('cbme_dead_letters_total')).toEqual({
      [JSON.stringify({ kind: 'projection', name: 'notes' })]: 1,
      [JSON.stringify({ kind: 'consumer', name: 'cbme.feedback.dlq' })]: 1,
    });
  });

  it('reads the lags at scrape time, and drops a reader that is no longer there', async () => {
    lags = { relay: { name: 'outbox-relay', lag: 2 }, projections: [{ name: 'goals-by-status', source: 'events', lag: 5 }], consumer: [{ topic: 'cbme.coaching.events', partition: 1, lag: 7 }] };
    const text = await metrics.registry.metrics();
    expect(text).toContain('cbme_relay_lag_commits{relay="outbox-relay",service="feedback"} 2');
    expect(text).toContain('cbme_projection_lag_commits{projection="goals-by-status",source="events",service="feedback"} 5');
    expect(text).toContain('cbme_kafka_consumer_lag_messages{topic="cbme.coaching.events",partition="1",service="feedback"} 7');
    lags = { projections: [], consumer: [] };
    expect(await samples('cbme_projection_lag_commits')).toEqual({});
    expect(await samples('cbme_relay_lag_commits')).toEqual({});
  });

  it('tells which leases this instance holds and how often it took them', async () => {
    leases = [{ name: 'goals-by-status', held: true, acquisitions: 2 }, { name: 'outbox-relay', held: false, acquisitions: 0 }];
    expect(await samples('cbme_lease_holder')).toEqual({
      [JSON.stringify({ runner: 'goals-by-status' })]: 1,
      [JSON.stringify({ runner: 'outbox-relay' })]: 0,
    });
    expect(await samples('cbme_lease_acquisitions_total')).toEqual({
      [JSON.stringify({ runner: 'goals-by-status' })]: 2,
      [JSON.stringify({ runner: 'outbox-relay' })]: 0,
    });
  });

  it('has the default process metrics: memory, CPU, event loop lag', async () => {
    const text = await metrics.registry.metrics();
    for (const name of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds']) {
      expect(text).toMatch(new RegExp(`^${name}\\{service="feedback"\\} `, 'm'));
    }
  });

  describe('HTTP requests', () => {
    @Controller('things')
    class ThingsController {
      @Get(':thingId')
      get(@Param('thingId') thingId: string) {
        return { thingId };
      }
    }
    let app: INestApplication;

    beforeEach(async () => {
      const timeRequests = metrics.timeRequests;
      @Module({ controllers: [ThingsController] })
      class ThingsModule implements NestModule {
        configure(consumer: MiddlewareConsumer) {
          consumer.apply(timeRequests).forRoutes(ALL_ROUTES);
        }
      }
      app = (await Test.createTestingModule({ imports: [ThingsModule] }).compile()).createNestApplication();
      await app.init();
    });
    afterEach(() => app.close());

    it('are labelled with the route template, never the raw URL, and unmatched ones as such', async () => {
      await request(app.getHttpServer()).get('/things/a-1').expect(200);
      await request(app.getHttpServer()).get('/things/b-2').expect(200);
      await request(app.getHttpServer()).get('/nothing/here').expect(404);
      expect(await counts('cbme_http_request_duration_seconds')).toEqual([
        { method: 'GET', route: '/things/:thingId', status: '200', count: 2 },
        { method: 'GET', route: 'unmatched', status: '404', count: 1 },
      ]);
    });
  });
});
