import mongoose, { Connection } from 'mongoose';
import { ServiceName } from './fleet';

export interface Backward {
  service: ServiceName;
  name: string;
  from: number;
  to: number;
  at: string;
}

/**
 * Reads every service's `checkpoints` collection on the private FerretDB twice a second (a harness may read the
 * databases), notes any checkpoint that moved back from one sample to the next. While FerretDB is down a
 * sample fails and is skipped.
 */
export class CheckpointSampler {
  readonly backward: Backward[] = [];
  samples = 0;
  private readonly last = new Map<string, number>();
  /** when each service's checkpoints last moved forward */
  private readonly lastAdvance = new Map<ServiceName, number>();
  private connection?: Connection;
  private timer?: NodeJS.Timeout;
  private sampling = false;

  constructor(
    private readonly mongoUrl: string,
    private readonly databaseOf: (service: ServiceName) => string,
    private readonly services: readonly ServiceName[],
  ) {}

  async start() {
    this.connection = await mongoose.createConnection(this.mongoUrl, { serverSelectionTimeoutMS: 3_000, socketTimeoutMS: 5_000 }).asPromise();
    this.timer = setInterval(() => void this.sample(), 500);
  }

  async stop() {
    clearInterval(this.timer);
    while (this.sampling) await new Promise((resolve) => setTimeout(resolve, 50));
    await this.connection?.close();
    this.connection = undefined;
  }

  /** Milliseconds from `since` until a checkpoint of `service` moves forward (polled), or undefined after `timeoutMs`. */
  async untilAdvance(service: ServiceName, since: number, timeoutMs = 60_000): Promise<number | undefined> {
    while (Date.now() - since < timeoutMs) {
      const last = this.lastAdvance.get(service) ?? 0;
      if (last > since) return last - since;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return undefined;
  }

  private async sample() {
    if (this.sampling || !this.connection) return;
    this.sampling = true;
    try {
      for (const service of this.services) {
        const documents = await this.connection.useDb(this.databaseOf(service), { useCache: true }).collection<{ _id: string; position: number }>('checkpoints').find({}).toArray();
        const now = Date.now();
        for (const { _id, position } of documents) {
          const key = `${service}/${_id}`;
          const last = this.last.get(key);
          this.last.set(key, position);
          if (last === undefined) continue;
          if (position < last) this.backward.push({ service, name: _id, from: last, to: position, at: new Date(now).toISOString() });
          if (position > last) this.lastAdvance.set(service, now);
        }
      }
      this.samples++;
    } catch {
      // FerretDB down or restarting: the next sample reads again
    } finally {
      this.sampling = false;
    }
  }
}
