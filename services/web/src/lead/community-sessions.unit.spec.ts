import { describe, expect, it } from 'vitest';
import { membersAt, parseTopics, participationLabel } from './community-sessions';

describe('community sessions on the lead page', () => {
  it('lists the members at the session start for the checklist', () => {
    const memberships = [
      { coachId: 'c1', coachName: 'Cora', joinedAt: '2026-09-01T00:00:00.000Z' },
      { coachId: 'c2', coachName: 'Dev', joinedAt: '2026-10-02T00:00:00.000Z' },
      { coachId: 'c3', coachName: 'Eli', joinedAt: '2026-09-01T00:00:00.000Z', leftAt: '2026-09-20T00:00:00.000Z' },
      { coachId: 'c4', coachName: 'Fay', joinedAt: '2026-09-01T00:00:00.000Z', leftAt: '2026-10-05T00:00:00.000Z' },
    ];
    expect(membersAt(memberships, '2026-10-01T16:00:00.000Z').map((m) => m.coachId)).toEqual(['c1', 'c4']);
  });
  it('reads topics from lines and commas', () => {
    expect(parseTopics(' Feedback models,\nInclusive language; Feedback models \n\n')).toEqual(['Feedback models', 'Inclusive language']);
  });
  it('labels participation', () => {
    expect(participationLabel(4, 3)).toBe('3 of 4 (75%)');
    expect(participationLabel(0, 0)).toBe('—');
  });
});
