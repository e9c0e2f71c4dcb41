import { describe, expect, it } from 'vitest';
import { Coachee } from '../api/types';
import { byUrgency, sinceWeLastMet } from './CoachHome';

const coachee = (learnerId: string, behindCadence: boolean, nextDueBy: string | null): Coachee => ({
  learnerId, displayName: learnerId, relationshipId: 'r', status: 'active', since: '2026-01-01', lastMeetingAt: null, nextMeeting: null,
  nextDueBy, behindCadence, newSinceLastMeeting: {},
});

describe('the coach home', () => {
  it('says only what happened since the last meeting', () => {
    expect(sinceWeLastMet({ 'dialogue-opened': 2, 'goal-set': 0, 'goal-revised': 1 })).toBe('2 dialogues opened, 1 goal revised');
    expect(sinceWeLastMet({ 'assessment-recorded': 1, 'plan-changed': 3 })).toBe('1 assessment result, 3 plan changes');
    expect(sinceWeLastMet({ constructor: 1 })).toBe('1 constructor');
    expect(sinceWeLastMet({ 'dialogue-opened': 0 })).toBe('nothing new');
  });

  it('lists coachees behind cadence first, then by the date they are due', () => {
    const order = byUrgency([coachee('a', false, '2027-02-01'), coachee('b', true, '2027-03-01'), coachee('c', false, '2027-01-01'), coachee('d', false, null)]);
    expect(order.map((c) => c.learnerId)).toEqual(['b', 'c', 'a', 'd']);
  });
});
