import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './service-process';

const WORKSPACE = path.resolve(__dirname, '../../..');
const NGINX_DIR = path.join(WORKSPACE, 'infra/nginx');

/** Base URLs of the four services behind the origin, e.g. http://127.0.0.1:3001 */
/** each service's address, or the addresses of its instances (nginx spreads the requests over them) */
export interface WebOriginUpstreams {
  identity: string | string[];
  coaching: string | string[];
  feedback: string | string[];
  analytics: string | string[];
}

/** nginx upstream lines for a service's instances: http://127.0.0.1:3002 -> `server 127.0.0.1:3002;` */
export const upstreamServers = (urls: string | string[]) =>
  [urls].flat().map((url) => `server ${new URL(url).host};`).join(' ');

export interface RunningWebOrigin {
  /** the origin, with a trailing slash: http://127.0.0.1:<port>/ */
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/**
 * Substitutes the ${CBME_*} variables of infra/nginx/cbme.conf.template (what envsubst does with an explicit
 * variable list), leaving nginx's own $variables alone; a variable without a value is an error.
 */
export function renderWebOriginConfig(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(/\$\{(CBME_[A-Z_]+)\}/g, (_, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`no value for \${${name}} in the nginx template`);
    return value;
  });
}

function nginxBinary(): string {
  const found = (process.env.PATH ?? '').split(':').concat('/usr/sbin').map((dir) => path.join(dir, 'nginx')).find((file) => existsSync(file));
  if (!found) throw new Error('nginx not found: install it with infra/local/stack.sh install (Debian: apt-get install nginx)');
  return found;
}

/**
 * The browser's one origin as production has it: the real nginx with infra/nginx's config, on a free port,
 * serving `webRoot` (default dist/web) and proxying /api/<service>/ to the given services. Written to and run
 * from a temp dir, removed on stop.
 */
export async function startWebOrigin(
  upstreams: WebOriginUpstreams,
  { webRoot = path.join(WORKSPACE, 'dist/web'), port: chosenPort }: { webRoot?: string; /** a port picked ahead, e.g. for an SSO redirect URL */ port?: number } = {},
): Promise<RunningWebOrigin> {
  const port = chosenPort ?? (await freePort());
  const dir = await mkdtemp(path.join(tmpdir(), 'cbme-web-origin-'));
  const values = new Map([
    ['CBME_LISTEN', `127.0.0.1:${port}`],
    ['CBME_WEB_ROOT', path.resolve(webRoot)],
    ['CBME_IDENTITY_SERVERS', upstreamServers(upstreams.identity)],
    ['CBME_COACHING_SERVERS', upstreamServers(upstreams.coaching)],
    ['CBME_FEEDBACK_SERVERS', upstreamServers(upstreams.feedback)],
    ['CBME_ANALYTICS_SERVERS', upstreamServers(upstreams.analytics)],
  ]);
  await writeFile(path.join(dir, 'cbme.conf'), renderWebOriginConfig(await readFile(path.join(NGINX_DIR, 'cbme.conf.template'), 'utf8'), values));
  await copyFile(path.join(NGINX_DIR, 'local.conf'), path.join(dir, 'nginx.conf'));

  // as root, nginx would run its workers as "nobody", who may not read the web root
  const globals = `daemon off;${process.getuid?.() === 0 ? ' user root;' : ''}`;
  const child: ChildProcess = spawn(nginxBinary(), ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr', '-g', globals], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  let running = true;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (running = false));
  const url = `http://127.0.0.1:${port}/`;
  const cleanUp = () => rm(dir, { recursive: true, force: true });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!running) {
      await cleanUp();
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    // any HTTP answer will do: the web root may not be built, and the services may not be up yet
    if (await fetch(url, { method: 'HEAD' }).then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      // TERM, not KILL: the master then stops its workers, which would otherwise keep the port
      child.kill('SIGTERM');
      await exited;
      await cleanUp();
      throw new Error(`nginx not answering on ${url} in 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    output: () => output,
    async stop() {
      if (running) {
        child.kill('SIGTERM');
        await exited;
      }
      await cleanUp();
    },
  };
}
