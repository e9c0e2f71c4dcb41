import { CURRENT_COACHES, FEEDBACK_HANDLERS, feedbackCatalog, feedbackPublication, LEARNER_GOALS, SCHOOL_MEMBERS } from '@cbme/feedback-application';
import {
  CurrentCoachesProjection, LearnerGoalsProjection, MEMBER_EVENT_TYPES, RELATIONSHIP_EVENT_TYPES, SchoolMembersProjection,
} from '@cbme/feedback-infra';
import { ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { DialoguesController } from './http/dialogues.controller';
import { FrameworksController } from './http/frameworks.controller';
import { GoalsController } from './http/goals.controller';

/** What feedback keeps of other services' events: who coaches whom, and who holds which role in a school. */
const CONSUMED = new Set<string>([...RELATIONSHIP_EVENT_TYPES, ...MEMBER_EVENT_TYPES]);

/** Feedback dialogues and goals. Learns who coaches whom now from coaching's relationship events. */
@Module({})
export class FeedbackModule {
  static register(config: ResolvedConfig): DynamicModule {
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
            { source: 'inbox', use: CurrentCoachesProjection },
            { source: 'inbox', use: SchoolMembersProjection },
          ],
        }),
      ],
      controllers: [DialoguesController, GoalsController, FrameworksController],
      providers: [
        ...FEEDBACK_HANDLERS,
        { provide: CURRENT_COACHES, useExisting: CurrentCoachesProjection },
        { provide: LEARNER_GOALS, useExisting: LearnerGoalsProjection },
        { provide: SCHOOL_MEMBERS, useExisting: SchoolMembersProjection },
      ],
    };
  }
}
