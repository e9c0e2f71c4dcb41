import { InMemoryEventStore } from '@cbme/event-sourcing';
import { learnerCoachingStreamId } from '@cbme/coaching-domain';
import { coachingCatalog } from '../coaching-catalog';
import { CoachingSettings, Meetings, MeetingView, Relationships, RelationshipView } from '../coaching.ports';
import { CadenceCheck } from './coaching.reactions';

const relationship = (learnerId: string, status: RelationshipView['status'], startedAt = '2026-01-05T09:00:00.000Z'): RelationshipView & { schoolId: string } => ({
  relationshipId: `r-${learnerId}`, learnerId, coachId: 'coa', status, startedAt, assignedBy: 'lead', schoolId: 'med',
});
const held = (learnerId: string, heldAt: string): MeetingView => ({
  meetingId: `m-${learnerId}`, relationshipId: `r-${learnerId}`, learnerId, coachId: 'coa', startsAt: heldAt, durationMinutes: 30, status: 'held', heldAt,
});

describe('cadence check', () => {
  const store = new InMemoryEventStore();
  const current = [relationship('ann', 'active'), relationship('bob', 'active'), relationship('cat', 'paused'), relationship('dan', 'active', '2026-03-01T09:00:00.000Z')];
  const relationships = { currentEverywhere: async () => current } as unknown as Relationships;
  const meetings = { list: async () => [held('bob', '2026-02-20T10:00:00.000Z')] } as unknown as Meetings;
  const settings: CoachingSettings = { program: async () => ({ meetingCadenceDays: 28, defaultCoachCapacity: 10 }), capacityOf: async () => 10, capacitiesOf: async (_s, ids) => ids.map((coachId) => ({ coachId, capacity: 10 })) };
  const check = new CadenceCheck(store, coachingCatalog(), relationships, meetings, settings);
  const cause = { correlationId: 'cadence-job-1', institutionId: 'inst' };

  beforeAll(async () => {
    // the relationship streams the flags are appended to
    for (const r of current) {
      await store.append(learnerCoachingStreamId('med', r.learnerId), 0, [{
        eventId: `e-${r.learnerId}`, type: 'coaching.coach-assigned', schemaVersion: 1, occurredAt: r.startedAt,
        tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'lead', role: 'coaching-lead' }, correlationId: 'c', causationId: null,
        data: { relationshipId: r.relationshipId, learnerId: r.learnerId, coachId: 'coa' },
      }]);
    }
  });

  it('flags active relationships with no held meeting within the cadence, counted from the last one or the start', async () => {
    expect(await check.run(cause, '2026-03-10T00:00:00.000Z')).toEqual({ checked: 3, flagged: 1 });
    const [, flag] = await store.readStream(learnerCoachingStreamId('med', 'ann'));
    expect(flag).toMatchObject({ type: 'coaching.cadence-fell-behind', correlationId: 'cadence-job-1', actor: { role: 'system' }, data: { dueBy: '2026-02-02T09:00:00.000Z' } });
    expect(flag.data).not.toHaveProperty('lastMeetingAt');
    // bob met on 20 February (due 20 March), cat is paused, dan started on 1 March
    for (const learner of ['bob', 'cat', 'dan']) expect(await store.readStream(learnerCoachingStreamId('med', learner))).toHaveLength(1);
  });

  it('flags each missed due date once, however often it runs', async () => {
    expect(await check.run(cause, '2026-03-11T00:00:00.000Z')).toEqual({ checked: 3, flagged: 0 });
    expect(await check.run(cause, '2026-03-25T00:00:00.000Z')).toEqual({ checked: 3, flagged: 1 });
    const bob = await store.readStream(learnerCoachingStreamId('med', 'bob'));
    expect(bob[1]).toMatchObject({ type: 'coaching.cadence-fell-behind', data: { lastMeetingAt: '2026-02-20T10:00:00.000Z', dueBy: '2026-03-20T10:00:00.000Z' } });
  });
});
