import { api, BenchContext, ScenarioResult, times } from '../context';
import { latencies, LatencySummary, round, sleep } from '../stats';

const LEARNER = 'bench-disclosure-learner';
const PASSWORD = 'bench-admin-password-2026';
const BLOCK = 25;

/**
 * 11. Disclosure log: the same read route, `GET /learners/:id/timeline` (feedback), of a learner whose items are all
 * shared, so both callers get the same answer: read by the learner herself (not a disclosure: nothing recorded) and by
 * the school's coaching lead (each read buffered and appended in the next batch). Sequential reads in alternating
 * blocks of 25, so drift on a shared machine falls on both; then the lead's reads are counted in the learner's log.
 */
export async function disclosureLog(ctx: BenchContext): Promise<ScenarioResult> {
  const rounds = ctx.params.commands ?? (ctx.quick ? 200 : 600);
  const identity = ctx.services.identity.url;
  const feedback = ctx.services.feedback.url;
  await api(identity, 'POST', `/schools/${ctx.schoolId}/users`, ctx.tokens.admin, { userId: LEARNER, email: `${LEARNER}@bench.example`, displayName: LEARNER, role: 'learner', password: PASSWORD });
  const learner = await ctx.signIn(`${LEARNER}@bench.example`, PASSWORD);
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
    if (response.status !== 200) throw new Error(`timeline: ${response.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, items: body.items?.length ?? 0 };
  };
  // both see the same items, or the comparison would not be of the log alone
  const [own, lead] = [await read(learner), await read(ctx.tokens.lead)];
  if (own.items !== lead.items) throw new Error(`the learner sees ${own.items} items, the lead ${lead.items}`);
  const unlogged: number[] = [];
  const logged: number[] = [];
  for (let i = 0; i < rounds; i += BLOCK) {
    for (let j = 0; j < BLOCK; j++) unlogged.push((await read(learner)).ms);
    for (let j = 0; j < BLOCK; j++) logged.push((await read(ctx.tokens.lead)).ms);
  }
  const leadReads = logged.length + 1;
  // every read of the lead is in the learner's log once the last batch is stored and projected
  let recorded = 0;
  for (let attempt = 0; attempt < 100 && recorded < leadReads; attempt++) {
    const log = await api(feedback, 'GET', `/learners/${LEARNER}/disclosures`, learner);
    recorded = (log.body?.entries as unknown[] | undefined)?.length ?? 0;
    if (recorded < leadReads) await sleep(200);
  }
  const without = latencies(unlogged);
  const withLog = latencies(logged);
  const fmt = (l: LatencySummary) => `p50 ${round(l.p50, 1)} / p95 ${round(l.p95, 1)} ms`;
  return {
    rows: [
      { scenario: '11 disclosure log', measure: `GET ${path.replace(LEARNER, ':id')} by the lead, recorded (${logged.length} reads; ${recorded} of ${leadReads} in the log)`, ours: fmt(withLog), limit: `same read by the learner, not recorded: ${fmt(without)}`, ratio: `${times(withLog.p50, without.p50)} (p50)` },
    ],
    data: { rounds, block: BLOCK, items: own.items, withLog, withoutLog: without, leadReads, recordedInLog: recorded },
  };
}
