import {
  CancelCommunitySessionCommand, CancelCommunitySessionHandler, coachingCatalog, CommunityParticipationHandler, CommunityParticipationQuery, CommunitySessionsHandler,
  CommunitySessionsQuery, CreateCommunityCommand, CreateCommunityHandler, MyCommunitySessionsHandler, MyCommunitySessionsQuery, RecordCommunitySessionHeldCommand,
  RecordCommunitySessionHeldHandler, RescheduleCommunitySessionCommand, RescheduleCommunitySessionHandler, ScheduleCommunitySessionCommand, ScheduleCommunitySessionHandler, Viewer,
} from '@cbme/coaching-application';
import { communityStreamId } from '@cbme/coaching-domain';
import { EventMetadata, Role } from '@cbme/contracts';
import { MongoEventStore } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { CommunitySessionsProjection } from './community-sessions.projection';
import { DirectoryProjection } from './directory.projection';

let connection: Connection;
let store: MongoEventStore;
let projection: CommunitySessionsProjection;
let directory: DirectoryProjection;

const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();
const now = Date.now();
const meta = (occurredAt: string, backdated = false): EventMetadata => ({
  occurredAt, ...(backdated ? { backdated: true as const } : {}),
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'lead', role: 'coaching-lead' }, correlationId: randomUUID(), causationId: null,
});
const as = (userId: string, role: Role): Viewer => ({ userId, role, schoolId: 'med', now: at(now) });
const stream = communityStreamId('med', 'house-osler');
const past = at(now - 30 * 24 * HOUR);
const pastStart = at(now - 20 * 24 * HOUR);
const nextWeek = at(now + 7 * 24 * HOUR);

const membership = (type: string, coachId: string, occurredAt: string) => ({
  ...meta(occurredAt), eventId: randomUUID(), type, schemaVersion: 1, data: { communityId: 'house-osler', coachId },
});

beforeAll(async () => {
  connection = await connectTestDatabase('community-sessions');
  store = new MongoEventStore(connection, { collection: 'coaching_events' });
  await store.init();
  projection = new CommunitySessionsProjection(connection);
  directory = new DirectoryProjection(connection);
  const catalog = coachingCatalog();
  const handler = <T>(H: new (...args: never[]) => T) => new (H as unknown as new (...a: unknown[]) => T)(store, catalog, directory);
  await handler(CreateCommunityHandler).execute(new CreateCommunityCommand(meta(at(now - 60 * 24 * HOUR), true), { communityId: 'house-osler', name: 'Osler House' }));
  // c1 and c3 belong before the past session; c3 leaves after it started; c2 joins after it started
  await store.append(stream, 'any', [
    membership('coaching.community-coach-joined', 'c1', at(now - 40 * 24 * HOUR)),
    membership('coaching.community-coach-joined', 'c3', at(now - 40 * 24 * HOUR)),
  ]);
  await handler(ScheduleCommunitySessionHandler).execute(new ScheduleCommunitySessionCommand(meta(past, true), 'house-osler', {
    sessionId: 's-past', kind: 'faculty-development', title: 'Feedback that lands', startsAt: pastStart, durationMinutes: 90, location: 'Room 4',
  }));
  await store.append(stream, 'any', [
    membership('coaching.community-coach-joined', 'c2', at(now - 10 * 24 * HOUR)),
    membership('coaching.community-coach-left', 'c3', at(now - 5 * 24 * HOUR)),
  ]);
  const schedule = handler(ScheduleCommunitySessionHandler);
  await schedule.execute(new ScheduleCommunitySessionCommand(meta(at(now)), 'house-osler', { sessionId: 's-next', kind: 'coach-meeting', title: 'Case review', startsAt: nextWeek, durationMinutes: 60 }));
  await schedule.execute(new ScheduleCommunitySessionCommand(meta(at(now)), 'house-osler', { sessionId: 's-off', kind: 'coach-meeting', title: 'Off', startsAt: nextWeek, durationMinutes: 60 }));
  await handler(RescheduleCommunitySessionHandler).execute(new RescheduleCommunitySessionCommand(meta(at(now)), 'house-osler', 's-next', { startsAt: at(now + 8 * 24 * HOUR), reason: 'Clash' }));
  await handler(CancelCommunitySessionHandler).execute(new CancelCommunitySessionCommand(meta(at(now)), 'house-osler', 's-off', 'Exams week'));
}, 60_000);
afterAll(() => dropTestDatabase(connection));

const record = (attendees: string[]) =>
  new RecordCommunitySessionHeldHandler(store, coachingCatalog(), directory as never).execute(
    new RecordCommunitySessionHeldCommand(meta(at(now)), 'house-osler', 's-past', { topics: ['Feedback models'], attendees }),
  );

/** runs `query` and returns its answer with every read filter it sent to the server */
async function withReads<T>(query: () => Promise<T>): Promise<{ answer: T; filters: unknown[] }> {
  const filters: unknown[] = [];
  connection.set('debug', (_collection: string, _method: string, filter: unknown) => filters.push(filter));
  try {
    return { answer: await query(), filters };
  } finally {
    connection.set('debug', false);
  }
}
const byIdOnly = (filter: unknown) => typeof filter === 'object' && filter !== null && Object.keys(filter).length === 1 && typeof (filter as { _id?: unknown })._id === 'string';

describe('community sessions on the real store and read model', () => {
  it('judges attendance by who belonged when the session started, with times from the stream', async () => {
    await expect(record(['c1', 'c2'])).rejects.toMatchObject({ kind: 'rule-violated', field: 'attendees', message: expect.stringContaining('c2') });
    const { events } = await record(['c1']);
    expect(events[0].data).toMatchObject({ attendees: ['c1'], absentees: ['c3'], startsAt: pastStart });
  });

  it('projects sessions, attendance and participation, read by _id, the same after a replay and a rebuild', async () => {
    const history = await store.readStream(stream);
    await projection.apply(history.slice(0, 4));
    await projection.apply(history.slice(4));
    await projection.apply(history); // redelivered: nothing changes
    const read = () => Promise.all([
      new CommunitySessionsHandler(projection, directory).execute(new CommunitySessionsQuery(as('lead', 'coaching-lead'), 'house-osler')),
      new MyCommunitySessionsHandler(projection).execute(new MyCommunitySessionsQuery(as('c3', 'coach'))),
      new MyCommunitySessionsHandler(projection).execute(new MyCommunitySessionsQuery(as('c1', 'coach'))),
      new CommunityParticipationHandler(projection, directory).execute(new CommunityParticipationQuery(as('lead', 'coaching-lead'), { from: at(now - 25 * 24 * HOUR) })),
    ]);
    const { answer, filters } = await withReads(read);
    const [lead, c3, c1, participation] = answer;
    expect(filters.every(byIdOnly)).toBe(true);
    expect(lead.sessions.map((s) => [s.sessionId, s.status])).toEqual([['s-past', 'held'], ['s-off', 'cancelled'], ['s-next', 'scheduled']]);
    expect(lead.sessions[0]).toMatchObject({ location: 'Room 4', topics: ['Feedback models'], attendance: [{ coachId: 'c1', attended: true }, { coachId: 'c3', attended: false }] });
    expect(lead.sessions[1]).toMatchObject({ reason: 'Exams week' });
    expect(lead.sessions[2]).toMatchObject({ startsAt: at(now + 8 * 24 * HOUR), reason: 'Clash' });
    // c3 left: no upcoming sessions, but their (missed) attendance stays theirs
    expect(c3).toMatchObject({ communities: [], upcoming: [], held: 1, attended: 0, attendance: [{ sessionId: 's-past', title: 'Feedback that lands', attended: false }] });
    expect(c1).toMatchObject({ communities: [{ communityId: 'house-osler', name: 'Osler House' }], held: 1, attended: 1 });
    expect(c1.upcoming.map((s) => s.sessionId)).toEqual(['s-next']);
    expect(participation).toMatchObject({ sessionsHeld: 1, coaches: [{ coachId: 'c1', held: 1, attended: 1 }, { coachId: 'c3', held: 1, attended: 0 }] });

    await projection.reset();
    await projection.apply(history);
    expect((await read())).toEqual(answer);
  });

  it('hides a community from coaches who are not members now, and participation from coaches', async () => {
    await expect(new CommunitySessionsHandler(projection, directory).execute(new CommunitySessionsQuery(as('c3', 'coach'), 'house-osler'))).rejects.toMatchObject({ kind: 'not-found' });
    await expect(new CommunitySessionsHandler(projection, directory).execute(new CommunitySessionsQuery(as('lead', 'coaching-lead'), 'house-nobody'))).rejects.toMatchObject({ kind: 'not-found' });
    const c1view = await new CommunitySessionsHandler(projection, directory).execute(new CommunitySessionsQuery(as('c1', 'coach'), 'house-osler'));
    expect(c1view.sessions[0]).toMatchObject({ youAttended: true });
    expect(c1view.sessions[0]).not.toHaveProperty('attendance');
    await expect(new CommunityParticipationHandler(projection, directory).execute(new CommunityParticipationQuery(as('c1', 'coach'), {}))).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(new CommunityParticipationHandler(projection, directory).execute(new CommunityParticipationQuery(as('lead', 'coaching-lead'), { from: nextWeek, to: past }))).rejects.toMatchObject({ kind: 'rule-violated', field: 'from' });
  });
});
