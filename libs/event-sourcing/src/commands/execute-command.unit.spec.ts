import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { Decider, DomainError, invalidState, notFound } from '@cbme/decider';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { executeCommand } from './execute-command';

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
