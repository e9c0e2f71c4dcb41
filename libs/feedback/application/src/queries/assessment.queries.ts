import { SelfAssessmentRecorded } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore } from '@cbme/event-sourcing';
import { dialogueReadAccess, readRatings, resultOnScale, selfAssessmentStreamId } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ASSESSMENT_RESULTS, AssessmentResults, CURRENT_COACHES, CurrentCoaches, SCHOOL_MEMBERS, SchoolMembers } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';
import { FrameworkReadings, VersionReading } from './framework-readings';

/** `version`: read the competencies under that framework version (see crosswalkReader). */
export class ListAssessmentResultsQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly version?: VersionReading) {}
}

export class ListSelfAssessmentsQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly version?: VersionReading) {}
}

const SCHOOL_STAFF = ['coaching-lead', 'school-admin', 'institution-admin'];
const NOT_SEEN = 'no learner with that id among the people you may see';

/** The learner, their current coach, and the coaching lead and admins of the learner's school see a learner's results. */
@QueryHandler(ListAssessmentResultsQuery)
export class ListAssessmentResultsHandler implements IQueryHandler<ListAssessmentResultsQuery> {
  constructor(
    @Inject(ASSESSMENT_RESULTS) private readonly results: AssessmentResults,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
    private readonly readings: FrameworkReadings,
  ) {}

  async execute({ viewer, learnerId, version }: ListAssessmentResultsQuery) {
    const allowed = viewer.userId === learnerId
      || (SCHOOL_STAFF.includes(viewer.role) && (await this.members.rolesOf(viewer.schoolId, learnerId)).includes('learner'))
      || (await this.coaches.currentCoachOf(viewer.schoolId, learnerId)) === viewer.userId;
    if (!allowed) throw notFound(NOT_SEEN);
    // each result also on the framework's scale, by the one rule for it, so no page scales results itself
    const [results, reading] = await Promise.all([this.results.listForLearner(viewer.schoolId, learnerId), this.readings.readingFor(viewer.schoolId, version)]);
    return { learnerId, results: results.map((r) => ({ ...reading.item(r), level: resultOnScale(r.score, r.maxScore) })), ...reading.describe() };
  }
}

/** Every self-assessment the learner made, oldest first, so change over time shows; for the learner, and their current coach those the learner shares. */
@QueryHandler(ListSelfAssessmentsQuery)
export class ListSelfAssessmentsHandler implements IQueryHandler<ListSelfAssessmentsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    private readonly readings: FrameworkReadings,
  ) {}

  /** Under a framework version, ratings read as readRatings says (the lowest of merged ones) with the codes rated beside them. */
  async execute({ viewer, learnerId, version }: ListSelfAssessmentsQuery) {
    const access = dialogueReadAccess(viewer.userId, { learnerId, assessorId: null }, viewer.userId === learnerId ? null : await this.coaches.currentCoachOf(viewer.schoolId, learnerId));
    if (!access) throw notFound(NOT_SEEN);
    const [history, reading] = await Promise.all([this.store.readStream(selfAssessmentStreamId(viewer.schoolId, learnerId)), this.readings.readingFor(viewer.schoolId, version)]);
    return {
      learnerId,
      selfAssessments: history
        .map((e) => ({ ...(e.data as SelfAssessmentRecorded), at: e.occurredAt }))
        .filter((a) => access === 'everything' || (a.visibility ?? 'shared') === 'shared')
        .map(({ learnerId: _l, visibility, ratings, ...a }) => {
          const shown = { ...a, visibility: visibility ?? 'shared' };
          if (!version) return { ...shown, ratings };
          reading.codes(ratings.map((r) => r.competency));
          return { ...shown, ratings: readRatings(ratings, reading.reader) };
        }),
      ...reading.describe(),
    };
  }
}
