import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const WORKSPACE = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

export type Server = 'kafka' | 'ferretdb' | 'redis';

/**
 * The private servers infra/faults.sh started (its STACK_DIR and ports): the suite kills and restarts them, so it
 * refuses to run against anything else, above all the shared servers on the default ports.
 */
export function privateStack() {
  const stackDir = process.env['STACK_DIR'];
  if (process.env['FAULTS_PRIVATE_STACK'] !== '1' || !stackDir) throw new Error('the fault suite runs on its own servers: start it with `npm run test:faults`');
  const defaults = ['127.0.0.1:9092', ':27017', ':6379'];
  const urls = [process.env['KAFKA_BROKERS'], process.env['MONGO_URL'], process.env['REDIS_URL']].join(' ');
  if (defaults.some((d) => urls.includes(d))) throw new Error(`the fault suite would kill shared servers (${urls})`);
  return { stackDir };
}

const pidOf = (server: Server) => Number(readFileSync(path.join(privateStack().stackDir, 'run', `${server}.pid`), 'utf8').trim());

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** kill -9, and waits until the process is gone. */
export async function killServer(server: Server): Promise<void> {
  const pid = pidOf(server);
  process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Starts it again as infra/faults.sh did (same state dir, ports and data), until healthy. */
export async function startServer(server: Server): Promise<void> {
  await run('bash', ['infra/local/stack.sh', 'up', server], { cwd: WORKSPACE, env: process.env, timeout: 240_000 });
}
