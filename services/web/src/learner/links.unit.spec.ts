import { describe, expect, it } from 'vitest';
import { DialogueSummary, GoalSummary } from '../api/types';
import { describeLink, goalsLinkedTo, linkTargets, linkValue, maySettle, openActionItems, parseLinkValue, ResultSummary } from './links';

const dialogue = (dialogueId: string, topic: string) => ({ dialogueId, topic }) as DialogueSummary;
const result: ResultSummary = { resultId: 'imp-1.3', instrument: 'Mini-CEX', competencies: ['ICS'], score: 4, maxScore: 5, assessedOn: '2026-09-14' };
const goal = (goalId: string, links?: GoalSummary['links']) => ({ goalId, links }) as GoalSummary;

describe('goal links in the browser', () => {
  it('offers the dialogues and results not linked yet, and reads a chosen one back', () => {
    const dialogues = [dialogue('d1', 'Handover'), dialogue('d2', 'Bad news')];
    const targets = linkTargets([{ kind: 'dialogue', targetId: 'd1' }], dialogues, [result]);
    expect(targets.map((t) => [t.kind, t.targetId])).toEqual([['dialogue', 'd2'], ['assessment-result', 'imp-1.3']]);
    expect(parseLinkValue(linkValue(targets[1]))).toEqual({ kind: 'assessment-result', targetId: 'imp-1.3' });
    expect(parseLinkValue('')).toBeNull();
    expect(parseLinkValue('plan d1')).toBeNull();
  });

  it('names a link by its dialogue\'s topic or its result, and by its id until those load', () => {
    expect(describeLink({ kind: 'dialogue', targetId: 'd2' }, [dialogue('d2', 'Bad news')], [])).toBe('Bad news');
    expect(describeLink({ kind: 'assessment-result', targetId: 'imp-1.3' }, [], [result])).toBe('Mini-CEX (ICS) 4/5, 2026-09-14');
    expect(describeLink({ kind: 'dialogue', targetId: 'd9' }, [], [])).toBe('Dialogue d9');
  });

  it('finds the goals linked to a dialogue (a goal listed before links were kept has none)', () => {
    const goals = [goal('g1', [{ kind: 'dialogue', targetId: 'd1' }]), goal('g2', [{ kind: 'assessment-result', targetId: 'd1' }]), goal('g3')];
    expect(goalsLinkedTo(goals, 'dialogue', 'd1').map((g) => g.goalId)).toEqual(['g1']);
  });
});

describe('action items in the browser', () => {
  const item = (actionId: string, dueDate: string | null, status: 'open' | 'done' | 'dropped') => ({ actionId, description: actionId, ownerId: 'coa', dueDate, status, overdue: false });
  it('lets the owner or the learner settle an open item, and nobody a done or dropped one', () => {
    expect(maySettle(item('a', null, 'open'), 'coa', 'lea')).toBe(true);
    expect(maySettle(item('a', null, 'open'), 'lea', 'lea')).toBe(true);
    expect(maySettle(item('a', null, 'open'), 'pre', 'lea')).toBe(false);
    expect(maySettle(item('a', null, 'done'), 'lea', 'lea')).toBe(false);
    expect(maySettle(item('a', null, 'dropped'), 'coa', 'lea')).toBe(false);
  });

  it('lists the open items across dialogues, overdue first, then soonest due, undated last', () => {
    const open = (actionId: string, dueDate: string | null, overdue = false) => ({ actionId, description: actionId, ownerId: 'coa', dueDate, agreedAt: '2026-09-01', overdue });
    const dialogues = [
      { dialogueId: 'd1', topic: 'One', openActions: [open('late', '2026-10-01'), open('overdue', '2026-09-05', true)] },
      { dialogueId: 'd2', topic: 'Two', openActions: [open('undated', null), open('soon', '2026-09-10'), open('older overdue', '2026-09-02', true)] },
      { dialogueId: 'd3', topic: 'Listed before items were kept' },
    ] as DialogueSummary[];
    expect(openActionItems(dialogues).map((a) => [a.actionId, a.topic])).toEqual([
      ['older overdue', 'Two'], ['overdue', 'One'], ['soon', 'Two'], ['late', 'One'], ['undated', 'Two'],
    ]);
  });
});
