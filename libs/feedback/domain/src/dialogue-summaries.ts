import { assertNever } from '@cbme/decider';
import { DialogueEvent, isOverdue, mayReadDialogue } from './feedback-dialogue.decider';

/** How much of a dialogue someone reads: the learner everything, others only what is shared (null: nothing). */
export type DialogueReadAccess = 'everything' | 'shared';

/**
 * The one read rule of a dialogue: the learner reads every entry, whoever coaches them now; the learner's
 * current coach (a coach who took over after a transfer too: the shared record follows the learner) and a
 * named assessor with an account read what is shared; anyone else, a former coach included, nothing.
 */
export function dialogueReadAccess(
  viewerId: string, dialogue: { learnerId: string; assessorId: string | null }, currentCoachId: string | null,
): DialogueReadAccess | null {
  if (viewerId === dialogue.learnerId) return 'everything';
  return mayReadDialogue(dialogue, viewerId, currentCoachId) ? 'shared' : null;
}

export interface DialogueActivity {
  at: string;
  by: string;
}

/** An action item neither done nor dropped, as a list of dialogues keeps it (action items are seen by every reader). */
export interface OpenActionItem {
  actionId: string;
  description: string;
  ownerId: string;
  dueDate: string | null;
  agreedAt: string;
}

/**
 * What a list of a learner's dialogues needs of one dialogue, kept per visibility so that each reader's view
 * is computed at query time: private entries (only ever the learner's) are counted and timed apart.
 */
export interface DialogueSummary {
  dialogueId: string;
  learnerId: string;
  coachId: string;
  assessorId: string | null;
  topic: string;
  competencies: string[];
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  sharedEntries: number;
  privateEntries: number;
  /** every action item agreed */
  actionItems: number;
  /** how many of them are done (absent: none, as in summaries written before items could be completed) */
  actionsDone?: number;
  /** how many of them were dropped (absent: none, as in summaries written before items could be dropped) */
  actionsDropped?: number;
  /** the items neither done nor dropped (absent in summaries written before they were kept: rebuild the read model) */
  openActions?: OpenActionItem[];
  /** the latest of what every reader sees: the opening, shared entries, action items, close, reopen, references */
  lastShared: DialogueActivity;
  /** the latest private entry */
  lastPrivate: DialogueActivity | null;
  /** who wrote the latest shared entry (null: none yet) */
  lastSharedEntryBy: string | null;
  /** the dialogue stream's version this summary has applied (the guard against redelivery) */
  version: number;
}

/** An event of a dialogue's stream with what the summary takes from its envelope. */
export interface SummarizedEvent {
  event: DialogueEvent;
  at: string;
  by: string;
  version: number;
}

/**
 * The summary after one event of its dialogue's stream. An event at or below the version already applied
 * changes nothing (redelivery, replay); an event of a dialogue whose opening was never seen gives null.
 */
export function summarizeDialogue(summary: DialogueSummary | null, { event, at, by, version }: SummarizedEvent): DialogueSummary | null {
  if (summary && version <= summary.version) return summary;
  if (event.type === 'feedback.dialogue-opened') {
    if (summary) return summary;
    const { dialogueId, learnerId, coachId, topic, competencies, assessor } = event.data;
    return {
      dialogueId, learnerId, coachId, assessorId: assessor?.userId ?? null, topic, competencies, status: 'open', openedAt: at, closedAt: null,
      sharedEntries: 0, privateEntries: 0, actionItems: 0, openActions: [], lastShared: { at, by }, lastPrivate: null, lastSharedEntryBy: null, version,
    };
  }
  if (!summary) return null;
  const next = { ...summary, version };
  const seenByAll = { ...next, lastShared: { at, by } };
  switch (event.type) {
    case 'feedback.dialogue-entry-added':
      return event.data.visibility === 'private'
        ? { ...next, privateEntries: next.privateEntries + 1, lastPrivate: { at, by } }
        : { ...seenByAll, sharedEntries: next.sharedEntries + 1, lastSharedEntryBy: event.data.authorId };
    case 'feedback.dialogue-action-agreed': {
      const { actionId, description, ownerId, dueDate } = event.data;
      const item = { actionId, description, ownerId, dueDate: dueDate ?? null, agreedAt: at };
      return { ...seenByAll, actionItems: next.actionItems + 1, openActions: [...(next.openActions ?? []), item] };
    }
    case 'feedback.dialogue-action-completed':
      return { ...seenByAll, actionsDone: (next.actionsDone ?? 0) + 1, openActions: (next.openActions ?? []).filter((a) => a.actionId !== event.data.actionId) };
    case 'feedback.dialogue-action-dropped':
      return { ...seenByAll, actionsDropped: (next.actionsDropped ?? 0) + 1, openActions: (next.openActions ?? []).filter((a) => a.actionId !== event.data.actionId) };
    case 'feedback.dialogue-closed':
      return { ...seenByAll, status: 'closed', closedAt: at };
    case 'feedback.dialogue-reopened':
      return { ...seenByAll, status: 'open', closedAt: null };
    case 'feedback.dialogue-result-referenced':
      return seenByAll;
    default:
      return assertNever(event);
  }
}

/** One dialogue as a reader with that access sees it in the list. */
export interface DialogueListItem {
  dialogueId: string;
  coachId: string;
  topic: string;
  competencies: string[];
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  lastActivityAt: string;
  lastActivityBy: string;
  entries: number;
  openActionItems: number;
  /** those items, so that a home page lists them without reading each dialogue; `overdue` as of the request */
  openActions: (OpenActionItem & { overdue: boolean })[];
  /** who is expected to write next in an open dialogue: the other side of the latest shared entry's author */
  awaiting: 'learner' | 'coach' | null;
}

/** `now`: the request's instant, which tells which open items are overdue. */
export function dialogueListItem(summary: DialogueSummary, access: DialogueReadAccess, now: string): DialogueListItem {
  const { dialogueId, coachId, topic, competencies, status, openedAt, closedAt, lastPrivate, lastShared, lastSharedEntryBy } = summary;
  const everything = access === 'everything';
  const last = everything && lastPrivate && lastPrivate.at > lastShared.at ? lastPrivate : lastShared;
  // an assessor's or a new coach's entry is the coach's side too: the learner answers it
  const awaiting = status === 'closed' ? null : lastSharedEntryBy !== null && lastSharedEntryBy !== summary.learnerId ? 'learner' : 'coach';
  return {
    dialogueId, coachId, topic, competencies, status, openedAt, closedAt, lastActivityAt: last.at, lastActivityBy: last.by,
    entries: summary.sharedEntries + (everything ? summary.privateEntries : 0), openActionItems: summary.actionItems - (summary.actionsDone ?? 0) - (summary.actionsDropped ?? 0),
    openActions: (summary.openActions ?? []).map((a) => ({ ...a, overdue: isOverdue({ ...a, status: 'open' }, now) })), awaiting,
  };
}

/**
 * The dialogues a viewer may read, each as they may read it, optionally of one status, latest activity first.
 * `accessOf` applies the read rule to each dialogue.
 */
export function listDialogues(
  summaries: DialogueSummary[], accessOf: (summary: DialogueSummary) => DialogueReadAccess | null, now: string, status?: 'open' | 'closed',
): DialogueListItem[] {
  return summaries
    .flatMap((summary) => {
      const access = accessOf(summary);
      return access && (!status || summary.status === status) ? [dialogueListItem(summary, access, now)] : [];
    })
    .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || a.dialogueId.localeCompare(b.dialogueId));
}
