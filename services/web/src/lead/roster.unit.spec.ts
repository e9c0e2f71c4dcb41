import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import { coachOption, firstWithRoom, formLevelError, isFull, matches, pageOf, personLabel } from './roster';

const cora = { coachId: 'cora', coachName: 'Cora Coach', load: 2, capacity: 2 };
const carl = { coachId: 'carl', coachName: 'Carl Coach', load: 1, capacity: 3 };

describe('the lead roster helpers', () => {
  it('labels a person by name with the id beside it, or by the id alone when no name is known', () => {
    expect(personLabel('Liam Learner', 'liam')).toBe('Liam Learner (liam)');
    expect(personLabel('liam', 'liam')).toBe('liam');
    expect(personLabel(undefined, 'liam')).toBe('liam');
  });

  it('calls a coach full at capacity, not only beyond it, and says so in the picker', () => {
    expect(isFull(cora)).toBe(true);
    expect(isFull({ ...cora, load: 3 })).toBe(true);
    expect(isFull(carl)).toBe(false);
    expect(coachOption(cora)).toBe('Cora Coach (cora): 2 of 2, full');
    expect(coachOption(carl)).toBe('Carl Coach (carl): 1 of 3');
  });

  it('starts a picker on the first coach with room, other than the current one', () => {
    expect(firstWithRoom([cora, carl])).toBe('carl');
    expect(firstWithRoom([cora, carl], 'carl')).toBe('cora');
    expect(firstWithRoom([cora])).toBe('cora');
    expect(firstWithRoom([])).toBe('');
  });

  it('finds by name or id, whatever the case', () => {
    expect(matches('coach', 'Cora Coach', 'cora')).toBe(true);
    expect(matches('CORA', undefined, 'cora')).toBe(true);
    expect(matches('liam', 'Cora Coach', 'cora')).toBe(false);
    expect(matches('  ', 'anything')).toBe(true);
  });

  it('pages a list, keeping the page within the list', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    expect(pageOf(items, 1, 10)).toEqual({ items: items.slice(0, 10), page: 1, pages: 3 });
    expect(pageOf(items, 3, 10)).toEqual({ items: [20, 21, 22], page: 3, pages: 3 });
    expect(pageOf(items, 9, 10).page).toBe(3);
    expect(pageOf([], 1, 10)).toEqual({ items: [], page: 1, pages: 1 });
  });

  it('leaves a refusal to the field it names, and shows any other under the form', () => {
    const full = new ApiError(422, 'coach cora is at capacity (2 of 2); a coaching lead may override with a reason', ['capacityOverride: coach cora is at capacity (2 of 2); a coaching lead may override with a reason']);
    expect(full.about('capacityOverride')).toEqual(['coach cora is at capacity (2 of 2); a coaching lead may override with a reason']);
    expect(new ApiError(400, 'invalid request', ['reason should not be empty']).about('reason')).toEqual(['reason should not be empty']);
    expect(formLevelError(full, ['capacityOverride'])).toBeNull();
    expect(formLevelError(full, [])).toBe(full);
    const other = new ApiError(409, 'liam already has coach cora; transfer instead');
    expect(formLevelError(other, ['capacityOverride'])).toBe(other);
  });
});
