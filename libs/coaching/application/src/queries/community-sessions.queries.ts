import { CommunitySessionKind, Role } from '@cbme/contracts';
import { CommunitySession } from '@cbme/coaching-domain';
import { DomainError, notFound, ruleViolated } from '@cbme/decider';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DIRECTORY, Directory } from '../coaching.ports';
import { Viewer } from './coaching.queries';

/** a session as its community's read model holds it */
export interface CommunitySessionEntry extends CommunitySession {
  location?: string;
  topics?: string[];
  attendees?: string[];
  absentees?: string[];
  /** why it was cancelled or last moved */
  reason?: string;
}

export interface CommunitySessionsView {
  communityId: string;
  /** null: no such community */
  name: string | null;
  sessions: CommunitySessionEntry[];
}

/** One held session a coach was expected at (a member when it started). */
export interface CoachAttendanceEntry {
  communityId: string;
  sessionId: string;
  kind: CommunitySessionKind;
  startsAt: string;
  attended: boolean;
}

export type HeldSessionEntry = Omit<CoachAttendanceEntry, 'attended'> & { attendees: string[]; absentees: string[] };

/** Read by `_id`: one document per community (its sessions), per coach (memberships, attendance), per school (held sessions). */
export interface CommunitySessions {
  /** in the order asked */
  communities(schoolId: string, communityIds: string[]): Promise<CommunitySessionsView[]>;
  coach(schoolId: string, coachId: string): Promise<{ currentCommunities: string[]; attendance: CoachAttendanceEntry[] }>;
  held(schoolId: string): Promise<HeldSessionEntry[]>;
}
export const COMMUNITY_SESSIONS = Symbol('COMMUNITY_SESSIONS');

const isStaff = (role: Role) => role === 'coaching-lead' || role === 'school-admin' || role === 'institution-admin';
const NO_COMMUNITY = 'no such learning community';
const byStart = (a: { startsAt: string }, b: { startsAt: string }) => a.startsAt.localeCompare(b.startsAt);
const endOf = (s: { startsAt: string; durationMinutes: number }) => Date.parse(s.startsAt) + s.durationMinutes * 60_000;

export class CommunitySessionsQuery {
  constructor(readonly viewer: Viewer, readonly communityId: string) {}
}
export class MyCommunitySessionsQuery {
  constructor(readonly viewer: Viewer) {}
}
export class CommunityParticipationQuery {
  constructor(readonly viewer: Viewer, readonly period: { from?: string; to?: string }) {}
}

/**
 * A community's sessions: leads and admins see who attended; a member coach sees the sessions and whether they
 * attended. To a coach who is not a member now, the community does not exist (as for an unknown id).
 */
@QueryHandler(CommunitySessionsQuery)
export class CommunitySessionsHandler implements IQueryHandler<CommunitySessionsQuery> {
  constructor(
    @Inject(COMMUNITY_SESSIONS) private readonly sessions: CommunitySessions,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  async execute({ viewer, communityId }: CommunitySessionsQuery) {
    if (viewer.role !== 'coach' && !isStaff(viewer.role)) throw new DomainError('forbidden', `a ${viewer.role} does not see community sessions`);
    if (viewer.role === 'coach' && !(await this.sessions.coach(viewer.schoolId, viewer.userId)).currentCommunities.includes(communityId)) throw notFound(NO_COMMUNITY);
    const [view] = await this.sessions.communities(viewer.schoolId, [communityId]);
    if (view.name === null) throw notFound(NO_COMMUNITY);
    const sessions = [...view.sessions].sort(byStart);
    if (viewer.role === 'coach') {
      return {
        communityId, name: view.name,
        sessions: sessions.map(({ attendees, absentees: _absentees, ...s }) => (s.status === 'held' ? { ...s, youAttended: !!attendees?.includes(viewer.userId) } : s)),
      };
    }
    const names = await this.directory.displayNamesOf([...new Set(sessions.flatMap((s) => [...(s.attendees ?? []), ...(s.absentees ?? [])]))]);
    const person = (coachId: string, attended: boolean) => ({ coachId, coachName: names.get(coachId) ?? coachId, attended });
    return {
      communityId, name: view.name,
      sessions: sessions.map(({ attendees, absentees, ...s }) =>
        s.status === 'held' ? { ...s, attendance: [...(attendees ?? []).map((c) => person(c, true)), ...(absentees ?? []).map((c) => person(c, false))] } : s),
    };
  }
}

/** A coach's page: their current communities' next sessions and their own attendance at held ones. */
@QueryHandler(MyCommunitySessionsQuery)
export class MyCommunitySessionsHandler implements IQueryHandler<MyCommunitySessionsQuery> {
  constructor(@Inject(COMMUNITY_SESSIONS) private readonly sessions: CommunitySessions) {}

  async execute({ viewer }: MyCommunitySessionsQuery) {
    if (viewer.role !== 'coach') throw new DomainError('forbidden', 'only a coach belongs to learning communities');
    const mine = await this.sessions.coach(viewer.schoolId, viewer.userId);
    const ids = [...new Set([...mine.currentCommunities, ...mine.attendance.map((a) => a.communityId)])];
    const views = new Map((await this.sessions.communities(viewer.schoolId, ids)).map((v) => [v.communityId, v]));
    const now = Date.parse(viewer.now);
    const upcoming = mine.currentCommunities.flatMap((communityId) => {
      const view = views.get(communityId);
      return (view?.sessions ?? [])
        .filter((s) => s.status === 'scheduled' && endOf(s) > now)
        .map(({ attendees: _a, absentees: _b, ...s }) => ({ ...s, communityId, communityName: view?.name ?? communityId }));
    }).sort(byStart);
    const attendance = mine.attendance
      .map((a) => {
        const view = views.get(a.communityId);
        const title = view?.sessions.find((s) => s.sessionId === a.sessionId)?.title ?? a.sessionId;
        return { ...a, title, communityName: view?.name ?? a.communityId };
      })
      .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
    return {
      communities: mine.currentCommunities.map((communityId) => ({ communityId, name: views.get(communityId)?.name ?? communityId })),
      upcoming,
      attendance,
      held: attendance.length,
      attended: attendance.filter((a) => a.attended).length,
    };
  }
}

/** Leads: per coach, how many held sessions they were expected at (members when it started) and how many they attended. */
@QueryHandler(CommunityParticipationQuery)
export class CommunityParticipationHandler implements IQueryHandler<CommunityParticipationQuery> {
  constructor(
    @Inject(COMMUNITY_SESSIONS) private readonly sessions: CommunitySessions,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  async execute({ viewer, period }: CommunityParticipationQuery) {
    if (!isStaff(viewer.role)) throw new DomainError('forbidden', `a ${viewer.role} does not see participation in learning communities`);
    const from = period.from ? Date.parse(period.from) : -Infinity;
    const to = period.to ? Date.parse(period.to) : Infinity;
    if (from >= to) throw ruleViolated('the period must start before it ends', 'from');
    const held = (await this.sessions.held(viewer.schoolId)).filter((s) => Date.parse(s.startsAt) >= from && Date.parse(s.startsAt) < to);
    const counts = new Map<string, { held: number; attended: number }>();
    for (const session of held) {
      for (const coachId of [...session.attendees, ...session.absentees]) {
        const c = counts.get(coachId) ?? { held: 0, attended: 0 };
        counts.set(coachId, { held: c.held + 1, attended: c.attended + (session.attendees.includes(coachId) ? 1 : 0) });
      }
    }
    const names = await this.directory.displayNamesOf([...counts.keys()]);
    const coaches = [...counts].map(([coachId, c]) => ({ coachId, coachName: names.get(coachId) ?? coachId, ...c })).sort((a, b) => a.coachName.localeCompare(b.coachName));
    return { schoolId: viewer.schoolId, ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}), sessionsHeld: held.length, coaches };
  }
}

export const COMMUNITY_SESSION_QUERY_HANDLERS = [CommunitySessionsHandler, MyCommunitySessionsHandler, CommunityParticipationHandler];
