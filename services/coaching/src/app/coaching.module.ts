import {
  CadenceCheck, COACHING_HANDLERS, CoachingHistoryImporter, COMMUNITY_SESSIONS, COACHING_OVERVIEW, COACHING_SETTINGS, COMMUNITIES, coachingCatalog, coachingPublication, DIRECTORY, IdentityReactions, LEARNER_ACTIVITY,
  MeetingReminderScheduling, MEETINGS, NOTIFICATION_CHANNEL, RELATIONSHIPS, REMINDER_SCHEDULER, SCHOOL_MEMBERS,
} from '@cbme/coaching-application';
import {
  BullmqReminderScheduler, CoachingOverviewProjection, CoachingSettingsProjection, CommunitiesProjection, CommunitySessionsProjection, DirectoryProjection, MeetingsProjection,
  PeopleOverviewProjection, RelationshipsProjection, REMINDER_QUEUE,
} from '@cbme/coaching-infra';
import {
  historyImport, HistoryImportsController, LEARNER_STREAMS, loadHistoryImportSettings, loadNotificationSettings, NotificationOutbox, notifications, ResolvedConfig, ServiceRuntimeModule,
} from '@cbme/service-runtime';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { Queue } from 'bullmq';
import { CoachingLearnerStreams } from './audit/coaching-learner-streams';
import { loadCoachingSettings } from './coaching-config';
import { CommunitiesController } from './http/communities.controller';
import { CommunitySessionsController } from './http/community-sessions.controller';
import { MeetingsController } from './http/meetings.controller';
import { RelationshipsController } from './http/relationships.controller';
import { CADENCE_QUEUE, CadenceCheckProcessor, CadenceSchedule, COACHING_ENV, MeetingReminderProcessor } from './jobs/coaching-jobs';

const FROM_IDENTITY = new Set([
  'identity.user-registered', 'identity.role-granted', 'identity.role-revoked', 'identity.user-deactivated', 'identity.learner-withdrawn', 'identity.learner-graduated',
]);
const FROM_FEEDBACK = /^feedback\.(dialogue-opened|dialogue-closed|goal-|plan-|assessment-)/;

/** the HTTP surface (its OpenAPI document is checked against these) */
export const COACHING_CONTROLLERS = [RelationshipsController, MeetingsController, CommunitiesController, CommunitySessionsController, HistoryImportsController];

/** Coaching relationships and meetings. Learns people and roles from identity's events and learners' activity from feedback's. */
@Module({})
export class CoachingModule {
  static register(config: ResolvedConfig): DynamicModule {
    const settings = loadCoachingSettings(config);
    const history = historyImport(CoachingHistoryImporter, loadHistoryImportSettings('coaching'));
    const outbox = notifications(loadNotificationSettings('coaching'));
    return {
      module: CoachingModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          catalog: coachingCatalog(),
          publication: coachingPublication,
          consumes: { contexts: ['identity', 'feedback'], accepts: (type) => FROM_IDENTITY.has(type) || FROM_FEEDBACK.test(type) },
          projections: [
            { source: 'inbox', use: DirectoryProjection },
            { source: 'inbox', use: PeopleOverviewProjection },
            { source: 'events', use: RelationshipsProjection },
            { source: 'events', use: MeetingsProjection },
            { source: 'events', use: CoachingSettingsProjection },
            { source: 'events', use: CommunitiesProjection },
            { source: 'events', use: CommunitySessionsProjection },
            { source: 'events', use: CoachingOverviewProjection },
            { source: 'events', use: MeetingReminderScheduling, providedByService: true, servesQueries: false },
            { source: 'inbox', use: IdentityReactions, providedByService: true },
          ],
        }),
        BullModule.registerQueue({ name: REMINDER_QUEUE }, { name: CADENCE_QUEUE }),
        history.queue,
        outbox.queue,
      ],
      controllers: COACHING_CONTROLLERS,
      providers: [
        ...COACHING_HANDLERS,
        { provide: LEARNER_STREAMS, useClass: CoachingLearnerStreams },
        { provide: COACHING_ENV, useValue: settings },
        { provide: DIRECTORY, useExisting: DirectoryProjection },
        { provide: RELATIONSHIPS, useExisting: RelationshipsProjection },
        { provide: MEETINGS, useExisting: MeetingsProjection },
        { provide: COACHING_SETTINGS, useExisting: CoachingSettingsProjection },
        { provide: LEARNER_ACTIVITY, useExisting: PeopleOverviewProjection },
        { provide: SCHOOL_MEMBERS, useExisting: PeopleOverviewProjection },
        { provide: COACHING_OVERVIEW, useExisting: CoachingOverviewProjection },
        { provide: COMMUNITIES, useExisting: CommunitiesProjection },
        { provide: COMMUNITY_SESSIONS, useExisting: CommunitySessionsProjection },
        { provide: NOTIFICATION_CHANNEL, useExisting: NotificationOutbox },
        {
          provide: REMINDER_SCHEDULER,
          inject: [getQueueToken(REMINDER_QUEUE)],
          useFactory: (queue: Queue) => new BullmqReminderScheduler(queue, settings.reminderLeadSeconds),
        },
        IdentityReactions,
        MeetingReminderScheduling,
        CadenceCheck,
        MeetingReminderProcessor,
        CadenceCheckProcessor,
        CadenceSchedule,
        ...history.providers,
        ...outbox.providers,
      ],
    };
  }
}
