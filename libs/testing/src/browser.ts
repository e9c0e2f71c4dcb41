/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { dropServiceDatabases } from './mongo';
import { RunningService } from './service-process';

/**
 * Helpers for the workspace's browser tests and bench: Debian's Chromium, axe, screenshots, time to interactive.
 * Imported as `@cbme/testing/browser`, so tests without a browser do not load playwright.
 */
export const WORKSPACE = resolve(__dirname, '../../..');
export const SCREENSHOTS = join(WORKSPACE, 'tmp/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });

/** Builds the web app when it is missing or older than its sources (Nx caches the build, so this is quick). */
export function ensureWebBuilt(): string {
  const source = join(WORKSPACE, 'services/web');
  const dist = join(WORKSPACE, 'dist/web');
  const newest = (dir: string): number =>
    Math.max(...readdirSync(dir, { withFileTypes: true }).filter((e) => e.name !== 'node_modules').map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const built = join(dist, 'index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(source)) {
    // Jest sets NODE_ENV=test, which Vite would carry into the bundle (React's development build)
    execFileSync('npx', ['nx', 'run', 'web:build', '--skip-nx-cache'], { cwd: WORKSPACE, env: { ...process.env, NX_DAEMON: 'false', NODE_ENV: 'production' }, stdio: 'pipe' });
  }
  return dist;
}

/** A page that records uncaught errors and console errors of the workspace's own origin (a page load must log none). */
export async function openPage(browser: Browser, origin: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const ours = (url: string) => url.startsWith(origin);
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // a page load must not fail to load any of its own resources (the old dashboard logged a 404 for its icon)
  page.on('response', (r) => {
    if (ours(r.url()) && r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) problems.push(`${r.status()} for ${r.url()}`);
  });
  page.on('console', (m) => {
    // a refused request is the page's business (it shows the message); the browser logs it as an error too
    if (ours(page.url()) && m.type() === 'error' && !/the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

export async function signIn(page: Page, origin: string, email: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${origin}${path}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.top').waitFor();
}

/** Waits until the page's data has loaded: a main heading, and no "Loading …" left. */
export async function settled(page: Page): Promise<number> {
  const at = await page.waitForFunction(
    () => {
      const loading = [...document.querySelectorAll('[role=status]')].some((e) => e.textContent?.startsWith('Loading'));
      return !loading && document.querySelector('main h1') ? performance.now() : false;
    },
    undefined,
    { timeout: 60_000, polling: 50 },
  );
  return (await at.jsonValue()) as number;
}

/** axe's WCAG 2.1 A/AA rules on the page as it stands: the serious and critical violations, described. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${page.url()}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * A home page loaded afresh (a reload, as after a bookmark): time to interactive from navigation start to the
 * first moment its data is on screen, at 1280 and at 375 px, with screenshots of both.
 */
export async function measureHome(page: Page, url: string, name: string): Promise<number> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url);
  const ms = await settled(page);
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
  return Math.round(ms);
}

/**
 * axe on the page as it stands, its problems added to `problems`; with a name, also at 375 px, with screenshots of
 * both widths (`<name>-1280`, `<name>-375`).
 */
export async function checkPage(page: Page, problems: string[], name?: string): Promise<void> {
  await settled(page);
  problems.push(...(await accessibilityProblems(page)));
  if (!name) return;
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  problems.push(...(await accessibilityProblems(page)));
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A read model catches up within moments: reload until the page shows what `locate` finds (a minute at most). */
export async function eventuallyShown(page: Page, locate: () => ReturnType<Page['getByText']>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.reload();
    await settled(page);
    try {
      await locate().first().waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

/**
 * When the page scrolls sideways, the elements reaching past the viewport that cause it: those outside a table's own
 * scrolling region, and positioned ones inside it (they escape its clipping).
 */
export function beyondViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((e) => !e.parentElement?.closest('.table-wrap') || getComputedStyle(e).position === 'absolute')
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${e.className}` : ''}: ${(e.textContent ?? '').slice(0, 40)}`);
  });
}

/** Ends a browser journey spec: the browser, the web origin, the services and their databases; prints how long it took. */
export async function endJourney(
  what: string, started: number,
  { browser, origin, services, namespace }: { browser?: Browser; origin?: { stop(): Promise<void> }; services: Record<string, RunningService>; namespace: string },
): Promise<void> {
  await browser?.close();
  await origin?.stop();
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await dropServiceDatabases(namespace, Object.keys(services));
  console.log(`${what}: ${Math.round((Date.now() - started) / 1000)} s`);
}
