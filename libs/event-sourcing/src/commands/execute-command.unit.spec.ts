import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { Decider, DomainError, invalidState, notFound } from '@cbme/decider';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { backdated, executeCommand } from './execute-command';

/** A note only its owner may see; writing on a sealed note is an illegal state. */
type NoteEvent = { type: 'noted'; data: { owner: string } } | { type: 'sealed'; data: Record<string, never> };
type NoteState = { owner: string | null; sealed: boolean };
const NO_NOTE = 'no note with that id among yours';
const noteDecider: Decider<{ type: 'Write' | 'Create'; by: string }, NoteEvent, NoteState> = {
  decide: (command, state) => {
    if (command.type === 'Create') return [{ type: 'noted', data: { owner: command.by } }];
    if (state.owner !== command.by) throw notFound(NO_NOTE);
    if (state.sealed) throw invalidState('the note is sealed');
    return [{ type: 'noted', data: { owner: command.by } }];
  },
  evolve: (state, event) => (event.type === 'noted' ? { ...state, owner: event.data.owner } : { ...state, sealed: true }),
  initialState: { owner: null, sealed: false },
};
const catalog = { currentVersion: () => 1 } as unknown as EventCatalog;
const metadataIn = (schoolId: string, userId: string): EventMetadata => ({
  occurredAt: '2026-09-01T10:00:00.000Z', tenant: { institutionId: 'inst', schoolId }, actor: { userId, role: 'learner' }, correlationId: 'c', causationId: null,
});

async function givenNote(streamId: string, schoolId: string, sealed: boolean) {
  const store = new InMemoryEventStore();
  const events = [{ type: 'noted', data: { owner: 'ann' } }, ...(sealed ? [{ type: 'sealed', data: {} }] : [])];
  await store.append(streamId, 0, events.map((e, i) => ({ ...metadataIn(schoolId, 'ann'), eventId: `e${i}`, schemaVersion: 1, ...e })));
  return store;
}

const refusal = (attempt: Promise<unknown>) => attempt.then(() => { throw new Error('expected a refusal'); }, (error: Error) => ({ name: error.name, kind: (error as DomainError).kind, message: error.message }));

describe('executeCommand: who may not see a stream learns nothing about it', () => {
  const write = (by: string) => ({ type: 'Write' as const, by });

  it.each([[false], [true]])('given a note (sealed: %s) of another school, when its owner writes from here, then the refusal is the one for an unknown id', async (sealed) => {
    const store = await givenNote('note-1', 'nursing', sealed);
    const unknown = await refusal(executeCommand(store, catalog, noteDecider, 'note-2', write('ann'), metadataIn('medicine', 'ann')));
    expect(await refusal(executeCommand(store, catalog, noteDecider, 'note-1', write('ann'), metadataIn('medicine', 'ann')))).toEqual(unknown);
    expect(unknown).toMatchObject({ kind: 'not-found', message: NO_NOTE });
  });

  it('given another\'s note at version 2, when a stranger writes with a stale If-Match, then they get the unknown id\'s "not found", not the version', async () => {
    const store = await givenNote('note-1', 'medicine', true);
    const unknown = await refusal(executeCommand(store, catalog, noteDecider, 'note-2', write('bob'), metadataIn('medicine', 'bob'), { expectedVersion: 1 }));
    expect(await refusal(executeCommand(store, catalog, noteDecider, 'note-1', write('bob'), metadataIn('medicine', 'bob'), { expectedVersion: 1 }))).toEqual(unknown);
    expect(unknown).toMatchObject({ kind: 'not-found', message: NO_NOTE });
  });

  it('given her own note at version 2, when the owner writes with a stale If-Match, then it is a version conflict (she may see it)', async () => {
    const store = await givenNote('note-1', 'medicine', true);
    expect(await refusal(executeCommand(store, catalog, noteDecider, 'note-1', write('ann'), metadataIn('medicine', 'ann'), { expectedVersion: 1 })))
      .toMatchObject({ name: 'WrongExpectedVersionError' });
  });

  it('given an id taken in another school, when someone creates with it here, then it is refused and nothing is written', async () => {
    const store = await givenNote('note-1', 'nursing', false);
    expect(await refusal(executeCommand(store, catalog, noteDecider, 'note-1', { type: 'Create', by: 'bob' }, metadataIn('medicine', 'bob')))).toMatchObject({ kind: 'not-found' });
    expect(await store.readStream('note-1')).toHaveLength(1);
  });
});

describe('executeCommand: a backdated command (trusted internal callers, the history import)', () => {
  /** Opens a term only on or after its start date: the decider's "now" is the command's occurredAt. */
  const termDecider: Decider<{ type: 'Open'; today: string }, { type: 'opened'; data: { on: string } }, null> = {
    decide: (command) => {
      if (command.today < '2025-09-01') throw new DomainError('rule-violated', 'the term starts on 1 September 2025');
      return [{ type: 'opened', data: { on: command.today.slice(0, 10) } }];
    },
    evolve: (state) => state,
    initialState: null,
  };
  const run = (store: InMemoryEventStore, metadata: EventMetadata) =>
    executeCommand(store, catalog, termDecider, `term-${metadata.occurredAt}`, { type: 'Open', today: metadata.occurredAt }, metadata);

  it('is judged at its own date and keeps it as occurredAt; the store stamps recordedAt', async () => {
    const store = new InMemoryEventStore();
    const before = new Date().toISOString();
    await run(store, backdated(metadataIn('medicine', 'adm'), '2025-10-01T09:00:00.000Z'));
    const [event] = await store.readStream('term-2025-10-01T09:00:00.000Z');
    expect(event).toMatchObject({ occurredAt: '2025-10-01T09:00:00.000Z', data: { on: '2025-10-01' } });
    expect(event.recordedAt >= before).toBe(true);
    expect(event).not.toHaveProperty('backdated');
    expect(await refusal(run(store, backdated(metadataIn('medicine', 'adm'), '2025-08-01T09:00:00.000Z')))).toMatchObject({ kind: 'rule-violated' });
  });

  it('is refused when dated before its stream\'s last event: a stream\'s history is told in date order', async () => {
    const store = new InMemoryEventStore();
    const open = (date: string) => executeCommand(store, catalog, termDecider, 'term-1', { type: 'Open', today: date }, backdated(metadataIn('medicine', 'adm'), date));
    await open('2025-10-01T09:00:00.000Z');
    expect(await refusal(open('2025-09-15T09:00:00.000Z'))).toMatchObject({ kind: 'rule-violated', message: 'dates out of order: 2025-09-15T09:00:00.000Z is before 2025-10-01T09:00:00.000Z, the date of this stream\'s last event' });
    await open('2025-10-01T09:00:00.000Z');
    expect(await store.readStream('term-1')).toHaveLength(2);
  });

  it('is refused for a date in the future (or no date), and writes nothing', async () => {
    const store = new InMemoryEventStore();
    for (const date of ['2999-01-01T00:00:00.000Z', 'soon']) {
      expect(await refusal(run(store, backdated(metadataIn('medicine', 'adm'), date)))).toMatchObject({ kind: 'rule-violated' });
    }
    expect(await store.headPosition()).toBe(0);
  });

  it('a live command (not backdated) has both times from the store\'s one clock read', async () => {
    const store = new InMemoryEventStore();
    await run(store, { ...metadataIn('medicine', 'adm'), occurredAt: '2025-10-01T09:00:00.000Z' });
    const [event] = await store.readStream('term-2025-10-01T09:00:00.000Z');
    expect(event.occurredAt).toBe(event.recordedAt);
    expect(event.occurredAt > '2025-10-01T09:00:00.000Z').toBe(true);
  });
});
