import { spec } from '@cbme/decider';
import {
  competencyFrameworksDecider, competencyIndex, FrameworkEvent, frameworksInForceAt, parseFrameworkJson, requireKnownCompetencies, SEED_FRAMEWORKS, validateFrameworkRows,
} from './competency-frameworks';

const given = spec(competencyFrameworksDecider).given;
const publish = (competencies: { code: string; name: string }[], frameworkId = 'med-milestones', role: 'school-admin' | 'coach' = 'school-admin') =>
  ({ type: 'PublishFrameworkVersion' as const, data: { frameworkId, name: 'Our milestones', competencies, source: 'defined' as const, role } });
const v1: FrameworkEvent = {
  type: 'feedback.framework-version-published',
  data: { frameworkId: 'med-milestones', name: 'Our milestones', version: 1, competencies: [{ code: 'M1', name: 'Handover' }, { code: 'M2', name: 'Consent' }], retired: [], source: 'defined' },
};
const fold = (events: FrameworkEvent[]) => events.reduce(competencyFrameworksDecider.evolve, competencyFrameworksDecider.initialState);

describe('seed frameworks', () => {
  it('ship the six ACGME competencies, the eight PCRS domains and the thirteen Core EPAs with unique codes', () => {
    expect(SEED_FRAMEWORKS.map((f) => [f.frameworkId, f.competencies.length])).toEqual([['acgme-core', 6], ['aamc-pcrs', 8], ['aamc-core-epas', 13]]);
    const codes = SEED_FRAMEWORKS.flatMap((f) => f.competencies.map((c) => c.code));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expect.arrayContaining(['PC', 'MK', 'SBP', 'PBLI', 'P', 'ICS', 'EPA-1', 'EPA-13', 'PCRS-IPC']));
  });
});

describe('a school\'s own framework', () => {
  it('is defined by a school admin as version 1', () => {
    expect(given([]).when(publish(v1.data.competencies)).events()).toEqual([v1]);
  });

  it('gets a new version that retires what it leaves out; a retired competency stays readable', () => {
    const [v2] = given([v1]).when(publish([{ code: 'M1', name: 'Handover' }, { code: 'M3', name: 'Teamwork' }])).events();
    expect(v2.data).toMatchObject({ version: 2, retired: [{ code: 'M2', name: 'Consent' }] });
    const state = fold([v1, v2]);
    expect(state.frameworks.get('med-milestones')?.retired).toEqual([{ code: 'M2', name: 'Consent', retiredInVersion: 2 }]);
    const index = competencyIndex(state);
    expect(() => requireKnownCompetencies(['M1', 'M3', 'ICS'], index)).not.toThrow();
    expect(() => requireKnownCompetencies(['M2'], index)).toThrow('unknown competency: M2 was retired in version 2 of med-milestones');
  });

  it('changes nothing when published again unchanged', () => {
    expect(given([v1]).when(publish(v1.data.competencies)).events()).toEqual([]);
  });

  it.each([['toString', 'toString'], ['hasOwnProperty', 'hasOwnProperty'], ['constructor', 'Object'], ['__proto__', 'Proto']])('may be called %s (named %s) like any other id', (frameworkId, name) => {
    const base = publish(v1.data.competencies, frameworkId);
    const command = { ...base, data: { ...base.data, name } };
    const [first] = given([]).when(command).events();
    expect(first.data).toEqual({ ...v1.data, frameworkId, name });
    expect(given([first]).when(command).events()).toEqual([]);
    expect(fold([first]).frameworks.get(frameworkId)).toMatchObject({ frameworkId, name, version: 1 });
  });

  it.each([
    ['by a coach', publish(v1.data.competencies, 'med-milestones', 'coach'), 'forbidden'],
    ['over a shipped framework', publish(v1.data.competencies, 'acgme-core'), 'rule-violated'],
    ['with a code of another framework', publish([{ code: 'ICS', name: 'Talking' }]), 'rule-violated'],
    ['with a duplicate code', publish([{ code: 'X', name: 'a' }, { code: 'X', name: 'b' }]), 'rule-violated'],
    ['empty', publish([]), 'rule-violated'],
  ] as const)('is refused %s', (_label, command, kind) => {
    expect(given([]).when(command).error()).toMatchObject({ kind });
  });
});

describe('competency references', () => {
  it('accept the seed codes in every school and refuse unknown ones with a 422', () => {
    const index = competencyIndex(fold([]));
    expect(() => requireKnownCompetencies(['ICS', 'PC', 'MK', 'SBP', 'PBLI', 'P', 'EPA-8'], index)).not.toThrow();
    expect(() => requireKnownCompetencies([], index)).not.toThrow();
    expect(() => requireKnownCompetencies(['ICS', 'XYZ'], index)).toThrow(expect.objectContaining({ kind: 'rule-violated', message: 'unknown competency: XYZ is not in any framework of this school' }));
  });
});

describe('competency references judged at a past date (history import)', () => {
  const v2: FrameworkEvent = { ...v1, data: { ...v1.data, version: 2, competencies: [{ code: 'M1', name: 'Handover' }, { code: 'M3', name: 'Teamwork' }], retired: [{ code: 'M2', name: 'Consent' }] } };
  const history = [{ occurredAt: '2024-01-10T09:00:00.000Z', event: v1 }, { occurredAt: '2025-01-10T09:00:00.000Z', event: v2 }];
  const at = (date: string) => competencyIndex(frameworksInForceAt(history, date));

  it('takes the version in force then: retired later is still fine, retired by then is refused', () => {
    expect(() => requireKnownCompetencies(['M2'], at('2024-06-01T00:00:00Z'))).not.toThrow();
    expect(() => requireKnownCompetencies(['M3'], at('2024-06-01T00:00:00Z'))).toThrow('unknown competency: M3 is not in any framework of this school');
    expect(() => requireKnownCompetencies(['M2'], at('2025-06-01T00:00:00Z'))).toThrow('unknown competency: M2 was retired in version 2 of med-milestones');
    expect(() => requireKnownCompetencies(['M1', 'M3'], at('2025-01-10T09:00:00.000Z'))).not.toThrow();
  });

  it('takes a framework first published after the date at its first version, and refuses codes no framework has', () => {
    expect(() => requireKnownCompetencies(['M1', 'M2', 'ICS'], at('2020-01-01T00:00:00Z'))).not.toThrow();
    expect(() => requireKnownCompetencies(['M9'], at('2020-01-01T00:00:00Z'))).toThrow(expect.objectContaining({ kind: 'rule-violated', message: 'unknown competency: M9 is not in any framework of this school' }));
  });
});

describe('framework files', () => {
  it('report every bad row with its line', () => {
    expect(validateFrameworkRows([
      { line: 2, code: 'A1', name: 'Good' },
      { line: 3, code: 'has space', name: '' },
      { line: 4, code: 'A1', name: 'Again' },
    ])).toEqual([
      { line: 3, reasons: ['code "has space" must be 1-40 letters, digits, \'.\', \'_\' or \'-\'', 'name is missing'] },
      { line: 4, reasons: ['code A1 is already on line 2'] },
    ]);
  });

  it('read JSON with the line each competency starts on', () => {
    const text = '{\n  "name": "Milestones",\n  "competencies": [\n    { "code": "M1", "name": "a, {b}" },\n    {\n      "code": "M 2"\n    }\n  ]\n}';
    const parsed = parseFrameworkJson(text);
    expect(parsed).toEqual({ ok: true, name: 'Milestones', rows: [{ line: 4, code: 'M1', name: 'a, {b}' }, { line: 5, code: 'M 2', name: undefined }] });
    if (parsed.ok) expect(validateFrameworkRows(parsed.rows).map((e) => e.line)).toEqual([5]);
    expect(parseFrameworkJson('[\n {"code":"A","name":"B"},\n {"code":"C","name":"D"}\n]')).toMatchObject({ ok: true, rows: [{ line: 2 }, { line: 3 }] });
  });

  it('report JSON that does not parse with the line of the error', () => {
    expect(parseFrameworkJson('[\n {"code":"A","name":"B"},\n {"code": }\n]')).toMatchObject({ ok: false, errors: [{ line: 3 }] });
    expect(parseFrameworkJson('{"name":"x"}')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
  });
});
