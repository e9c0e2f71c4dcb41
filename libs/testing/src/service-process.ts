import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Actor, httpClient } from './http-client';
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
export async function startServiceProcess(name: string, env: Record<string, string>, port?: number, entry: ServiceEntry = 'sources', readySeconds = 90): Promise<RunningService> {
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

  const deadline = Date.now() + readySeconds * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    // a process that takes the connection but does not answer is asked again, not waited for
    const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready in ${readySeconds} s:\n${output}`);
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

export type PlatformServices = Record<'identity' | 'coaching' | 'feedback' | 'analytics', RunningService>;

/**
 * The four services as processes: identity first (with `identityEnv`, e.g. the bootstrap admin), then the others,
 * which check tokens against its keys. `envOf` gives each service's environment.
 */
export async function startPlatform(envOf: (service: string) => Record<string, string>, identityEnv: Record<string, string> = {}): Promise<PlatformServices> {
  const identity = await startServiceProcess('identity', { ...envOf('identity'), ...identityEnv });
  const jwks = { AUTH_JWKS_URL: `${identity.url}/.well-known/jwks.json` };
  const [coaching, feedback, analytics] = await Promise.all(['coaching', 'feedback', 'analytics'].map((name) => startServiceProcess(name, { ...envOf(name), ...jwks })));
  return { identity, coaching, feedback, analytics };
}

/** Each service's address, as the web origin's upstreams take them. */
export const urlsOf = (services: PlatformServices) => ({
  identity: services.identity.url, coaching: services.coaching.url, feedback: services.feedback.url, analytics: services.analytics.url,
});

/**
 * As the institution admin (signed in with `adminEmail`): opens `schoolId` and registers each person (`<userId>@<domain>`,
 * one password), then signs everyone in. Returns an actor per user id and `admin`, each acting in the school.
 */
export async function openSchoolWith(
  identity: RunningService,
  { adminEmail, password, schoolId, people, domain }: { adminEmail: string; password: string; schoolId: string; people: readonly (readonly [string, string])[]; domain: string },
): Promise<Record<string, Actor>> {
  const http = httpClient(identity.url);
  const signIn = async (email: string): Promise<Actor> => {
    const response = await http.post('/auth/login', undefined, { email, password });
    if (response.status !== 200) throw new Error(`sign-in of ${email}: ${response.status}`);
    return { token: response.body.accessToken, schoolId };
  };
  const actors: Record<string, Actor> = { admin: await signIn(adminEmail) };
  const opened = await http.post('/schools', actors['admin'], { schoolId, name: schoolId[0].toUpperCase() + schoolId.slice(1) });
  if (opened.status !== 201) throw new Error(`opening ${schoolId}: ${opened.status}`);
  for (const [userId, role] of people) {
    const registered = await http.post(`/schools/${schoolId}/users`, actors['admin'], { userId, email: `${userId}@${domain}`, displayName: userId, role, password });
    if (registered.status !== 201) throw new Error(`registering ${userId}: ${registered.status} ${JSON.stringify(registered.body)}`);
    actors[userId] = await signIn(`${userId}@${domain}`);
  }
  return actors;
}
