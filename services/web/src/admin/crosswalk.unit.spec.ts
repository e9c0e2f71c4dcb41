import { describe, expect, it } from 'vitest';
import { versionOptions, versionQuery } from '../ui/framework-version';
import { parseCompetencies, parseCrosswalk, toTextLines } from './crosswalk';

describe('crosswalk text', () => {
  it('reads old,new and old,new1;new2 lines, skipping the header and blank lines, and remembers each row\'s line', () => {
    const parsed = parseCrosswalk('from,to\nE1,N1\n\nE3, N3a; N3b\nE2,N1\n');
    expect(parsed.rows).toEqual([{ from: 'E1', to: ['N1'] }, { from: 'E3', to: ['N3a', 'N3b'] }, { from: 'E2', to: ['N1'] }]);
    expect(parsed.lines).toEqual([2, 4, 5]);
    expect(toTextLines([{ line: 2, reasons: ['x'] }], parsed.lines)).toEqual([{ line: 4, reasons: ['x'] }]);
  });

  it('reads competencies as code,name (names may hold commas)', () => {
    expect(parseCompetencies('code,name\nN1,History, exam\nN2,Handover')).toEqual([{ code: 'N1', name: 'History, exam' }, { code: 'N2', name: 'Handover' }]);
  });
});

describe('the version switch', () => {
  it('offers every version of a school framework that has more than one, and reads the choice back', () => {
    const options = versionOptions([
      { frameworkId: 'acgme-core', name: 'ACGME', version: 1, origin: 'seed' },
      { frameworkId: 'epas', name: 'EPAs', version: 2, origin: 'school' },
      { frameworkId: 'one', name: 'One', version: 1, origin: 'school' },
    ]);
    expect(options).toEqual([{ value: 'epas@2', label: 'EPAs, version 2 (current)' }, { value: 'epas@1', label: 'EPAs, version 1' }]);
    expect(versionQuery('epas@2')).toEqual({ framework: 'epas', frameworkVersion: 2 });
    expect(versionQuery('')).toEqual({});
  });
});
