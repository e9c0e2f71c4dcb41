import {
  AnswerDialogueReaction, ASSESSMENT_RESULTS, COACH_PLANS, CONTACTS, CURRENT_COACHES, CurrentCoaches, FEEDBACK_HANDLERS, FEEDBACK_REQUEST_JOBS, FEEDBACK_REQUEST_OPTIONS, FEEDBACK_REQUEST_VIEWS,
  FeedbackHistoryImporter, feedbackCatalog, feedbackPublication, FeedbackRequestMail, LEARNER_DIALOGUES, LEARNER_GOALS, LEARNER_TIMELINE, NOTIFIER, PLAN_REVIEW_SCHEDULER,
  PlanReviewReminderScheduling, REQUEST_TOKENS, SCHOOL_MEMBERS, SELF_VS_OTHERS, SELF_VS_OTHERS_THRESHOLD,
} from '@cbme/feedback-application';
import {
  AssessmentResultsProjection, BullmqFeedbackRequestJobs, BullmqPlanReviewScheduler, CoachHistoryProjection, CoachPlansProjection, CurrentCoachesProjection, FEEDBACK_REQUEST_QUEUE, FeedbackRequestsProjection,
  JoseRequestTokens, LearnerDialoguesProjection, LearnerGoalsProjection, LearnerTimelineInboxProjection, LearnerTimelineProjection, MEMBER_EVENT_TYPES, PLAN_REVIEW_QUEUE, RELATIONSHIP_EVENT_TYPES,
  SchoolMembersProjection, SelfVsOthersProjection,
} from '@cbme/feedback-infra';
import {
  historyImport, HistoryImportsController, LEARNER_STREAMS, loadHistoryImportSettings, loadNotificationSettings, NotificationOutbox, notifications, ResolvedConfig, ServiceRuntimeModule,
} from '@cbme/service-runtime';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { Queue } from 'bullmq';
import { FeedbackLearnerStreams } from './audit/feedback-learner-streams';
import { loadFeedbackSettings } from './feedback-config';
import { AssessmentsController } from './http/assessments.controller';
import { DialoguesController } from './http/dialogues.controller';
import { FrameworksController } from './http/frameworks.controller';
import { GoalsController } from './http/goals.controller';
import { HistoryController } from './http/history.controller';
import { LearnerDialoguesController, LearnerReflectionsController } from './http/learner-dialogues.controller';
import { CoachPlansController } from './http/coach-plans.controller';
import { PlansController } from './http/plans.controller';
import { PlanReviewReminderProcessor } from './jobs/plan-review.processor';
import { FeedbackLinksController, FeedbackRequestsController } from './http/feedback-requests.controller';
import { linkRateLimitProvider } from './http/link-rate-limit.guard';
import { FeedbackRequestJobProcessor } from './jobs/feedback-request.processor';

/**
 * What feedback keeps of other services' events: who coaches whom, who holds which role in a school, and
 * for each learner's timeline their relationship changes, meetings and enrollment.
 */
const CONSUMED = new Set<string>([
  ...RELATIONSHIP_EVENT_TYPES, ...MEMBER_EVENT_TYPES,
  'coaching.reassignment-flagged', 'coaching.cadence-fell-behind',
  'coaching.meeting-scheduled', 'coaching.meeting-rescheduled', 'coaching.meeting-cancelled', 'coaching.meeting-held', 'coaching.meeting-missed',
  'identity.learner-enrolled', 'identity.learner-withdrawn', 'identity.learner-graduated',
]);

/** the HTTP surface (its OpenAPI document is checked against these) */
export const FEEDBACK_CONTROLLERS = [DialoguesController, GoalsController, FrameworksController, PlansController, CoachPlansController, AssessmentsController, HistoryController, LearnerDialoguesController, LearnerReflectionsController,
  FeedbackRequestsController, FeedbackLinksController, HistoryImportsController,
];

/** Feedback dialogues and goals. Learns who coaches whom now from coaching's relationship events. */
@Module({})
export class FeedbackModule {
  static register(config: ResolvedConfig): DynamicModule {
    const settings = loadFeedbackSettings(config);
    const history = historyImport(FeedbackHistoryImporter, loadHistoryImportSettings('feedback'));
    const outbox = notifications(loadNotificationSettings('feedback'));
    return {
      module: FeedbackModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: feedbackCatalog(),
          publication: feedbackPublication,
          consumes: { contexts: ['coaching', 'identity'], accepts: (type) => CONSUMED.has(type) },
          projections: [
            { source: 'events', use: LearnerGoalsProjection },
            { source: 'events', use: LearnerDialoguesProjection },
            { source: 'inbox', use: CurrentCoachesProjection },
            { source: 'inbox', use: CoachHistoryProjection },
            { source: 'inbox', use: SchoolMembersProjection },
            { source: 'events', use: AssessmentResultsProjection },
            { source: 'events', use: LearnerTimelineProjection },
            { source: 'events', use: CoachPlansProjection },
            { source: 'events', use: SelfVsOthersProjection },
            { source: 'inbox', use: LearnerTimelineInboxProjection },
            { source: 'events', use: PlanReviewReminderScheduling, providedByService: true, servesQueries: false },
            { source: 'events', use: FeedbackRequestsProjection },
            { source: 'events', use: FeedbackRequestMail, providedByService: true, servesQueries: false },
            { source: 'events', use: AnswerDialogueReaction, providedByService: true, servesQueries: false },
          ],
        }),
        BullModule.registerQueue({ name: PLAN_REVIEW_QUEUE }),
        BullModule.registerQueue({ name: FEEDBACK_REQUEST_QUEUE }),
        history.queue,
        outbox.queue,
      ],
      controllers: FEEDBACK_CONTROLLERS,
      providers: [
        ...FEEDBACK_HANDLERS,
        { provide: LEARNER_STREAMS, useClass: FeedbackLearnerStreams },
        {
          provide: CURRENT_COACHES,
          inject: [CurrentCoachesProjection, CoachHistoryProjection],
          useFactory: (now: CurrentCoachesProjection, history: CoachHistoryProjection): CurrentCoaches => ({
            currentCoachOf: (schoolId, learnerId) => now.currentCoachOf(schoolId, learnerId),
            coachAt: (schoolId, learnerId, at) => history.coachAt(schoolId, learnerId, at),
          }),
        },
        { provide: LEARNER_GOALS, useExisting: LearnerGoalsProjection },
        { provide: LEARNER_DIALOGUES, useExisting: LearnerDialoguesProjection },
        { provide: SCHOOL_MEMBERS, useExisting: SchoolMembersProjection },
        { provide: CONTACTS, useExisting: SchoolMembersProjection },
        { provide: NOTIFIER, useExisting: NotificationOutbox },
        { provide: ASSESSMENT_RESULTS, useExisting: AssessmentResultsProjection },
        { provide: LEARNER_TIMELINE, useExisting: LearnerTimelineProjection },
        { provide: COACH_PLANS, useExisting: CoachPlansProjection },
        { provide: SELF_VS_OTHERS, useExisting: SelfVsOthersProjection },
        { provide: SELF_VS_OTHERS_THRESHOLD, useValue: settings.gapThreshold },
        {
          provide: PLAN_REVIEW_SCHEDULER,
          inject: [getQueueToken(PLAN_REVIEW_QUEUE)],
          useFactory: (queue: Queue) => new BullmqPlanReviewScheduler(queue, settings.planReviewLeadSeconds),
        },
        PlanReviewReminderScheduling,
        PlanReviewReminderProcessor,
        { provide: FEEDBACK_REQUEST_VIEWS, useExisting: FeedbackRequestsProjection },
        { provide: FEEDBACK_REQUEST_OPTIONS, useValue: settings.requests },
        { provide: REQUEST_TOKENS, useFactory: () => new JoseRequestTokens(settings.requests.linkSecret, `${config.namespace}:feedback`) },
        { provide: FEEDBACK_REQUEST_JOBS, inject: [getQueueToken(FEEDBACK_REQUEST_QUEUE)], useFactory: (queue: Queue) => new BullmqFeedbackRequestJobs(queue) },
        FeedbackRequestMail,
        AnswerDialogueReaction,
        FeedbackRequestJobProcessor,
        linkRateLimitProvider,
        ...history.providers,
        ...outbox.providers,
      ],
    };
  }
}
