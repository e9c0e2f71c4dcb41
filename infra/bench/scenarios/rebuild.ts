import { InMemoryCheckpointStore, MongoDeadLetters, MongoEventStore, ProjectionRunner } from '@cbme/event-sourcing';
import { feedbackCatalog } from '@cbme/feedback-application';
import { LearnerGoalsProjection } from '@cbme/feedback-infra';
import { BenchContext, ratio, ScenarioResult } from '../context';
import { writeGoalStreams } from '../fixtures';
import { perSecond, repeat, round } from '../stats';

/**
 * 3. Projection rebuild: replay N events from an event store into feedback's `learner-goals` read model (the
 * projection runner's own rebuild, as the BullMQ job runs it). Limit: reading the same events with the driver
 * (one cursor over the positions collection) plus a bulk write of the same number of documents.
 */
export async function projectionRebuild(ctx: BenchContext): Promise<ScenarioResult> {
  const events = ctx.params.events ?? (ctx.quick ? 10_000 : 100_000);
  const perStream = 10;
  const reps = ctx.quick ? 2 : 3;
  const collection = `rebuild_${Date.now()}`;
  ctx.log(`rebuild: writing ${events} events (${events / perStream} goal streams of ${perStream})`);
  await writeGoalStreams(ctx.scratch, collection, events / perStream, perStream);
  // the fixture is written at schema version 1, so the rebuild upcasts every event as a real replay of old events would
  const catalog = feedbackCatalog();
  const store = new MongoEventStore(ctx.scratch, { collection, upcast: (e) => catalog.upcast(e) });
  const projection = new LearnerGoalsProjection(ctx.scratch);
  const runner = new ProjectionRunner(store, new InMemoryCheckpointStore(), projection, { deadLetters: new MongoDeadLetters(ctx.scratch), batchSize: 500 });

  ctx.log(`rebuild: ${reps} runs`);
  let lastProgress = 0;
  const rebuild = await repeat(reps, async () => {
    const started = performance.now();
    const result = await runner.rebuild(async (p) => {
      if (performance.now() - lastProgress > 5_000) {
        lastProgress = performance.now();
        ctx.log(`  rebuild progress ${p.done}/${p.total} commits, ${round(p.commitsPerSecond, 0)}/s`);
      }
    });
    if (result.done !== events) throw new Error(`rebuild applied ${result.done} of ${events} commits`);
    return perSecond(events, performance.now() - started);
  }, 0);
  // each rebuild fills a new generation and drops the one before (learner_goals, learner_goals_g2, ...)
  const live = await projection.generations.liveGeneration();
  const goals = await ctx.scratch.collection(live === 1 ? 'learner_goals' : `learner_goals_g${live}`).countDocuments();
  if (goals !== events / perStream) throw new Error(`rebuild left ${goals} goals, expected ${events / perStream}`);

  const limit = await repeat(reps, async () => {
    const scratch = ctx.scratch.collection(`rebuild_limit_${Date.now()}`);
    const started = performance.now();
    let batch: object[] = [];
    let read = 0;
    for await (const doc of ctx.scratch.collection(`${collection}_positions`).find({}, { batchSize: 1000 })) {
      read++;
      batch.push({ _id: doc._id, copy: doc.events });
      if (batch.length === 1000) {
        await scratch.insertMany(batch as never[]);
        batch = [];
      }
    }
    if (batch.length) await scratch.insertMany(batch as never[]);
    if (read !== events) throw new Error(`limit read ${read} of ${events}`);
    const rate = perSecond(events, performance.now() - started);
    await scratch.drop();
    return rate;
  }, 0);

  return {
    rows: [{
      scenario: '3 rebuild', measure: `${events} events into learner-goals (${events / perStream} goals)`,
      ours: `${round(rebuild.median, 0)} events/s (${round(rebuild.min, 0)}–${round(rebuild.max, 0)})`,
      limit: `${round(limit.median, 0)} events/s driver read + bulk write`, ratio: ratio(rebuild.median, limit.median),
    }],
    data: { events, perStream, rebuild, limit },
  };
}
