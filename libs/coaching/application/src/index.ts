export * from './coaching.ports';
export * from './commands/relationship.commands';
export * from './commands/meeting.commands';
export * from './commands/community.commands';
export * from './queries/coaching.queries';
export * from './queries/learner-meetings.queries';
export * from './queries/community-sessions.queries';
export * from './reactions/coaching.reactions';
import { COMMUNITY_HANDLERS } from './commands/community.commands';
import { MEETING_HANDLERS } from './commands/meeting.commands';
import { RELATIONSHIP_HANDLERS } from './commands/relationship.commands';
import { COACHING_QUERY_HANDLERS } from './queries/coaching.queries';
import { LearnerMeetingHistoryHandler } from './queries/learner-meetings.queries';
import { COMMUNITY_SESSION_QUERY_HANDLERS } from './queries/community-sessions.queries';

export const COACHING_HANDLERS = [...RELATIONSHIP_HANDLERS, ...MEETING_HANDLERS, ...COMMUNITY_HANDLERS, ...COACHING_QUERY_HANDLERS, LearnerMeetingHistoryHandler, ...COMMUNITY_SESSION_QUERY_HANDLERS];
export * from './coaching-catalog';
export * from './history/coaching-history.importer';
