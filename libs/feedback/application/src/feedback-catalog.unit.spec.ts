import { publicCatalog } from '@cbme/contracts';
import { StoredEvent } from '@cbme/event-sourcing';
import { feedbackCatalog, feedbackPublication } from './feedback-catalog';

const entry: StoredEvent = {
  eventId: '0b6f3c9e-2a8e-4d4a-9d57-1b1c2f3e4d5a', type: 'feedback.dialogue-entry-added', schemaVersion: 1,
  streamId: 'feedback-dialogue-d1', streamVersion: 2, position: 7, occurredAt: '2026-09-01T10:00:00.000Z', envelopeVersion: 2, recordedAt: '2026-09-01T10:00:00.000Z',
  tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'lea', role: 'learner' },
  correlationId: 'c1', causationId: null,
  data: { dialogueId: 'd1', entryId: 'e1', authorId: 'lea', visibility: 'private', wordCount: 3, text: 'I felt rushed' },
};

describe('feedback publication', () => {
  it('keeps entry text in the feedback store but never publishes it', () => {
    const { position: _position, ...stored } = entry;
    expect(feedbackCatalog().parse(stored)).toMatchObject({ ok: true, value: { data: { text: 'I felt rushed' } } });
    const published = feedbackPublication(entry)!;
    expect(published.data).toEqual({ dialogueId: 'd1', entryId: 'e1', authorId: 'lea', visibility: 'private', wordCount: 3 });
    expect(published).not.toHaveProperty('position');
    expect(publicCatalog().parse(published)).toMatchObject({ ok: true });
  });

  it('keeps an action item\'s wording in the feedback store but never publishes it', () => {
    const action = { ...entry, type: 'feedback.dialogue-action-agreed', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', ownerId: 'lea', dueDate: '2026-09-15', description: 'Practise SBAR' } };
    const { position: _p, ...stored } = action;
    expect(feedbackCatalog().parse(stored)).toMatchObject({ ok: true, value: { data: { description: 'Practise SBAR' } } });
    const published = feedbackPublication(action)!;
    expect(published.data).toEqual({ dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', ownerId: 'lea', dueDate: '2026-09-15' });
    expect(publicCatalog().parse(published)).toMatchObject({ ok: true });
  });

  it('keeps the outcome of a done action item and the reason for a dropped one in the feedback store, and publishes neither', () => {
    const done = { ...entry, type: 'feedback.dialogue-action-completed', schemaVersion: 2, streamVersion: 4, data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: 3, outcome: 'SBAR every night' } };
    const dropped = { ...entry, type: 'feedback.dialogue-action-dropped', streamVersion: 5, data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a2', reason: 'I left the rota' } };
    for (const [event, text] of [[done, 'SBAR every night'], [dropped, 'I left the rota']] as const) {
      const { position: _p, ...stored } = event;
      expect(JSON.stringify(feedbackCatalog().parse(stored))).toContain(text);
      const published = feedbackPublication(event)!;
      expect(JSON.stringify(published)).not.toContain(text);
      expect(publicCatalog().parse(published)).toMatchObject({ ok: true });
    }
    expect(feedbackPublication(done)!.data).toEqual({ dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: 3 });
    expect(feedbackPublication(dropped)!.data).toEqual({ dialogueId: 'd1', learnerId: 'lea', actionId: 'a2' });
  });

  it('reads an action item done before outcomes existed (v1) as done with no outcome recorded, in the store and on Kafka', () => {
    const v1 = { ...entry, type: 'feedback.dialogue-action-completed', schemaVersion: 1, streamVersion: 4, data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1' } };
    const { position: _p, ...stored } = v1;
    expect(feedbackCatalog().parse(stored)).toEqual({ ok: true, value: { ...stored, schemaVersion: 2, data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: null, outcome: null } } });
    expect(feedbackCatalog().upcast(v1).data).toEqual({ dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: null, outcome: null });
    expect(publicCatalog().parse(stored)).toMatchObject({ ok: true, value: { schemaVersion: 2, data: { actionId: 'a1', outcomeWords: null } } });
    expect(feedbackPublication(feedbackCatalog().upcast(v1))!.data).toEqual({ dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: null });
  });

  it('refuses an outcome or a reason longer than 1000 characters in the stored form, and a missing reason', () => {
    const done = { ...entry, type: 'feedback.dialogue-action-completed', schemaVersion: 2, data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: 1, outcome: 'x'.repeat(1001) } };
    const dropped = { ...entry, type: 'feedback.dialogue-action-dropped', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a2' } };
    for (const event of [done, dropped]) {
      const { position: _p, ...stored } = event;
      expect(feedbackCatalog().parse(stored)).toMatchObject({ ok: false });
    }
  });

  it('publishes plans and plan reviews without their text', () => {
    const plan = { ...entry, type: 'feedback.plan-revised', streamId: 'feedback-plan-med-lea', data: {
      planId: 'p1', learnerId: 'lea', version: 2, focusAreas: [{ focusId: 'f1', title: 'My weak spot', competencies: ['ICS'] }], goalIds: [], motivatedBy: [],
      competencies: ['ICS'], nextReviewDue: '2026-12-01T09:00:00.000Z', rationale: 'I struggled',
    } };
    const review = { ...entry, type: 'feedback.plan-reviewed', streamId: 'feedback-plan-med-lea', data: {
      planId: 'p1', learnerId: 'lea', reviewId: 'r1', coachId: 'coa', planVersion: 2, nextReviewDue: '2027-01-01T09:00:00.000Z', whatChanged: 'secret', nextSteps: ['secret too'],
    } };
    const published = [plan, review].map((e) => feedbackPublication(e)!);
    expect(JSON.stringify(published)).not.toMatch(/weak spot|struggled|secret/);
    expect(published[0].data).toMatchObject({ focusAreas: [{ focusId: 'f1', competencies: ['ICS'] }], version: 2 });
    for (const event of published) expect(publicCatalog().parse(event)).toMatchObject({ ok: true });
    expect(published.map((e) => e.schemaVersion)).toEqual([2, 2]);

    // stored as v1 (before the text left the contract): feedback still reads its text, a consumer reads a v1 message without it
    const v1 = { ...plan, schemaVersion: 1 };
    expect(feedbackCatalog().upcast(v1).data).toMatchObject({ rationale: 'I struggled', focusAreas: [{ title: 'My weak spot' }] });
    const { position: _p, ...message } = { ...review, schemaVersion: 1 };
    const consumed = publicCatalog().parse(message);
    expect(consumed).toMatchObject({ ok: true, value: { schemaVersion: 2 } });
    expect(JSON.stringify(consumed)).not.toContain('secret');
  });

  it('publishes other events as stored', () => {
    const closed = { ...entry, type: 'feedback.dialogue-closed', data: { dialogueId: 'd1', learnerId: 'lea' } };
    const { position: _p, ...envelope } = closed;
    expect(feedbackPublication(closed)).toEqual(envelope);
  });

  describe('goals', () => {
    const goal = (type: string, data: object, streamVersion = 1): StoredEvent => ({
      ...entry, type, schemaVersion: 1, streamId: 'feedback-goal-g1', streamVersion, data,
    });
    const set = { goalId: 'g1', learnerId: 'lea', description: 'Stop avoiding family meetings', measureOfSuccess: 'lead one', competencies: ['ICS'], targetDate: '2027-01-01' };
    const privateGoal = [
      { ...goal('feedback.goal-set', { ...set, visibility: 'private' }), schemaVersion: 3 },
      { ...goal('feedback.goal-revised', { goalId: 'g1', learnerId: 'lea', description: 'Lead two', targetDate: '2027-02-01', rationale: 'I panic', visibility: 'private' }, 2), schemaVersion: 2 },
      { ...goal('feedback.goal-status-changed', { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved', note: 'finally', visibility: 'private' }, 3), schemaVersion: 2 },
    ];

    it('publishes a private goal\'s events without any of its text, in a form every consumer accepts', () => {
      const published = privateGoal.map((e) => feedbackPublication(e)!);
      expect(published.map((e) => e.data)).toEqual([
        { goalId: 'g1', learnerId: 'lea', competencies: ['ICS'], targetDate: '2027-01-01', visibility: 'private' },
        { goalId: 'g1', learnerId: 'lea', targetDate: '2027-02-01', visibility: 'private' },
        { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved', visibility: 'private' },
      ]);
      for (const event of published) expect(publicCatalog().parse(event)).toMatchObject({ ok: true });
      const { position: _p, ...stored } = privateGoal[0];
      expect(feedbackCatalog().parse(stored)).toMatchObject({ ok: true, value: { data: { description: 'Stop avoiding family meetings' } } });
    });

    it('publishes a shared goal and a change of sharing as stored', () => {
      const shared = { ...goal('feedback.goal-set', { ...set, visibility: 'shared' }), schemaVersion: 3 };
      const sharing = goal('feedback.goal-sharing-changed', { goalId: 'g1', learnerId: 'lea', visibility: 'private' }, 2);
      for (const event of [shared, sharing]) {
        const { position: _p, ...envelope } = event;
        expect(feedbackPublication(event)).toEqual(envelope);
        expect(publicCatalog().parse(envelope)).toMatchObject({ ok: true });
      }
    });

    it('publishes goals stored before visibility existed with their text (they were shared)', () => {
      const old = goal('feedback.goal-revised', { goalId: 'g1', learnerId: 'lea', description: 'Lead two', targetDate: '2027-02-01', rationale: 'rota' });
      expect(feedbackPublication(old)!.data).toMatchObject({ description: 'Lead two', rationale: 'rota' });
    });
  });

  it('keeps a coach plan\'s words (focus-area titles, rationale, review text) in the feedback store and publishes only what its contract declares', () => {
    const coachPlan = { ...entry, streamId: 'feedback-coach-plan-med-coa', actor: { userId: 'coa', role: 'coach' as const } };
    const revised = { ...coachPlan, type: 'feedback.coach-plan-revised', data: { planId: 'cp1', coachId: 'coa', version: 2, focusAreas: [{ focusId: 'f1', area: 'inclusive-language', title: 'Mind my assumptions' }], nextReviewDue: '2026-12-01T09:00:00.000Z', rationale: 'A learner told me' } };
    const reviewed = { ...coachPlan, type: 'feedback.coach-plan-reviewed', streamVersion: 4, actor: { userId: 'cob', role: 'coach' as const }, data: { planId: 'cp1', coachId: 'coa', reviewId: 'r1', reviewerId: 'cob', reviewerRole: 'coach', planVersion: 2, nextReviewDue: '2027-01-10T09:00:00.000Z', whatChanged: 'Asks first', nextSteps: ['Observe a peer'] } };
    for (const [event, words] of [[revised, ['Mind my assumptions', 'A learner told me']], [reviewed, ['Asks first', 'Observe a peer']]] as const) {
      const { position: _p, ...stored } = event;
      for (const word of words) expect(JSON.stringify(feedbackCatalog().parse(stored))).toContain(word);
      expect(feedbackCatalog().parse(stored)).toMatchObject({ ok: true });
      const published = feedbackPublication(event)!;
      for (const word of words) expect(JSON.stringify(published)).not.toContain(word);
      expect(publicCatalog().parse(published)).toMatchObject({ ok: true });
    }
    expect(JSON.parse(JSON.stringify(feedbackPublication(revised)!.data))).toEqual({ planId: 'cp1', coachId: 'coa', version: 2, focusAreas: [{ focusId: 'f1', area: 'inclusive-language' }], nextReviewDue: '2026-12-01T09:00:00.000Z' });
    expect(feedbackPublication(reviewed)!.data).toEqual({ planId: 'cp1', coachId: 'coa', reviewId: 'r1', reviewerId: 'cob', reviewerRole: 'coach', planVersion: 2, nextReviewDue: '2027-01-10T09:00:00.000Z' });
  });
});

describe('personal fields of the feedback service\'s stored forms', () => {
  it('are every free text, name and address the stored forms add, each with the field naming whom it is about (none: the stream\'s subject)', () => {
    const catalog = feedbackCatalog();
    const stored = ['feedback.dialogue-entry-added', 'feedback.dialogue-action-agreed', 'feedback.dialogue-action-completed', 'feedback.dialogue-action-dropped',
      'feedback.goal-progress-noted', 'feedback.plan-revised', 'feedback.plan-reviewed', 'feedback.coach-plan-revised', 'feedback.coach-plan-reviewed',
      'feedback.request-prompted', 'feedback.request-made', 'feedback.request-answered', 'feedback.request-declined'];
    expect(Object.fromEntries(stored.map((type) => [type, catalog.personalFields(type)]))).toEqual({
      'feedback.dialogue-entry-added': { paths: ['text'] },
      'feedback.dialogue-action-agreed': { paths: ['description'], subjectField: 'learnerId' },
      'feedback.dialogue-action-completed': { paths: ['outcome'], subjectField: 'learnerId' },
      'feedback.dialogue-action-dropped': { paths: ['reason'], subjectField: 'learnerId' },
      'feedback.goal-progress-noted': { paths: ['note'], subjectField: 'learnerId' },
      'feedback.plan-revised': { paths: ['focusAreas[].title', 'rationale'], subjectField: 'learnerId' },
      'feedback.plan-reviewed': { paths: ['whatChanged', 'nextSteps'], subjectField: 'learnerId' },
      'feedback.coach-plan-revised': { paths: ['focusAreas[].title', 'rationale'], subjectField: 'coachId' },
      'feedback.coach-plan-reviewed': { paths: ['whatChanged', 'nextSteps'], subjectField: 'coachId' },
      'feedback.request-prompted': { paths: ['message'], subjectField: 'learnerId' },
      'feedback.request-made': { paths: ['assessorName', 'assessorEmail', 'context.encounter'], subjectField: 'learnerId' },
      'feedback.request-answered': { paths: ['text'], subjectField: 'learnerId' },
      'feedback.request-declined': { paths: ['reason'], subjectField: 'learnerId' },
    });
  });
});
