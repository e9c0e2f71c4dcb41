import { summarizeSchool } from '@cbme/analytics-domain';
import { EventEnvelope } from '@cbme/contracts';
import { MongoCheckpointStore, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection } from 'mongoose';
import { AnalyticsFactsProjection } from './analytics-facts.projection';
import { AnalyticsSettingsProjection } from './analytics-settings.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('analytics-facts');
});
afterAll(() => dropTestDatabase(connection));

let position = 0;
const event = (type: string, streamId: string, streamVersion: number, data: object): StoredEvent => ({
  eventId: `e-${++position}`, type, schemaVersion: 1, streamId, streamVersion, position, occurredAt: `2026-09-0${streamVersion}T00:00:00.000Z`, envelopeVersion: 2, recordedAt: `2026-09-0${streamVersion}T00:00:00.000Z`,
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'u', role: 'learner' }, correlationId: 'c', causationId: null, data,
} satisfies EventEnvelope & { position: number });

const history = [
  event('coaching.coach-assigned', 'coaching-learner-med-l1', 1, { relationshipId: 'r1', learnerId: 'l1', coachId: 'c1' }),
  event('feedback.dialogue-opened', 'd1', 1, { dialogueId: 'd1', learnerId: 'l1', coachId: 'c1', topic: 't', competencies: ['ICS'] }),
  event('feedback.dialogue-entry-added', 'd1', 2, { dialogueId: 'd1', entryId: 'x', authorId: 'c1', visibility: 'shared', wordCount: 1 }),
  event('feedback.dialogue-closed', 'd1', 3, { dialogueId: 'd1', learnerId: 'l1' }),
  event('feedback.goal-set', 'g1', 1, { goalId: 'g1', learnerId: 'l1', competencies: [], targetDate: '2027-01-01', visibility: 'shared' }),
  event('feedback.goal-status-changed', 'g1', 2, { goalId: 'g1', learnerId: 'l1', from: 'active', to: 'deferred', visibility: 'shared' }),
];

describe('AnalyticsFactsProjection (real MongoDB-compatible server)', () => {
  it('stores facts whose totals match the pure fold, whatever the duplicates and batch order', async () => {
    const projection = new AnalyticsFactsProjection(connection);
    await projection.apply(history.slice(0, 2));
    await projection.apply([history[3], history[2], history[5], history[4], history[0], history[1]]);
    await projection.apply(history);
    const facts = await projection.ofSchool('med');
    expect(summarizeSchool('med', facts)).toEqual({
      schoolId: 'med',
      dialogues: { opened: 1, closed: 1, open: 0 },
      goals: { active: 0, achieved: 0, abandoned: 0, deferred: 1, total: 1 },
      coaching: { learnersWithCoach: 1, coaches: 1, learnersPerCoach: [{ coachId: 'c1', learners: 1 }] },
    });
    expect(facts.find((f) => f.kind === 'dialogue')).toMatchObject({ status: 'closed', learnerId: 'l1', firstResponseAt: '2026-09-02T00:00:00.000Z', entries: [{ byLearner: false }] });
  });

  it('rebuilds blue/green: queries read the live generation until the switch, then the rebuilt one', async () => {
    const projection = new AnalyticsFactsProjection(connection);
    const before = await projection.ofSchool('med');
    await projection.generations.begin();
    await projection.apply(history.slice(0, 2));
    // the fresh generation holds two events' worth; queries still see the complete live one
    expect(await projection.ofSchool('med')).toEqual(before);
    await projection.apply(history.slice(2));
    await projection.generations.complete();
    expect(sorted(await projection.ofSchool('med'))).toEqual(sorted(before));
    expect(await projection.generations.liveGeneration()).toBe(2);
    // another instance (another process) sees the same live generation
    expect(sorted(await new AnalyticsFactsProjection(connection).ofSchool('med'))).toEqual(sorted(before));
  });

  it('an abandoned rebuild leaves the live generation as it was', async () => {
    const projection = new AnalyticsFactsProjection(connection);
    const before = await projection.ofSchool('med');
    await projection.generations.begin();
    await projection.apply(history.slice(0, 1));
    await projection.generations.abandon();
    expect(await projection.generations.liveGeneration()).toBe(2);
    expect(sorted(await projection.ofSchool('med'))).toEqual(sorted(before));
  });

  it('answers a school again from memory until a batch changes that school, and hands out frozen records', async () => {
    const projection = new AnalyticsFactsProjection(connection);
    const before = await projection.ofSchool('med');
    expect(await projection.ofSchool('med')).toEqual(before);
    expect(() => Object.assign(before[0], { learnerId: 'changed' })).toThrow(TypeError);
    await projection.apply([event('feedback.dialogue-opened', 'd2', 1, { dialogueId: 'd2', learnerId: 'l1', coachId: 'c1', topic: 't', competencies: [] })]);
    const after = await projection.ofSchool('med');
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((f) => f.key.includes('d2'))).toMatchObject({ kind: 'dialogue', status: 'open' });
  });

  it('lists the schools with facts, and a school that appears after the list was read', async () => {
    const projection = new AnalyticsFactsProjection(connection);
    expect(await projection.schools()).toEqual(['med']);
    const nursing = { ...event('feedback.dialogue-opened', 'd-n1', 1, { dialogueId: 'd-n1', learnerId: 'n1', coachId: 'c9', topic: 't', competencies: [] }), tenant: { institutionId: 'inst', schoolId: 'nursing' } };
    await projection.apply([nursing]);
    expect(await projection.schools()).toEqual(['med', 'nursing']);
    expect(await new AnalyticsFactsProjection(connection).schools()).toEqual(['med', 'nursing']);
  });

  it('an instance that does not run the projection (a replica) sees what the lease holder wrote once its checkpoint moves', async () => {
    const holder = new AnalyticsFactsProjection(connection);
    const replica = new AnalyticsFactsProjection(connection);
    const { checkpoint } = await holder.generations.liveCheckpoint();
    const checkpoints = new MongoCheckpointStore(connection);
    const before = await replica.ofSchool('med');
    const schoolsBefore = await replica.schools();
    const opened = event('feedback.dialogue-opened', 'd-r1', 1, { dialogueId: 'd-r1', learnerId: 'l1', coachId: 'c1', topic: 't', competencies: [] });
    const elsewhere = { ...event('feedback.dialogue-opened', 'd-r2', 1, { dialogueId: 'd-r2', learnerId: 'p1', coachId: 'c7', topic: 't', competencies: [] }), tenant: { institutionId: 'inst', schoolId: 'pharmacy' } };
    await holder.apply([opened, elsewhere], { fence: 1 });
    await checkpoints.save(checkpoint, elsewhere.position, 1);
    const after = await replica.ofSchool('med');
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((f) => f.key.includes('d-r1'))).toMatchObject({ kind: 'dialogue', status: 'open' });
    expect(await replica.schools()).toEqual([...schoolsBefore, 'pharmacy'].sort());
  });

  it('reads the records again under a new lease: another holder may have written them in between', async () => {
    const first = new AnalyticsFactsProjection(connection);
    const second = new AnalyticsFactsProjection(connection);
    await first.apply([event('feedback.dialogue-opened', 'dlg-lease', 1, { dialogueId: 'dlg-lease', learnerId: 'l1', coachId: 'c1', topic: 't', competencies: [] })], { fence: 5 });
    // the first instance loses its lease; the second writes an entry under its own
    await second.apply([event('feedback.dialogue-entry-added', 'dlg-lease', 2, { dialogueId: 'dlg-lease', entryId: 'y', authorId: 'l1', visibility: 'shared', wordCount: 3 })], { fence: 6 });
    // the first takes the lease back and applies the closing: the entry the second wrote must survive
    await first.apply([event('feedback.dialogue-closed', 'dlg-lease', 3, { dialogueId: 'dlg-lease', learnerId: 'l1' })], { fence: 7 });
    const dialogue = (await new AnalyticsFactsProjection(connection).ofSchool('med')).find((f) => f.key.includes('dlg-lease'));
    expect(dialogue).toMatchObject({ status: 'closed', version: 3, entries: [{ byLearner: true }] });
  });

  it('keeps each school\'s minimum group size from analytics\' own events', async () => {
    const settings = new AnalyticsSettingsProjection(connection);
    await settings.apply([
      event('analytics.minimum-group-size-set', 'analytics-settings-med', 1, { minimumGroupSize: 12 }),
      event('analytics.minimum-group-size-set', 'analytics-settings-med', 2, { minimumGroupSize: 15 }),
      event('analytics.minimum-group-size-set', 'analytics-settings-med', 1, { minimumGroupSize: 12 }),
    ]);
    expect(await settings.minimumGroupSize('med')).toBe(15);
    expect(await settings.minimumGroupSize('nursing')).toBeNull();
  });
});

const sorted = <T extends { key: string }>(facts: T[]) => [...facts].sort((a, b) => a.key.localeCompare(b.key));
