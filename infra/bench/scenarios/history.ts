import { MongoEventStore } from '@cbme/event-sourcing';
import { feedbackCatalog } from '@cbme/feedback-application';
import { goalDecider } from '@cbme/feedback-domain';
import { BenchContext, ScenarioResult, times } from '../context';
import { writeGoalStreams } from '../fixtures';
import { repeat, round } from '../stats';

/**
 * 5. History as of a date: reconstruct one learner's goal as of a date halfway through its life, from the event
 * store (read the stream up to the instant, upcast, fold with the goal decider), for streams of 100, 1,000 and
 * 10,000 events, by a store that has not read it before (cold) and by one that has (warm). Limit: the same
 * commit documents read with the driver in one query.
 */
export async function historyAsOf(ctx: BenchContext): Promise<ScenarioResult> {
  const lengths = ctx.quick ? [100, 1_000] : [100, 1_000, 10_000];
  const reps = ctx.quick ? 3 : 5;
  const catalog = feedbackCatalog();
  const rows: ScenarioResult['rows'] = [];
  const data: Record<string, unknown> = {};
  for (const length of lengths) {
    const collection = `history_${length}_${Date.now()}`;
    ctx.log(`history: one goal stream of ${length} events`);
    const [stream] = await writeGoalStreams(ctx.scratch, collection, 1, length);
    const asOf = stream.occurredAt[Math.floor(length / 2)];
    const warmStore = new MongoEventStore(ctx.scratch, { collection, upcast: (e) => catalog.upcast(e) });
    let revision = 0;
    // cold: a store that has not read the stream before (a fresh process); warm: the service has read it before
    const asOfGoal = (store: MongoEventStore) => async () => {
      const started = performance.now();
      const events = await store.readStream(stream.streamId, { occurredUntil: asOf });
      const state = events.reduce((s, e) => goalDecider.evolve(s, { type: e.type, data: e.data } as never), goalDecider.initialState);
      revision = events.length;
      if (state.status === 'none') throw new Error('no goal state');
      return performance.now() - started;
    };
    const ours = await repeat(reps, () => asOfGoal(new MongoEventStore(ctx.scratch, { collection, upcast: (e) => catalog.upcast(e) }))());
    const warm = await repeat(reps, asOfGoal(warmStore));
    if (revision !== Math.floor(length / 2) + 1) throw new Error(`as-of read ${revision} events, expected ${Math.floor(length / 2) + 1}`);
    const limit = await repeat(reps, async () => {
      const started = performance.now();
      const docs = await ctx.scratch.collection(collection).find({ streamId: stream.streamId }).toArray();
      if (docs.length !== length) throw new Error(`driver read ${docs.length} of ${length}`);
      return performance.now() - started;
    });
    const fmt = (s: typeof ours) => `${round(s.median, 1)} ms (${round(s.min, 1)}–${round(s.max, 1)})`;
    rows.push(
      { scenario: '5 history', measure: `goal as of a date, stream of ${length} events, cold`, ours: fmt(ours), limit: `${round(limit.median, 1)} ms driver find`, ratio: times(ours.median, limit.median) },
      { scenario: '5 history', measure: `... same, stream read before (in memory)`, ours: fmt(warm), limit: `${round(limit.median, 1)} ms driver find`, ratio: times(warm.median, limit.median) },
    );
    data[`events${length}`] = { ours, warm, limit };
  }
  return { rows, data };
}
