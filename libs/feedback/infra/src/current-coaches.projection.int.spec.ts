import { InMemoryEventStore, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { CoachHistoryProjection, CurrentCoachesProjection } from './current-coaches.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('current-coaches');
});
afterAll(() => dropTestDatabase(connection));

const STREAM = 'coaching-learner-med-lea';

/** A learner's relationship stream: assigned to coa, paused, resumed, transferred to cob, ended. */
async function relationshipHistory(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore();
  const ids = { relationshipId: 'r1', learnerId: 'lea', coachId: 'coa' };
  const events = [
    pendingEvent('coaching.coach-assigned', ids, '2023-01-10T09:00:00.000Z'),
    pendingEvent('coaching.relationship-paused', { ...ids, reason: 'parental leave' }, '2023-06-01T09:00:00.000Z'),
    pendingEvent('coaching.relationship-resumed', ids, '2023-09-01T09:00:00.000Z'),
    pendingEvent('coaching.learner-transferred', { relationshipId: 'r1', newRelationshipId: 'r2', learnerId: 'lea', fromCoachId: 'coa', toCoachId: 'cob', reason: 'rotation' }, '2024-01-15T09:00:00.000Z'),
    pendingEvent('coaching.relationship-ended', { relationshipId: 'r2', learnerId: 'lea', coachId: 'cob', reason: 'graduated' }, '2025-06-30T09:00:00.000Z'),
  ];
  for (const [i, event] of events.entries()) await store.append(STREAM, i, [event]);
  return store.readStream(STREAM);
}

describe('CurrentCoachesProjection (real MongoDB-compatible server)', () => {
  let history: StoredEvent[];
  beforeAll(async () => {
    history = await relationshipHistory();
  });

  it('follows assignment, pause (still current), resume, transfer (the new coach) and end (nobody)', async () => {
    const projection = new CurrentCoachesProjection(connection);
    await projection.reset();
    const seen: (string | null)[] = [];
    for (const event of history) {
      await projection.apply([event]);
      seen.push(await projection.currentCoachOf('med', 'lea'));
    }
    expect(seen).toEqual(['coa', 'coa', 'coa', 'cob', null]);
    expect(await projection.currentCoachOf('nursing', 'lea')).toBeNull();
  });

  it('is unchanged by redelivery, replays and batches in any order: an older event never brings back a former coach', async () => {
    const projection = new CurrentCoachesProjection(connection);
    await projection.reset();
    await projection.apply([history[3], history[0], history[1]]);
    expect(await projection.currentCoachOf('med', 'lea')).toBe('cob');
    await projection.apply(history.slice(0, 3));
    expect(await projection.currentCoachOf('med', 'lea')).toBe('cob');
    await projection.apply([history[4], history[2]]);
    await projection.apply(history);
    expect(await projection.currentCoachOf('med', 'lea')).toBeNull();
  });
});

describe('CoachHistoryProjection (real MongoDB-compatible server)', () => {
  it('tells who coached the learner at a date, whatever order and however often the events came', async () => {
    const history = await relationshipHistory();
    const projection = new CoachHistoryProjection(connection);
    await projection.reset();
    await projection.apply([history[3], history[0]]);
    await projection.apply(history);
    const coachAt = (at: string) => projection.coachAt('med', 'lea', at);
    expect(await Promise.all(['2023-01-01T00:00:00Z', '2023-01-10T09:00:00Z', '2023-07-01T00:00:00Z', '2024-01-15T08:59:59Z', '2024-01-15T09:00:00Z', '2025-07-01T00:00:00Z'].map(coachAt)))
      .toEqual([null, 'coa', 'coa', 'coa', 'cob', null]);
    expect(await projection.coachAt('nursing', 'lea', '2024-01-01T00:00:00Z')).toBeNull();
  });
});
