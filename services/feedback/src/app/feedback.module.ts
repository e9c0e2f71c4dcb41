import { CURRENT_COACHES, FEEDBACK_HANDLERS, feedbackCatalog, feedbackPublication, LEARNER_GOALS } from '@cbme/feedback-application';
import { CurrentCoachesProjection, LearnerGoalsProjection, RELATIONSHIP_EVENT_TYPES } from '@cbme/feedback-infra';
import { ResolvedConfig, ServiceRuntimeModule } from '@cbme/service-runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { DialoguesController } from './http/dialogues.controller';
import { FrameworksController } from './http/frameworks.controller';
import { GoalsController } from './http/goals.controller';

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
          consumes: { contexts: ['coaching'], accepts: (type) => (RELATIONSHIP_EVENT_TYPES as readonly string[]).includes(type) },
          projections: [
            { source: 'events', use: LearnerGoalsProjection },
            { source: 'inbox', use: CurrentCoachesProjection },
          ],
        }),
      ],
      controllers: [DialoguesController, GoalsController, FrameworksController],
      providers: [
        ...FEEDBACK_HANDLERS,
        { provide: CURRENT_COACHES, useExisting: CurrentCoachesProjection },
        { provide: LEARNER_GOALS, useExisting: LearnerGoalsProjection },
      ],
    };
  }
}
