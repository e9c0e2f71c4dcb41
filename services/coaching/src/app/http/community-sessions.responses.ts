import { COMMUNITY_SESSION_KINDS } from '@cbme/contracts';
import { schema as s } from '@cbme/service-runtime';

const communityId = s.string('house-osler');
const communityName = s.string('Osler House');
const coachId = s.string('coa-1');
const coachName = s.string('Cora Osei');
const session = {
  sessionId: s.uuid(), kind: s.enum(COMMUNITY_SESSION_KINDS), title: s.string('Feedback that lands'), startsAt: s.instant(), durationMinutes: s.integer(90),
  location: s.string('Room 4.02'), status: s.enum(['scheduled', 'held', 'cancelled']),
  topics: s.array(s.string('feedback models')), reason: s.string('clashes with grand rounds'),
};
const sessionOptional = ['location', 'topics', 'reason'];

export const SessionScheduledResult = s.object({ communityId, sessionId: s.uuid(), startsAt: s.instant(), version: s.integer(3) });
export const SessionVersionResult = s.object({ communityId, sessionId: s.uuid(), version: s.integer(4) });

/** leads and admins get who attended each held session; a member coach whether they did */
export const CommunitySessionsResult = s.object({
  communityId, name: communityName,
  sessions: s.array(s.object({
    ...session,
    attendance: s.array(s.object({ coachId, coachName, attended: s.boolean(true) })),
    youAttended: s.boolean(true),
  }, [...sessionOptional, 'attendance', 'youAttended'])),
});

export const MyCommunitySessionsResult = s.object({
  communities: s.array(s.object({ communityId, name: communityName })),
  upcoming: s.array(s.object({ ...session, communityId, communityName }, sessionOptional)),
  attendance: s.array(s.object({
    communityId, communityName, sessionId: s.uuid(), title: s.string('Feedback that lands'), kind: s.enum(COMMUNITY_SESSION_KINDS), startsAt: s.instant(), attended: s.boolean(true),
  })),
  held: s.integer(6),
  attended: s.integer(5),
});

export const ParticipationResult = s.object({
  schoolId: s.string('medicine'), from: s.instant(), to: s.instant(), sessionsHeld: s.integer(6),
  coaches: s.array(s.object({ coachId, coachName, held: s.integer(6), attended: s.integer(5) })),
}, ['from', 'to']);
