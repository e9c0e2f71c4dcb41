/*
 * API fuzzing (infra/fuzz.sh): starts the four services on a fresh namespace, signs in the institution admin
 * (who also holds every school role in one school), and runs schemathesis against each service's /docs-json. Any 5xx fails.
 * Prints operations, cases and 5xx per service and writes tmp/test-results/api-fuzz.json (one test per service).
 *   SCHEMATHESIS=<path>  the schemathesis binary (infra/fuzz.sh installs it in .local/fuzz-venv)
 *   FUZZ_MAX_EXAMPLES    cases per operation and phase (default 50)
 *   FUZZ_SECONDS         time budget per service (default 45): schemathesis stops itself there (--max-time)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dropServiceDatabases, RunningService, startServiceProcess, uniqueName } from '../index';
import { httpClient } from '../http-client';

const WORKSPACE = path.resolve(__dirname, '../../../..');
const SERVICES = ['identity', 'coaching', 'feedback', 'analytics'] as const;
const SCHOOL = 'medicine';
const PASSWORD = 'fuzz-password-2026';
const ADMIN_EMAIL = 'admin@fuzz.example';
const SCHOOL_ROLES = ['learner', 'coach', 'coaching-lead', 'committee-member', 'school-admin'];
const maxExamples = Number(process.env['FUZZ_MAX_EXAMPLES'] ?? 50);
const seconds = Number(process.env['FUZZ_SECONDS'] ?? 45);
const schemathesis = path.resolve(WORKSPACE, process.env['SCHEMATHESIS'] ?? '.local/fuzz-venv/bin/schemathesis');
const reportDir = path.join(WORKSPACE, 'tmp/fuzz');

interface Outcome {
  service: string;
  operations: number;
  cases: number;
  serverErrors: number;
  /** responses unlike their documented schema, by operation */
  schemaMismatches: Map<string, number>;
  finished: boolean;
  cutShort: boolean;
  exitCode: number | null;
  failures: string[];
}

async function main(): Promise<number> {
  const namespace = uniqueName('fuzz');
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-fuzz', LOG_LEVEL: 'error' };
  const services: Record<string, RunningService> = {};
  // interrupted (Ctrl-C, or a time limit around npm test): stop the services this run started
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void Promise.all(Object.values(services).map((s) => s.stop())).finally(() => process.exit(130)));
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  try {
    services['identity'] = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
    env['AUTH_JWKS_URL'] = `${services['identity'].url}/.well-known/jwks.json`;
    for (const service of await Promise.all(SERVICES.slice(1).map((name) => startServiceProcess(name, env)))) services[service.name] = service;
    const token = await fuzzerToken(services['identity'].url);

    const outcomes: Outcome[] = [];
    for (const name of SERVICES) outcomes.push(await fuzz(name, services[name], token));

    console.log('\n== API fuzzing: operations, cases, 5xx per service');
    for (const o of outcomes) {
      console.log(`${o.service.padEnd(10)} ${String(o.operations).padStart(4)} operations ${String(o.cases).padStart(6)} cases ${String(o.serverErrors).padStart(3)} x 5xx${o.cutShort ? ` (interrupted after ${seconds + 90} s)` : ''}`);
      for (const f of o.failures) console.log(`    ${f}`);
      for (const [operation, count] of o.schemaMismatches) console.log(`    response unlike its documented schema: ${operation} (${count}x)`);
    }
    // schemathesis exits non-zero on schema mismatches too: those are reported, a 5xx or a run that did not finish fails
    const failed = outcomes.filter((o) => o.serverErrors > 0 || o.cases === 0 || !o.finished);
    mkdirSync(path.join(WORKSPACE, 'tmp/test-results'), { recursive: true });
    writeFileSync(path.join(WORKSPACE, 'tmp/test-results/api-fuzz.json'), JSON.stringify({
      passed: outcomes.length - failed.length,
      failed: failed.length,
      skipped: 0,
      failures: failed.map((o) => `API fuzzing › ${o.service}: ${o.serverErrors} x 5xx${o.finished ? '' : ', did not finish'}${o.cases === 0 ? ', no cases' : ''}`),
    }));
    return failed.length === 0 ? 0 : 1;
  } finally {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await dropServiceDatabases(namespace, Object.keys(services)).catch(() => undefined);
  }
}

/**
 * The institution admin, also granted every school role in one school: then every role schemathesis picks for
 * x-acting-role, and `*` or that school for x-school-id, is one the token holds, so requests reach the deciders.
 */
async function fuzzerToken(identityUrl: string): Promise<string> {
  const http = httpClient(identityUrl);
  const login = async () => {
    const response = await http.post('/auth/login', undefined, { email: ADMIN_EMAIL, password: PASSWORD });
    if (response.status !== 200) throw new Error(`sign-in: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken as string;
  };
  const admin = { token: await login() };
  const adminId = String(JSON.parse(Buffer.from(admin.token.split('.')[1], 'base64url').toString()).sub);
  const expectOk = (what: string, response: { status: number; body: unknown }) => {
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  expectOk('create school', await http.post('/schools', admin, { schoolId: SCHOOL, name: 'Medicine' }));
  for (const role of SCHOOL_ROLES) expectOk(`grant ${role}`, await http.post(`/users/${encodeURIComponent(adminId)}/roles`, admin, { schoolId: SCHOOL, role }));
  return login();
}

function fuzz(name: string, service: RunningService, token: string): Promise<Outcome> {
  const report = path.join(reportDir, `${name}.ndjson`);
  const args = [
    'run', `${service.url}/docs-json`,
    // 5xx fail the run; responses that do not match their documented schema are reported
    '--checks', 'not_a_server_error,response_schema_conformance',
    '--phases', 'examples,coverage,fuzzing',
    '--max-examples', String(maxExamples),
    '--max-time', String(seconds),
    '--workers', '2',
    '--seed', '2026',
    '--request-timeout', '20',
    '--continue-on-failure',
    '--suppress-health-check', 'all',
    '--header', `Authorization: Bearer ${token}`,
    '--report', 'ndjson', '--report-ndjson-path', report,
    // the dashboard's static files are not in the document; the projection rebuild only queues a job
    '--exclude-path-regex', '^/admin/projections/.+/rebuild$',
  ];
  console.log(`\n== fuzzing ${name} (${service.url}/docs-json, at most ${maxExamples} examples per operation and phase, ${seconds} s)`);
  return new Promise((resolve) => {
    // in tmp/fuzz, so schemathesis's and hypothesis's caches stay out of the work tree
    const child = spawn(schemathesis, args, { cwd: reportDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // a safety net: schemathesis keeps to --max-time, but a hung request must not hang npm test
    let cutShort = false;
    const timer = setTimeout(() => {
      cutShort = true;
      child.kill('SIGINT');
    }, (seconds + 90) * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ service: name, operations: 0, cases: 0, serverErrors: 0, schemaMismatches: new Map(), finished: false, cutShort: false, exitCode: null, failures: [`schemathesis did not run: ${error.message}`] });
    });
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      process.stdout.write(output.split('\n').filter((l) => !/^\s*$/.test(l)).slice(-40).join('\n') + '\n');
      resolve({ service: name, ...countFrom(report, service), cutShort, exitCode });
    });
  });
}

/** The parts of schemathesis's NDJSON events read here. */
interface ReportEvent {
  recorder?: {
    label?: string;
    cases?: unknown;
    checks?: Record<string, { name: string; status: string }[]>;
    interactions?: Record<string, { request?: { method?: string; uri?: string; body?: unknown; headers?: unknown }; response?: { status_code?: number } | null }>;
  };
}

/** Operations, cases and 5xx from schemathesis's event stream (and from the service log, for 5xx it answered). */
function countFrom(report: string, service: RunningService): Omit<Outcome, 'service' | 'cutShort' | 'exitCode'> {
  const operations = new Set<string>();
  let cases = 0;
  let serverErrors = 0;
  let finished = false;
  const schemaMismatches = new Map<string, number>();
  const failures: string[] = [];
  let lines: string[] = [];
  try {
    lines = readFileSync(report, 'utf8').split('\n').filter(Boolean);
  } catch {
    failures.push('no schemathesis report');
  }
  for (const line of lines) {
    const event = JSON.parse(line) as Record<string, ReportEvent>;
    const [kind] = Object.keys(event);
    const body = event[kind];
    if (kind === 'EngineFinished') finished = true;
    if (kind === 'ScenarioFinished' && body?.recorder?.cases) {
      const label = body.recorder.label ?? '?';
      operations.add(label);
      for (const checks of Object.values(body.recorder.checks ?? {})) {
        const mismatches = checks.filter((c) => c.name === 'response_schema_conformance' && c.status === 'failure').length;
        if (mismatches) schemaMismatches.set(label, (schemaMismatches.get(label) ?? 0) + mismatches);
      }
      for (const interactions of Object.values(body.recorder.interactions ?? {})) {
        cases += 1;
        const status = interactions?.response?.status_code;
        if (typeof status === 'number' && status >= 500) {
          serverErrors += 1;
          const request = interactions.request;
          if (failures.length < 10) failures.push(`${status} ${request?.method} ${request?.uri}${request?.body ? ` body ${truncate(decoded(request.body))}` : ''} headers ${truncate(JSON.stringify(request?.headers ?? {}))}`);
        }
      }
    }
    if (kind === 'NonFatalError' || kind === 'FatalError') failures.push(`schemathesis: ${truncate(JSON.stringify(body))}`);
  }
  if (serverErrors > 0) failures.push(`service log: ${truncate(service.output().split('\n').filter((l) => /error/i.test(l)).slice(-3).join(' | '), 600)}`);
  return { operations: operations.size, cases, serverErrors, schemaMismatches, finished, failures };
}

const decoded = (body: unknown) => (typeof body === 'object' && body && '$base64' in body ? Buffer.from(String(body.$base64), 'base64').toString() : String(body));
const truncate = (text: string, length = 300) => (text.length > length ? `${text.slice(0, length)}…` : text);

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
