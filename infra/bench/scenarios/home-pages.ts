import { BenchContext, ScenarioResult } from '../context';
import { latencies, LatencySummary, round } from '../stats';
import { BENCH_PASSWORD, seedBenchInstitution } from './queries';

/** what each home page of the web app asks for, and the target it must meet (issue 18) */
const P95_TARGET_MS = 150;

/**
 * 7. Home pages: p50/p95 of every call a home page of the web app makes (coach, learner, coaching lead, committee)
 * on a synthetic institution (small unless --size says otherwise). Limit: the same service's `/health/live`, asked
 * right after each of our requests, so both are measured under the same load at the same time. (The learner's
 * timeline, `GET /learners/:id/timeline`, is the audit history, not a home-page call: it is left out.)
 */
export async function homePages(ctx: BenchContext, adminEmail: string, adminPassword: string): Promise<ScenarioResult> {
  const sizeName = (ctx.params.size ?? 'small') as 'small' | 'large';
  ctx.log(`home pages: seeding the ${sizeName} synthetic institution (idempotent: reuses what scenario 4 made)`);
  const counts = await seedBenchInstitution(ctx, sizeName, adminEmail, adminPassword);
  ctx.log(`home pages: institution ready in ${counts.seconds.total} s`);

  const signIn = (who: string) => ctx.signIn(`medicine-${who}@bench.example`, BENCH_PASSWORD);
  const [coach, lead, committee] = [await signIn('coach-1'), await signIn('lead'), await signIn('committee')];
  const { coaching, feedback, analytics } = ctx.services;
  // Ada, a demo sign-in coached by coach-1 since she entered, with years of dialogues
  const learnerId = 'medicine-ada';
  const learner = await signIn('ada');
  const dialogues = (await (await fetch(`${feedback.url}/learners/${learnerId}/dialogues`, { headers: { authorization: `Bearer ${learner}` } })).json()) as { dialogues: { dialogueId: string }[] };
  const dialogueId = dialogues.dialogues[0]?.dialogueId;
  if (!dialogueId) throw new Error('home pages: medicine-ada has no dialogue');

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
    { page: 'learner', name: 'feedback GET /learners/:me/dialogues', service: feedback.url, path: `/learners/${learnerId}/dialogues`, token: learner },
    { page: 'learner', name: 'feedback GET /dialogues/:id', service: feedback.url, path: `/dialogues/${dialogueId}`, token: learner },
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
