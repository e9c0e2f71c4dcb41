import { DisclosedRecord, DisclosureEvents } from '@cbme/contracts';
import { EventStore, PendingEvent, WrongExpectedVersionError } from '@cbme/event-sourcing';
import { randomUUID } from 'node:crypto';

/** One read of a learner's record by someone else, as the route served it. */
export interface Disclosure {
  learnerId: string;
  record: DisclosedRecord;
  route: string;
  reader: { userId: string; role: string; institutionId: string; schoolId: string; correlationId: string };
  /** when the answer was given */
  at: string;
}

export interface DisclosureLogOptions {
  flushMs: number;
  /** events per commit (one document): a busy interval is written as several commits */
  perCommit?: number;
  /** reads kept while the store cannot be written; beyond it the oldest are dropped (and counted) */
  maxBuffered?: number;
  onError?: (message: string) => void;
}

/**
 * Buffers disclosures in memory and appends them in one commit per interval, on a stream of their own per commit
 * (`disclosures-<uuid>`, expected `no-stream`), so a read never waits for the store and never contends with another.
 * A commit whose append failed is tried again with the same stream id: a conflict then means the earlier attempt was
 * stored, so nothing is written twice. A crash loses the reads of the current interval (README, "Disclosure log").
 */
export class DisclosureLog {
  private buffer: PendingEvent[] = [];
  private pending?: { streamId: string; events: PendingEvent[] };
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private droppedCount = 0;
  private readonly perCommit: number;
  private readonly maxBuffered: number;

  constructor(private readonly store: EventStore, private readonly options: DisclosureLogOptions) {
    this.perCommit = options.perCommit ?? 500;
    this.maxBuffered = options.maxBuffered ?? 100_000;
  }

  record(disclosure: Disclosure): void {
    const { type, schemaVersion } = DisclosureEvents.RecordDisclosed;
    const { reader } = disclosure;
    this.buffer.push({
      eventId: randomUUID(), type, schemaVersion, occurredAt: disclosure.at,
      tenant: { institutionId: reader.institutionId, schoolId: reader.schoolId },
      actor: { userId: reader.userId, role: reader.role as PendingEvent['actor']['role'] },
      correlationId: reader.correlationId, causationId: null,
      data: { learnerId: disclosure.learnerId, record: disclosure.record, route: disclosure.route },
    });
    if (this.buffer.length > this.maxBuffered) {
      const over = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, over);
      this.droppedCount += over;
      this.options.onError?.(`the disclosure log dropped ${over} reads: the store has not taken them for too long`);
    }
  }

  /** reads recorded and not yet stored */
  get unwritten(): number {
    return this.buffer.length + (this.pending?.events.length ?? 0);
  }

  get dropped(): number {
    return this.droppedCount;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  /** Appends everything buffered so far; one flush at a time. An error leaves the reads buffered for the next one. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeOut()).catch((error: Error) => this.options.onError?.(`storing disclosures failed (kept for the next try): ${error.message}`));
    return this.writing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async writeOut(): Promise<void> {
    while (this.pending || this.buffer.length) {
      this.pending ??= { streamId: `disclosures-${randomUUID()}`, events: this.buffer.splice(0, this.perCommit) };
      try {
        await this.store.append(this.pending.streamId, 'no-stream', this.pending.events);
      } catch (error) {
        // the stream exists only if an earlier attempt of this very commit was stored
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
      this.pending = undefined;
    }
  }
}
