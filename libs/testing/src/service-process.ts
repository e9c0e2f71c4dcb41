import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { testServers } from './test-servers';

const WORKSPACE = path.resolve(__dirname, '../../..');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  name: string;
  url: string;
  port: number;
  /** the service's process id (for resource measurements) */
  pid: number;
  stop(): Promise<void>;
  output(): string;
}

/** `sources`: services/<name>/src/main.ts compiled as it loads; `build`: the production build, dist/services/<name>/main.js */
export type ServiceEntry = 'sources' | 'build';

function entryArguments(name: string, entry: ServiceEntry): string[] {
  if (entry === 'sources') return ['-r', '@swc-node/register', `services/${name}/src/main.ts`];
  const main = `dist/services/${name}/main.js`;
  if (!existsSync(path.join(WORKSPACE, main))) throw new Error(`${main} is missing: run \`npx nx run-many -t build\` first`);
  return ['--enable-source-maps', main];
}

/** Starts one of services/<name> as a real process against the test servers and waits until it is ready. */
export async function startServiceProcess(name: string, env: Record<string, string>, port?: number, entry: ServiceEntry = 'sources'): Promise<RunningService> {
  const servers = testServers();
  const chosenPort = port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, entryArguments(name, entry), {
    cwd: WORKSPACE,
    env: {
      ...process.env,
      MONGO_URL: servers.mongoUrl,
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      REDIS_URL: servers.redisUrl,
      LOG_LEVEL: 'warn',
      PROJECTION_POLL_MS: '50',
      ...env,
      PORT: String(chosenPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const url = `http://127.0.0.1:${chosenPort}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready in 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    name,
    url,
    port: chosenPort,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
