import { join } from 'node:path';
import { seedInstitution, SIZES } from '@cbme/testing/demo';
import { BenchContext, ScenarioResult } from '../context';
import { latencies, LatencySummary, round } from '../stats';

export const BENCH_PASSWORD = 'bench-password-2026';

/** The synthetic institution of a bench run, its dated records through the history imports (infra/demo). */
export function seedBenchInstitution(ctx: BenchContext, sizeName: 'small' | 'large', adminEmail: string, adminPassword: string) {
  const { identity, coaching, feedback, analytics } = ctx.services;
  return seedInstitution({
    urls: { identity: identity.url, coaching: coaching.url, feedback: feedback.url, analytics: analytics.url },
    size: SIZES[sizeName], adminEmail, adminPassword, password: BENCH_PASSWORD, domain: 'bench.example',
    dir: join(__dirname, '../../../tmp/bench/history', ctx.namespace), log: (line) => ctx.log(`  ${line}`),
  });
}

/**
 * 4. Dashboard queries: p50/p95 latency of the committee's and the coaching lead's endpoints over a synthetic
 * institution with four years of history, seeded through the history imports (small in --quick, large otherwise);
 * the seed's own time, per phase, and the events it imported per second are reported too. Limit: the same
 * service's cheapest HTTP answer (`/health/live`), the floor of any request.
 */
export async function dashboardQueries(ctx: BenchContext, adminEmail: string, adminPassword: string): Promise<ScenarioResult> {
  const sizeName = (ctx.params.size ?? (ctx.quick ? 'small' : 'large')) as 'small' | 'large';
  ctx.log(`queries: seeding the ${sizeName} synthetic institution through the history imports`);
  const seeded = await seedBenchInstitution(ctx, sizeName, adminEmail, adminPassword);
  const s = seeded.seconds;
  const events = seeded.imported.coaching + seeded.imported.feedback;
  ctx.log(`queries: institution seeded in ${s.total} s (${events} events imported, ${seeded.eventsPerSecond} events/s)`);

  const committee = await ctx.signIn('medicine-committee@bench.example', BENCH_PASSWORD);
  const lead = await ctx.signIn('medicine-lead@bench.example', BENCH_PASSWORD);

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
  const rows: ScenarioResult['rows'] = [
    {
      scenario: '4 queries', measure: `seed of the ${sizeName} institution (${seeded.learners} learners, ${events} events): total, generating, identity, coaching import, wait for feedback, feedback import, wait for analytics`,
      ours: `${s.total} s: ${s.generate} / ${s.identity} / ${s.coachingImport} / ${s.waitForFeedback} / ${s.feedbackImport} / ${s.waitForAnalytics} s`, limit: '-', ratio: '-',
    },
    { scenario: '4 queries', measure: `history import, ${sizeName} institution: ${events} events (coaching and feedback)`, ours: `${seeded.eventsPerSecond} events/s`, limit: '-', ratio: '-' },
  ];
  const data: Record<string, unknown> = { size: sizeName, seeded };
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
