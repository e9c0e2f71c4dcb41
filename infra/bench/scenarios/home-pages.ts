import { generateInstitution, SIZES, uuidFrom } from '../../demo/synthetic-institution';
import { BenchContext, ScenarioResult } from '../context';
import { latencies, LatencySummary, round } from '../stats';
import { BENCH_PASSWORD } from './queries';

/** what each home page of the web app asks for, and the target it must meet (issue 18) */
const P95_TARGET_MS = 150;

/**
 * 7. Home pages: p50/p95 of every call a home page of the web app makes (coach, learner, coaching lead, committee)
 * on a synthetic institution (small unless --size says otherwise). Limit: the same service's `/health/live`, asked
 * right after each of our requests, so both are measured under the same load at the same time. (The learner's
 * timeline, `GET /learners/:id/timeline`, is the audit history, not a home-page call: it is left out.)
 */
export async function homePages(ctx: BenchContext, adminEmail: string, adminPassword: string): Promise<ScenarioResult> {
  const sizeName = ctx.params.size ?? 'small';
  const started = performance.now();
  ctx.log(`home pages: generating the ${sizeName} synthetic institution through the services' commands`);
  const counts = await generateInstitution({
    urls: { identity: ctx.services.identity.url, coaching: ctx.services.coaching.url, feedback: ctx.services.feedback.url, analytics: ctx.services.analytics.url },
    size: SIZES[sizeName], adminEmail, adminPassword, password: BENCH_PASSWORD, domain: 'bench.example', log: (line) => ctx.log(`  ${line}`),
  });
  ctx.log(`home pages: institution generated in ${round((performance.now() - started) / 1000, 1)} s (${counts.requests} requests)`);

  const signIn = (who: string) => ctx.signIn(`medicine-${who}@bench.example`, BENCH_PASSWORD);
  const [coach, lead, committee] = [await signIn('coach-1'), await signIn('lead'), await signIn('committee')];
  const { coaching, feedback, analytics } = ctx.services;
  // one of coach-1's current coachees signs in as the learner
  const mine = (await (await fetch(`${coaching.url}/relationships?coachId=medicine-coach-1&current=true`, { headers: { authorization: `Bearer ${lead}` } })).json()) as { relationships: { learnerId: string }[] };
  const learnerId = mine.relationships[0]?.learnerId;
  if (!learnerId) throw new Error('home pages: medicine-coach-1 has no coachee');
  const learner = await ctx.signIn(`${learnerId}@bench.example`, BENCH_PASSWORD);
  // let the read models work off the generation's backlog before measuring (on this shared machine 5 s was not enough)
  await new Promise((resolve) => setTimeout(resolve, 20_000));

  const n = ctx.quick ? 40 : 100;
  const get = async (url: string, token?: string) => {
    const t = performance.now();
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    await response.text();
    if (!response.ok) throw new Error(`GET ${url} -> ${response.status}`);
    return performance.now() - t;
  };
  /** ours and the service's health check in turns (after five unmeasured warm-ups) */
  const measure = async (service: string, path: string, token: string): Promise<{ ours: LatencySummary; floor: LatencySummary }> => {
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = -5; i < n; i++) {
      const a = await get(`${service}${path}`, token);
      const b = await get(`${service}/health/live`);
      if (i < 0) continue;
      ours.push(a);
      floor.push(b);
    }
    return { ours: latencies(ours), floor: latencies(floor) };
  };
  const pages = [
    { page: 'coach', name: 'coaching GET /coachees', service: coaching.url, path: '/coachees', token: coach },
    { page: 'coach', name: 'coaching GET /communities', service: coaching.url, path: '/communities', token: coach },
    { page: 'learner', name: 'coaching GET /learners/:me/coaching (coach, history, meetings)', service: coaching.url, path: `/learners/${learnerId}/coaching`, token: learner },
    { page: 'learner', name: 'feedback GET /learners/:me/goals', service: feedback.url, path: `/learners/${learnerId}/goals`, token: learner },
    { page: 'learner', name: 'feedback GET /learners/:me/plan', service: feedback.url, path: `/learners/${learnerId}/plan`, token: learner },
    { page: 'learner', name: 'feedback GET /dialogues/:id (a dialogue; there is no list)', service: feedback.url, path: `/dialogues/${uuidFrom(`${learnerId}:dialogue:0`)}`, token: learner },
    { page: 'lead', name: 'coaching GET /roster', service: coaching.url, path: '/roster', token: lead },
    { page: 'lead', name: 'coaching GET /relationships', service: coaching.url, path: '/relationships', token: lead },
    { page: 'lead', name: 'coaching GET /communities', service: coaching.url, path: '/communities', token: lead },
    { page: 'committee', name: 'analytics GET /schools/medicine/analytics', service: analytics.url, path: '/schools/medicine/analytics', token: committee },
  ];
  const rows: ScenarioResult['rows'] = [];
  const data: Record<string, unknown> = { size: sizeName, counts, targetP95Ms: P95_TARGET_MS };
  for (const { page, name, service, path, token } of pages) {
    const { ours, floor } = await measure(service, path, token);
    rows.push({
      scenario: '7 home pages', measure: `${page}: ${name}, ${sizeName} institution`,
      ours: `p50 ${round(ours.p50, 1)} / p95 ${round(ours.p95, 1)} ms${ours.p95 > P95_TARGET_MS ? ` (over ${P95_TARGET_MS})` : ''}`,
      limit: `p50 ${round(floor.p50, 1)} / p95 ${round(floor.p95, 1)} ms /health/live`, ratio: `${round(ours.p50 / floor.p50, 1)}x (p50)`,
    });
    data[`${page}: ${name}`] = { ours, floor };
    ctx.log(`  ${page}: ${name}: p50 ${round(ours.p50, 1)} / p95 ${round(ours.p95, 1)} ms (health p50 ${round(floor.p50, 1)} / p95 ${round(floor.p95, 1)})`);
  }
  return { rows, data };
}
