import { DialogueOpened, GoalLinked, GoalStatusChanged, Role } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, toDomainEvent } from '@cbme/event-sourcing';
import {
  DialogueActionCompletedWritten, DialogueActionDroppedWritten, DialogueActionWritten, dialogueReadAccess, isOverdue, dialogueStreamId, DialogueEntryWritten, GoalEvent, GoalProgressWritten, GoalRevisedWritten, goalDecider, goalStreamId, listDialogues,
  mayReadGoal, NO_DIALOGUE, NO_GOAL, NO_LEARNER,
} from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches, LEARNER_DIALOGUES, LEARNER_GOALS, LearnerDialogues, LearnerGoals } from '../ports/read-model-ports';
import { FrameworkReadings, VersionReading } from './framework-readings';

export interface Viewer {
  userId: string;
  role: Role;
  schoolId: string;
}

/** `now`: the request's instant (which open action items are overdue). */
export class GetFeedbackDialogueQuery {
  constructor(readonly viewer: Viewer, readonly dialogueId: string, readonly now: string) {}
}

export class GetGoalQuery {
  constructor(readonly viewer: Viewer, readonly goalId: string) {}
}

/** `version`: read the goals' competencies under that framework version (see crosswalkReader). */
export class ListLearnerGoalsQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly version?: VersionReading) {}
}

export class ListLearnerReflectionsQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly page: number, readonly pageSize: number) {}
}

/** `now`: the request's instant (which open action items are overdue). */
export class ListLearnerDialoguesQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly now: string, readonly status?: 'open' | 'closed', readonly version?: VersionReading) {}
}

/**
 * A dialogue is read straight from its stream (consistent right after a write), as `dialogueReadAccess` allows:
 * everything for the learner, what is shared for their current coach or its assessor; anyone else, a former
 * coach included, learns nothing, not even that it exists.
 */
@QueryHandler(GetFeedbackDialogueQuery)
export class GetFeedbackDialogueHandler implements IQueryHandler<GetFeedbackDialogueQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ viewer, dialogueId, now }: GetFeedbackDialogueQuery) {
    const history = await this.store.readStream(dialogueStreamId(dialogueId));
    if (history.length === 0 || history[0].tenant.schoolId !== viewer.schoolId) throw notFound(NO_DIALOGUE);
    const opened = history[0].data as DialogueOpened;
    const dialogue = { learnerId: opened.learnerId, assessorId: opened.assessor?.userId ?? null };
    const access = dialogueReadAccess(viewer.userId, dialogue, await this.coaches.currentCoachOf(viewer.schoolId, opened.learnerId));
    if (!access) throw notFound(NO_DIALOGUE);
    const entries = history
      .filter((e) => e.type === 'feedback.dialogue-entry-added')
      .map((e) => ({ ...(e.data as DialogueEntryWritten), at: e.occurredAt }))
      .filter((entry) => access === 'everything' || entry.visibility === 'shared')
      .map(({ dialogueId: _d, kind, ...entry }) => ({ ...entry, kind: kind ?? 'comment' }));
    const settled = (type: string, actionId: string) => history.find((e) => e.type === type && (e.data as { actionId: string }).actionId === actionId);
    const actionItems = history
      .filter((e) => e.type === 'feedback.dialogue-action-agreed')
      .map((e) => {
        const { actionId, ownerId, dueDate, description } = e.data as DialogueActionWritten;
        const done = settled('feedback.dialogue-action-completed', actionId);
        const dropped = settled('feedback.dialogue-action-dropped', actionId);
        const status = done ? 'done' : dropped ? 'dropped' : 'open';
        return {
          actionId, description, ownerId, dueDate: dueDate ?? null, agreedBy: e.actor.userId, at: e.occurredAt, status,
          overdue: isOverdue({ dueDate, status }, now),
          done: done ? { by: done.actor.userId, at: done.occurredAt, outcome: (done.data as DialogueActionCompletedWritten).outcome } : null,
          dropped: dropped ? { by: dropped.actor.userId, at: dropped.occurredAt, reason: (dropped.data as DialogueActionDroppedWritten).reason } : null,
        };
      });
    const references = history
      .filter((e) => e.type === 'feedback.dialogue-result-referenced')
      .map((e) => ({ resultId: (e.data as { resultId: string }).resultId, by: e.actor.userId, at: e.occurredAt }));
    const statusChanges = history.filter((e) => e.type === 'feedback.dialogue-closed' || e.type === 'feedback.dialogue-reopened');
    const closed = statusChanges.length > 0 && statusChanges[statusChanges.length - 1].type === 'feedback.dialogue-closed';
    return {
      dialogueId, learnerId: opened.learnerId, coachId: opened.coachId, topic: opened.topic, competencies: opened.competencies,
      context: opened.context ?? null, assessor: opened.assessor ?? null,
      status: closed ? 'closed' : 'open', openedAt: history[0].occurredAt,
      history: statusChanges.map((e) => ({ status: e.type === 'feedback.dialogue-closed' ? 'closed' : 'reopened', by: e.actor.userId, at: e.occurredAt })),
      entries, actionItems, references, version: history[history.length - 1].streamVersion,
    };
  }
}

/** The links a goal has now (an unlink takes one back), each with when it was made. */
function currentLinks(history: { type: string; data: unknown; occurredAt: string }[]) {
  let links: { kind: GoalLinked['kind']; targetId: string; at: string }[] = [];
  for (const e of history) {
    if (e.type !== 'feedback.goal-linked' && e.type !== 'feedback.goal-unlinked') continue;
    const { kind, targetId } = e.data as GoalLinked;
    links = links.filter((l) => l.kind !== kind || l.targetId !== targetId);
    if (e.type === 'feedback.goal-linked') links.push({ kind, targetId, at: e.occurredAt });
  }
  return links;
}

/** A learner sees all their goals; their current coach sees those the learner shares; nobody else sees any. */
@QueryHandler(ListLearnerGoalsQuery)
export class ListLearnerGoalsHandler implements IQueryHandler<ListLearnerGoalsQuery> {
  constructor(
    @Inject(LEARNER_GOALS) private readonly goals: LearnerGoals,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    private readonly readings: FrameworkReadings,
  ) {}

  async execute({ viewer, learnerId, version }: ListLearnerGoalsQuery) {
    const isLearner = viewer.userId === learnerId;
    if (!isLearner && (await this.coaches.currentCoachOf(viewer.schoolId, learnerId)) !== viewer.userId) {
      throw notFound(NO_LEARNER);
    }
    const [goals, reading] = await Promise.all([this.goals.list(viewer.schoolId, learnerId), this.readings.readingFor(viewer.schoolId, version)]);
    const shown = (isLearner ? goals : goals.filter((goal) => goal.visibility !== 'private')).map((goal) => reading.item(goal));
    return { learnerId, goals: shown, ...reading.describe() };
  }
}

/**
 * A learner's dialogues, each as `GetFeedbackDialogueHandler` would let the viewer read it (the same rule, applied
 * to each): counts and last activity cover only the entries the viewer may read. Someone who may read none of
 * them and is neither the learner nor their current coach gets the answer for a learner who does not exist.
 */
@QueryHandler(ListLearnerDialoguesQuery)
export class ListLearnerDialoguesHandler implements IQueryHandler<ListLearnerDialoguesQuery> {
  constructor(
    @Inject(LEARNER_DIALOGUES) private readonly dialogues: LearnerDialogues,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    private readonly readings: FrameworkReadings,
  ) {}

  async execute({ viewer, learnerId, now, status, version }: ListLearnerDialoguesQuery) {
    const [summaries, currentCoachId] = await Promise.all([
      this.dialogues.summariesOf(viewer.schoolId, learnerId), this.coaches.currentCoachOf(viewer.schoolId, learnerId),
    ]);
    const accessOf = (dialogue: { learnerId: string; assessorId: string | null }) => dialogueReadAccess(viewer.userId, dialogue, currentCoachId);
    // a dialogue without an assessor is one the learner and their current coach read: what they may read of the learner
    if (!accessOf({ learnerId, assessorId: null }) && !summaries.some(accessOf)) throw notFound(NO_LEARNER);
    const reading = await this.readings.readingFor(viewer.schoolId, version);
    return { learnerId, dialogues: listDialogues(summaries, accessOf, now, status).map((d) => reading.item(d)), ...reading.describe() };
  }
}

/**
 * One goal from its stream: its state, revisions with their rationale, status changes, progress notes and
 * what motivated it. The learner sees it all; their current coach sees a goal the learner shares; nobody else.
 */
@QueryHandler(GetGoalQuery)
export class GetGoalHandler implements IQueryHandler<GetGoalQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ viewer, goalId }: GetGoalQuery) {
    const history = await this.store.readStream(goalStreamId(goalId));
    if (history.length === 0 || history[0].tenant.schoolId !== viewer.schoolId) throw notFound(NO_GOAL);
    const state = history.map(toDomainEvent<GoalEvent>).reduce(goalDecider.evolve, goalDecider.initialState);
    if (state.status === 'none') throw notFound(NO_GOAL);
    const isLearner = viewer.userId === state.learnerId;
    if (!isLearner && !mayReadGoal(state, viewer.userId, await this.coaches.currentCoachOf(viewer.schoolId, state.learnerId))) throw notFound(NO_GOAL);
    const { revisions: _r, links: _l, ...goal } = state;
    const of = (type: string) => history.filter((e) => e.type === type);
    return {
      ...goal,
      createdAt: history[0].occurredAt,
      revisions: of('feedback.goal-revised').map((e) => {
        const { description, targetDate, rationale } = e.data as GoalRevisedWritten;
        return { description, targetDate, rationale, at: e.occurredAt };
      }),
      statusChanges: history.filter((e) => e.type === 'feedback.goal-status-changed' || (e.type === 'feedback.goal-set' && e.streamVersion > 1) || e.type === 'feedback.goal-draft-abandoned').map((e) => {
        if (e.type === 'feedback.goal-set') return { from: 'draft', to: 'active', at: e.occurredAt };
        if (e.type === 'feedback.goal-draft-abandoned') return { from: 'draft', to: 'abandoned', at: e.occurredAt };
        const { from, to, note } = e.data as GoalStatusChanged;
        return { from, to, ...(note ? { note } : {}), at: e.occurredAt };
      }),
      progressNotes: of('feedback.goal-progress-noted').map((e) => {
        const { noteId, authorId, note } = e.data as GoalProgressWritten;
        return { noteId, authorId, note, at: e.occurredAt };
      }),
      links: currentLinks(history),
      version: history[history.length - 1].streamVersion,
    };
  }
}

/**
 * A learner's reflections across their dialogues, newest first, a page at a time. Each dialogue the viewer may read
 * is read from its stream (as `GetFeedbackDialogueHandler` reads one): a private reflection only for the learner.
 * The learner's dialogue list (one read model document, by `_id`) says which streams to read.
 */
@QueryHandler(ListLearnerReflectionsQuery)
export class ListLearnerReflectionsHandler implements IQueryHandler<ListLearnerReflectionsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEARNER_DIALOGUES) private readonly dialogues: LearnerDialogues,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ viewer, learnerId, page, pageSize }: ListLearnerReflectionsQuery) {
    const [summaries, currentCoachId] = await Promise.all([
      this.dialogues.summariesOf(viewer.schoolId, learnerId), this.coaches.currentCoachOf(viewer.schoolId, learnerId),
    ]);
    const readable = summaries.flatMap((summary) => {
      const access = dialogueReadAccess(viewer.userId, summary, currentCoachId);
      return access ? [{ summary, access }] : [];
    });
    if (!dialogueReadAccess(viewer.userId, { learnerId, assessorId: null }, currentCoachId) && readable.length === 0) throw notFound(NO_LEARNER);
    const perDialogue = await Promise.all(readable.map(async ({ summary, access }) => {
      const history = await this.store.readStream(dialogueStreamId(summary.dialogueId));
      return history
        .filter((e) => e.type === 'feedback.dialogue-entry-added')
        .map((e) => ({ entry: e.data as DialogueEntryWritten, at: e.occurredAt }))
        .filter(({ entry }) => entry.kind === 'reflection' && (access === 'everything' || entry.visibility === 'shared'))
        .map(({ entry, at }) => ({ entryId: entry.entryId, dialogueId: summary.dialogueId, topic: summary.topic, text: entry.text, visibility: entry.visibility, at }));
    }));
    const all = perDialogue.flat().sort((a, b) => b.at.localeCompare(a.at) || a.entryId.localeCompare(b.entryId));
    return { learnerId, total: all.length, page, pageSize, reflections: all.slice((page - 1) * pageSize, page * pageSize) };
  }
}
