import { startWebOrigin } from '@cbme/testing';
import { ensureWebBuilt, launchBrowser, settled, signIn } from '@cbme/testing/browser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BenchContext, ScenarioResult, times } from '../context';
import { summarize } from '../stats';
import { BENCH_PASSWORD, seedBenchInstitution } from './queries';

/**
 * 8. The workspace in the browser: time to interactive of each role's home page (a fresh load through nginx until
 * its data is on screen, Performance API), over the small synthetic institution. Limit: the sign-in page's time to
 * interactive in the same run (the same JavaScript, no API call). Also the initial route's JavaScript, gzipped.
 */
export async function workspacePages(ctx: BenchContext, adminEmail: string, adminPassword: string): Promise<ScenarioResult> {
  const webRoot = ensureWebBuilt();
  const urls = { identity: ctx.services.identity.url, coaching: ctx.services.coaching.url, feedback: ctx.services.feedback.url, analytics: ctx.services.analytics.url };
  // idempotent: reuses the institution when scenario 4 made it already
  await seedBenchInstitution(ctx, 'small', adminEmail, adminPassword);
  const origin = await startWebOrigin(urls, { webRoot });
  const web = origin.url.replace(/\/$/, '');
  const browser = await launchBrowser();
  const runs = ctx.quick ? 3 : 10;
  try {
    const index = readFileSync(join(webRoot, 'index.html'), 'utf8');
    const initial = [...index.matchAll(/src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
    const initialGzip = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(webRoot, 'assets', file))).length, 0);
    const allGzip = readdirSync(join(webRoot, 'assets')).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipSync(readFileSync(join(webRoot, 'assets', f))).length, 0);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const signInPage: number[] = [];
    for (let i = -1; i < runs; i++) {
      await page.goto(`${web}/sign-in`);
      const ms = await page.waitForFunction(() => (document.querySelector('form h1') ? performance.now() : false), undefined, { polling: 50 });
      if (i >= 0) signInPage.push((await ms.jsonValue()) as number);
    }
    await page.close();
    const limit = summarize(signInPage);
    const rows: ScenarioResult['rows'] = [
      { scenario: '8 workspace', measure: 'initial route JavaScript (gzip)', ours: `${(initialGzip / 1024).toFixed(0)} KB`, limit: `${(allGzip / 1024).toFixed(0)} KB all chunks`, ratio: '-' },
    ];
    const data: Record<string, unknown> = { initialGzip, allGzip, signInPage: limit };
    const homes: [string, string, string][] = [
      ['learner', 'medicine-ada', '/learner'], ['coach', 'medicine-coach-1', '/coach'], ['coaching lead', 'medicine-lead', '/lead'],
      ['school admin', 'medicine-admin', '/school-admin'], ['committee', 'medicine-committee', '/committee'], ['institution admin', 'institution-admin', '/institution'],
    ];
    for (const [role, userId, path] of homes) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const home = await context.newPage();
      await signIn(home, web, userId === 'institution-admin' ? adminEmail : `${userId}@bench.example`, userId === 'institution-admin' ? adminPassword : BENCH_PASSWORD, path);
      const measured: number[] = [];
      for (let i = -1; i < runs; i++) {
        await home.goto(`${web}${path}`);
        const ms = await settled(home);
        if (i >= 0) measured.push(ms);
      }
      await context.close();
      const ours = summarize(measured);
      data[role] = ours;
      rows.push({
        scenario: '8 workspace', measure: `${role} home, time to interactive (fresh load)`, ours: `${ours.median.toFixed(0)} ms (${ours.min.toFixed(0)}–${ours.max.toFixed(0)})`,
        limit: `${limit.median.toFixed(0)} ms sign-in page`, ratio: times(ours.median, limit.median),
      });
      ctx.log(`workspace: ${role} home ${ours.median.toFixed(0)} ms`);
    }
    return { rows, data };
  } finally {
    await browser.close();
    await origin.stop();
  }
}
