import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import { lineErrors } from './LineErrors';

describe('lineErrors', () => {
  it('reads the bad lines of a refused import, and nothing from other errors or other detail shapes', () => {
    const refused = new ApiError(422, '1 of 2 rows are invalid; nothing was imported', [], [{ line: 3, reasons: ['email "x" is not an e-mail address'] }, 'a plain detail', { line: 'x' }]);
    expect(lineErrors(refused)).toEqual([{ line: 3, reasons: ['email "x" is not an e-mail address'] }]);
    expect(lineErrors(new Error('network'))).toEqual([]);
  });

  it('keeps the source id a history import names beside each line', () => {
    const refused = new ApiError(422, '1 of 2 lines are invalid; nothing was imported', [], [{ line: 2, sourceId: 'm-1', reasons: ['unknown learner lea-9'] }, { line: 5, sourceId: 7, reasons: [] }]);
    expect(lineErrors(refused)).toEqual([{ line: 2, sourceId: 'm-1', reasons: ['unknown learner lea-9'] }, { line: 5, reasons: [] }]);
  });
});
