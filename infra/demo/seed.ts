/**
 * Demo data: the demo institution with four years of history (demo-institution.ts, history-generator.ts), its
 * dated records through the services' history imports. Prints the records of each kind, the time of each phase
 * and the events imported per second.
 * Usage: node -r @swc-node/register infra/demo/seed.ts [--size small|large]
 * (service URLs from IDENTITY_URL, COACHING_URL, FEEDBACK_URL, ANALYTICS_URL, or the localhost defaults)
 */
import { join } from 'node:path';
import { seedInstitution, SIZES } from '@cbme/testing/demo';

const url = (name: string, port: number) => process.env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}`;
const sizeArg = process.argv[process.argv.indexOf('--size') + 1];
const sizeName = (process.argv.includes('--size') ? sizeArg : process.env['DEMO_SIZE'] ?? 'small') as keyof typeof SIZES;
/** every demo account signs in with this password (the admin's comes from the start script) */
const DEMO_PASSWORD = process.env['DEMO_PASSWORD'] ?? 'coaching-demo-2026';

async function main() {
  if (!SIZES[sizeName]) throw new Error(`unknown size ${sizeName}; use one of ${Object.keys(SIZES).join(', ')}`);
  const result = await seedInstitution({
    urls: { identity: url('identity', 3001), coaching: url('coaching', 3002), feedback: url('feedback', 3003), analytics: url('analytics', 3004) },
    size: SIZES[sizeName],
    adminEmail: process.env['BOOTSTRAP_ADMIN_EMAIL'] ?? 'admin@demo-university.edu',
    adminPassword: process.env['BOOTSTRAP_ADMIN_PASSWORD'] ?? DEMO_PASSWORD,
    password: DEMO_PASSWORD,
    domain: 'demo-university.edu',
    dir: join(__dirname, '../../tmp/demo-history'),
    log: (line) => process.stdout.write(`[demo] ${line}\n`),
  });
  const kinds = Object.entries(result.kinds).map(([kind, n]) => `${n} ${kind}`).join(', ');
  const s = result.seconds;
  process.stdout.write(`[demo] ${sizeName} institution: ${result.schools} schools, ${result.learners} learners, ${result.coaches} coaches; records: ${kinds}\n`);
  process.stdout.write(`[demo] imported by this run: ${result.imported.coaching} coaching and ${result.imported.feedback} feedback events (${result.imported.alreadyImported} records imported before), ${result.eventsPerSecond} events/s\n`);
  process.stdout.write(`[demo] ready in ${s.total} s: generating ${s.generate} s, identity and structure ${s.identity} s, coaching import ${s.coachingImport} s, waiting for feedback ${s.waitForFeedback} s, feedback import ${s.feedbackImport} s, graduation and waiting for analytics ${s.waitForAnalytics} s; ${result.requests} requests\n`);
}

main().catch((error) => {
  process.stderr.write(`demo seed failed: ${(error as Error).message}\n`);
  process.exit(1);
});
