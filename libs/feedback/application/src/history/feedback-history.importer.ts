import { EventCatalog, EventMetadata, FEEDBACK_HISTORY_KINDS, FeedbackHistoryRecord, Role } from '@cbme/contracts';
import { ruleViolated } from '@cbme/decider';
import { EVENT_CATALOG, EventStore, HistoryImporter, rememberedFor } from '@cbme/event-sourcing';
import { assessmentImportStreamId, dialogueStreamId, goalStreamId, planStreamId, resultIdOf, selfAssessmentStreamId } from '@cbme/feedback-domain';
import { Inject, Injectable } from '@nestjs/common';
import {
  ImportAssessmentResultsCommand, ImportAssessmentResultsHandler, RecordSelfAssessmentCommand, RecordSelfAssessmentHandler,
} from '../commands/assessment.commands';
import {
  AddDialogueEntryCommand, AddDialogueEntryHandler, AgreeActionItemCommand, AgreeActionItemHandler, CloseFeedbackDialogueCommand, CloseFeedbackDialogueHandler,
  CompleteActionItemCommand, CompleteActionItemHandler, DropActionItemCommand, DropActionItemHandler, OpenFeedbackDialogueCommand, OpenFeedbackDialogueHandler,
  ReopenFeedbackDialogueCommand, ReopenFeedbackDialogueHandler,
} from '../commands/dialogue.commands';
import {
  ChangeGoalSharingCommand, ChangeGoalSharingHandler, ChangeGoalStatusCommand, ChangeGoalStatusHandler, NoteGoalProgressCommand, NoteGoalProgressHandler,
  ReviseGoalCommand, ReviseGoalHandler, SetGoalCommand, SetGoalHandler,
} from '../commands/goal.commands';
import { RevisePlanCommand, RevisePlanHandler, ReviewPlanCommand, ReviewPlanHandler } from '../commands/plan.commands';
import { CURRENT_COACHES, CurrentCoaches, SCHOOL_MEMBERS, SchoolMembers } from '../ports/read-model-ports';

/** An imported assessment result is an import of one row: its id on the platform is `<resultId>.1` (see resultIdOf). */
export const importedResultId = (resultId: string) => resultIdOf(resultId, 1);

/**
 * The command a feedback history record becomes: the same command classes as the HTTP API sends, naming who acted
 * (`recordedBy`, honoured only for a backdated command). `goalLearnerId`: the learner of the record's goal, who alone
 * revises it, changes its status or sharing (undefined when there is no such goal: the decider then says so).
 */
export function commandOf(record: FeedbackHistoryRecord, metadata: EventMetadata, goalLearnerId?: string) {
  switch (record.kind) {
    case 'dialogue-opened':
      return new OpenFeedbackDialogueCommand(metadata, withoutUndefined({
        dialogueId: record.dialogueId, learnerId: record.learnerId, coachId: record.coachId, topic: record.topic, competencies: record.competencies,
        context: record.context && withoutUndefined({ ...record.context }), assessor: record.assessor && withoutUndefined({ ...record.assessor }),
      }), record.learnerId);
    case 'dialogue-entry-added':
      return new AddDialogueEntryCommand(metadata, record.dialogueId, withoutUndefined({ entryId: record.entryId, text: record.text, visibility: record.visibility, kind: record.entryKind }), undefined, record.authorId);
    case 'action-item-agreed':
      return new AgreeActionItemCommand(metadata, record.dialogueId, withoutUndefined({ actionId: record.actionId, description: record.description, ownerId: record.ownerId, dueDate: record.dueDate }), record.agreedBy);
    case 'action-item-completed':
      return new CompleteActionItemCommand(metadata, record.dialogueId, record.actionId, record.outcome, record.completedBy);
    case 'action-item-dropped':
      return new DropActionItemCommand(metadata, record.dialogueId, record.actionId, record.reason, record.droppedBy);
    case 'dialogue-closed':
      return new CloseFeedbackDialogueCommand(metadata, record.dialogueId, record.closedBy);
    case 'dialogue-reopened':
      return new ReopenFeedbackDialogueCommand(metadata, record.dialogueId, record.reopenedBy);
    case 'goal-set':
      return new SetGoalCommand(metadata, {
        goalId: record.goalId, description: record.description, measureOfSuccess: record.measureOfSuccess ?? null, competencies: record.competencies,
        targetDate: record.targetDate, visibility: record.visibility ?? 'shared',
      }, record.learnerId);
    case 'goal-revised':
      return new ReviseGoalCommand(metadata, record.goalId, { description: record.description, targetDate: record.targetDate, rationale: record.rationale }, undefined, goalLearnerId);
    case 'goal-status-changed':
      return new ChangeGoalStatusCommand(metadata, record.goalId, withoutUndefined({ to: record.to, note: record.note }), goalLearnerId);
    case 'goal-progress-noted':
      return new NoteGoalProgressCommand(metadata, record.goalId, { noteId: record.noteId, note: record.note }, record.authorId);
    case 'goal-shared':
      return new ChangeGoalSharingCommand(metadata, record.goalId, { visibility: record.visibility }, goalLearnerId);
    case 'plan-revised':
      return new RevisePlanCommand(metadata, withoutUndefined({
        planId: record.planId, goalIds: record.goalIds, nextReviewDue: new Date(record.nextReviewDue).toISOString(), rationale: record.rationale,
        focusAreas: record.focusAreas.map((f) => ({ focusId: f.focusId, title: f.title, competencies: f.competencies })),
        motivatedBy: (record.motivatedBy ?? []).map((m) => ({ kind: m.kind, targetId: m.kind === 'assessment-result' ? importedResultId(m.targetId) : m.targetId })),
      }), undefined, record.learnerId);
    case 'plan-reviewed':
      return new ReviewPlanCommand(metadata, record.learnerId, {
        reviewId: record.reviewId, whatChanged: record.whatChanged, nextSteps: record.nextSteps, nextReviewDue: new Date(record.nextReviewDue).toISOString(),
      }, record.reviewedBy);
    case 'self-assessment-recorded':
      return new RecordSelfAssessmentCommand(metadata, { assessmentId: record.assessmentId, ratings: record.ratings.map((r) => ({ competency: r.competency, level: r.level })) }, record.learnerId);
    case 'assessment-result-recorded':
      return new ImportAssessmentResultsCommand(metadata, {
        importId: record.resultId,
        rows: [{
          line: 1, learnerId: record.learnerId, competency: record.competencies.join(';'), kind: record.assessmentKind, instrument: record.instrument,
          score: String(record.score), maxScore: String(record.maxScore), assessedOn: record.assessedOn ?? metadata.occurredAt.slice(0, 10),
        }],
      });
  }
}

type FeedbackCommand = ReturnType<typeof commandOf>;
const GOAL_KINDS_BY_ITS_LEARNER = new Set<FeedbackHistoryRecord['kind']>(['goal-revised', 'goal-status-changed', 'goal-shared']);

/**
 * Feedback's record kinds for the history import (docs/history-import.md). A record's command runs through the
 * handler class the command bus would pick, built over the store the import gives (an overlay: see applyHistory);
 * the read models (who coached whom when, who holds which role) stay the service's own.
 */
@Injectable()
export class FeedbackHistoryImporter implements HistoryImporter<FeedbackHistoryRecord> {
  readonly kinds = FEEDBACK_HISTORY_KINDS;

  constructor(
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
  ) {}

  people(record: FeedbackHistoryRecord): { userId: string; role: Role }[] {
    switch (record.kind) {
      case 'dialogue-opened':
        return [{ userId: record.learnerId, role: 'learner' }, { userId: record.coachId, role: 'coach' }];
      case 'goal-set': case 'plan-revised': case 'plan-reviewed': case 'self-assessment-recorded': case 'assessment-result-recorded':
        return [{ userId: record.learnerId, role: 'learner' }];
      default:
        // authors, owners and reviewers are judged by the decider against the dialogue's, goal's or plan's people
        return [];
    }
  }

  rolesOf(schoolId: string, userId: string) {
    return this.members.rolesOf(schoolId, userId);
  }

  forRun(): FeedbackHistoryImporter {
    const members = this.members;
    return new FeedbackHistoryImporter(this.catalog, this.coaches, { rolesOf: rememberedFor((schoolId, userId) => members.rolesOf(schoolId, userId)) });
  }

  streamOf(record: FeedbackHistoryRecord, schoolId: string) {
    switch (record.kind) {
      case 'dialogue-opened': case 'dialogue-entry-added': case 'action-item-agreed': case 'action-item-completed': case 'action-item-dropped':
      case 'dialogue-closed': case 'dialogue-reopened':
        return dialogueStreamId(record.dialogueId);
      case 'goal-set': case 'goal-revised': case 'goal-status-changed': case 'goal-progress-noted': case 'goal-shared':
        return goalStreamId(record.goalId);
      case 'plan-revised': case 'plan-reviewed':
        return planStreamId(schoolId, record.learnerId);
      case 'self-assessment-recorded':
        return selfAssessmentStreamId(schoolId, record.learnerId);
      case 'assessment-result-recorded':
        return assessmentImportStreamId(record.resultId);
    }
  }

  async run(record: FeedbackHistoryRecord, metadata: EventMetadata, store: EventStore): Promise<unknown> {
    const goalLearnerId = GOAL_KINDS_BY_ITS_LEARNER.has(record.kind) ? await this.goalLearnerOf(store, record as { goalId: string }, metadata.tenant.schoolId) : undefined;
    const command = commandOf(record, metadata, goalLearnerId);
    const result = await this.handlerOn(store, command).execute(command);
    if (command instanceof ImportAssessmentResultsCommand) requireImported(result as Awaited<ReturnType<ImportAssessmentResultsHandler['execute']>>);
    return result;
  }

  private async goalLearnerOf(store: EventStore, { goalId }: { goalId: string }, schoolId: string): Promise<string | undefined> {
    const [first] = await store.readStream(goalStreamId(goalId));
    return first && first.tenant.schoolId === schoolId ? (first.data as { learnerId: string }).learnerId : undefined;
  }

  /** The handler the command bus would pick, built over the given store (the read models stay the real ones). */
  private handlerOn(store: EventStore, command: FeedbackCommand): { execute(command: FeedbackCommand): Promise<unknown> } {
    const deps = [store, this.catalog, this.coaches] as const;
    const handler = (() => {
      if (command instanceof OpenFeedbackDialogueCommand) return new OpenFeedbackDialogueHandler(...deps, this.members);
      if (command instanceof AddDialogueEntryCommand) return new AddDialogueEntryHandler(...deps);
      if (command instanceof AgreeActionItemCommand) return new AgreeActionItemHandler(...deps);
      if (command instanceof CompleteActionItemCommand) return new CompleteActionItemHandler(...deps);
      if (command instanceof DropActionItemCommand) return new DropActionItemHandler(...deps);
      if (command instanceof CloseFeedbackDialogueCommand) return new CloseFeedbackDialogueHandler(...deps);
      if (command instanceof ReopenFeedbackDialogueCommand) return new ReopenFeedbackDialogueHandler(...deps);
      if (command instanceof SetGoalCommand) return new SetGoalHandler(...deps);
      if (command instanceof ReviseGoalCommand) return new ReviseGoalHandler(...deps);
      if (command instanceof ChangeGoalStatusCommand) return new ChangeGoalStatusHandler(...deps);
      if (command instanceof NoteGoalProgressCommand) return new NoteGoalProgressHandler(...deps);
      if (command instanceof ChangeGoalSharingCommand) return new ChangeGoalSharingHandler(...deps);
      if (command instanceof RevisePlanCommand) return new RevisePlanHandler(store, this.catalog);
      if (command instanceof ReviewPlanCommand) return new ReviewPlanHandler(...deps);
      if (command instanceof RecordSelfAssessmentCommand) return new RecordSelfAssessmentHandler(store, this.catalog);
      return new ImportAssessmentResultsHandler(store, this.catalog, this.members);
    })();
    return handler as { execute(command: FeedbackCommand): Promise<unknown> };
  }
}

/** The assessment import answers a bad row with its reasons instead of refusing: for a history line that is a refusal. */
function requireImported(outcome: { errors: { reasons: string[] }[] }) {
  if (outcome.errors.length > 0) throw ruleViolated(outcome.errors.flatMap((e) => e.reasons).join('; '));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
