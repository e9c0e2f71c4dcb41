import { api, BenchContext, ScenarioResult, times } from '../context';
import { latencies, LatencySummary, round, sleep } from '../stats';

const LEARNER = 'bench-disclosure-learner';
const COACH = 'bench-disclosure-coach';
const PASSWORD = 'bench-admin-password-2026';
const BLOCK = 25;

/**
 * 11. Disclosure log: the same read route, `GET /learners/:id/timeline` (feedback), of a learner whose items are all
 * shared: read by the learner herself (not a disclosure: nothing recorded) and by her coach (each read buffered and
 * appended in the next batch). Both take the same path through the handler (the coach's access is "shared": no
 * lookup and no rewriting of items that a lead's or an admin's has), and get the same answer. Sequential reads in
 * alternating blocks of 25, so drift on a shared machine falls on both; then the coach's reads are counted in the log.
 */
export async function disclosureLog(ctx: BenchContext): Promise<ScenarioResult> {
  const rounds = ctx.params.commands ?? (ctx.quick ? 200 : 600);
  const identity = ctx.services.identity.url;
  const feedback = ctx.services.feedback.url;
  await api(identity, 'POST', `/schools/${ctx.schoolId}/users`, ctx.tokens.admin, { userId: LEARNER, email: `${LEARNER}@bench.example`, displayName: LEARNER, role: 'learner', password: PASSWORD });
  await api(identity, 'POST', `/schools/${ctx.schoolId}/users`, ctx.tokens.admin, { userId: COACH, email: `${COACH}@bench.example`, displayName: COACH, role: 'coach', password: PASSWORD });
  const learner = await ctx.signIn(`${LEARNER}@bench.example`, PASSWORD);
  const coach = await ctx.signIn(`${COACH}@bench.example`, PASSWORD);
  // coaching knows both once identity's events have come through Kafka
  for (let attempt = 0; (await api(ctx.services.coaching.url, 'POST', '/relationships', ctx.tokens.lead, { learnerId: LEARNER, coachId: COACH })).status !== 201; attempt++) {
    if (attempt > 100) throw new Error('the lead cannot assign the coach');
    await sleep(100);
  }
  const targetDate = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < 3; i++) {
    // feedback knows the learner once identity's event has come through Kafka
    for (let attempt = 0; (await api(feedback, 'POST', '/goals', learner, { description: `Disclosure probe ${i}`, competencies: ['ICS'], targetDate })).status !== 201; attempt++) {
      if (attempt > 100) throw new Error('the learner cannot set a goal');
      await sleep(100);
    }
  }
  const path = `/learners/${LEARNER}/timeline`;
  const read = async (token: string) => {
    const started = performance.now();
    const response = await fetch(`${feedback}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-school-id': ctx.schoolId } });
    const body = (await response.json()) as { items?: unknown[] };
    return { ms: performance.now() - started, items: body.items?.length ?? 0, status: response.status };
  };
  // feedback knows the coach once coaching's event has come through Kafka
  for (let attempt = 0; (await read(coach)).status !== 200; attempt++) {
    if (attempt > 200) throw new Error('feedback does not know the coach');
    await sleep(100);
  }
  // both see the same items, or the comparison would not be of the log alone
  const [own, coaches] = [await read(learner), await read(coach)];
  if (own.items !== coaches.items) throw new Error(`the learner sees ${own.items} items, the coach ${coaches.items}`);
  const unlogged: number[] = [];
  const logged: number[] = [];
  for (let i = 0; i < rounds; i += BLOCK) {
    for (let j = 0; j < BLOCK; j++) unlogged.push((await read(learner)).ms);
    for (let j = 0; j < BLOCK; j++) logged.push((await read(coach)).ms);
  }
  const coachReads = logged.length + 2;
  // every read of the coach is in the learner's log once the last batch is stored and projected
  let recorded = 0;
  for (let attempt = 0; attempt < 100 && recorded < coachReads; attempt++) {
    const log = await api(feedback, 'GET', `/learners/${LEARNER}/disclosures`, learner);
    recorded = (log.body?.entries as unknown[] | undefined)?.length ?? 0;
    if (recorded < coachReads) await sleep(200);
  }
  const without = latencies(unlogged);
  const withLog = latencies(logged);
  const fmt = (l: LatencySummary) => `p50 ${round(l.p50, 1)} / p95 ${round(l.p95, 1)} ms`;
  return {
    rows: [
      { scenario: '11 disclosure log', measure: `GET ${path.replace(LEARNER, ':id')} by her coach, recorded (${logged.length} reads; ${recorded} of ${coachReads} in the log)`, ours: fmt(withLog), limit: `same read by the learner, not recorded: ${fmt(without)}`, ratio: `${times(withLog.p50, without.p50)} (p50)` },
    ],
    data: { rounds, block: BLOCK, items: own.items, withLog, withoutLog: without, coachReads, recordedInLog: recorded },
  };
}
