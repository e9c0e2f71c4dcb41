import { freePort, RunningService, startServiceProcess } from '@cbme/testing';

export const SERVICES = ['identity', 'coaching', 'feedback', 'analytics'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One instance of a service: its port stays the same across restarts. */
export class Instance {
  running?: RunningService;
  constructor(
    readonly service: ServiceName,
    readonly label: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid() {
    if (!this.running) throw new Error(`${this.service}-${this.label} is not running`);
    return this.running.pid;
  }

  async start() {
    // a restart joins Kafka consumer groups that wait for the killed member's session to expire first, on a loaded machine
    this.running = await startServiceProcess(this.service, { ...this.env, INSTANCE_ID: `${this.service}-${this.label}` }, this.port, 'build', 240);
  }

  /** kill -9: no shutdown hook runs, leases and connections are left as they are. */
  async kill() {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    process.kill(running.pid, 'SIGKILL');
    await running.stop(); // waits for the exit
  }

  async stop() {
    await this.running?.stop();
    this.running = undefined;
  }
}

/**
 * Two instances of each service on their own ports; each of a and b checks tokens against its own identity instance.
 * Identity's instance a starts first (it bootstraps the institution admin), then the rest.
 */
export async function startFleet(env: Record<string, string>, identityEnv: Record<string, string>): Promise<Record<ServiceName, Instance[]>> {
  const labels = ['a', 'b'];
  const identity = await Promise.all(labels.map(async (label) => new Instance('identity', label, await freePort(), { ...env, ...identityEnv })));
  await identity[0].start();
  await identity[1].start();
  const fleet = { identity } as Record<ServiceName, Instance[]>;
  for (const service of SERVICES.slice(1)) {
    fleet[service] = await Promise.all(labels.map(async (label, i) => new Instance(service, label, await freePort(), { ...env, AUTH_JWKS_URL: `${identity[i].url}/.well-known/jwks.json` })));
  }
  // two at a time: the machine has two cores
  for (const label of [0, 1]) await Promise.all(SERVICES.slice(1).map((service) => fleet[service][label].start()));
  return fleet;
}
