/**
 * Demo data: the synthetic institution (see synthetic-institution.ts) through the services' own HTTP commands.
 * Usage: node -r @swc-node/register infra/demo/seed.ts [--size small|large]   (prints how many of each it created)
 * (service URLs from IDENTITY_URL, COACHING_URL, FEEDBACK_URL, ANALYTICS_URL, or the localhost defaults)
 */
import { generateInstitution, SIZES } from './synthetic-institution';

const url = (name: string, port: number) => process.env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}`;
const sizeArg = process.argv[process.argv.indexOf('--size') + 1];
const sizeName = (process.argv.includes('--size') ? sizeArg : process.env['DEMO_SIZE'] ?? 'small') as keyof typeof SIZES;
/** every demo account signs in with this password (the admin's comes from the start script) */
const DEMO_PASSWORD = process.env['DEMO_PASSWORD'] ?? 'coaching-demo-2026';

async function main() {
  if (!SIZES[sizeName]) throw new Error(`unknown size ${sizeName}; use one of ${Object.keys(SIZES).join(', ')}`);
  const started = Date.now();
  const counts = await generateInstitution({
    urls: { identity: url('identity', 3001), coaching: url('coaching', 3002), feedback: url('feedback', 3003), analytics: url('analytics', 3004) },
    size: SIZES[sizeName],
    adminEmail: process.env['BOOTSTRAP_ADMIN_EMAIL'] ?? 'admin@demo-university.edu',
    adminPassword: process.env['BOOTSTRAP_ADMIN_PASSWORD'] ?? DEMO_PASSWORD,
    password: DEMO_PASSWORD,
    domain: 'demo-university.edu',
    log: (line) => process.stdout.write(`[demo] ${line}\n`),
  });
  const { requests, schools, learners, coaches, ...made } = counts;
  const created = Object.entries(made).map(([what, count]) => `${count} ${what}`).join(', ');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`[demo] ${sizeName} institution (${schools} schools, ${learners} learners, ${coaches} coaches) ready in ${seconds} s, ${requests} requests; created by this run: ${created}\n`);
}

main().catch((error) => {
  process.stderr.write(`demo seed failed: ${(error as Error).message}\n`);
  process.exit(1);
});
