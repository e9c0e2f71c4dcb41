import { EventMetadata } from '@cbme/contracts';
import { backdated, executeCommand, MongoEventStore } from '@cbme/event-sourcing';
import { feedbackCatalog, ProgressSnapshots } from '@cbme/feedback-application';
import { AsOfBasis, goalDecider, goalStreamId } from '@cbme/feedback-domain';
import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { LearnerTimelineProjection } from './learner-timeline.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('progress-as-of');
});
afterAll(() => dropTestDatabase(connection));

const catalog = feedbackCatalog();
const live = (): EventMetadata => ({
  occurredAt: new Date().toISOString(), tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'ada', role: 'learner' }, correlationId: randomUUID(), causationId: null,
});
const goal = (goalId: string, targetDate: string) => ({
  goalId, learnerId: 'ada', description: `goal ${goalId}`, measureOfSuccess: null, competencies: ['ICS'], targetDate, visibility: 'shared' as const,
});

describe('as-of through the real store: a learner with a backdated record (real MongoDB-compatible server)', () => {
  it('keeps both times of each event, and "as it was" differs from "as known" exactly before the import', async () => {
    const store = new MongoEventStore(connection, { upcast: catalog.upcast.bind(catalog) });
    await store.init();
    const [g0, g1] = [randomUUID(), randomUUID()];
    const run = (goalId: string, command: Parameters<typeof goalDecider.decide>[0], metadata: EventMetadata) =>
      executeCommand(store, catalog, goalDecider, goalStreamId(goalId), command, metadata);
    const importStarted = new Date().toISOString();

    // Ada's live goal, and her older one imported now: set on 1 June 2026 (its target date has passed by today, but not
    // by its own date, which is what the decider judges it at), achieved on 1 August 2026
    await run(g1, { type: 'SetGoal', data: { ...goal(g1, '2027-06-30'), setBy: 'ada', today: live().occurredAt } }, live());
    const setOn = backdated(live(), '2026-06-01T09:00:00.000Z');
    await run(g0, { type: 'SetGoal', data: { ...goal(g0, '2026-10-01'), setBy: 'ada', today: setOn.occurredAt } }, setOn);
    const achievedOn = backdated(live(), '2026-08-01T09:00:00.000Z');
    await run(g0, { type: 'ChangeGoalStatus', data: { to: 'achieved', changedBy: 'ada', today: achievedOn.occurredAt, currentCoachId: null } }, achievedOn);
    // the same goal set live today would be refused: its target date is past
    await expect(run(randomUUID(), { type: 'SetGoal', data: { ...goal('g2', '2026-10-01'), setBy: 'ada', today: live().occurredAt } }, live())).rejects.toMatchObject({ kind: 'rule-violated' });

    const imported = await store.readStream(goalStreamId(g0));
    expect(imported.map((e) => e.occurredAt)).toEqual(['2026-06-01T09:00:00.000Z', '2026-08-01T09:00:00.000Z']);
    expect(imported.every((e) => e.recordedAt >= importStarted && e.envelopeVersion === 2)).toBe(true);
    const [liveEvent] = await store.readStream(goalStreamId(g1));
    expect(liveEvent.recordedAt).toBe(liveEvent.occurredAt);

    const timeline = new LearnerTimelineProjection(connection);
    await timeline.apply((await store.readCommitsAfter(0, 100)).flatMap((c) => c.events));
    const items = await timeline.itemsOf('med', 'ada');
    expect(items.map((i) => [i.subjectId, i.at === i.recordedAt])).toEqual([[g0, false], [g0, false], [g1, true]]);

    const snapshots = new ProgressSnapshots(store, timeline);
    const goalsAt = async (asOf: string, basis: AsOfBasis) =>
      (await snapshots.at('med', 'ada', asOf, basis, 'everything')).goals.map((g) => `${g.goalId === g0 ? 'g0' : 'g1'}:${g.status}`);
    expect(await goalsAt('2026-07-01T00:00:00.000Z', 'occurred')).toEqual(['g0:active']);
    expect(await goalsAt('2026-07-01T00:00:00.000Z', 'recorded')).toEqual([]);
    expect(await goalsAt('2026-09-01T00:00:00.000Z', 'occurred')).toEqual(['g0:achieved']);
    expect(await goalsAt('2026-09-01T00:00:00.000Z', 'recorded')).toEqual([]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await goalsAt(later, 'recorded')).toEqual(await goalsAt(later, 'occurred'));
    expect(await goalsAt(later, 'occurred')).toEqual(['g0:achieved', 'g1:active']);
  });
});
