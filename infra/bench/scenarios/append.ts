import { MongoEventStore } from '@cbme/event-sourcing';
import { randomUUID } from 'node:crypto';
import { goalEvents } from '../fixtures';
import { api, BenchContext, ratio, ScenarioResult } from '../context';
import { perSecond, repeat, round, Summary, timedPool } from '../stats';

const WRITERS = 8;
const HOT_STREAMS = 4;
/** as the inbox consumer imports (kafka-inbox-consumer.ts) */
const IMPORT_CHUNK = 50;

/**
 * 1. Append throughput: commands that each append one event to a stream of their own (and N writers on a few hot
 * streams), through the service's HTTP path and through the event-store library; limit: raw insertOne and
 * insertMany of documents of the same size on the same server.
 */
export async function appendThroughput(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.params.commands ?? (ctx.quick ? 300 : 2_000);
  const reps = ctx.quick ? 3 : 5;
  const feedback = ctx.services.feedback.url;
  const targetDate = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const goal = () => ({ description: 'Lead a structured handover (SBAR) on every night shift', measureOfSuccess: 'Observed by my coach', competencies: ['ICS'], targetDate });

  ctx.log(`append: ${n} commands x ${reps} runs, ${WRITERS} writers`);
  ctx.log('append: HTTP command, own stream');
  const service = await repeat(reps, async () => {
    const ms = await timedPool(Array.from({ length: n }), WRITERS, async () => {
      const r = await api(feedback, 'POST', '/goals', ctx.tokens.learner, goal());
      if (r.status !== 201) throw new Error(`POST /goals -> ${r.status} ${JSON.stringify(r.body)}`);
    });
    return perSecond(n, ms);
  }, 1, ctx.log);

  const hotGoals = await Promise.all(Array.from({ length: HOT_STREAMS }, async () => (await api(feedback, 'POST', '/goals', ctx.tokens.learner, goal())).body.goalId as string));
  let conflicts = 0;
  const hotService = await repeat(reps, async () => {
    let ok = 0;
    const ms = await timedPool(Array.from({ length: n / 2 }), WRITERS, async (_, i) => {
      const r = await api(feedback, 'POST', `/goals/${hotGoals[i % HOT_STREAMS]}/revisions`, ctx.tokens.learner, { description: `Revision ${i}`, targetDate, rationale: 'bench' });
      if (r.status === 201 || r.status === 200) ok++;
      else if (r.status === 409) conflicts++;
      else throw new Error(`POST /goals/:id/revisions -> ${r.status} ${JSON.stringify(r.body)}`);
    });
    return perSecond(ok, ms);
  });

  const store = new MongoEventStore(ctx.scratch, { collection: `append_${Date.now()}` });
  await store.init();
  const sample = goalEvents(randomUUID(), 'bench-learner', 1)[0];
  const pending = () => {
    const { streamId: _s, streamVersion: _v, ...event } = goalEvents(randomUUID(), 'bench-learner', 1)[0];
    return event;
  };
  const library = await repeat(reps, async () => perSecond(n, await timedPool(Array.from({ length: n }), WRITERS, async () => {
    await store.append(`bench-${randomUUID()}`, 'no-stream', [pending()]);
  })));
  const hotIds = Array.from({ length: HOT_STREAMS }, () => `bench-hot-${randomUUID()}`);
  const hotLibrary = await repeat(reps, async () => perSecond(n / 2, await timedPool(Array.from({ length: n / 2 }), WRITERS, async (_, i) => {
    await store.append(hotIds[i % HOT_STREAMS], 'any', [pending()]);
  })));

  // an inbox receiving another service's events: one at a time (as the Kafka consumer used to) and in chunks (as it does)
  const inbox = new MongoEventStore(ctx.scratch, { collection: `inbox_${Date.now()}` });
  await inbox.init();
  const received = () => Array.from({ length: n }, () => goalEvents(randomUUID(), 'bench-learner', 1)[0]);
  const importRate = (chunk: number) => repeat(reps, async () => {
    const events = received();
    const started = performance.now();
    for (let i = 0; i < events.length; i += chunk) await inbox.importEvents(events.slice(i, i + chunk));
    return perSecond(n, performance.now() - started);
  });
  const importOne = await importRate(1);
  const importChunks = await importRate(IMPORT_CHUNK);

  // the limit: documents of the same size as a commit document, straight through the driver
  const raw = ctx.scratch.collection(`raw_${Date.now()}`);
  const doc = () => ({ _id: `bench-${randomUUID()}#1`, streamId: 'x', from: 1, to: 1, position: null, committedAt: new Date(), events: [sample] });
  const insertOne = await repeat(reps, async () => perSecond(n, await timedPool(Array.from({ length: n }), WRITERS, async () => {
    await raw.insertOne(doc() as never);
  })));
  const insertMany = await repeat(reps, async () => {
    const docs = Array.from({ length: n }, doc);
    const started = performance.now();
    for (let i = 0; i < docs.length; i += 100) await raw.insertMany(docs.slice(i, i + 100) as never[]);
    return perSecond(n, performance.now() - started);
  });

  const fmt = (s: Summary, unit: string) => `${round(s.median, 0)} ${unit} (${round(s.min, 0)}–${round(s.max, 0)})`;
  const limit1 = fmt(insertOne, 'docs/s insertOne');
  const limitMany = fmt(insertMany, 'docs/s insertMany');
  return {
    rows: [
      { scenario: '1 append', measure: `HTTP command, own stream (${WRITERS} writers)`, ours: fmt(service, 'cmd/s'), limit: limit1, ratio: ratio(service.median, insertOne.median) },
      { scenario: '1 append', measure: `HTTP command, ${HOT_STREAMS} hot streams (${WRITERS} writers)`, ours: `${fmt(hotService, 'cmd/s')}, ${conflicts} conflicts`, limit: limit1, ratio: ratio(hotService.median, insertOne.median) },
      { scenario: '1 append', measure: `event-store library, own stream (${WRITERS} writers)`, ours: fmt(library, 'appends/s'), limit: limit1, ratio: ratio(library.median, insertOne.median) },
      { scenario: '1 append', measure: `event-store library, ${HOT_STREAMS} hot streams`, ours: fmt(hotLibrary, 'appends/s'), limit: limit1, ratio: ratio(hotLibrary.median, insertOne.median) },
      { scenario: '1 append', measure: 'inbox import, one event at a time', ours: fmt(importOne, 'events/s'), limit: limitMany, ratio: ratio(importOne.median, insertMany.median) },
      { scenario: '1 append', measure: `inbox import, chunks of ${IMPORT_CHUNK} (the Kafka consumer)`, ours: fmt(importChunks, 'events/s'), limit: limitMany, ratio: ratio(importChunks.median, insertMany.median) },
      { scenario: '1 append', measure: 'raw insertMany (batches of 100)', ours: fmt(insertMany, 'docs/s'), limit: '-', ratio: '-' },
    ],
    data: { commands: n, writers: WRITERS, hotStreams: HOT_STREAMS, service, hotService, conflicts, library, hotLibrary, importOne, importChunks, insertOne, insertMany },
  };
}
