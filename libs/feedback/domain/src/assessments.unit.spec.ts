import { spec } from '@cbme/decider';
import { assessmentImportDecider, checkAssessmentRows, selfAssessmentDecider } from './assessments';
import { DialogueEvent, feedbackDialogueDecider, NO_DIALOGUE } from './feedback-dialogue.decider';

const check = {
  isKnownLearner: (id: string) => id === 'lea' || id === 'leb',
  competencyProblem: (code: string) => (['ICS', 'EPA-8', 'PC'].includes(code) ? null : `competency ${code} is not in any framework of this school`),
  today: '2026-09-01T10:00:00.000Z',
};
const row = (line: number, over: Record<string, string> = {}) => ({
  line, learnerId: 'lea', competency: 'ICS;EPA-8', kind: 'wba-rating', instrument: 'Mini-CEX', score: '4', maxScore: '5', assessedOn: '2026-08-20', ...over,
});

describe('assessment files', () => {
  it('turn good rows into results with every competency of the row', () => {
    expect(checkAssessmentRows([row(2), row(3, { learnerId: 'leb', kind: 'exam-score', competency: 'PC', score: '71.5', maxScore: '100' })], check)).toEqual({
      errors: [],
      results: [
        { line: 2, learnerId: 'lea', competencies: ['ICS', 'EPA-8'], kind: 'wba-rating', instrument: 'Mini-CEX', score: 4, maxScore: 5, assessedOn: '2026-08-20' },
        { line: 3, learnerId: 'leb', competencies: ['PC'], kind: 'exam-score', instrument: 'Mini-CEX', score: 71.5, maxScore: 100, assessedOn: '2026-08-20' },
      ],
    });
  });

  it('report every bad row by line with all its reasons', () => {
    const { errors } = checkAssessmentRows([
      row(2),
      row(3, { learnerId: 'stranger', competency: 'XYZ' }),
      row(4, { kind: 'quiz', score: '6' }),
      row(5, { assessedOn: '2026-02-30', instrument: '' }),
      row(6, { assessedOn: '2026-09-02', score: 'high' }),
    ], check);
    expect(errors).toEqual([
      { line: 3, reasons: ['stranger is not a learner of this school', 'competency XYZ is not in any framework of this school'] },
      { line: 4, reasons: ['kind must be one of exam-score, wba-rating', 'score 6 is above maxScore 5'] },
      { line: 5, reasons: ['instrument is missing', 'assessedOn must be a date YYYY-MM-DD'] },
      { line: 6, reasons: ['score must be a number >= 0', 'assessedOn 2026-09-02 is in the future'] },
    ]);
  });

  const importing = (errors: { line: number; reasons: string[] }[], role: 'school-admin' | 'coach' = 'school-admin') => ({
    type: 'ImportAssessmentResults' as const,
    data: { importId: 'i1', results: checkAssessmentRows([row(2)], check).results, errors, role },
  });

  it('import a good file whole, in one append of the import and its results', () => {
    const events = spec(assessmentImportDecider).given([]).when(importing([])).events();
    expect(events.map((e) => e.type)).toEqual(['feedback.assessment-imported', 'feedback.assessment-result-recorded']);
    expect(events[1].data).toMatchObject({ resultId: 'i1.2', importId: 'i1', learnerId: 'lea', competencies: ['ICS', 'EPA-8'] });
  });

  it('import nothing from a bad file, nothing twice, and only for a school admin', () => {
    expect(spec(assessmentImportDecider).given([]).when(importing([{ line: 3, reasons: ['x'] }])).error()).toMatchObject({ kind: 'rule-violated' });
    const done = spec(assessmentImportDecider).given([]).when(importing([])).events();
    expect(spec(assessmentImportDecider).given(done).when(importing([])).error()).toMatchObject({ kind: 'invalid-state' });
    expect(spec(assessmentImportDecider).given([]).when(importing([], 'coach')).error()).toMatchObject({ kind: 'forbidden' });
  });
});

describe('self-assessment', () => {
  const rate = (ratings: { competency: string; level: number }[], by = 'lea') =>
    ({ type: 'RecordSelfAssessment' as const, data: { assessmentId: 's1', learnerId: 'lea', ratings, recordedBy: by } });

  it('is the learner\'s own, kept each time, on a 1-5 scale, each competency once', () => {
    const first = spec(selfAssessmentDecider).given([]).when(rate([{ competency: 'ICS', level: 2 }])).events();
    expect(spec(selfAssessmentDecider).given(first).when(rate([{ competency: 'ICS', level: 3 }])).events()).toHaveLength(1);
    expect(spec(selfAssessmentDecider).given([]).when(rate([{ competency: 'ICS', level: 2 }], 'coa')).error()).toMatchObject({ kind: 'forbidden' });
    expect(spec(selfAssessmentDecider).given([]).when(rate([{ competency: 'ICS', level: 6 }])).error()).toMatchObject({ kind: 'rule-violated' });
    expect(spec(selfAssessmentDecider).given([]).when(rate([{ competency: 'ICS', level: 2 }, { competency: 'ICS', level: 3 }])).error()).toMatchObject({ kind: 'rule-violated' });
    expect(spec(selfAssessmentDecider).given([]).when(rate([])).error()).toMatchObject({ kind: 'rule-violated' });
  });
});

describe('a dialogue referencing an assessment result', () => {
  const opened: DialogueEvent = { type: 'feedback.dialogue-opened', data: { dialogueId: 'd1', learnerId: 'lea', coachId: 'coa', topic: 'Mini-CEX', competencies: [] } };
  const reference = (resultLearnerId: string | null, by = 'coa', currentCoachId: string | null = 'coa') =>
    ({ type: 'ReferenceAssessmentResult' as const, data: { resultId: 'i1.2', resultLearnerId, referencedBy: by, currentCoachId } });
  const given = spec(feedbackDialogueDecider).given;

  it('points at a result of the dialogue\'s learner, once, by the learner or the current coach', () => {
    const events = given([opened]).when(reference('lea')).events();
    expect(events).toEqual([{ type: 'feedback.dialogue-result-referenced', data: { dialogueId: 'd1', learnerId: 'lea', resultId: 'i1.2' } }]);
    expect(given([opened, ...events]).when(reference('lea', 'lea')).events()).toEqual([]);
    // another learner's result is, to the dialogue's people, one that does not exist
    expect(given([opened]).when(reference('leb')).error()).toEqual(given([opened]).when(reference(null)).error());
    expect(given([opened]).when(reference(null)).error()).toMatchObject({ kind: 'not-found', message: 'no assessment result i1.2 of lea in this school' });
    // the former coach (learner transferred to cob) may not see the dialogue any more
    expect(given([opened]).when(reference('lea', 'coa', 'cob')).error()).toMatchObject({ kind: 'not-found', message: NO_DIALOGUE });
    expect(given([opened]).when(reference('lea', 'cob', 'cob')).error()).toMatchObject({ kind: 'forbidden' });
  });
});
