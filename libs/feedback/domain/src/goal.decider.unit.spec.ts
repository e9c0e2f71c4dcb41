import { spec } from '@cbme/decider';
import { GoalCommand, GoalEvent, goalDecider, NO_GOAL } from './goal.decider';

const goalSet: GoalEvent = {
  type: 'feedback.goal-set',
  data: { goalId: 'g1', learnerId: 'lea', description: 'Lead a structured handover', measureOfSuccess: 'SBAR used in 5 handovers', competencies: ['ICS'], targetDate: '2026-12-15', visibility: 'shared' },
};
const given = spec(goalDecider).given;
const today = '2026-09-01T10:00:00.000Z';

describe('goal', () => {
  it('is set by the learner with a future target date', () => {
    expect(given([]).when({ type: 'SetGoal', data: { ...goalSet.data, setBy: 'lea', today } }).events()).toEqual([goalSet]);
  });

  it('refuses a target date that is not after today', () => {
    const error = given([]).when({ type: 'SetGoal', data: { ...goalSet.data, targetDate: '2026-09-01', setBy: 'lea', today } }).error();
    expect(error).toMatchObject({ kind: 'rule-violated', message: 'target date 2026-09-01 must be after today (2026-09-01)' });
  });

  it('is revised with a rationale', () => {
    const events = given([goalSet]).when({ type: 'ReviseGoal', data: { description: 'Lead two handovers a week', targetDate: '2027-01-31', rationale: 'Rotation changed', revisedBy: 'lea', today, currentCoachId: 'coa' } }).events();
    expect(events).toEqual([{ type: 'feedback.goal-revised', data: { goalId: 'g1', learnerId: 'lea', description: 'Lead two handovers a week', targetDate: '2027-01-31', rationale: 'Rotation changed', visibility: 'shared' } }]);
  });

  it.each(['achieved', 'abandoned', 'deferred'] as const)('is not %s before it was set (a backdated change, judged at its own date)', (to) => {
    const setAt = '2024-03-01T09:00:00.000Z';
    const change = (when: string) => ({ type: 'ChangeGoalStatus' as const, data: { to, changedBy: 'lea', today: when, setAt, currentCoachId: 'coa' } });
    expect(given([goalSet]).when(change('2024-02-28T09:00:00.000Z')).error())
      .toMatchObject({ kind: 'rule-violated', message: `a goal cannot be ${to} before it was set (${setAt}); 2024-02-28T09:00:00.000Z is earlier` });
    expect(given([goalSet]).when(change(setAt)).events()).toEqual([{ type: 'feedback.goal-status-changed', data: expect.objectContaining({ from: 'active', to }) }]);
  });

  it('moves active -> deferred -> active -> achieved', () => {
    const change = (to: 'deferred' | 'active' | 'achieved', past: GoalEvent[]) =>
      given(past).when({ type: 'ChangeGoalStatus', data: { to, changedBy: 'lea', currentCoachId: 'coa' } }).events();
    const deferred = change('deferred', [goalSet]);
    const resumed = change('active', [goalSet, ...deferred]);
    const achieved = change('achieved', [goalSet, ...deferred, ...resumed]);
    expect([...deferred, ...resumed, ...achieved].map((e) => e.data)).toEqual([
      { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'deferred', visibility: 'shared' },
      { goalId: 'g1', learnerId: 'lea', from: 'deferred', to: 'active', visibility: 'shared' },
      { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved', visibility: 'shared' },
    ]);
  });

  it.each([
    ['achieved', 'active'],
    ['abandoned', 'achieved'],
  ] as const)('refuses %s -> %s', (from, to) => {
    const past: GoalEvent[] = [goalSet, { type: 'feedback.goal-status-changed', data: { goalId: 'g1', learnerId: 'lea', from: 'active', to: from, visibility: 'shared' } }];
    expect(given(past).when({ type: 'ChangeGoalStatus', data: { to, changedBy: 'lea', currentCoachId: 'coa' } }).error()).toMatchObject({ kind: 'invalid-state' });
  });

  it('refuses revising an achieved goal and revising someone else\'s goal', () => {
    const achieved: GoalEvent = { type: 'feedback.goal-status-changed', data: { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved', visibility: 'shared' } };
    const revise = (by: string) => ({ type: 'ReviseGoal' as const, data: { description: 'x', targetDate: '2027-01-01', rationale: 'y', revisedBy: by, today, currentCoachId: 'coa' } });
    expect(given([goalSet, achieved]).when(revise('lea')).error()).toMatchObject({ kind: 'invalid-state' });
    expect(given([goalSet]).when(revise('coa')).error()).toMatchObject({ kind: 'forbidden' });
  });

  describe('sharing with the coach', () => {
    const share = (visibility: 'shared' | 'private', changedBy = 'lea') => ({ type: 'ChangeGoalSharing' as const, data: { visibility, changedBy, currentCoachId: 'coa' } });
    const madePrivate: GoalEvent = { type: 'feedback.goal-sharing-changed', data: { goalId: 'g1', learnerId: 'lea', visibility: 'private' } };

    it('is the learner\'s choice, to make a goal private and to share it again', () => {
      expect(given([goalSet]).when(share('private')).events()).toEqual([madePrivate]);
      expect(given([goalSet, madePrivate]).when(share('shared')).events()).toEqual([
        { type: 'feedback.goal-sharing-changed', data: { goalId: 'g1', learnerId: 'lea', visibility: 'shared' } },
      ]);
    });

    it('changes nothing when asked for what is already the case', () => {
      expect(given([goalSet]).when(share('shared')).events()).toEqual([]);
      expect(given([goalSet, madePrivate]).when(share('private')).events()).toEqual([]);
    });

    it('stays the learner\'s choice after the goal is achieved', () => {
      const achieved: GoalEvent = { type: 'feedback.goal-status-changed', data: { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved', visibility: 'shared' } };
      expect(given([goalSet, achieved]).when(share('private')).events()).toEqual([madePrivate]);
    });

    it.each([
      ['the coach', [goalSet], share('private', 'coa'), 'forbidden'],
      ['anyone, for a missing goal', [], share('private'), 'not-found'],
    ] as const)('is refused to %s', (_label, past, command, kind) => {
      expect(given([...past]).when(command).error()).toMatchObject({ kind });
    });

    it('a goal set private stays private through revisions and status changes, which say so', () => {
      const privateGoal: GoalEvent = { type: 'feedback.goal-set', data: { ...goalSet.data, visibility: 'private' } };
      expect(given([]).when({ type: 'SetGoal', data: { ...privateGoal.data, setBy: 'lea', today } }).events()).toEqual([privateGoal]);
      const revised = given([privateGoal]).when({ type: 'ReviseGoal', data: { description: 'x', targetDate: '2027-01-01', rationale: 'y', revisedBy: 'lea', today, currentCoachId: 'coa' } }).events();
      const deferred = given([goalSet, madePrivate]).when({ type: 'ChangeGoalStatus', data: { to: 'deferred', note: 'on leave', changedBy: 'lea', currentCoachId: 'coa' } }).events();
      expect([...revised, ...deferred].map((e) => (e.data as { visibility: string }).visibility)).toEqual(['private', 'private']);
    });
  });

  describe('drafts, progress notes and links', () => {
    const drafted: GoalEvent = { type: 'feedback.goal-drafted', data: goalSet.data };
    const status = (to: 'active' | 'abandoned' | 'achieved' | 'deferred', when = today) => ({ type: 'ChangeGoalStatus' as const, data: { to, changedBy: 'lea', today: when, currentCoachId: 'coa' } });

    it('a draft is not set until activated; activation publishes the goal as it then stands', () => {
      expect(given([]).when({ type: 'SetGoal', data: { ...goalSet.data, setBy: 'lea', today, draft: true } }).events()).toEqual([drafted]);
      const revised: GoalEvent = { type: 'feedback.goal-revised', data: { goalId: 'g1', learnerId: 'lea', description: 'Lead SBAR handovers', targetDate: '2026-12-15', rationale: 'clearer', visibility: 'shared' } };
      expect(given([drafted, revised]).when(status('active')).events()).toEqual([{ type: 'feedback.goal-set', data: { ...goalSet.data, description: 'Lead SBAR handovers' } }]);
    });

    it('a draft is abandoned, never achieved or deferred; its target date must still be ahead when activated', () => {
      expect(given([drafted]).when(status('abandoned')).events()).toEqual([{ type: 'feedback.goal-draft-abandoned', data: { goalId: 'g1', learnerId: 'lea', visibility: 'shared' } }]);
      expect(given([drafted]).when(status('achieved')).error()).toMatchObject({ kind: 'invalid-state', message: 'a goal cannot go from draft to achieved' });
      expect(given([drafted]).when(status('deferred')).error()).toMatchObject({ kind: 'invalid-state' });
      expect(given([drafted]).when(status('active', '2027-01-01T00:00:00.000Z')).error()).toMatchObject({ kind: 'rule-violated' });
    });

    it('refuses a target date in the past for drafts too', () => {
      expect(given([]).when({ type: 'SetGoal', data: { ...goalSet.data, targetDate: '2026-01-01', setBy: 'lea', today, draft: true } }).error()).toMatchObject({ kind: 'rule-violated' });
    });

    const note = (authorId: string, currentCoachId: string | null = 'coa') => ({ type: 'NoteGoalProgress' as const, data: { noteId: 'n1', note: 'Did two handovers', authorId, currentCoachId } });

    it('takes progress notes from the learner and their current coach on a shared goal', () => {
      expect(given([goalSet]).when(note('lea')).events()).toEqual([{
        type: 'feedback.goal-progress-noted', data: { goalId: 'g1', learnerId: 'lea', noteId: 'n1', authorId: 'lea', wordCount: 3, visibility: 'shared', note: 'Did two handovers' },
      }]);
      expect(given([goalSet]).when(note('coa')).events()).toHaveLength(1);
      const privateGoal: GoalEvent = { type: 'feedback.goal-set', data: { ...goalSet.data, visibility: 'private' } };
      expect(given([privateGoal]).when(note('coa')).error()).toMatchObject({ kind: 'not-found', message: NO_GOAL });
      expect(given([goalSet]).when(note('coa', 'cob')).error()).toMatchObject({ kind: 'not-found', message: NO_GOAL });
      expect(given([drafted]).when(note('lea')).error()).toMatchObject({ kind: 'invalid-state' });
      const achieved: GoalEvent = { type: 'feedback.goal-status-changed', data: { goalId: 'g1', learnerId: 'lea', from: 'active', to: 'achieved', visibility: 'shared' } };
      expect(given([goalSet, achieved]).when(note('lea')).error()).toMatchObject({ kind: 'invalid-state' });
    });

    const link = (targetLearnerId: string | null, linkedBy = 'lea') => ({ type: 'LinkGoal' as const, data: { kind: 'dialogue' as const, targetId: 'd1', targetLearnerId, linkedBy, currentCoachId: 'coa' } });
    const linked: GoalEvent = { type: 'feedback.goal-linked', data: { goalId: 'g1', learnerId: 'lea', kind: 'dialogue', targetId: 'd1', visibility: 'shared' } };

    it('links to the learner\'s own dialogue or result once', () => {
      expect(given([goalSet]).when(link('lea')).events()).toEqual([linked]);
      expect(given([goalSet, linked]).when(link('lea')).events()).toEqual([]);
      // another learner's dialogue is to this learner one that does not exist
      expect(given([goalSet]).when(link('lea-2')).error()).toEqual(given([goalSet]).when(link(null)).error());
      expect(given([goalSet]).when(link(null)).error()).toMatchObject({ kind: 'not-found', message: 'no dialogue d1 of lea in this school' });
      expect(given([goalSet]).when(link('lea', 'coa')).error()).toMatchObject({ kind: 'forbidden' });
    });

    const unlink = (unlinkedBy = 'lea') => ({ type: 'UnlinkGoal' as const, data: { kind: 'dialogue' as const, targetId: 'd1', unlinkedBy, currentCoachId: 'coa' } });
    const unlinked: GoalEvent = { type: 'feedback.goal-unlinked', data: linked.data };

    it('takes back a link by the learner; a link that is not there changes nothing; it can be linked again', () => {
      expect(given([goalSet, linked]).when(unlink()).events()).toEqual([unlinked]);
      expect(given([goalSet]).when(unlink()).events()).toEqual([]);
      expect(given([goalSet, linked, unlinked]).when(unlink()).events()).toEqual([]);
      expect(given([goalSet, linked, unlinked]).when(link('lea')).events()).toEqual([linked]);
      expect(given([goalSet, linked]).when(unlink('coa')).error()).toMatchObject({ kind: 'forbidden' });
    });
  });

  describe('someone who may not see a goal gets the answer for an unknown id, whatever its status', () => {
    const at = (status: string): GoalEvent[] => {
      const change = (from: string, to: string): GoalEvent => ({ type: 'feedback.goal-status-changed', data: { goalId: 'g1', learnerId: 'lea', from: from as never, to: to as never, visibility: 'shared' } });
      if (status === 'draft') return [{ type: 'feedback.goal-drafted', data: goalSet.data }];
      if (status === 'draft abandoned') return [{ type: 'feedback.goal-drafted', data: goalSet.data }, { type: 'feedback.goal-draft-abandoned', data: { goalId: 'g1', learnerId: 'lea', visibility: 'shared' } }];
      if (status === 'private') return [goalSet, { type: 'feedback.goal-sharing-changed', data: { goalId: 'g1', learnerId: 'lea', visibility: 'private' } }];
      return status === 'active' ? [goalSet] : [goalSet, change('active', status)];
    };
    const commands = (by: string, currentCoachId: string | null): [string, GoalCommand][] => [
      ['a revision', { type: 'ReviseGoal', data: { description: 'x', targetDate: '2027-01-01', rationale: 'y', revisedBy: by, today, currentCoachId } }],
      ['a status change', { type: 'ChangeGoalStatus', data: { to: 'achieved', changedBy: by, today, currentCoachId } }],
      ['a sharing change', { type: 'ChangeGoalSharing', data: { visibility: 'shared', changedBy: by, currentCoachId } }],
      ['a progress note', { type: 'NoteGoalProgress', data: { noteId: 'n1', note: 'x', authorId: by, currentCoachId } }],
      ['a link', { type: 'LinkGoal', data: { kind: 'dialogue', targetId: 'd1', targetLearnerId: by, linkedBy: by, currentCoachId } }],
      ['an unlink', { type: 'UnlinkGoal', data: { kind: 'dialogue', targetId: 'd1', unlinkedBy: by, currentCoachId } }],
    ];
    const outsiders: [string, string, string | null][] = [
      ['a former coach', 'cof', 'coa'],
      ['another coach', 'cox', 'coa'],
      ['another learner', 'lex', 'coa'],
    ];
    const cases = ['draft', 'active', 'deferred', 'achieved', 'abandoned', 'draft abandoned', 'private'].flatMap((status) =>
      [...outsiders, ...(status === 'private' ? [['the current coach (the goal is private)', 'coa', 'coa'] as [string, string, string]] : [])]
        .flatMap(([who, by, current]) => commands(by, current).map(([what, command]) => [status, who, what, command] as const)));

    it.each(cases)('given a goal that is %s, when %s tries %s, then not-found as for an unknown id', (status, _who, _what, command) => {
      const unknown = given([]).when(command).error();
      expect(given(at(status)).when(command).error()).toEqual(unknown);
      expect(unknown).toMatchObject({ kind: 'not-found', message: NO_GOAL });
    });

    it('given a shared goal, when the current coach (who sees it) revises, changes its status or sharing, then 403 before its status', () => {
      for (const status of ['active', 'achieved', 'abandoned']) {
        for (const [, command] of commands('coa', 'coa').filter(([what]) => what !== 'a progress note')) {
          expect(given(at(status)).when(command).error()).toMatchObject({ kind: 'forbidden' });
        }
      }
    });
  });
});
