import { RATING_SCALE_KINDS, REQUESTED_ASSESSOR_KINDS } from '@cbme/contracts';
import { schema as s } from '@cbme/service-runtime';

/** The bodies of feedback requests' routes (documented in /docs). */
const status = s.enum(['prompted', 'requested', 'answered', 'declined', 'expired'], 'requested');
const version = s.integer(1);
const context = s.nullable(s.object({ rotation: s.string('Cardiology ward'), date: s.date('2026-09-14'), encounter: s.string('Handover of a septic patient') }, ['rotation', 'date', 'encounter']));
const competencies = s.array(s.object({
  code: s.string('EPA-8'), name: s.string('Give or receive a patient handover'), scale: s.enum(RATING_SCALE_KINDS, 'entrustment'),
  levels: s.array(s.string('act with indirect supervision')),
}));
const ratings = s.array(s.object({ competency: s.string('ICS'), level: s.integer(4), scale: s.enum(RATING_SCALE_KINDS) }));
const learner = s.object({ displayName: s.string('Ada Lovelace') });

export const FeedbackRequestMadeResult = s.object({ requestId: s.uuid(), status, expiresAt: s.instant(), version });
export const FeedbackPromptedResult = s.object({ requestId: s.uuid(), status: s.enum(['prompted']), version });
export const FeedbackRequestAnsweredResult = s.object({ requestId: s.uuid(), status: s.enum(['answered']), dialogueId: s.string('fr-3fa85f64-5717-4562-b3fc-2c963f66afa6'), version });
export const FeedbackRequestDeclinedResult = s.object({ requestId: s.uuid(), status: s.enum(['declined']), version });

const listItem = {
  requestId: s.uuid(), learnerId: s.string('lea-1'), status, competencies: s.array(s.string('ICS')),
  promptedBy: s.nullable(s.string('coa-1')), promptMessage: s.nullable(s.string('Ask the night nurse')),
  assessorKind: s.nullable(s.enum(REQUESTED_ASSESSOR_KINDS)), assessorId: s.nullable(s.string('coa-2')), assessorName: s.nullable(s.string('Dr. Rivera')), context,
  requestedAt: s.nullable(s.instant()), promptedAt: s.nullable(s.instant()), expiresAt: s.nullable(s.instant()), reminded: s.boolean(false),
  answeredAt: s.nullable(s.instant()), dialogueId: s.nullable(s.string('fr-3fa85f64-5717-4562-b3fc-2c963f66afa6')), ratings,
};
export const LearnerFeedbackRequestsResult = s.object({ learnerId: s.string('lea-1'), requests: s.array(s.object(listItem)) });
export const FeedbackAskedOfMeResult = s.object({ requests: s.array(s.object({ ...listItem, learner })) });

export const FeedbackRequestResult = s.object({
  requestId: s.uuid(), learnerId: s.string('lea-1'), learner, status, competencies,
  promptedBy: s.nullable(s.string('coa-1')), promptMessage: s.nullable(s.string('Ask the night nurse')),
  assessor: s.nullable(s.object({ kind: s.enum(REQUESTED_ASSESSOR_KINDS), userId: s.nullable(s.string('coa-2')), name: s.string('Dr. Rivera') })),
  context, expiresAt: s.nullable(s.instant()), reminded: s.boolean(false),
  answer: s.nullable(s.object({ at: s.instant(), dialogueId: s.string('fr-3fa85f64-5717-4562-b3fc-2c963f66afa6'), ratings })),
  version,
});

/** All the bearer of a link sees: that one request. */
export const LinkedRequestResult = s.object({
  requestId: s.uuid(), learner, assessorName: s.string('Dr. Rivera'), competencies, context, expiresAt: s.instant(),
});
