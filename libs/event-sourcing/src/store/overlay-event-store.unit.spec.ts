import { InMemoryEventStore } from './in-memory-event-store';
import { OverlayEventStore } from './overlay-event-store';

const pending = (eventId: string) => ({
  eventId, type: 'noted', schemaVersion: 1, data: {}, tenant: { institutionId: 'i', schoolId: 's' }, actor: { userId: 'u', role: 'learner' as const }, correlationId: 'c', causationId: null,
  occurredAt: '2025-10-01T09:00:00.000Z',
});

describe('OverlayEventStore (dry runs)', () => {
  it('reads streams through from the real store and keeps every append in memory', async () => {
    const base = new InMemoryEventStore();
    await base.append('note-1', 0, [pending('e1')]);
    const overlay = new OverlayEventStore(base);
    expect((await overlay.readStream('note-1')).map((e) => e.eventId)).toEqual(['e1']);
    await overlay.append('note-1', 1, [pending('e2')]);
    await overlay.append('note-2', 0, [pending('e3')]);
    expect((await overlay.readStream('note-1')).map((e) => [e.eventId, e.streamVersion])).toEqual([['e1', 1], ['e2', 2]]);
    expect((await overlay.readStream('note-1', { fromVersion: 2 })).map((e) => e.eventId)).toEqual(['e2']);
    expect((await base.readStream('note-1')).map((e) => e.eventId)).toEqual(['e1']);
    expect(await base.readStream('note-2')).toEqual([]);
  });

  it('copies a stream written before its first read, so an append checks the real version', async () => {
    const base = new InMemoryEventStore();
    await base.append('note-1', 0, [pending('e1')]);
    const overlay = new OverlayEventStore(base);
    await expect(overlay.append('note-1', 0, [pending('e2')])).rejects.toThrow('expected 0');
  });
});
