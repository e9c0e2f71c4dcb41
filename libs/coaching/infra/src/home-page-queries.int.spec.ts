import {
  LearnerCoachingHandler, LearnerCoachingQuery, LearnerMeetingHistoryHandler, LearnerMeetingHistoryQuery, ListRelationshipsHandler, ListRelationshipsQuery, MyCoacheesHandler, MyCoacheesQuery, SchoolRosterHandler,
  RelationshipView, SchoolRosterQuery, Viewer,
} from '@cbme/coaching-application';
import { Role } from '@cbme/contracts';
import { learnerCoachingStreamId, meetingStreamId } from '@cbme/coaching-domain';
import { MongoEventStore, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { CoachingOverviewProjection } from './coaching-overview.projection';
import { CoachingSettingsProjection } from './coaching-settings.projection';
import { DirectoryProjection } from './directory.projection';
import { MeetingsProjection } from './meetings.projection';
import { PeopleOverviewProjection } from './people-overview.projection';
import { RelationshipsProjection } from './relationships.projection';

let connection: Connection;
let position = 0;

const event = (type: string, streamId: string, streamVersion: number, occurredAt: string, data: object, schoolId = 'med'): StoredEvent => ({
  eventId: randomUUID(), type, schemaVersion: 1, envelopeVersion: 2, streamId, streamVersion, occurredAt, recordedAt: occurredAt, data, position: ++position,
  tenant: { institutionId: 'inst', schoolId }, actor: { userId: 'lead', role: 'coaching-lead' }, correlationId: randomUUID(), causationId: null,
});

// what identity and feedback published (coaching's inbox)
const inbox = [
  event('identity.user-registered', 'identity-user-l1', 1, '2026-06-01T00:00:00.000Z', { userId: 'l1', email: 'l1@x.edu', displayName: 'Ada' }),
  event('identity.user-registered', 'identity-user-c1', 1, '2026-06-01T00:00:00.000Z', { userId: 'c1', email: 'c1@x.edu', displayName: 'Cora' }),
  event('identity.user-registered', 'identity-user-lead', 1, '2026-06-01T00:00:00.000Z', { userId: 'lead', email: 'lead@x.edu', displayName: 'Lee' }),
  ...['l1', 'l2', 'l3', 'l4', 'l5'].map((userId) => event('identity.role-granted', `identity-user-${userId}`, 2, '2026-06-01T00:00:00.000Z', { userId, schoolId: 'med', role: 'learner' })),
  event('identity.role-revoked', 'identity-user-l5', 3, '2026-06-02T00:00:00.000Z', { userId: 'l5', schoolId: 'med', role: 'learner' }),
  ...['c1', 'c2'].map((userId) => event('identity.role-granted', `identity-user-${userId}`, 1, '2026-06-01T00:00:00.000Z', { userId, schoolId: 'med', role: 'coach' })),
  event('identity.role-granted', 'identity-user-n1', 1, '2026-06-01T00:00:00.000Z', { userId: 'n1', schoolId: 'nur', role: 'learner' }, 'nur'),
  event('feedback.dialogue-opened', 'feedback-dialogue-d1', 1, '2026-09-03T09:00:00.000Z', { dialogueId: 'd1', learnerId: 'l1', coachId: 'c1', topic: 't', competencies: ['ICS'] }),
  event('feedback.goal-set', 'feedback-goal-g1', 1, '2026-09-20T09:00:00.000Z', { goalId: 'g1', learnerId: 'l1', competencies: ['PC'], visibility: 'shared' }),
  event('feedback.goal-set', 'feedback-goal-g2', 1, '2026-09-21T09:00:00.000Z', { goalId: 'g2', learnerId: 'l1', competencies: ['PC'], visibility: 'private' }),
];

// coaching's own events: l1 with c1 (beyond c1's capacity, with a reason); l2 with c1, then transferred to c2; l3 with c1, paused;
// a relationship of c1 in another school; c2's own capacity, set with a reason
const events = [
  event('coaching.program-configured', 'coaching-program-med', 1, '2026-06-01T00:00:00.000Z', { meetingCadenceDays: 28, defaultCoachCapacity: 2 }),
  event('coaching.coach-assigned', 'rel-med-l3', 1, '2026-07-01T00:00:00.000Z', { relationshipId: 'r4', learnerId: 'l3', coachId: 'c1' }),
  event('coaching.relationship-paused', 'rel-med-l3', 2, '2026-07-15T00:00:00.000Z', { relationshipId: 'r4', learnerId: 'l3', coachId: 'c1', reason: 'Leave' }),
  event('coaching.coach-assigned', 'rel-med-l2', 1, '2026-08-01T00:00:00.000Z', { relationshipId: 'r2', learnerId: 'l2', coachId: 'c1' }),
  event('coaching.meeting-scheduled', 'meeting-m3', 1, '2026-08-02T00:00:00.000Z', { meetingId: 'm3', relationshipId: 'r2', learnerId: 'l2', coachId: 'c1', startsAt: '2026-08-10T10:00:00.000Z', durationMinutes: 30 }),
  event('coaching.meeting-held', 'meeting-m3', 2, '2026-08-10T11:00:00.000Z', {
    meetingId: 'm3', learnerId: 'l2', coachId: 'c1', agenda: ['rotation'],
    notes: [{ visibility: 'coach-only', wordCount: 3, text: 'C1 PRIVATE NOTE' }, { visibility: 'shared-with-learner', wordCount: 3, text: 'Shared study plan' }],
  }),
  event('coaching.coach-assigned', 'rel-med-l1', 1, '2026-09-01T00:00:00.000Z', { relationshipId: 'r1', learnerId: 'l1', coachId: 'c1', capacityOverride: 'Continuity from year 1' }),
  event('coaching.meeting-scheduled', 'meeting-m1', 1, '2026-09-02T00:00:00.000Z', { meetingId: 'm1', relationshipId: 'r1', learnerId: 'l1', coachId: 'c1', startsAt: '2026-09-05T10:00:00.000Z', durationMinutes: 30, location: 'Room 1' }),
  event('coaching.meeting-held', 'meeting-m1', 2, '2026-09-05T10:30:00.000Z', { meetingId: 'm1', learnerId: 'l1', coachId: 'c1', agenda: [], notes: [] }),
  event('coaching.meeting-scheduled', 'meeting-m2', 1, '2026-09-06T00:00:00.000Z', { meetingId: 'm2', relationshipId: 'r1', learnerId: 'l1', coachId: 'c1', startsAt: '2026-10-20T10:00:00.000Z', durationMinutes: 30 }),
  event('coaching.meeting-rescheduled', 'meeting-m2', 2, '2026-09-07T00:00:00.000Z', { meetingId: 'm2', learnerId: 'l1', coachId: 'c1', startsAt: '2026-10-22T10:00:00.000Z' }),
  event('coaching.learner-transferred', 'rel-med-l2', 2, '2026-09-10T00:00:00.000Z', { relationshipId: 'r2', newRelationshipId: 'r3', learnerId: 'l2', fromCoachId: 'c1', toCoachId: 'c2', reason: 'Moved' }),
  event('coaching.coach-assigned', 'rel-nur-n1', 1, '2026-09-01T00:00:00.000Z', { relationshipId: 'rn', learnerId: 'n1', coachId: 'c1' }, 'nur'),
  event('coaching.coach-capacity-set', 'coaching-coach-med-c2', 1, '2026-09-12T00:00:00.000Z', { coachId: 'c2', capacity: 3, reason: 'Part-time this term' }),
];

let overview: CoachingOverviewProjection;
let people: PeopleOverviewProjection;
let relationships: RelationshipsProjection;
let meetings: MeetingsProjection;
let settings: CoachingSettingsProjection;
let directory: DirectoryProjection;
let store: MongoEventStore;

/** the spec's stream names as the coaching service names them */
const realStreamOf = (e: StoredEvent) => {
  const [kind, ...rest] = e.streamId.split('-');
  if (kind === 'rel') return learnerCoachingStreamId(rest[0], rest[1]);
  return kind === 'meeting' ? meetingStreamId(e.tenant.schoolId, rest.join('-')) : e.streamId;
};

beforeAll(async () => {
  connection = await connectTestDatabase('coaching-home');
  overview = new CoachingOverviewProjection(connection);
  people = new PeopleOverviewProjection(connection);
  relationships = new RelationshipsProjection(connection);
  meetings = new MeetingsProjection(connection);
  settings = new CoachingSettingsProjection(connection);
  directory = new DirectoryProjection(connection);
  // in two batches, the second applied twice: a redelivered batch changes nothing
  for (const batch of [events.slice(0, 6), events.slice(6), events.slice(6)]) {
    for (const projection of [overview, relationships, meetings, settings]) await projection.apply(batch);
  }
  for (const batch of [inbox, inbox]) for (const projection of [people, directory]) await projection.apply(batch);
  // the streams themselves, for what is read from the store: the current coach, meeting notes and moves
  store = new MongoEventStore(connection, { collection: 'coaching_events' });
  await store.init();
  for (const { streamId: _s, streamVersion: _v, position: _p, ...e } of events) await store.append(realStreamOf({ ...e, streamId: _s } as StoredEvent), 'any', [e]);
}, 60_000);
afterAll(() => dropTestDatabase(connection));

const NOW = '2026-10-05T00:00:00.000Z';
const as = (userId: string, role: Role, schoolId = 'med'): Viewer => ({ userId, role, schoolId, now: NOW });

/** runs `query` and returns its answer with every read it sent to the server (collection, method, filter) */
async function withReads<T>(query: () => Promise<T>): Promise<{ answer: T; reads: { collection: string; method: string; filter: unknown }[] }> {
  const reads: { collection: string; method: string; filter: unknown }[] = [];
  connection.set('debug', (collection: string, method: string, filter: unknown) => reads.push({ collection, method, filter }));
  try {
    return { answer: await query(), reads };
  } finally {
    connection.set('debug', false);
  }
}
const byIdOnly = (filter: unknown) => typeof filter === 'object' && filter !== null && Object.keys(filter).length === 1 && typeof (filter as { _id?: unknown })._id === 'string';

describe('the home-page queries read only by _id', () => {
  it("a coach's coachees: last and next meeting, cadence, and what is new since they last met", async () => {
    const handler = new MyCoacheesHandler(overview, settings, directory, people);
    const { answer, reads } = await withReads(() => handler.execute(new MyCoacheesQuery(as('c1', 'coach'))));
    const none = { 'dialogue-opened': 0, 'dialogue-closed': 0, 'goal-set': 0, 'goal-revised': 0, 'goal-achieved': 0, 'goal-status-changed': 0, 'plan-changed': 0, 'assessment-recorded': 0 };
    expect(answer).toEqual({
      schoolId: 'med', coachId: 'c1', meetingCadenceDays: 28,
      coachees: [
        {
          learnerId: 'l3', displayName: 'l3', relationshipId: 'r4', status: 'paused', since: '2026-07-01T00:00:00.000Z', lastMeetingAt: null, nextMeeting: null,
          nextDueBy: '2026-07-29T00:00:00.000Z', behindCadence: false, newSinceLastMeeting: none,
        },
        {
          learnerId: 'l1', displayName: 'Ada', relationshipId: 'r1', status: 'active', since: '2026-09-01T00:00:00.000Z', lastMeetingAt: '2026-09-05T10:30:00.000Z',
          nextMeeting: { meetingId: 'm2', relationshipId: 'r1', learnerId: 'l1', coachId: 'c1', startsAt: '2026-10-22T10:00:00.000Z', durationMinutes: 30, status: 'scheduled' },
          nextDueBy: '2026-10-03T10:30:00.000Z', behindCadence: true, newSinceLastMeeting: { ...none, 'goal-set': 1 },
        },
      ],
    });
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((r) => !byIdOnly(r.filter))).toEqual([]);
  });

  it("the lead's roster, by name: unassigned learners, coach load with capacity and its overrides, relationships behind cadence", async () => {
    const handler = new SchoolRosterHandler(overview, people, settings, directory);
    const { answer, reads } = await withReads(() => handler.execute(new SchoolRosterQuery(as('lead', 'coaching-lead'))));
    expect(answer).toEqual({
      schoolId: 'med', program: { meetingCadenceDays: 28, defaultCoachCapacity: 2 },
      // l4 was never named by identity: the id stands in
      unassigned: [{ learnerId: 'l4', learnerName: 'l4', needsReassignment: false }],
      coachLoad: [
        {
          coachId: 'c1', coachName: 'Cora', load: 2, capacity: 2, overCapacity: false,
          overrides: [{ relationshipId: 'r1', learnerId: 'l1', learnerName: 'Ada', by: 'lead', byName: 'Lee', at: '2026-09-01T00:00:00.000Z', reason: 'Continuity from year 1' }],
        },
        {
          coachId: 'c2', coachName: 'c2', load: 1, capacity: 3, overCapacity: false,
          capacitySet: { by: 'lead', byName: 'Lee', at: '2026-09-12T00:00:00.000Z', reason: 'Part-time this term' }, overrides: [],
        },
      ],
      behindCadence: [{ relationshipId: 'r1', learnerId: 'l1', learnerName: 'Ada', coachId: 'c1', coachName: 'Cora', dueBy: '2026-10-03T10:30:00.000Z' }],
    });
    expect(reads.filter((r) => !byIdOnly(r.filter))).toEqual([]);
  });

  it("the lead's relationship list and a learner's coaching answer what the collection filters answer", async () => {
    const list = new ListRelationshipsHandler(overview, directory);
    const names = new Map([['l1', 'Ada'], ['c1', 'Cora']]);
    const named = (r: RelationshipView) => ({ ...r, learnerName: names.get(r.learnerId) ?? r.learnerId, coachName: names.get(r.coachId) ?? r.coachId });
    for (const filter of [{}, { coachId: 'c1' }, { learnerId: 'l2' }, { currentOnly: true }, { coachId: 'c1', currentOnly: true }]) {
      const { answer, reads } = await withReads(() => list.execute(new ListRelationshipsQuery(as('lead', 'coaching-lead'), filter)));
      expect(answer).toEqual({ schoolId: 'med', relationships: (await relationships.list('med', filter)).map(named) });
      expect(reads.filter((r) => !byIdOnly(r.filter))).toEqual([]);
    }
    const coaching = new LearnerCoachingHandler(overview, directory, store);
    const { answer, reads } = await withReads(() => coaching.execute(new LearnerCoachingQuery(as('l2', 'learner'), 'l2')));
    expect(answer).toEqual({
      schoolId: 'med', learnerId: 'l2', currentCoach: { coachId: 'c2', coachName: 'c2', relationshipId: 'r3', status: 'active', since: '2026-09-10T00:00:00.000Z' },
      history: await relationships.list('med', { learnerId: 'l2' }), meetings: await meetings.list('med', { learnerId: 'l2' }),
    });
    expect(answer.history.map((r) => [r.relationshipId, r.status, r.endReason])).toEqual([['r2', 'ended', 'transferred'], ['r3', 'active', undefined]]);
    expect(reads.filter((r) => !byIdOnly(r.filter))).toEqual([]);
  });

  it("a learner's current coach reads their coaching and meetings; a former coach is told what an unknown learner's id tells", async () => {
    const coaching = new LearnerCoachingHandler(overview, directory, store);
    const history = new LearnerMeetingHistoryHandler(overview, directory, store);
    const page = { page: 1, pageSize: 10 };
    expect((await coaching.execute(new LearnerCoachingQuery(as('c2', 'coach'), 'l2'))).currentCoach).toMatchObject({ coachId: 'c2' });
    // l2 was c1's coachee until the transfer: c1's private note of their meeting is not for c2, the shared one is
    const l2 = await history.execute(new LearnerMeetingHistoryQuery(as('c2', 'coach'), 'l2', page));
    expect(l2).toMatchObject({ learnerId: 'l2', total: 1, next: [], meetings: [{ meetingId: 'm3', coachId: 'c1', status: 'held', agenda: ['rotation'] }] });
    expect(l2.meetings[0].notes).toEqual([{ visibility: 'shared-with-learner', wordCount: 3, text: 'Shared study plan' }]);
    expect(JSON.stringify(l2)).not.toContain('C1 PRIVATE NOTE');
    // a lead sees that the meeting was held, not what was said
    const asLead = await history.execute(new LearnerMeetingHistoryQuery(as('lead', 'coaching-lead'), 'l2', page));
    expect(asLead.meetings.map((m) => [m.meetingId, m.status, m.notes])).toEqual([['m3', 'held', []]]);

    const unknown = await history.execute(new LearnerMeetingHistoryQuery(as('c1', 'coach'), 'nobody', page)).catch((e) => e);
    expect(unknown).toMatchObject({ kind: 'not-found', message: 'no learner with that id among the people you may see' });
    const sameAsUnknown = { kind: unknown.kind, message: unknown.message };
    await expect(history.execute(new LearnerMeetingHistoryQuery(as('c1', 'coach'), 'l2', page))).rejects.toMatchObject(sameAsUnknown);
    await expect(coaching.execute(new LearnerCoachingQuery(as('c1', 'coach'), 'l2'))).rejects.toMatchObject(sameAsUnknown);
    // another learner (l2) does not read l1's, and a coach of the school who does not coach l1 neither
    await expect(history.execute(new LearnerMeetingHistoryQuery(as('l2', 'learner'), 'l1', page))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(history.execute(new LearnerMeetingHistoryQuery(as('c2', 'coach'), 'l1', page))).rejects.toMatchObject({ kind: 'not-found' });
  });

  it("a learner's meetings: the next ones booked with their moves, then the rest newest first, a page at a time", async () => {
    const history = new LearnerMeetingHistoryHandler(overview, directory, store);
    const first = await history.execute(new LearnerMeetingHistoryQuery(as('c1', 'coach'), 'l1', { page: 1, pageSize: 10 }));
    expect(first.next).toMatchObject([{ meetingId: 'm2', startsAt: '2026-10-22T10:00:00.000Z', status: 'scheduled', moves: [{ from: '2026-10-20T10:00:00.000Z', to: '2026-10-22T10:00:00.000Z', at: '2026-09-07T00:00:00.000Z' }] }]);
    expect(first).toMatchObject({ total: 1, meetings: [{ meetingId: 'm1', status: 'held', location: 'Room 1', moves: [] }] });
    // the lead reads it too; past the last page, nothing
    const beyond = await history.execute(new LearnerMeetingHistoryQuery(as('lead', 'coaching-lead'), 'l1', { page: 2, pageSize: 10 }));
    expect(beyond).toMatchObject({ total: 1, page: 2, meetings: [] });
  });

  it('keeps schools apart', async () => {
    expect((await overview.relationships('nur', {})).map((r) => r.relationshipId)).toEqual(['rn']);
    expect(await people.membersWithRole('nur', 'learner')).toEqual(['n1']);
    expect(await people.membersWithRole('med', 'learner')).toEqual(['l1', 'l2', 'l3', 'l4']);
  });

  it('is rebuilt from nothing to the same documents', async () => {
    const before = await overview.relationships('med', {});
    await overview.reset();
    expect(await overview.relationships('med', {})).toEqual([]);
    await overview.apply(events);
    expect(await overview.relationships('med', {})).toEqual(before);
  });
});
