import { describe, expect, it } from 'vitest';
import { AssessmentResult, DialogueSummary, GoalSummary, Meeting } from '../api/types';
import { competencyRows, lastHeld, sinceWeLastMetDetails } from './coachee-view';

const meeting = (meetingId: string, status: Meeting['status'], startsAt: string, heldAt?: string): Meeting => ({
  meetingId, relationshipId: 'r', learnerId: 'lena', coachId: 'cora', startsAt, durationMinutes: 45, status, ...(heldAt ? { heldAt } : {}),
});
const dialogue = (dialogueId: string, lastActivityAt: string) => ({ dialogueId, topic: dialogueId, lastActivityAt }) as DialogueSummary;
const goal = (goalId: string, lastRevisedAt: string | null) => ({ goalId, lastRevisedAt }) as GoalSummary;
const result = (resultId: string, competencies: string[], assessedOn: string, importedAt: string): AssessmentResult => ({
  resultId, competencies, kind: 'wba', instrument: 'Mini-CEX', score: 4, maxScore: 5, assessedOn, importedAt, level: 4.2,
});

describe("the coachee's page", () => {
  it('counts "since we last met" from the last held meeting with any coach, not from missed or booked ones', () => {
    expect(lastHeld([meeting('a', 'held', '2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z'), meeting('b', 'missed', '2026-04-01T10:00:00.000Z'), meeting('c', 'scheduled', '2026-05-01T10:00:00.000Z')]))
      .toBe('2026-03-01T11:00:00.000Z');
    expect(lastHeld([meeting('b', 'cancelled', '2026-04-01T10:00:00.000Z')])).toBeNull();
  });

  it('lists the dialogues with new shared entries, the goals revised and the results imported after the last meeting', () => {
    const since = '2026-03-01T11:00:00.000Z';
    const details = sinceWeLastMetDetails(
      since,
      [dialogue('old', '2026-02-01T00:00:00.000Z'), dialogue('new', '2026-03-05T00:00:00.000Z'), dialogue('newer', '2026-03-06T00:00:00.000Z')],
      [goal('untouched', null), goal('revised', '2026-03-02T00:00:00.000Z'), goal('before', '2026-01-02T00:00:00.000Z')],
      [result('r1', ['ICS'], '2026-02-20', '2026-03-03T00:00:00.000Z'), result('r0', ['ICS'], '2026-01-20', '2026-01-21T00:00:00.000Z')],
    );
    expect(details.dialogues.map((d) => d.dialogueId)).toEqual(['newer', 'new']);
    expect(details.goals.map((g) => g.goalId)).toEqual(['revised']);
    expect(details.results.map((r) => r.resultId)).toEqual(['r1']);
    expect(details.actions).toEqual([]);
    // never met: everything counts
    expect(sinceWeLastMetDetails(null, [dialogue('old', '2026-02-01T00:00:00.000Z')], [], []).dialogues).toHaveLength(1);
  });

  it('lists every open action item of the shared dialogues, agreed before the last meeting or after, overdue first', () => {
    const open = (actionId: string, dueDate: string | null, overdue: boolean) => ({ actionId, description: actionId, ownerId: 'lena', dueDate, agreedAt: '2026-01-01T00:00:00.000Z', overdue });
    const dialogues = [
      { ...dialogue('old', '2026-01-01T00:00:00.000Z'), openActions: [open('due soon', '2026-03-10', false), open('late', '2026-02-20', true)] },
      { ...dialogue('new', '2026-03-05T00:00:00.000Z'), openActions: [open('undated', null, false)] },
    ] as DialogueSummary[];
    const details = sinceWeLastMetDetails('2026-03-01T11:00:00.000Z', dialogues, [], []);
    expect(details.actions.map((a) => [a.actionId, a.topic, a.overdue])).toEqual([['late', 'old', true], ['due soon', 'old', false], ['undated', 'new', false]]);
    expect(details.dialogues.map((d) => d.dialogueId)).toEqual(['new']);
  });

  it('puts self-ratings beside results per competency, newest first', () => {
    const rows = competencyRows(
      [
        { assessmentId: 's1', at: '2026-01-01T00:00:00.000Z', ratings: [{ competency: 'PC', level: 2 }, { competency: 'ICS', level: 1 }] },
        { assessmentId: 's2', at: '2026-02-01T00:00:00.000Z', ratings: [{ competency: 'PC', level: 3 }] },
      ],
      [result('r1', ['PC', 'MK'], '2026-01-15', '2026-01-16T00:00:00.000Z'), result('r2', ['PC'], '2026-02-15', '2026-02-16T00:00:00.000Z')],
    );
    expect(rows.map((r) => [r.competency, r.ratings.map((x) => x.level), r.results.map((x) => x.resultId)])).toEqual([
      ['ICS', [1], []], ['MK', [], ['r1']], ['PC', [3, 2], ['r2', 'r1']],
    ]);
  });
});
