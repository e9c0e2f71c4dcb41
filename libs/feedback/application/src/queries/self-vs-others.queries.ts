import { notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, toDomainEvent } from '@cbme/event-sourcing';
import { competencyFrameworksDecider, dialogueReadAccess, FrameworkEvent, frameworksOf, frameworksStreamId, NO_LEARNER, selfVsOthers } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches, SELF_VS_OTHERS, SELF_VS_OTHERS_THRESHOLD, SelfVsOthersInputs } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';

/** `threshold`: flag gaps at least this far apart (absent: the service's setting). */
export class GetSelfVsOthersQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly threshold?: number) {}
}

/**
 * Per competency, the learner's self-rating beside others' view and the gap. Who may read it is decided before any
 * state is read, by the dialogues' sharing rule: the learner everything, their current coach what the learner shares,
 * anyone else the answer for a learner who does not exist.
 */
@QueryHandler(GetSelfVsOthersQuery)
export class GetSelfVsOthersHandler implements IQueryHandler<GetSelfVsOthersQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(SELF_VS_OTHERS) private readonly ratings: SelfVsOthersInputs,
    @Inject(SELF_VS_OTHERS_THRESHOLD) private readonly defaultThreshold: number,
  ) {}

  async execute({ viewer, learnerId, threshold }: GetSelfVsOthersQuery) {
    const currentCoachId = viewer.userId === learnerId ? null : await this.coaches.currentCoachOf(viewer.schoolId, learnerId);
    const access = dialogueReadAccess(viewer.userId, { learnerId, assessorId: null }, currentCoachId);
    if (!access) throw notFound(NO_LEARNER);
    const [input, history] = await Promise.all([this.ratings.inputsOf(viewer.schoolId, learnerId), this.store.readStream(frameworksStreamId(viewer.schoolId))]);
    const frameworks = frameworksOf(history.map(toDomainEvent<FrameworkEvent>).reduce(competencyFrameworksDecider.evolve, competencyFrameworksDecider.initialState));
    return { learnerId, view: access, ...selfVsOthers(input, frameworks, { access, threshold: threshold ?? this.defaultThreshold }) };
  }
}
