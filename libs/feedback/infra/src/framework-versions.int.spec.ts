import { EventMetadata } from '@cbme/contracts';
import { executeCommand, MongoEventStore, StoredEvent } from '@cbme/event-sourcing';
import {
  feedbackCatalog, FrameworkReadings, GetTimelineHandler, GetUnmappedCodesHandler, HistoryGate, ListLearnerGoalsHandler, ListSelfAssessmentsHandler,
} from '@cbme/feedback-application';
import { competencyFrameworksDecider, frameworksStreamId } from '@cbme/feedback-domain';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { CurrentCoachesProjection } from './current-coaches.projection';
import { LearnerGoalsProjection } from './learner-goals.projection';
import { LearnerTimelineProjection } from './learner-timeline.projection';
import { SchoolMembersProjection } from './school-members.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('framework-versions');
});
afterAll(() => dropTestDatabase(connection));

const catalog = feedbackCatalog();
const admin = (): EventMetadata => ({
  occurredAt: new Date().toISOString(), tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'sad', role: 'school-admin' }, correlationId: randomUUID(), causationId: null,
});
const ada = { userId: 'ada', role: 'learner' as const, schoolId: 'med' };
const v1 = [{ code: 'E1', name: 'History' }, { code: 'E2', name: 'Exam' }, { code: 'E3', name: 'Handover' }, { code: 'E4', name: 'Consent' }];
const v2 = [{ code: 'N1', name: 'History and exam' }, { code: 'N3a', name: 'Handover out' }, { code: 'N3b', name: 'Handover in' }];
const publish = (competencies: { code: string; name: string }[], crosswalk?: { line: number; from: string; to: string[] }[]) =>
  executeCommand(store, catalog, competencyFrameworksDecider, frameworksStreamId('med'), {
    type: 'PublishFrameworkVersion', data: { frameworkId: 'epas', name: 'EPAs', competencies, source: 'defined', role: 'school-admin', ...(crosswalk ? { crosswalk } : {}) },
  }, admin());
const evidence = (type: string, streamId: string, data: object, schemaVersion = 1) => store.append(streamId, 'no-stream', [{ ...pendingEvent(type, data), actor: { userId: 'ada', role: 'learner' }, schemaVersion }]);
const everything = async (): Promise<StoredEvent[]> => (await store.readCommitsAfter(0, 10_000)).flatMap((c) => c.events);

let store: MongoEventStore;

describe('old evidence read under a new framework version (real MongoDB-compatible server)', () => {
  it('reads v1 evidence under v2 codes, reports the unmapped code, leaves the events as they were, and a rebuild answers the same', async () => {
    store = new MongoEventStore(connection, { upcast: catalog.upcast.bind(catalog) });
    await store.init();
    const timeline = new LearnerTimelineProjection(connection);
    const goals = new LearnerGoalsProjection(connection);
    const coaches = new CurrentCoachesProjection(connection);
    const members = new SchoolMembersProjection(connection);
    const readings = new FrameworkReadings(store);

    // under v1: a goal on E1 and E2, a dialogue on E3, a self-assessment of E1, E2 and E4
    await publish(v1);
    await evidence('feedback.goal-set', 'feedback-goal-g1', { goalId: 'g1', learnerId: 'ada', description: 'History', measureOfSuccess: null, competencies: ['E1', 'E2'], targetDate: '2027-01-01', visibility: 'shared' }, 3);
    await evidence('feedback.dialogue-opened', 'feedback-dialogue-d1', { dialogueId: 'd1', learnerId: 'ada', coachId: 'coa', topic: 'Night handover', competencies: ['E3'] });
    await evidence('feedback.self-assessment-recorded', 'feedback-self-assessments-med-ada', { assessmentId: 's1', learnerId: 'ada', ratings: [{ competency: 'E1', level: 4 }, { competency: 'E2', level: 2 }, { competency: 'E4', level: 3 }] });
    // v2: E1 and E2 merge into N1, E3 splits in two, E4 is left out without a mapping
    await publish(v2, [{ line: 1, from: 'E1', to: ['N1'] }, { line: 2, from: 'E2', to: ['N1'] }, { line: 3, from: 'E3', to: ['N3a', 'N3b'] }]);
    const before = await everything();
    await timeline.apply(before);
    await goals.apply(before);

    const read = async () => {
      const version = { frameworkId: 'epas', version: 2 };
      const gate = new HistoryGate(coaches, members);
      const history = await new GetTimelineHandler(gate, timeline, readings).execute({ viewer: ada, learnerId: 'ada', filter: { version } });
      return {
        goals: await new ListLearnerGoalsHandler(goals, coaches, readings).execute({ viewer: ada, learnerId: 'ada', version }),
        timeline: history.items.map((i) => [i.type, i.competencies, i.recordedCompetencies]),
        unmappedInTimeline: history.frameworkVersion,
        selfAssessments: await new ListSelfAssessmentsHandler(store, coaches, readings).execute({ viewer: ada, learnerId: 'ada', version }),
        onlyN1: (await new GetTimelineHandler(gate, timeline, readings).execute({ viewer: ada, learnerId: 'ada', filter: { version, competency: 'N1' } })).total,
        report: await new GetUnmappedCodesHandler(store, timeline).execute({ viewer: { userId: 'sad', role: 'school-admin', schoolId: 'med' }, frameworkId: 'epas' }),
      };
    };
    const first = await read();
    expect(first.goals).toMatchObject({ goals: [{ goalId: 'g1', competencies: ['N1'], recordedCompetencies: ['E1', 'E2'] }], frameworkVersion: { frameworkId: 'epas', version: 2, unmapped: [] } });
    expect(first.timeline).toEqual([
      ['feedback.dialogue-opened', ['N3a', 'N3b'], ['E3']],
      ['feedback.goal-set', ['N1'], ['E1', 'E2']],
      ['feedback.self-assessment-recorded', ['N1', 'E4'], ['E1', 'E2', 'E4']],
    ]);
    expect(first.unmappedInTimeline).toEqual({ frameworkId: 'epas', version: 2, unmapped: ['E4'] });
    expect(first.selfAssessments.selfAssessments[0].ratings).toEqual([
      { competency: 'N1', level: 2, recordedAs: ['E1', 'E2'] }, { competency: 'E4', level: 3, recordedAs: ['E4'] },
    ]);
    expect(first.onlyN1).toBe(2);
    expect(first.report).toEqual({ frameworkId: 'epas', version: 2, codes: [{ code: 'E4', items: { assessment: 1 }, learners: 1, total: 1 }] });

    // as recorded (no version) and the stored events themselves are untouched
    const recorded = await new ListLearnerGoalsHandler(goals, coaches, readings).execute({ viewer: ada, learnerId: 'ada' });
    expect(recorded.goals[0].competencies).toEqual(['E1', 'E2']);
    expect(recorded).not.toHaveProperty('frameworkVersion');
    expect((await store.readStream('feedback-goal-g1'))[0].data).toMatchObject({ competencies: ['E1', 'E2'] });

    // a rebuild from the store, in one batch
    await timeline.reset();
    await goals.reset();
    const all = await everything();
    expect(all).toEqual(before);
    await timeline.apply(all);
    await goals.apply(all);
    expect(await read()).toEqual(first);
  }, 240_000);
});
