import { dialogueListItem, dialogueReadAccess, DialogueSummary, listDialogues, SummarizedEvent, summarizeDialogue } from './dialogue-summaries';
import { DialogueEvent } from './feedback-dialogue.decider';

const at = (minute: number) => `2026-09-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const opened = (dialogueId: string, assessorId?: string): DialogueEvent => ({
  type: 'feedback.dialogue-opened',
  data: { dialogueId, learnerId: 'lea', coachId: 'coa', topic: `Topic ${dialogueId}`, competencies: ['ICS'], ...(assessorId ? { assessor: { userId: assessorId, name: 'Dr A' } } : {}) },
});
const entry = (authorId: string, visibility: 'shared' | 'private'): DialogueEvent =>
  ({ type: 'feedback.dialogue-entry-added', data: { dialogueId: 'd1', entryId: `e-${authorId}`, authorId, visibility, wordCount: 2, text: 'secret words' } });
const action: DialogueEvent = { type: 'feedback.dialogue-action-agreed', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', ownerId: 'lea', description: 'SBAR' } };
const closed: DialogueEvent = { type: 'feedback.dialogue-closed', data: { dialogueId: 'd1', learnerId: 'lea' } };
const NOW = '2026-09-20T08:00:00.000Z';
const reopened: DialogueEvent = { type: 'feedback.dialogue-reopened', data: { dialogueId: 'd1', learnerId: 'lea' } };

/** A stream's events in order, each a minute after the last, by the given authors. */
function stream(events: [DialogueEvent, string][]): SummarizedEvent[] {
  return events.map(([event, by], i) => ({ event, by, at: at(i), version: i + 1 }));
}
const fold = (events: SummarizedEvent[], from: DialogueSummary | null = null) => events.reduce(summarizeDialogue, from);
/** the summary of a dialogue whose opening is among the events */
function summary(events: SummarizedEvent[], from: DialogueSummary | null = null): DialogueSummary {
  const folded = fold(events, from);
  if (!folded) throw new Error('no opening among these events');
  return folded;
}

describe('a learner\'s dialogue summaries', () => {
  const history = stream([[opened('d1'), 'lea'], [entry('lea', 'shared'), 'lea'], [entry('coa', 'shared'), 'coa'], [action, 'coa'], [entry('lea', 'private'), 'lea']]);

  it('counts entries per visibility and times private ones apart', () => {
    expect(fold(history)).toEqual({
      dialogueId: 'd1', learnerId: 'lea', coachId: 'coa', assessorId: null, topic: 'Topic d1', competencies: ['ICS'], status: 'open', openedAt: at(0), closedAt: null,
      sharedEntries: 2, privateEntries: 1, actionItems: 1, openActions: [{ actionId: 'a1', description: 'SBAR', ownerId: 'lea', dueDate: null, agreedAt: at(3) }], lastShared: { at: at(3), by: 'coa' }, lastPrivate: { at: at(4), by: 'lea' }, lastSharedEntryBy: 'coa', version: 5,
    });
  });

  it('shows the learner everything and others only what is shared: no private count, no private time', () => {
    const d1 = summary(history);
    expect(dialogueListItem(d1, 'everything', NOW)).toEqual({
      dialogueId: 'd1', coachId: 'coa', topic: 'Topic d1', competencies: ['ICS'], status: 'open', openedAt: at(0), closedAt: null,
      lastActivityAt: at(4), lastActivityBy: 'lea', entries: 3, openActionItems: 1, awaiting: 'learner',
      openActions: [{ actionId: 'a1', description: 'SBAR', ownerId: 'lea', dueDate: null, agreedAt: at(3), overdue: false }],
    });
    expect(dialogueListItem(d1, 'shared', NOW)).toMatchObject({ lastActivityAt: at(3), lastActivityBy: 'coa', entries: 2, awaiting: 'learner' });
    expect(JSON.stringify(dialogueListItem(d1, 'shared', NOW))).not.toContain(at(4));
  });

  it('counts an action item marked done out of the open ones', () => {
    const done: DialogueEvent = { type: 'feedback.dialogue-action-completed', data: { dialogueId: 'd1', learnerId: 'lea', actionId: 'a1', outcomeWords: 2, outcome: 'it worked' } };
    const withDone = stream([[opened('d1'), 'lea'], [action, 'coa'], [done, 'lea']]);
    expect(dialogueListItem(summary(withDone), 'shared', NOW)).toMatchObject({ openActionItems: 0, lastActivityAt: at(2), lastActivityBy: 'lea' });
    expect(dialogueListItem(summary(withDone.slice(0, 2)), 'shared', NOW)).toMatchObject({
      openActionItems: 1, openActions: [{ actionId: 'a1', description: 'SBAR', ownerId: 'lea', dueDate: null, agreedAt: at(1), overdue: false }],
    });
    expect(dialogueListItem(summary(withDone), 'shared', NOW).openActions).toEqual([]);
    expect(fold(withDone, summary(withDone))).toEqual(summary(withDone));
  });

  it('drops done and dropped items from the open ones and keeps the counts; flags an open item overdue as of the request', () => {
    const agree = (actionId: string, dueDate?: string): DialogueEvent =>
      ({ type: 'feedback.dialogue-action-agreed', data: { dialogueId: 'd1', learnerId: 'lea', actionId, ownerId: 'lea', description: actionId, ...(dueDate ? { dueDate } : {}) } });
    const settled = (type: 'completed' | 'dropped', actionId: string): DialogueEvent => type === 'completed'
      ? { type: 'feedback.dialogue-action-completed', data: { dialogueId: 'd1', learnerId: 'lea', actionId, outcomeWords: 1, outcome: 'done' } }
      : { type: 'feedback.dialogue-action-dropped', data: { dialogueId: 'd1', learnerId: 'lea', actionId, reason: 'moved on' } };
    const events = stream([
      [opened('d1'), 'lea'], [agree('done', '2026-09-10'), 'coa'], [agree('dropped', '2026-09-10'), 'coa'], [agree('late', '2026-09-19'), 'coa'],
      [agree('today', '2026-09-20'), 'coa'], [agree('undated'), 'coa'], [settled('completed', 'done'), 'lea'], [settled('dropped', 'dropped'), 'lea'],
    ]);
    const d1 = summary(events);
    expect(d1).toMatchObject({ actionItems: 5, actionsDone: 1, actionsDropped: 1, lastShared: { at: at(7), by: 'lea' } });
    const item = dialogueListItem(d1, 'shared', NOW);
    expect(item.openActionItems).toBe(3);
    expect(item.openActions.map((a) => [a.actionId, a.overdue])).toEqual([['late', true], ['today', false], ['undated', false]]);
    // the same summary a day later: what was due today is overdue then
    expect(dialogueListItem(d1, 'shared', '2026-09-21T00:00:00.000Z').openActions.map((a) => a.overdue)).toEqual([true, true, false]);
    expect(fold(events, d1)).toEqual(d1);
  });

  it('is unchanged by redelivered or replayed events', () => {
    const once = fold(history);
    expect(fold(history, once)).toEqual(once);
    expect(fold([history[2], history[0], history[4]], once)).toEqual(once);
  });

  it('awaits the coach with no shared entry yet or after the learner\'s; the learner after the coach\'s or an assessor\'s; nobody once closed', () => {
    const awaiting = (events: [DialogueEvent, string][]) => dialogueListItem(summary(stream(events)), 'everything', NOW).awaiting;
    expect(awaiting([[opened('d1'), 'lea']])).toBe('coach');
    expect(awaiting([[opened('d1'), 'lea'], [entry('lea', 'private'), 'lea']])).toBe('coach');
    expect(awaiting([[opened('d1'), 'lea'], [entry('coa', 'shared'), 'coa'], [entry('lea', 'shared'), 'lea']])).toBe('coach');
    expect(awaiting([[opened('d1'), 'lea'], [entry('coa', 'shared'), 'coa'], [entry('lea', 'private'), 'lea']])).toBe('learner');
    expect(awaiting([[opened('d1', 'pre'), 'lea'], [entry('pre', 'shared'), 'pre']])).toBe('learner');
    expect(awaiting([[opened('d1'), 'lea'], [entry('coa', 'shared'), 'coa'], [closed, 'coa']])).toBeNull();
    expect(awaiting([[opened('d1'), 'lea'], [entry('coa', 'shared'), 'coa'], [closed, 'coa'], [reopened, 'lea']])).toBe('learner');
  });

  it('records when it was closed, and forgets it when reopened', () => {
    const events = stream([[opened('d1'), 'lea'], [closed, 'coa']]);
    expect(fold(events)).toMatchObject({ status: 'closed', closedAt: at(1), lastShared: { at: at(1), by: 'coa' } });
    expect(fold([...events, { event: reopened, by: 'lea', at: at(2), version: 3 }])).toMatchObject({ status: 'open', closedAt: null });
  });

  it('ignores an event of a dialogue whose opening it never saw', () => {
    expect(summarizeDialogue(null, { event: entry('lea', 'shared'), at: at(1), by: 'lea', version: 2 })).toBeNull();
  });

  it('lists what each viewer may read, of one status if asked, latest activity first', () => {
    const d1 = summary(history);
    const d2 = summary(stream([[opened('d2', 'pre'), 'lea']]).map((e) => ({ ...e, at: at(2) })));
    const asLearner = listDialogues([d2, d1], (s) => dialogueReadAccess('lea', s, 'coa'), NOW);
    expect(asLearner.map((d) => d.dialogueId)).toEqual(['d1', 'd2']);
    // the private entry at 10:04 does not move d1 for the coach: its last shared activity (10:03) is after d2's opening (10:02)
    expect(listDialogues([d1, d2], (s) => dialogueReadAccess('coa', s, 'coa'), NOW).map((d) => [d.dialogueId, d.lastActivityAt])).toEqual([['d1', at(3)], ['d2', at(2)]]);
    expect(listDialogues([d1, d2], (s) => dialogueReadAccess('pre', s, 'coa'), NOW).map((d) => d.dialogueId)).toEqual(['d2']);
    expect(listDialogues([d1, d2], (s) => dialogueReadAccess('cob', s, 'coa'), NOW)).toEqual([]);
    expect(listDialogues([d1, summary([{ event: closed, at: at(5), by: 'lea', version: 2 }], d2)], (s) => dialogueReadAccess('lea', s, null), NOW, 'closed').map((d) => d.dialogueId)).toEqual(['d2']);
  });
});

describe('who reads a dialogue', () => {
  it('the learner everything; the current coach and the named assessor what is shared; anyone else nothing', () => {
    const dialogue = { learnerId: 'lea', assessorId: 'pre' };
    expect(dialogueReadAccess('lea', dialogue, null)).toBe('everything');
    expect(dialogueReadAccess('coa', dialogue, 'coa')).toBe('shared');
    expect(dialogueReadAccess('pre', dialogue, 'coa')).toBe('shared');
    expect(dialogueReadAccess('old-coach', dialogue, 'coa')).toBeNull();
    expect(dialogueReadAccess('coa', { learnerId: 'lea', assessorId: null }, null)).toBeNull();
  });
});
