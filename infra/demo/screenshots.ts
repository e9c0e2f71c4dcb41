/**
 * README's pictures of the workspace, taken from the running demo (after `npm start`).
 * Usage: node -r @swc-node/register infra/demo/screenshots.ts   (WEB_ORIGIN, default http://127.0.0.1:8080)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPage, settled, signIn, WORKSPACE } from '@cbme/testing/browser';

const origin = process.env['WEB_ORIGIN'] ?? `http://127.0.0.1:${process.env['NGINX_PORT'] ?? 8080}`;
const password = process.env['DEMO_PASSWORD'] ?? 'coaching-demo-2026';
const folder = join(WORKSPACE, 'docs/screenshots');

/** one picture per role that tells the most; the phone width shows the layout folds */
const shots = [
  { name: 'learner-home', email: 'medicine-ada@demo-university.edu', width: 1280 },
  { name: 'coach-home-phone', email: 'medicine-coach-1@demo-university.edu', width: 375 },
  { name: 'lead-home', email: 'medicine-lead@demo-university.edu', width: 1280 },
];

async function main() {
  mkdirSync(folder, { recursive: true });
  const browser = await launchBrowser();
  try {
    for (const shot of shots) {
      const { page } = await openPage(browser, origin, shot.width);
      await signIn(page, origin, shot.email, password);
      await settled(page);
      await page.screenshot({ path: join(folder, `${shot.name}.png`), fullPage: false });
      await page.context().close();
      process.stdout.write(`[screenshots] ${shot.name}.png\n`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`screenshots failed: ${(error as Error).message}\n`);
  process.exit(1);
});
