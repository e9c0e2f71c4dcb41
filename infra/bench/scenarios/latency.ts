import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { api, BenchContext, ScenarioResult } from '../context';
import { latencies, LatencySummary, round, sleep } from '../stats';

interface Probe {
  goalId: string;
  acceptedAt: number;
  /** the goal-set's global position in feedback's store, and in coaching's inbox once it arrived */
  ownPosition?: number;
  inboxPosition?: number;
  inService?: number;
  viaKafka?: number;
}

const TICK_MS = 20;

/**
 * 2. Command-to-read-model latency at fixed offered rates: from the HTTP command accepted (201) to
 * (a) feedback's own `learner-goals` read model and (b) coaching's `people-overview` read model (learners' activity), reached through
 * Kafka (feedback relay -> topic -> coaching inbox -> projection). A command counts as reflected when the read
 * model has applied the position of its event, as the service's `/admin/projections` tells (its durable checkpoint
 * may follow up to PROJECTION_CHECKPOINT_MS later), so probing costs one request per tick per service, not one per
 * command. Limit: a bare kafkajs produce -> consume round trip on the same broker, same rate.
 */
export async function commandToReadModel(ctx: BenchContext): Promise<ScenarioResult> {
  const rates = ctx.params.rates ?? (ctx.quick ? [50, 200] : [50, 200, 500]);
  const seconds = ctx.params.seconds ?? (ctx.quick ? 4 : 10);
  const feedbackDb = ctx.databaseOf('feedback');
  const coachingDb = ctx.databaseOf('coaching');
  const targetDate = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const rows: ScenarioResult['rows'] = [];
  const data: Record<string, unknown> = {};

  for (const rate of rates) {
    ctx.log(`latency: ${rate} commands/s for ${seconds} s`);
    const probes: Probe[] = [];
    const total = rate * seconds;
    let failed = 0;
    // observed while the commands go out, so a probe's time is not stretched by the rest of the sending
    let sending = true;
    let deadline = Infinity;
    const observing = (async () => {
      while (sending || (performance.now() < deadline && probes.some((p) => p.inService === undefined || p.viaKafka === undefined))) {
        const [own, viaKafka] = await Promise.all([applied(ctx.services.feedback.url, 'learner-goals', ctx.tokens.admin), applied(ctx.services.coaching.url, 'people-overview', ctx.tokens.admin)]);
        const now = performance.now();
        const unknown = probes.filter((p) => p.ownPosition === undefined || p.inboxPosition === undefined).slice(0, 64);
        await Promise.all(unknown.map(async (p) => {
          const id = `feedback-goal-${p.goalId}#1`;
          p.ownPosition ??= await positionOf(feedbackDb, 'events', id);
          p.inboxPosition ??= await positionOf(coachingDb, 'inbox', id);
        }));
        for (const p of probes) {
          if (p.inService === undefined && p.ownPosition !== undefined && own >= p.ownPosition) p.inService = now - p.acceptedAt;
          if (p.viaKafka === undefined && p.inboxPosition !== undefined && viaKafka >= p.inboxPosition) p.viaKafka = now - p.acceptedAt;
        }
        await sleep(TICK_MS);
      }
    })();
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(api(ctx.services.feedback.url, 'POST', '/goals', ctx.tokens.learner, { description: `Latency probe ${i}`, competencies: ['ICS'], targetDate }).then((r) => {
        if (r.status === 201) probes.push({ goalId: r.body.goalId, acceptedAt: performance.now() });
        else failed++;
      }));
    }
    await Promise.all(sends);
    const offeredSeconds = (performance.now() - started) / 1000;
    // then follow every probe until both read models have passed it (or 60 s)
    deadline = performance.now() + 60_000;
    sending = false;
    await observing;
    const inService = latencies(probes.flatMap((p) => (p.inService === undefined ? [] : [p.inService])));
    const kafka = latencies(probes.flatMap((p) => (p.viaKafka === undefined ? [] : [p.viaKafka])));
    const bare = await kafkaRoundTrip(ctx, rate, seconds);
    const achieved = round(probes.length / offeredSeconds, 0);
    const fmt = (l: LatencySummary) => `p50 ${round(l.p50, 0)} / p95 ${round(l.p95, 0)} / p99 ${round(l.p99, 0)} / max ${round(l.max, 0)} ms`;
    rows.push(
      { scenario: '2 latency', measure: `${rate}/s offered (${achieved}/s accepted): command -> own read model`, ours: fmt(inService), limit: '-', ratio: '-' },
      { scenario: '2 latency', measure: `${rate}/s: command -> other service's read model via Kafka`, ours: fmt(kafka), limit: `bare Kafka ${fmt(bare)}`, ratio: `${round(kafka.p50 / bare.p50, 1)}x bare (p50)` },
    );
    data[`rate${rate}`] = { offered: rate, accepted: probes.length, failed, achievedPerSecond: achieved, inService, viaKafka: kafka, bareKafka: bare, unreflected: probes.filter((p) => p.viaKafka === undefined).length };
  }
  return { rows, data };
}

/** How far a projection of a service has applied (the institution admin's `/admin/projections`). */
async function applied(url: string, name: string, adminToken: string): Promise<number> {
  const { status, body } = await api(url, 'GET', '/admin/projections', adminToken);
  if (status !== 200) throw new Error(`GET /admin/projections answered ${status}`);
  return (body as { name: string; position: number }[]).find((p) => p.name === name)?.position ?? 0;
}

/** A commit's global position, from its placement marker (the store never updates the commit itself). */
async function positionOf(db: import('mongoose').Connection, collection: string, commitId: string): Promise<number | undefined> {
  const doc = await db.collection<{ _id: string; position: number }>(`${collection}_placed`).findOne({ _id: commitId });
  return doc?.position ?? undefined;
}

/** A bare kafkajs producer -> consumer round trip on a fresh topic, at the same offered rate, with the inbox consumer's fetch settings. */
async function kafkaRoundTrip(ctx: BenchContext, rate: number, seconds: number): Promise<LatencySummary> {
  const kafka = new Kafka({ clientId: 'bench', brokers: ctx.kafkaBrokers, logLevel: logLevel.NOTHING });
  const topic = `${ctx.namespace}.bench.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}.group`, maxWaitTimeInMs: 200 });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const observed: number[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void observed.push(performance.now() - Number(message.value!.toString())) });
  await sleep(3_000); // group join
  const started = performance.now();
  const total = rate * seconds;
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    sends.push(producer.send({ topic, acks: -1, messages: [{ key: `k${i % 50}`, value: String(performance.now()) }] }));
  }
  await Promise.all(sends);
  const deadline = performance.now() + 30_000;
  while (observed.length < total && performance.now() < deadline) await sleep(50);
  await consumer.disconnect();
  await producer.disconnect();
  return latencies(observed);
}
