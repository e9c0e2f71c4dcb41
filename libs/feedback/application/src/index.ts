export * from './feedback-catalog';
export * from './ports/read-model-ports';
export * from './ports/notifier';
export * from './commands/dialogue.commands';
export * from './commands/goal.commands';
export * from './queries/feedback.queries';
export * from './commands/framework.commands';
export * from './commands/motivations';
export * from './commands/plan.commands';
export * from './queries/plan.queries';
export * from './commands/coach-plan.commands';
export * from './queries/coach-plan.queries';
export * from './commands/assessment.commands';
export * from './queries/assessment.queries';
export * from './queries/history.queries';
export * from './queries/framework.queries';
export * from './queries/self-vs-others.queries';
export * from './queries/framework-readings';

import {
  AddDialogueEntryHandler, AgreeActionItemHandler, CloseFeedbackDialogueHandler, CompleteActionItemHandler, DropActionItemHandler, OpenFeedbackDialogueHandler,
  ReopenFeedbackDialogueHandler,
} from './commands/dialogue.commands';
import {
  ChangeGoalSharingHandler, ChangeGoalStatusHandler, LinkGoalHandler, NoteGoalProgressHandler, ReviseGoalHandler, SetGoalHandler, UnlinkGoalHandler,
} from './commands/goal.commands';
import { GetFeedbackDialogueHandler, GetGoalHandler, ListLearnerDialoguesHandler, ListLearnerGoalsHandler, ListLearnerReflectionsHandler } from './queries/feedback.queries';
import { PublishFrameworkVersionHandler } from './commands/framework.commands';
import { GetFrameworkHandler, GetUnmappedCodesHandler, ListFrameworksHandler } from './queries/framework.queries';
import { FrameworkReadings } from './queries/framework-readings';
import { RevisePlanHandler, ReviewPlanHandler, SendPlanReviewReminderHandler } from './commands/plan.commands';
import { GetPlanHandler } from './queries/plan.queries';
import { RequestCoachPlanReviewHandler, ReviewCoachPlanHandler, ReviseCoachPlanHandler } from './commands/coach-plan.commands';
import { GetCoachPlanHandler, ListCoachPlansHandler } from './queries/coach-plan.queries';
import { ImportAssessmentResultsHandler, RecordSelfAssessmentHandler, ReferenceAssessmentResultHandler } from './commands/assessment.commands';
import { ListAssessmentResultsHandler, ListSelfAssessmentsHandler } from './queries/assessment.queries';
import { GetSelfVsOthersHandler } from './queries/self-vs-others.queries';
import { GetProgressAsOfHandler, GetProgressDiffHandler, GetTimelineHandler, HistoryGate, ProgressSnapshots } from './queries/history.queries';

import {
  AnswerFeedbackRequestHandler, DeclineFeedbackRequestHandler, OpenAnswerDialogueHandler, PromptFeedbackRequestHandler, RequestFeedbackHandler, RespondByTokenHandler, RunFeedbackRequestJobHandler,
} from './commands/feedback-request.commands';
import { GetFeedbackRequestByTokenHandler, GetFeedbackRequestHandler, ListFeedbackAskedOfMeHandler, ListLearnerFeedbackRequestsHandler } from './queries/feedback-request.queries';

export const FEEDBACK_HANDLERS = [
  PromptFeedbackRequestHandler, RequestFeedbackHandler, AnswerFeedbackRequestHandler, DeclineFeedbackRequestHandler, RespondByTokenHandler, RunFeedbackRequestJobHandler, OpenAnswerDialogueHandler,
  GetFeedbackRequestHandler, ListLearnerFeedbackRequestsHandler, ListFeedbackAskedOfMeHandler, GetFeedbackRequestByTokenHandler,
  OpenFeedbackDialogueHandler, AddDialogueEntryHandler, CloseFeedbackDialogueHandler, AgreeActionItemHandler, CompleteActionItemHandler, DropActionItemHandler, ReopenFeedbackDialogueHandler,
  SetGoalHandler, ReviseGoalHandler, ChangeGoalStatusHandler, ChangeGoalSharingHandler, NoteGoalProgressHandler, LinkGoalHandler, UnlinkGoalHandler,
  GetFeedbackDialogueHandler, ListLearnerGoalsHandler, GetGoalHandler, ListLearnerDialoguesHandler, ListLearnerReflectionsHandler,
  PublishFrameworkVersionHandler, ListFrameworksHandler, GetFrameworkHandler, GetUnmappedCodesHandler, FrameworkReadings,
  RevisePlanHandler, ReviewPlanHandler, SendPlanReviewReminderHandler, GetPlanHandler,
  ReviseCoachPlanHandler, RequestCoachPlanReviewHandler, ReviewCoachPlanHandler, GetCoachPlanHandler, ListCoachPlansHandler,
  ImportAssessmentResultsHandler, ReferenceAssessmentResultHandler, RecordSelfAssessmentHandler, ListAssessmentResultsHandler, ListSelfAssessmentsHandler,
  HistoryGate, ProgressSnapshots, GetTimelineHandler, GetProgressAsOfHandler, GetProgressDiffHandler,
  GetSelfVsOthersHandler,
];
export * from './history/feedback-history.importer';
export * from './ports/feedback-request-ports';
export * from './commands/feedback-request.commands';
export * from './queries/feedback-request.queries';
