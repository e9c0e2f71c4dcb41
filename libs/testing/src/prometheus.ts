import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './service-process';
import { uniqueName } from './test-servers';

const WORKSPACE = path.resolve(__dirname, '../../..');

export interface RunningPrometheus {
  url: string;
  /** an instant query through the HTTP API (`/api/v1/query`): the vector's samples as labels and value */
  query(expression: string): Promise<{ labels: Record<string, string>; value: number }[]>;
  output(): string;
  stop(): Promise<void>;
}

function prometheusBinary(): string {
  const found = (process.env.PATH ?? '').split(':').concat('/usr/bin').map((dir) => path.join(dir, 'prometheus')).find((file) => existsSync(file));
  if (!found) throw new Error('prometheus not found: install it with infra/local/stack.sh install prometheus (Debian: apt-get install prometheus)');
  return found;
}

/**
 * Debian's Prometheus on a free port, scraping `/metrics` of the given `host:port` targets every second, with its
 * config and data in a directory of its own under tmp/ (removed on stop).
 */
export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  const port = await freePort();
  const dir = path.join(WORKSPACE, 'tmp', uniqueName('prometheus'));
  await mkdir(path.join(dir, 'data'), { recursive: true });
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [{ job_name: 'cbme', metrics_path: '/metrics', static_configs: [{ targets }] }],
  };
  // JSON is YAML
  await writeFile(path.join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const child: ChildProcess = spawn(prometheusBinary(), [
    `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
    }
    if (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready on ${url} in 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    output: () => output,
    stop,
    async query(expression) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expression })}`);
      const answer = (await response.json()) as { status: string; error?: string; data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (answer.status !== 'success') throw new Error(`query ${expression} failed: ${answer.error}`);
      if (answer.data.resultType !== 'vector') throw new Error(`query ${expression} gave a ${answer.data.resultType}, not a vector`);
      return answer.data.result.map(({ metric, value }) => ({ labels: metric, value: Number(value[1]) }));
    },
  };
}
