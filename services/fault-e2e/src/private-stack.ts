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

/** Whether the process runs: a zombie (dead, not yet reaped by a parent that may never reap it) does not. */
function alive(pid: number) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (name) state ...", the name may hold spaces and parentheses
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc here: kill(0) answered
  }
}

/** kill -9, and waits until the process is gone. */
export async function killServer(server: Server): Promise<void> {
  const pid = pidOf(server);
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 30_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`${server} (pid ${pid}) still runs 30 s after kill -9`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts it again as infra/faults.sh did (same state dir, ports and data), until healthy. */
export async function startServer(server: Server): Promise<void> {
  await run('bash', ['infra/local/stack.sh', 'up', server], { cwd: WORKSPACE, env: process.env, timeout: 240_000 });
}
