import { api, BenchContext, ScenarioResult, times } from '../context';
import { latencies, LatencySummary, round, sleep } from '../stats';

const LEARNER = 'bench-ryw-learner';
const PASSWORD = 'bench-admin-password-2026';

/**
 * 9. Read your writes: a learner sets a goal (feedback), then reads her goals. Alternately with `X-Read-After` (the
 * position the command answered: the service waits until its projections have applied it) and without (what the web
 * app did before: read at once, and refetch on timers). Measured from the command's answer to the query's answer;
 * counted: reads that did not show the goal just set, and reads that ran out of waiting (`X-Read-Model-Behind`).
 * A learner of her own, so her goal list stays short whatever ran before.
 */
export async function readYourWrites(ctx: BenchContext): Promise<ScenarioResult> {
  const rounds = ctx.params.commands ?? (ctx.quick ? 40 : 200);
  const identity = ctx.services.identity.url;
  const feedback = ctx.services.feedback.url;
  await api(identity, 'POST', `/schools/${ctx.schoolId}/users`, ctx.tokens.admin, { userId: LEARNER, email: `${LEARNER}@bench.example`, displayName: LEARNER, role: 'learner', password: PASSWORD });
  const token = await ctx.signIn(`${LEARNER}@bench.example`, PASSWORD);
  const targetDate = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const setGoal = async (i: number) => {
    // feedback knows the learner once identity's event has come through Kafka
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const response = await fetch(`${feedback}/goals`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ description: `Read-your-writes probe ${i}`, competencies: ['ICS'], targetDate }),
      });
      const body = (await response.json()) as { goalId?: string };
      if (response.status === 201 && body.goalId) return { goalId: body.goalId, position: response.headers.get('x-written-position'), commandMs: performance.now() - started };
      if (attempt > 100) throw new Error(`set goal: ${response.status} ${JSON.stringify(body)}`);
      await sleep(100);
    }
  };
  const readGoals = async (readAfter: string | null) => {
    const response = await fetch(`${feedback}/learners/${LEARNER}/goals`, {
      headers: { authorization: `Bearer ${token}`, ...(readAfter ? { 'x-read-after': readAfter } : {}) },
    });
    const body = (await response.json()) as { goals: { goalId: string }[] };
    return { goalIds: body.goals.map((g) => g.goalId), behind: response.headers.get('x-read-model-behind') === 'true' };
  };

  await setGoal(-1); // the learner is known to feedback from here on
  const waited: number[] = [];
  const plain: number[] = [];
  let missedWaiting = 0;
  let missedPlain = 0;
  let behind = 0;
  let noPosition = 0;
  for (let i = 0; i < rounds; i++) {
    const written = await setGoal(i);
    if (!written.position) noPosition++;
    const withHeader = i % 2 === 0;
    const answered = performance.now();
    const read = await readGoals(withHeader ? written.position : null);
    const elapsed = performance.now() - answered;
    const missed = !read.goalIds.includes(written.goalId);
    if (withHeader) {
      waited.push(elapsed);
      if (missed) missedWaiting++;
      if (read.behind) behind++;
    } else {
      plain.push(elapsed);
      if (missed) missedPlain++;
    }
  }
  const withWait = latencies(waited);
  const without = latencies(plain);
  const fmt = (l: LatencySummary) => `p50 ${round(l.p50, 0)} / p95 ${round(l.p95, 0)} ms`;
  return {
    rows: [
      { scenario: '9 read your writes', measure: `command answer -> query answer with X-Read-After (${waited.length} reads; ${missedWaiting} without the write, ${behind} ran out)`, ours: fmt(withWait), limit: `same query, no wait: ${fmt(without)}`, ratio: `${times(withWait.p50, without.p50)} (p50)` },
      { scenario: '9 read your writes', measure: 'reads at once without X-Read-After that missed the write just made', ours: `${missedPlain} of ${plain.length}`, limit: '-', ratio: '-' },
    ],
    data: { rounds, withReadAfter: withWait, withoutReadAfter: without, missedWithReadAfter: missedWaiting, missedWithout: missedPlain, ranOut: behind, answersWithoutPosition: noPosition },
  };
}
