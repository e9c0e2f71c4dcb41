import { COACH_FOCUS_AREAS, COACH_PLAN_REVIEWER_ROLES, ENTRY_KINDS, ENTRY_VISIBILITIES, GOAL_STATUSES, GOAL_VISIBILITIES, MOTIVATION_KINDS } from '@cbme/contracts';
import { AS_OF_BASES, TIMELINE_CATEGORIES } from '@cbme/feedback-domain';
import { schema as s, SchemaObject } from '@cbme/service-runtime';

/** The bodies feedback answers with (documented in /docs). */
const learnerId = s.string('lea-1');
const userId = s.string('coa-1');
const version = s.integer(2);
const competencies = s.array(s.string('ICS'));
const goalVisibility = s.enum(GOAL_VISIBILITIES);
const goalLifecycle = s.enum(['draft', ...GOAL_STATUSES], 'active');
const access = s.enum(['everything', 'shared', 'without-private-text'], 'shared');
const change = (values: SchemaObject) => s.object({ from: values, to: values });
/** beside codes read under a framework version: the codes as recorded */
const recordedCompetencies = s.array(s.string('EPA-1'));
/** the version an answer read competencies under (only when one was asked for) */
const frameworkVersion = s.object({ frameworkId: s.string('medicine-epas'), version: s.integer(2), unmapped: s.array(s.string('EPA-13')) });
/** an answer that may read its competencies under a framework version */
const readable = (properties: Record<string, SchemaObject>, optional: string[] = []) => s.object({ ...properties, recordedCompetencies }, [...optional, 'recordedCompetencies']);
/** a linked dialogue's id (a UUID) or an assessment result's id (an import's own id) */
const linkTarget = s.string('3fa85f64-5717-4562-b3fc-2c963f66afa6');
const rating = s.object({ competency: s.string('ICS'), level: s.integer(3) });

export const DialogueOpenedResult = s.object({ dialogueId: s.uuid(), coachId: userId, version });
export const EntryAddedResult = s.object({ dialogueId: s.uuid(), entryId: s.uuid(), version });
export const DialogueStatusResult = s.object({ dialogueId: s.uuid(), status: s.enum(['open', 'closed']), version });
export const ActionAgreedResult = s.object({ dialogueId: s.uuid(), actionId: s.uuid(), version });
export const ActionCompletedResult = s.object({ dialogueId: s.uuid(), actionId: s.uuid(), status: s.enum(['done']), version });
export const ActionDroppedResult = s.object({ dialogueId: s.uuid(), actionId: s.uuid(), status: s.enum(['dropped']), version });
export const ReflectionsResult = s.object({
  learnerId, total: s.integer(3), page: s.integer(1), pageSize: s.integer(20),
  reflections: s.array(s.object({
    entryId: s.uuid(), dialogueId: s.uuid(), topic: s.string('Breaking bad news to a family'), text: s.string('Next time I will pause before the numbers.'),
    visibility: s.enum(ENTRY_VISIBILITIES, 'shared'), at: s.instant(),
  })),
});
export const DialogueResult = s.object({
  dialogueId: s.uuid(), learnerId, coachId: userId, topic: s.string('Breaking bad news to a family'), competencies,
  context: s.nullable(s.object({ course: s.string('Internal Medicine'), rotation: s.string('Cardiology ward'), date: s.date('2026-09-14') }, ['course', 'rotation', 'date'])),
  assessor: s.nullable(s.object({ userId: s.string('coa-2'), name: s.string('Dr. Rivera') }, ['userId'])),
  status: s.enum(['open', 'closed']), openedAt: s.instant(),
  history: s.array(s.object({ status: s.enum(['closed', 'reopened']), by: userId, at: s.instant() })),
  entries: s.array(s.object({
    entryId: s.uuid(), authorId: learnerId, visibility: s.enum(ENTRY_VISIBILITIES, 'shared'), wordCount: s.integer(12), kind: s.enum(ENTRY_KINDS),
    ratings: s.array(rating), text: s.string('I kept the family informed.'), at: s.instant(),
  }, ['ratings'])),
  actionItems: s.array(s.object({
    actionId: s.uuid(), description: s.string('Practise the SPIKES protocol'), ownerId: learnerId, dueDate: s.nullable(s.date('2026-10-15')), agreedBy: userId, at: s.instant(),
    status: s.enum(['open', 'done', 'dropped'], 'open'), overdue: s.boolean(),
    done: s.nullable(s.object({ by: learnerId, at: s.instant(), outcome: s.nullable(s.string('Used SPIKES with two families')) })),
    dropped: s.nullable(s.object({ by: learnerId, at: s.instant(), reason: s.string('The rotation changed') })),
  })),
  references: s.array(s.object({ resultId: s.uuid(), by: userId, at: s.instant() })),
  version,
});

export const GoalSetResult = s.object({ goalId: s.uuid(), status: s.enum(['draft', 'active'], 'active'), version });
const goalState = {
  status: goalLifecycle, goalId: s.uuid(), learnerId, description: s.string('Lead a family meeting on my own'), measureOfSuccess: s.nullable(s.string('two family meetings led')),
  competencies, targetDate: s.date('2027-03-31'), revisions: s.integer(1), visibility: goalVisibility,
};
export const GoalResult = s.object({
  ...goalState,
  createdAt: s.instant(),
  revisions: s.array(s.object({ description: s.string('Lead two family meetings on my own'), targetDate: s.date(), rationale: s.string('the rotation was extended'), at: s.instant() })),
  statusChanges: s.array(s.object({ from: goalLifecycle, to: goalLifecycle, note: s.string('met in the March review'), at: s.instant() }, ['note'])),
  progressNotes: s.array(s.object({ noteId: s.uuid(), authorId: learnerId, note: s.string('Led the first meeting with the attending present'), at: s.instant() })),
  links: s.array(s.object({ kind: s.enum(MOTIVATION_KINDS), targetId: linkTarget, at: s.instant() })),
  version,
});
export const ProgressNotedResult = s.object({ goalId: s.uuid(), noteId: s.uuid(), version });
export const GoalLinkedResult = s.object({ goalId: s.uuid(), kind: s.enum(MOTIVATION_KINDS), targetId: linkTarget, version });
export const GoalUnlinkedResult = s.object({ goalId: s.uuid(), kind: s.enum(MOTIVATION_KINDS), targetId: linkTarget, version });
export const GoalRevisedResult = s.object({ goalId: s.uuid(), version });
export const GoalStatusResult = s.object({ goalId: s.uuid(), status: s.enum(GOAL_STATUSES), version });
export const GoalSharingResult = s.object({ goalId: s.uuid(), visibility: goalVisibility, version });
const { revisions: _count, ...goalView } = goalState;
export const LearnerGoalsResult = s.object({ learnerId, goals: s.array(readable({
  ...goalView, lastRevisedAt: s.nullable(s.instant()), links: s.array(s.object({ kind: s.enum(MOTIVATION_KINDS), targetId: linkTarget })), version,
})), frameworkVersion }, ['frameworkVersion']);

const competency = s.object({ code: s.string('EPA-1'), name: s.string('Gather a history and perform a physical examination') });
const crosswalkLines = { mappings: s.array(s.object({ from: s.string('EPA-1'), to: s.array(s.string('EPA-1a')) })), unmapped: s.array(s.string('EPA-13')) };
const crosswalk = s.object({ fromVersion: s.integer(1), toVersion: s.integer(2), ...crosswalkLines });
const framework = {
  frameworkId: s.string('medicine-epas'), name: s.string('Medicine EPAs'), version: s.integer(2), origin: s.enum(['seed', 'school'], 'school'),
  competencies: s.array(competency), retired: s.array(s.object({ ...competency.properties, retiredInVersion: s.integer(2) })),
};
export const FrameworksResult = s.object({ frameworks: s.array(s.object(framework)) });
export const FrameworkResult = s.object({
  ...framework,
  versions: s.array(s.object({
    version: s.integer(1), publishedAt: s.instant(), publishedBy: s.string('sad-1'), source: s.enum(['seed', 'defined', 'imported'], 'defined'), competencies: s.array(competency), retired: s.array(competency),
  }, ['publishedAt', 'publishedBy'])),
  crosswalks: s.array(crosswalk),
}, ['crosswalks']);
export const FrameworkPublishedResult = s.object({
  frameworkId: s.string('medicine-epas'), version: s.integer(2), changed: s.boolean(), retired: s.array(competency),
  crosswalk: s.object(crosswalkLines),
}, ['crosswalk']);
export const UnmappedCodesResult = s.object({
  frameworkId: s.string('medicine-epas'), version: s.integer(2),
  codes: s.array(s.object({
    code: s.string('EPA-13'), total: s.integer(7), learners: s.integer(4),
    items: s.map(s.integer(3), 'per kind of evidence (dialogue, goal, assessment): how many name the code'),
  })),
});

const focusArea = s.object({ focusId: s.string('communication'), title: s.string('Communication with families'), competencies });
const motivation = s.object({ kind: s.enum(MOTIVATION_KINDS), targetId: linkTarget });
export const PlanRevisedResult = s.object({ learnerId, planId: s.uuid(), planVersion: s.integer(2), version });
export const PlanReviewedResult = s.object({ learnerId, reviewId: s.uuid(), version });
export const PlanResult = s.object({
  status: s.enum(['active']), planId: s.uuid(), learnerId, focusAreas: s.array(focusArea), goalIds: s.array(s.uuid()), motivatedBy: s.array(motivation),
  nextReviewDue: s.date('2027-01-15'),
  versions: s.array(s.object({
    version: s.integer(1), at: s.instant(), by: learnerId, focusAreas: s.array(focusArea), goalIds: s.array(s.uuid()), motivatedBy: s.array(motivation), nextReviewDue: s.date(),
    rationale: s.nullable(s.string('after the cardiology rotation')),
  })),
  reviews: s.array(s.object({
    reviewId: s.uuid(), at: s.instant(), recordedBy: userId, coachId: s.nullable(userId), planVersion: s.integer(2), whatChanged: s.string('communication goal achieved'),
    nextSteps: s.array(s.string('Shadow two evening handovers')), nextReviewDue: s.date('2027-04-15'),
  })),
  reminders: s.array(s.object({ dueAt: s.date('2027-04-15'), recipientIds: s.array(learnerId), channel: s.string('email'), at: s.instant() })),
  version,
});

const coachId = s.string('coa-1');
const coachFocusArea = s.object({ focusId: s.uuid(), area: s.enum(COACH_FOCUS_AREAS, 'inclusive-language'), title: s.string('Notice my own assumptions when I give feedback') });
const reviewerRole = s.enum(COACH_PLAN_REVIEWER_ROLES);
export const CoachPlanRevisedResult = s.object({ coachId, planId: s.uuid(), planVersion: s.integer(2), version });
export const CoachPlanReviewRequestedResult = s.object({ coachId, reviewerId: userId, version });
export const CoachPlanReviewedResult = s.object({ coachId, reviewId: s.uuid(), version });
export const CoachPlanResult = s.object({
  coachId, planId: s.uuid(), planVersion: s.integer(2), nextReviewDue: s.date('2027-01-15'), focusAreas: s.array(coachFocusArea),
  awaiting: s.array(s.object({ reviewerId: userId, reviewerRole })),
  versions: s.array(s.object({
    version: s.integer(1), at: s.instant(), by: coachId, focusAreas: s.array(coachFocusArea), nextReviewDue: s.date(), rationale: s.nullable(s.string('a learner told me my feedback felt one-sided')),
  })),
  requests: s.array(s.object({ reviewerId: userId, reviewerRole, planVersion: s.integer(1), at: s.instant() })),
  reviews: s.array(s.object({
    reviewId: s.uuid(), at: s.instant(), reviewerId: userId, reviewerRole, planVersion: s.integer(1), whatChanged: s.string('asks open questions first now'),
    nextSteps: s.array(s.string('Observe a peer\'s feedback conversation')), nextReviewDue: s.date('2027-04-15'),
  })),
  version,
});
export const CoachPlansResult = s.object({
  items: s.array(s.object({
    coachId, planId: s.uuid(), planVersion: s.integer(2), areas: s.array(s.enum(COACH_FOCUS_AREAS, 'coaching-skills')), nextReviewDue: s.date('2027-01-15'), revisedAt: s.instant(),
    lastReviewedAt: s.nullable(s.instant()), awaitingMyReview: s.boolean(), askedAt: s.nullable(s.instant()),
  })),
});

export const ImportedResult = s.object({ importId: s.uuid(), imported: s.integer(40) });
export const AssessmentResultsResult = s.object({
  learnerId,
  results: s.array(readable({
    resultId: s.uuid(), importId: s.uuid(), learnerId, competencies, kind: s.string('wba'), instrument: s.string('Mini-CEX'), score: s.number(4), maxScore: s.number(5),
    assessedOn: s.date('2026-09-10'), importedAt: s.instant(), level: s.nullable({ ...s.number(4.2), description: 'the result on the framework\'s 1-5 scale (0 is 1, full marks 5)' }),
  })),
  frameworkVersion,
}, ['frameworkVersion']);
export const ReferencedResult = s.object({ dialogueId: s.uuid(), resultId: s.uuid(), version });
export const SelfAssessedResult = s.object({ assessmentId: s.uuid(), version });
/** a self-rating, under a framework version with the codes it was recorded as */
const readRating = s.object({ competency: s.string('ICS'), level: s.integer(3), recordedAs: s.array(s.string('ICS')) }, ['recordedAs']);
export const SelfAssessmentsResult = s.object({
  learnerId, selfAssessments: s.array(s.object({ assessmentId: s.uuid(), ratings: s.array(readRating), visibility: goalVisibility, at: s.instant() })), frameworkVersion,
}, ['frameworkVersion']);
const sourceView = s.object({ latest: s.nullable(s.object({ level: s.number(3.8), at: s.instant() })), count: s.integer(2) });
export const SelfVsOthersResult = s.object({
  learnerId, view: s.enum(['everything', 'shared'], 'shared'), scale: s.object({ min: s.integer(1), max: s.integer(5) }), threshold: s.number(1),
  competencies: s.array(s.object({
    competency: s.string('ICS'), name: s.nullable(s.string('Interpersonal and Communication Skills')), frameworkId: s.nullable(s.string('acgme-core')),
    status: s.enum(['active', 'retired', 'unknown']),
    self: s.nullable(s.object({ level: s.integer(4), at: s.instant(), assessmentId: s.uuid() })),
    others: s.object({ coach: sourceView, assessor: sourceView, result: sourceView }),
    othersLevel: s.nullable(s.number(2.5)), gap: s.nullable(s.number(1.5)), flagged: s.boolean(),
  })),
});

const timelineItem = readable({
  eventId: s.uuid(), type: s.string('feedback.goal-set'), category: s.enum(TIMELINE_CATEGORIES, 'goal'), at: s.instant(), recordedAt: s.instant(), actor: s.object({ userId: learnerId, role: s.string('learner') }),
  learnerId, subjectId: s.nullable(s.uuid()), competencies, visibility: s.enum(['shared', 'private']), source: s.enum(['feedback', 'coaching', 'identity']),
  data: s.any('the event\'s data (its published form, without private text, for staff)'),
});
export const TimelineResult = s.object({ learnerId, access, total: s.integer(12), page: s.integer(1), pageSize: s.integer(50), items: s.array(timelineItem), frameworkVersion }, ['frameworkVersion']);
export const TimelineExportResult = s.object({ learnerId, access, total: s.integer(12), items: s.array(timelineItem), exportedAt: s.instant(), exportedBy: userId, frameworkVersion }, ['frameworkVersion']);
const snapshotGoal = s.object({ ...goalState, links: s.array(s.string('dialogue:3fa85f64-5717-4562-b3fc-2c963f66afa6')) });
export const ProgressResult = s.object({
  learnerId, access, asOf: s.instant(), basis: s.enum(AS_OF_BASES), goals: s.array(snapshotGoal),
  plan: s.nullable(s.object({ planId: s.uuid(), version: s.integer(2), focusAreas: s.array(focusArea), goalIds: s.array(s.uuid()), nextReviewDue: s.date(), reviews: s.integer(1) })),
});
const fieldChange = s.object({ from: {}, to: {} });
export const ProgressDiffResult = s.object({
  learnerId, access, from: s.instant(), to: s.instant(), basis: s.enum(AS_OF_BASES),
  goals: s.object({
    added: s.array(snapshotGoal), removed: s.array(snapshotGoal),
    changed: s.array(s.object({ goalId: s.uuid(), changes: s.map(fieldChange, 'by field: status, description, targetDate, visibility, measureOfSuccess') })),
  }),
  plan: s.object({
    version: change(s.nullable(s.integer(2))), focusAreasAdded: s.array(focusArea), focusAreasRemoved: s.array(focusArea),
    goalsAdded: s.array(s.uuid()), goalsRemoved: s.array(s.uuid()), reviews: change(s.integer(1)),
  }),
});
