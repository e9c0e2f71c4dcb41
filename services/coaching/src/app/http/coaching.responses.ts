import { END_REASONS, NOTE_VISIBILITIES } from '@cbme/contracts';
import { ACTIVITY_KINDS } from '@cbme/coaching-domain';
import { schema as s } from '@cbme/service-runtime';

/** The bodies coaching answers with (documented in /docs). */
const schoolId = s.string('medicine');
const learnerId = s.string('lea-1');
const coachId = s.string('coa-1');
const learnerName = s.string('Lea Novak');
const coachName = s.string('Cora Osei');
const version = s.integer(2);
const relationshipStatus = s.enum(['active', 'paused', 'ended']);

export const VersionResult = s.object({ version });
export const AssignedResult = s.object({ relationshipId: s.uuid(), learnerId, coachId, version });
export const TransferredResult = s.object({ learnerId, relationshipId: s.uuid(), coachId, version });
const relationshipOptional = ['capacityOverride', 'recordedAt', 'endedAt', 'endReason', 'note', 'pausedReason', 'needsReassignment'];
const relationship = s.object({
  relationshipId: s.uuid(), learnerId, coachId, status: relationshipStatus, startedAt: s.instant(), recordedAt: s.instant(), assignedBy: s.string('lead-1'),
  capacityOverride: s.string('continuity through the final year'), endedAt: s.instant(), endReason: s.enum([...END_REASONS, 'transferred']),
  note: s.string('graduated in June'), pausedReason: s.string('parental leave'), needsReassignment: s.boolean(false),
}, relationshipOptional);
/** a list names the people (the id when identity never told coaching a name) */
export const RelationshipsResult = s.object({ schoolId, relationships: s.array(s.object({ ...relationship.properties, learnerName, coachName }, relationshipOptional)) });
const meetingStatus = s.enum(['scheduled', 'held', 'missed', 'cancelled']);
const meetingView = s.object({
  meetingId: s.uuid(), relationshipId: s.uuid(), learnerId, coachId, startsAt: s.instant(), durationMinutes: s.integer(45), location: s.string('Room 2.14'),
  status: meetingStatus, heldAt: s.instant(), recordedAt: s.instant(),
}, ['location', 'heldAt', 'recordedAt']);
const counts = s.object(Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, s.integer(1)])));
const activity = s.object({ eventId: s.uuid(), learnerId, kind: s.enum(ACTIVITY_KINDS), occurredAt: s.instant(), subjectId: s.uuid(), competencies: s.array(s.string('ICS')) });
const sinceLastMet = { since: s.nullable(s.instant()), until: s.instant(), counts, items: s.array(activity) };
export const CoacheesResult = s.object({
  schoolId, coachId, meetingCadenceDays: s.integer(90),
  coachees: s.array(s.object({
    learnerId, displayName: s.string('Lea Novak'), relationshipId: s.uuid(), status: relationshipStatus, since: s.instant(),
    lastMeetingAt: s.nullable(s.instant()), nextMeeting: s.nullable(meetingView), nextDueBy: s.instant(), behindCadence: s.boolean(false), newSinceLastMeeting: counts,
  })),
});
export const LearnerCoachingResult = s.object({
  schoolId, learnerId,
  currentCoach: s.nullable(s.object({ coachId, coachName, relationshipId: s.uuid(), status: relationshipStatus, since: s.instant() })),
  history: s.array(relationship), meetings: s.array(meetingView),
});
const note = s.object({ visibility: s.enum(NOTE_VISIBILITIES), wordCount: s.integer(120), text: s.string('Talked through the first family meeting.') });
const meetingRecord = s.object({
  ...meetingView.properties, agenda: s.array(s.string('goals for the spring')), notes: s.array(note),
  moves: s.array(s.object({ from: s.instant(), to: s.instant(), at: s.instant(), by: s.string('coa-1'), reason: s.string('clinic ran late') }, ['reason'])),
  settledAt: s.instant(), settledBy: s.string('coa-1'), reason: s.string('on call'),
}, ['location', 'heldAt', 'recordedAt', 'settledAt', 'settledBy', 'reason']);
export const MeetingHistoryResult = s.object({
  schoolId, learnerId, total: s.integer(14), page: s.integer(1), pageSize: s.integer(10), next: s.array(meetingRecord), meetings: s.array(meetingRecord),
});
const program = s.object({ meetingCadenceDays: s.integer(90), defaultCoachCapacity: s.integer(8) });
export const RosterResult = s.object({
  schoolId, program,
  unassigned: s.array(s.object({ learnerId, learnerName, needsReassignment: s.boolean(false) })),
  coachLoad: s.array(s.object({
    coachId, coachName, load: s.integer(6), capacity: s.integer(8), overCapacity: s.boolean(false),
    capacitySet: s.object({ by: s.string('lead-1'), byName: s.string('Lee Ward'), at: s.instant(), reason: s.string('part-time this term') }, ['reason']),
    overrides: s.array(s.object({ relationshipId: s.uuid(), learnerId, learnerName, by: s.string('lead-1'), byName: s.string('Lee Ward'), at: s.instant(), reason: s.string('continuity through the final year') })),
  }, ['capacitySet'])),
  behindCadence: s.array(s.object({ relationshipId: s.uuid(), learnerId, learnerName, coachId, coachName, dueBy: s.instant() })),
});
export const ProgramResult = s.object({ schoolId, ...program.properties });
export const CapacityResult = s.object({ schoolId, coachId, capacity: s.integer(8) });
export const ScheduledResult = s.object({ meetingId: s.uuid(), learnerId, startsAt: s.instant(), version });
export const MeetingResult = s.object({
  ...meetingView.properties, agenda: s.array(s.string('goals for the spring')),
  notes: s.array(note),
  remindersSent: s.integer(1), version,
}, ['location', 'heldAt', 'recordedAt']);
export const MeetingSummaryResult = s.object({ meetingId: s.uuid(), learnerId, ...sinceLastMet });
const membership = s.object({ coachId, coachName, joinedAt: s.instant(), leftAt: s.instant(), learners: s.integer(6) }, ['leftAt', 'learners']);
export const CommunitiesResult = s.object({
  schoolId,
  communities: s.array(s.object({ communityId: s.string('house-osler'), name: s.string('Osler House'), createdAt: s.instant(), memberships: s.array(membership), learners: s.integer(24) }, ['learners'])),
});
export const CommunityResult = s.object({ communityId: s.string('house-osler'), name: s.string('Osler House') });
export const CommunityCoachResult = s.object({ communityId: s.string('house-osler'), coachId, version });
