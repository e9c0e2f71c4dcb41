import { DeadLetterEvents, deadLetterStreamId, EventDefinition } from '@cbme/contracts';
import { DeadLetterKind, DeadLetterRecord, DeadLetterSummary, EventStore } from '@cbme/event-sourcing';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { RequestContext } from '../http/request-context';

/** what a dead letter's id can be (`<projection>:<event id>` or `<dead-letter topic>:<topic>:<partition>:<offset>`) */
const DEAD_LETTER_ID = /^[\w.:-]{1,500}$/;

export type DeadLetterOutcome = { outcome: 'applied' | 'failed' | 'discarded'; reason: string | null; deadLetter: DeadLetterSummary };

/**
 * What an institution admin does with a dead letter; the controller has checked the role before anything here reads.
 * Each inspection, replay and discard is an event in the service's own store, in the letter's stream.
 */
@Injectable()
export class DeadLetterOperations {
  constructor(private readonly runtime: EventSourcingRuntime, @Inject(EVENT_STORE) private readonly store: EventStore) {}

  async page(kind: DeadLetterKind, name: string, paging: { before?: number; limit: number }) {
    if (!this.runtime.deadLetterPlaces().some((p) => p.kind === kind && p.name === name)) {
      throw new NotFoundException(`this service parks no dead letters as ${kind} ${name}`);
    }
    return this.runtime.deadLetters.page(kind, name, paging);
  }

  /** The letter's content, as a message's UTF-8 text or the parked event, and every action on it; the look is recorded first. */
  async inspect(caller: RequestContext, id: string) {
    const letter = await this.find(id);
    await this.record(caller, letter, DeadLetterEvents.Inspected, {});
    const { event, message, ...deadLetter } = letter;
    return {
      deadLetter,
      event,
      message: message && { ...message, value: message.value === null ? null : Buffer.from(message.value, 'base64').toString('utf8') },
      actions: await this.actionsOn(id),
    };
  }

  /** Runs the letter again; applied resolves it, a failure keeps it with the new reason. A resolved letter is a 409. */
  async replay(caller: RequestContext, id: string): Promise<DeadLetterOutcome> {
    const letter = await this.find(id);
    if (letter.status !== 'parked') throw new ConflictException(`this dead letter was ${letter.status}: there is nothing to replay`);
    const result = await this.runtime.replayDeadLetter(letter);
    const attempt = letter.failedReplays + 1;
    if ('reason' in result) {
      await this.record(caller, letter, DeadLetterEvents.Replayed, { outcome: 'failed', reason: result.reason.slice(0, 300), attempt });
      await this.runtime.deadLetters.failedAgain(letter, result.reason);
    } else {
      await this.record(caller, letter, DeadLetterEvents.Replayed, { outcome: 'applied', attempt });
      await this.runtime.deadLetters.resolve(letter, 'replayed');
    }
    return { outcome: 'reason' in result ? 'failed' : 'applied', reason: 'reason' in result ? result.reason : null, deadLetter: await this.summaryOf(id) };
  }

  async discard(caller: RequestContext, id: string, reason: string): Promise<DeadLetterOutcome> {
    const letter = await this.find(id);
    if (letter.status !== 'parked') throw new ConflictException(`this dead letter was already ${letter.status}`);
    await this.record(caller, letter, DeadLetterEvents.Discarded, { reason });
    await this.runtime.deadLetters.resolve(letter, 'discarded');
    return { outcome: 'discarded', reason, deadLetter: await this.summaryOf(id) };
  }

  private async find(id: string): Promise<DeadLetterRecord> {
    const letter = DEAD_LETTER_ID.test(id) ? await this.runtime.deadLetters.get(id) : null;
    if (!letter) throw new NotFoundException('no such dead letter in this service');
    return letter;
  }

  private async summaryOf(id: string): Promise<DeadLetterSummary> {
    const { event: _event, message: _message, ...summary } = await this.find(id);
    return summary;
  }

  private async actionsOn(id: string) {
    const events = await this.store.readStream(deadLetterStreamId(id));
    return events.map((e) => ({ type: e.type, at: e.recordedAt, actor: e.actor, data: e.data }));
  }

  private async record<D extends object>(caller: RequestContext, letter: DeadLetterSummary, definition: EventDefinition<string, D>, data: Omit<D, 'deadLetterId' | 'kind' | 'name'>) {
    await this.store.append(deadLetterStreamId(letter.id), 'any', [{
      eventId: randomUUID(), type: definition.type, schemaVersion: definition.schemaVersion,
      tenant: { institutionId: caller.institutionId, schoolId: caller.schoolId },
      actor: { userId: caller.userId, role: caller.role },
      correlationId: caller.correlationId, causationId: null,
      data: { deadLetterId: letter.id, kind: letter.kind, name: letter.name, ...data },
    }]);
    this.runtime.appended();
  }
}
