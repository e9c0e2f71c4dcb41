import { asRecorded, crosswalkReader, FrameworkCrosswalkPublished, readCodes } from '@cbme/contracts';
import { spec } from '@cbme/decider';
import { competencyFrameworksDecider, CrosswalkRejected, FrameworkEvent, validateCrosswalk } from './competency-frameworks';
import { readRatings } from './framework-crosswalk';

const given = spec(competencyFrameworksDecider).given;
const v1: FrameworkEvent = {
  type: 'feedback.framework-version-published',
  data: {
    frameworkId: 'med-epas', name: 'EPAs', version: 1, source: 'defined', retired: [],
    competencies: [{ code: 'E1', name: 'History' }, { code: 'E2', name: 'Exam' }, { code: 'E3', name: 'Handover' }, { code: 'E4', name: 'Consent' }],
  },
};
const v2Competencies = [{ code: 'N1', name: 'History and exam' }, { code: 'N3a', name: 'Handover out' }, { code: 'N3b', name: 'Handover in' }, { code: 'E4', name: 'Consent' }];
const publishV2 = (crosswalk: { line: number; from?: unknown; to?: unknown }[]) =>
  ({ type: 'PublishFrameworkVersion' as const, data: { frameworkId: 'med-epas', name: 'EPAs', competencies: v2Competencies, source: 'defined' as const, role: 'school-admin' as const, crosswalk } });

describe('a crosswalk to a new framework version', () => {
  it('is published with the version: many to one, one to many, kept codes read as themselves', () => {
    const events = given([v1]).when(publishV2([{ line: 1, from: 'E1', to: ['N1'] }, { line: 2, from: 'E2', to: ['N1'] }, { line: 3, from: 'E3', to: ['N3a', 'N3b'] }])).events();
    expect(events.map((e) => e.type)).toEqual(['feedback.framework-version-published', 'feedback.framework-crosswalk-published']);
    expect(events[1].data).toEqual({
      frameworkId: 'med-epas', fromVersion: 1, toVersion: 2, unmapped: [],
      mappings: [{ from: 'E1', to: ['N1'] }, { from: 'E2', to: ['N1'] }, { from: 'E3', to: ['N3a', 'N3b'] }],
    });
  });

  it('reports the old codes it leaves without a mapping instead of refusing them', () => {
    const [, crosswalk] = given([v1]).when(publishV2([{ line: 1, from: 'E1', to: ['N1'] }])).events();
    expect(crosswalk.data).toMatchObject({ mappings: [{ from: 'E1', to: ['N1'] }], unmapped: ['E2', 'E3'] });
  });

  it('refuses unknown codes on either side, a code mapped twice and a row without a target, each at its line', () => {
    const error = given([v1]).when(publishV2([
      { line: 2, from: 'E1', to: ['N1'] }, { line: 3, from: 'X9', to: ['N1'] }, { line: 4, from: 'E2', to: ['N1', 'Z7'] }, { line: 5, from: 'E1', to: ['N1'] }, { line: 6, from: 'E3', to: [] },
    ])).error();
    expect(error).toBeInstanceOf(CrosswalkRejected);
    expect((error as CrosswalkRejected).problems).toEqual([
      { line: 3, reasons: ['old code X9 is not a code of this framework'] },
      { line: 4, reasons: ['new code Z7 is not in the new version'] },
      { line: 5, reasons: ['old code E1 is already mapped on line 2'] },
      { line: 6, reasons: ['name at least one new code'] },
    ]);
    expect(error.message).toBe('4 of 5 crosswalk rows are invalid; nothing was published');
  });

  it('needs an earlier version and a change', () => {
    expect(given([]).when(publishV2([{ line: 1, from: 'E1', to: ['N1'] }])).error().message).toMatch(/has none yet/);
    const same = { ...publishV2([{ line: 1, from: 'E1', to: ['E1'] }]), data: { ...publishV2([]).data, competencies: v1.data.competencies } };
    expect(given([v1]).when(same).error().message).toMatch(/same as the current version/);
  });

  it('may map a code retired in an earlier version, and reads "A;B" in a file as one to many', () => {
    const result = validateCrosswalk([{ line: 1, from: 'OLD', to: 'N3a; N3b' }], new Set(['OLD', 'E3']), new Set(['N3a', 'N3b']));
    expect(result).toEqual({ ok: true, mappings: [{ from: 'OLD', to: ['N3a', 'N3b'] }], unmapped: ['E3'] });
  });
});

describe('reading recorded codes under a version', () => {
  const v1to2: FrameworkCrosswalkPublished = { frameworkId: 'med-epas', fromVersion: 1, toVersion: 2, mappings: [{ from: 'E1', to: ['N1'] }, { from: 'E2', to: ['N1'] }, { from: 'E3', to: ['N3a', 'N3b'] }], unmapped: ['E5'] };
  const v2to3: FrameworkCrosswalkPublished = { frameworkId: 'med-epas', fromVersion: 2, toVersion: 3, mappings: [{ from: 'N1', to: ['H1'] }, { from: 'E5', to: ['H5'] }], unmapped: [] };

  it('maps through every crosswalk up to the version asked for, and leaves other frameworks\' codes alone', () => {
    const atV2 = crosswalkReader([v2to3, v1to2], 'med-epas', 2);
    expect(readCodes(['E1', 'E2', 'ICS'], atV2)).toEqual(['N1', 'ICS']);
    expect(readCodes(['E3'], atV2)).toEqual(['N3a', 'N3b']);
    expect(atV2('E5')).toEqual({ codes: ['E5'], unmapped: true });
    const atV3 = crosswalkReader([v1to2, v2to3], 'med-epas', 3);
    expect(readCodes(['E1', 'N1', 'E3'], atV3)).toEqual(['H1', 'N3a', 'N3b']);
    // a later crosswalk may map a code an earlier one left out
    expect(atV3('E5')).toEqual({ codes: ['H5'], unmapped: false });
    expect(crosswalkReader([v1to2], 'med-epas', 1)('E1')).toEqual(asRecorded('E1'));
  });

  it('reads self-ratings: one to many rates each new code, many to one keeps the lowest of the merged ratings', () => {
    const atV2 = crosswalkReader([v1to2], 'med-epas', 2);
    expect(readRatings([{ competency: 'E1', level: 4 }, { competency: 'E2', level: 2 }, { competency: 'E3', level: 3 }], atV2)).toEqual([
      { competency: 'N1', level: 2, recordedAs: ['E1', 'E2'] },
      { competency: 'N3a', level: 3, recordedAs: ['E3'] },
      { competency: 'N3b', level: 3, recordedAs: ['E3'] },
    ]);
  });
});
