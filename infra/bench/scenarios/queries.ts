import { generateInstitution, SIZES } from '../../demo/synthetic-institution';
import { BenchContext, ScenarioResult } from '../context';
import { latencies, LatencySummary, round } from '../stats';

export const BENCH_PASSWORD = 'bench-password-2026';

/**
 * 4. Dashboard queries: p50/p95 latency of the committee's and the coaching lead's endpoints over a synthetic
 * institution built through the services' commands (small in --quick, large otherwise). Limit: the same
 * service's cheapest HTTP answer (`/health/live`), the floor of any request.
 */
export async function dashboardQueries(ctx: BenchContext, adminEmail: string, adminPassword: string): Promise<ScenarioResult> {
  const sizeName = ctx.params.size ?? (ctx.quick ? 'small' : 'large');
  const started = performance.now();
  ctx.log(`queries: generating the ${sizeName} synthetic institution through the services' commands`);
  const counts = await generateInstitution({
    urls: { identity: ctx.services.identity.url, coaching: ctx.services.coaching.url, feedback: ctx.services.feedback.url, analytics: ctx.services.analytics.url },
    size: SIZES[sizeName], adminEmail, adminPassword, password: BENCH_PASSWORD, domain: 'bench.example', log: (line) => ctx.log(`  ${line}`),
  });
  const generationSeconds = round((performance.now() - started) / 1000, 1);
  ctx.log(`queries: institution generated in ${generationSeconds} s (${counts.requests} requests)`);

  const committee = await ctx.signIn('medicine-committee@bench.example', BENCH_PASSWORD);
  const lead = await ctx.signIn('medicine-lead@bench.example', BENCH_PASSWORD);
  // let the read models catch up before measuring
  await new Promise((resolve) => setTimeout(resolve, 5_000));

  const n = ctx.quick ? 30 : 100;
  const measure = async (url: string, token?: string): Promise<LatencySummary> => {
    const times: number[] = [];
    for (let i = -5; i < n; i++) {
      const t = performance.now();
      const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      await response.text();
      if (!response.ok) throw new Error(`GET ${url} -> ${response.status}`);
      if (i >= 0) times.push(performance.now() - t);
    }
    return latencies(times);
  };
  const endpoints = [
    { name: 'analytics GET /schools/medicine/analytics (committee, all tables)', service: ctx.services.analytics.url, url: `${ctx.services.analytics.url}/schools/medicine/analytics`, token: committee },
    { name: 'analytics GET /schools/medicine/analytics?competency=ICS&granularity=term', service: ctx.services.analytics.url, url: `${ctx.services.analytics.url}/schools/medicine/analytics?competency=ICS&granularity=term`, token: committee },
    { name: 'analytics GET /schools/medicine/activity (committee)', service: ctx.services.analytics.url, url: `${ctx.services.analytics.url}/schools/medicine/activity`, token: committee },
    { name: 'coaching GET /roster (lead)', service: ctx.services.coaching.url, url: `${ctx.services.coaching.url}/roster`, token: lead },
    { name: 'coaching GET /relationships (lead)', service: ctx.services.coaching.url, url: `${ctx.services.coaching.url}/relationships`, token: lead },
  ];
  const rows: ScenarioResult['rows'] = [];
  const data: Record<string, unknown> = { size: sizeName, counts, generationSeconds };
  for (const endpoint of endpoints) {
    const ours = await measure(endpoint.url, endpoint.token);
    const floor = await measure(`${endpoint.service}/health/live`);
    rows.push({
      scenario: '4 queries', measure: `${endpoint.name}, ${sizeName} institution`, ours: `p50 ${round(ours.p50, 1)} / p95 ${round(ours.p95, 1)} ms`,
      limit: `p50 ${round(floor.p50, 1)} / p95 ${round(floor.p95, 1)} ms /health/live`, ratio: `${round(ours.p50 / floor.p50, 1)}x (p50)`,
    });
    data[endpoint.name] = { ours, floor };
  }
  // a fresh token: the one the bench signed in with may have expired while the institution was generated
  data['rebuild'] = await rebuildAnalytics(ctx, await ctx.signIn(adminEmail, adminPassword), sizeName, rows);
  return { rows, data };
}

/**
 * The analytics projection rebuilt from the event store over the same institution, as an operator starts it
 * (the BullMQ job behind POST /admin/projections/:name/rebuild), timed to completion; the dashboard keeps
 * answering from the previous generation meanwhile.
 */
async function rebuildAnalytics(ctx: BenchContext, admin: string, sizeName: string, rows: ScenarioResult['rows']) {
  const analytics = ctx.services.analytics.url;
  const headers = { authorization: `Bearer ${admin}` };
  const started = performance.now();
  const { jobId } = (await (await fetch(`${analytics}/admin/projections/school-activity/rebuild`, { method: 'POST', headers })).json()) as { jobId: string };
  for (;;) {
    const job = (await (await fetch(`${analytics}/admin/projections/rebuilds/${jobId}`, { headers })).json()) as { state: string; progress: { done: number; total: number; events: number }; result: { events: number; total: number; eventsPerSecond: number } | null; failedReason: string | null };
    if (job.state === 'failed') throw new Error(`analytics rebuild failed: ${job.failedReason}`);
    if (job.state === 'completed' && job.result) {
      const seconds = (performance.now() - started) / 1000;
      const perSecond = job.result.events / seconds;
      rows.push({
        scenario: '4 queries', measure: `analytics rebuild (blue/green job), ${sizeName} institution: ${job.result.events} events`,
        ours: `${round(perSecond, 0)} events/s (${round(seconds, 1)} s)`, limit: '-', ratio: '-',
      });
      ctx.log(`queries: analytics rebuilt ${job.result.events} events in ${round(seconds, 1)} s`);
      return { events: job.result.events, commits: job.result.total, seconds, eventsPerSecond: perSecond, jobReported: job.result.eventsPerSecond };
    }
    if (job.progress?.total) ctx.log(`  analytics rebuild ${job.progress.done}/${job.progress.total} commits`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
