import { Framework, SEED_FRAMEWORKS } from './competency-frameworks';
import { OtherRatingInput, resultOnScale, selfVsOthers, SelfVsOthersInput } from './self-vs-others';

const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}T09:00:00.000Z`;
const self = (competency: string, level: number, d: number, visibility: 'shared' | 'private' = 'shared') => ({ assessmentId: `sa-${d}`, competency, level, at: day(d), visibility });
const coach = (competency: string, level: number, d: number, source: OtherRatingInput['source'] = 'coach'): OtherRatingInput => ({
  source, raterId: source === 'coach' ? 'coa' : 'ass', dialogueId: 'd1', entryId: `e-${d}-${competency}`, competency, level, at: day(d),
});
const result = (competency: string, score: number, maxScore: number, d: number) => ({ resultId: `r-${d}-${competency}`, competency, instrument: 'OSCE', score, maxScore, assessedOn: `2026-10-${String(d).padStart(2, '0')}` });
const input = (parts: Partial<SelfVsOthersInput>): SelfVsOthersInput => ({ self: [], others: [], results: [], ...parts });
const everything = { access: 'everything' as const, threshold: 1 };
const row = (view: ReturnType<typeof selfVsOthers>, code: string) => view.competencies.find((r) => r.competency === code);

describe('resultOnScale', () => {
  it('lays a result\'s fraction of its own maximum over 1..5, whatever that maximum', () => {
    expect([resultOnScale(0, 10), resultOnScale(5, 10), resultOnScale(10, 10)]).toEqual([1, 3, 5]);
    expect([resultOnScale(70, 100), resultOnScale(7, 10), resultOnScale(2.8, 4)]).toEqual([3.8, 3.8, 3.8]);
  });
  it('has no value for a result without a usable maximum', () => {
    expect([resultOnScale(3, 0), resultOnScale(Number.NaN, 10)]).toEqual([null, null]);
  });
});

describe('selfVsOthers', () => {
  it('puts the latest self-rating beside the coach\'s latest and gives the signed gap', () => {
    const view = selfVsOthers(input({ self: [self('ICS', 2, 1), self('ICS', 4, 5)], others: [coach('ICS', 3, 2), coach('ICS', 2, 6)] }), [...SEED_FRAMEWORKS], everything);
    expect(row(view, 'ICS')).toMatchObject({
      name: 'Interpersonal and Communication Skills', frameworkId: 'acgme-core', status: 'active',
      self: { level: 4, at: day(5) }, others: { coach: { latest: { level: 2, at: day(6) }, count: 2 }, assessor: { latest: null, count: 0 }, result: { latest: null, count: 0 } },
      othersLevel: 2, gap: 2, flagged: true,
    });
  });

  it('averages the latest of each source, results brought from several scales onto the framework\'s', () => {
    const view = selfVsOthers(input({
      self: [self('PC', 2, 1)],
      others: [coach('PC', 4, 2), coach('PC', 5, 3, 'assessor')],
      results: [result('PC', 30, 100, 1), result('PC', 9, 10, 4)],
    }), [...SEED_FRAMEWORKS], everything);
    // coach 4, assessor 5, latest result 9/10 -> 4.6: mean 4.5
    expect(row(view, 'PC')).toMatchObject({ others: { result: { latest: { level: 4.6, at: '2026-10-04' }, count: 2 } }, othersLevel: 4.5, gap: -2.5, flagged: true });
  });

  it('shows others\' view without a gap where the learner has not rated themselves', () => {
    const view = selfVsOthers(input({ others: [coach('MK', 3, 2)] }), [...SEED_FRAMEWORKS], everything);
    expect(row(view, 'MK')).toMatchObject({ self: null, othersLevel: 3, gap: null, flagged: false });
  });

  it('flags only gaps of at least the threshold, either way', () => {
    const data = input({ self: [self('PC', 3, 1), self('MK', 3, 1), self('P', 3, 1)], others: [coach('PC', 4, 2), coach('MK', 1.5, 2), coach('P', 3.5, 2)] });
    const view = selfVsOthers(data, [...SEED_FRAMEWORKS], { access: 'everything', threshold: 1 });
    expect(view.competencies.map((r) => [r.competency, r.gap, r.flagged])).toEqual([['PC', -1, true], ['MK', 1.5, true], ['P', -0.5, false]]);
    expect(selfVsOthers(data, [...SEED_FRAMEWORKS], { access: 'everything', threshold: 2 }).competencies.every((r) => !r.flagged)).toBe(true);
  });

  it('leaves private self-assessments out for the coach: the latest shared one counts, or none', () => {
    const data = input({ self: [self('ICS', 2, 1), self('ICS', 5, 3, 'private'), self('PC', 4, 3, 'private')], others: [coach('ICS', 2, 2), coach('PC', 2, 2)] });
    const coachView = selfVsOthers(data, [...SEED_FRAMEWORKS], { access: 'shared', threshold: 1 });
    expect(row(coachView, 'ICS')).toMatchObject({ self: { level: 2 }, gap: 0, flagged: false });
    expect(row(coachView, 'PC')).toMatchObject({ self: null, gap: null, flagged: false });
    expect(row(selfVsOthers(data, [...SEED_FRAMEWORKS], everything), 'ICS')).toMatchObject({ self: { level: 5 }, gap: 3, flagged: true });
  });

  it('keeps retired and unknown codes, marked, after the frameworks\' own order', () => {
    const school: Framework = {
      frameworkId: 'local', name: 'Local', version: 2, origin: 'school',
      competencies: [{ code: 'LOC-2', name: 'Two' }], retired: [{ code: 'LOC-1', name: 'One', retiredInVersion: 2 }],
    };
    const view = selfVsOthers(input({ self: [self('ZZZ', 3, 1), self('LOC-1', 3, 1), self('LOC-2', 2, 1), self('ICS', 1, 1)] }), [...SEED_FRAMEWORKS, school], everything);
    expect(view.competencies.map((r) => [r.competency, r.status])).toEqual([['ICS', 'active'], ['LOC-2', 'active'], ['LOC-1', 'retired'], ['ZZZ', 'unknown']]);
    expect(row(view, 'LOC-1')).toMatchObject({ name: 'One', frameworkId: 'local' });
    expect(row(view, 'ZZZ')).toMatchObject({ name: null, frameworkId: null });
  });

  it('answers an empty table for a learner with no ratings at all', () => {
    expect(selfVsOthers(input({}), [...SEED_FRAMEWORKS], everything)).toEqual({ scale: { min: 1, max: 5 }, threshold: 1, competencies: [] });
  });
});
