/**
 * `npm run bench [-- --quick] [--only 1,2,...] [--commands N] [--events N] [--rates 50,200] [--seconds N] [--size small|large]`
 * Starts the four services against the local stack (infra/bench.sh starts or reuses it), runs the scenarios,
 * prints a table of our figures next to the limit each is bounded by (measured in the same run on the same servers),
 * and writes everything as JSON to tmp/bench/ (git-ignored).
 */
import { RunningService, startServiceProcess } from '@cbme/testing';
import Redis from 'ioredis';
import mongoose, { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { api, BenchContext, ResultRow, ScenarioResult } from './context';
import { appendThroughput } from './scenarios/append';
import { dashboardQueries } from './scenarios/queries';
import { homePages } from './scenarios/home-pages';
import { commandToReadModel } from './scenarios/latency';
import { historyAsOf } from './scenarios/history';
import { projectionRebuild } from './scenarios/rebuild';
import { workspacePages } from './scenarios/workspace';
import { readYourWrites } from './scenarios/read-your-writes';
import { historyImport } from './scenarios/history-import';
import { disclosureLog } from './scenarios/disclosures';
import { personalData } from './scenarios/personal-data';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const quick = flag('quick');
const only = option('only')?.split(',').map(Number);
const ADMIN = { email: 'admin@bench.example', password: 'bench-admin-password-2026' };
const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

/** Peak resident memory of each service: sampled every second, and the kernel's high-water mark at the end. */
function watchMemory(services: RunningService[]) {
  const peak = new Map<string, number>();
  const read = (pid: number, field: string) => {
    try {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field));
      return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  const sample = () => services.forEach((s) => peak.set(s.name, Math.max(peak.get(s.name) ?? 0, read(s.pid, 'VmRSS:'), read(s.pid, 'VmHWM:'))));
  const timer = setInterval(sample, 1_000);
  return { peak: () => new Map(peak), stop: () => (clearInterval(timer), sample(), peak) };
}

async function main() {
  const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
  const kafkaBrokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const namespace = `bench-${randomUUID().slice(0, 8)}`;
  const dbName = (service: string) => `${namespace.replace(/-/g, '_')}_${service}`;
  const env = {
    CBME_NAMESPACE: namespace, INSTITUTION_ID: 'bench-institution', NOTIFY_CHANNEL: 'log', PROJECTION_POLL_MS: '100', LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  };
  log(`namespace ${namespace}; starting the four services`);
  const identity = await startServiceProcess('identity', env);
  const jwks = { AUTH_JWKS_URL: `${identity.url}/.well-known/jwks.json` };
  const [coaching, feedback, analytics] = await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, { ...env, ...jwks })));
  const services = { identity, coaching, feedback, analytics };
  // a bench stopped by Ctrl-C or `timeout` must not leave four services running against the shared servers
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const service of Object.values(services)) process.kill(service.pid, 'SIGKILL');
      process.exit(130);
    });
  }
  const memory = watchMemory(Object.values(services));
  const connections: Connection[] = [];
  const connect = (name: string) => {
    const connection = mongoose.createConnection(mongoUrl, { dbName: name });
    connections.push(connection);
    return connection;
  };
  const databases = new Map<string, Connection>();

  try {
    const signIn = async (email: string, password: string) => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const response = await api(identity.url, 'POST', '/auth/login', '', { email, password });
        if (response.status === 200) return response.body.accessToken as string;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`cannot sign in ${email}`);
    };
    const admin = await signIn(ADMIN.email, ADMIN.password);
    await api(identity.url, 'POST', '/schools', admin, { schoolId: 'bench', name: 'Bench School' });
    for (const [userId, role] of [['bench-learner', 'learner'], ['bench-lead', 'coaching-lead'], ['bench-committee', 'committee-member']]) {
      await api(identity.url, 'POST', '/schools/bench/users', admin, { userId, email: `${userId}@bench.example`, displayName: userId, role, password: ADMIN.password });
    }
    const ctx: BenchContext = {
      quick, namespace, services, signIn,
      params: {
        commands: option('commands') ? Number(option('commands')) : undefined,
        events: option('events') ? Number(option('events')) : undefined,
        rates: option('rates')?.split(',').map(Number),
        seconds: option('seconds') ? Number(option('seconds')) : undefined,
        size: option('size') as 'small' | 'large' | undefined,
      },
      tokens: {
        admin, learner: await signIn('bench-learner@bench.example', ADMIN.password), lead: await signIn('bench-lead@bench.example', ADMIN.password),
        committee: await signIn('bench-committee@bench.example', ADMIN.password),
      },
      learnerId: 'bench-learner', schoolId: 'bench',
      scratch: connect(dbName('scratch')),
      databaseOf: (service) => databases.get(service) ?? databases.set(service, connect(dbName(service))).get(service)!,
      mongoUrl, kafkaBrokers, log,
    };

    const scenarios: [number, string, () => Promise<ScenarioResult>][] = [
      [1, 'append throughput', () => appendThroughput(ctx)],
      [2, 'command-to-read-model latency', () => commandToReadModel(ctx)],
      [3, 'projection rebuild', () => projectionRebuild(ctx)],
      [5, 'history as of a date', () => historyAsOf(ctx)],
      [4, 'dashboard queries', () => dashboardQueries(ctx, ADMIN.email, ADMIN.password)],
      [7, 'home pages', () => homePages(ctx, ADMIN.email, ADMIN.password)],
      [8, 'workspace pages in the browser', () => workspacePages(ctx, ADMIN.email, ADMIN.password)],
      [9, 'read your writes', () => readYourWrites(ctx)],
      [10, 'history import', () => historyImport(ctx)],
      [11, 'disclosure log', () => disclosureLog(ctx)],
      [12, 'personal data encryption', () => personalData(ctx)],
    ];
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
    redis.disconnect();
    const machine = {
      cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)), node: process.version,
      servers: `Kafka (infra/local, KRaft) ${kafkaBrokers.join(',')}, FerretDB ${process.env['FERRETDB_VERSION'] ?? 'v1.24.2'} (SQLite) at ${mongoUrl}, Redis ${redisVersion}`,
      note: 'services, servers and the load generator share the machine',
    };
    const out = path.resolve(__dirname, '../../tmp/bench');
    mkdirSync(out, { recursive: true });
    const at = new Date().toISOString();
    const file = path.join(out, `bench-${at.replace(/[:.]/g, '-')}.json`);
    const rows: ResultRow[] = [];
    const results: Record<string, unknown> = {};
    // written after every scenario, so a run stopped half-way keeps what it measured
    const save = (peak: Map<string, number>, complete: boolean) => {
      const report = { at, mode: quick ? 'quick' : 'full', complete, args, machine, rows, results, peakRssMb: Object.fromEntries(peak) };
      writeFileSync(file, JSON.stringify(report, null, 2));
      writeFileSync(path.join(out, 'latest.json'), JSON.stringify(report, null, 2));
    };
    for (const [number, name, run] of scenarios) {
      if (only && !only.includes(number)) continue;
      const started = performance.now();
      log(`scenario ${number}: ${name}`);
      const result = await run();
      rows.push(...result.rows);
      results[`${number} ${name}`] = { ...result.data, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
      save(memory.peak(), false);
    }
    const peak = memory.stop();
    for (const [service, mb] of peak) rows.push({ scenario: '6 memory', measure: `${service} peak RSS`, ours: `${mb.toFixed(0)} MB`, limit: '-', ratio: '-' });
    print(rows, machine, quick);
    save(peak, true);
    log(`results written to ${path.relative(process.cwd(), file)} and tmp/bench/latest.json`);
  } finally {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    for (const name of ['identity', 'coaching', 'feedback', 'analytics', 'scratch']) {
      await connect(dbName(name)).dropDatabase().catch(() => undefined);
    }
    await Promise.all(connections.map((c) => c.close()));
  }
}

function print(rows: ResultRow[], machine: Record<string, unknown>, quickRun: boolean) {
  const columns: (keyof ResultRow)[] = ['scenario', 'measure', 'ours', 'limit', 'ratio'];
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(width[i])).join(' | ')} |`;
  process.stdout.write(`\n${quickRun ? 'quick' : 'full'} run on ${machine['cpu']} (${machine['cores']} cores, ${machine['memoryGiB']} GiB), node ${machine['node']}\n${machine['servers']}\n\n`);
  process.stdout.write(`${line(columns)}\n${line(width.map((w) => '-'.repeat(w)))}\n${rows.map((r) => line(columns.map((c) => r[c]))).join('\n')}\n\n`);
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
