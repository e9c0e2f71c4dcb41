import { Role } from '@cbme/contracts';
import { cadenceStatus, coachingRelationshipDecider, lastHeldAt, learnerCoachingStreamId, notesVisibleTo, sinceLastMet } from '@cbme/coaching-domain';
import { DomainError, notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, loadState } from '@cbme/event-sourcing';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  COACHING_OVERVIEW, COACHING_SETTINGS, CoachingOverview, CoachingSettings, COMMUNITIES, Communities, DIRECTORY, Directory, LEARNER_ACTIVITY, LearnerActivityLog, MEETINGS,
  Meetings, MeetingView, SCHOOL_MEMBERS, SchoolMembers,
} from '../coaching.ports';
import { meetingOf, meetingSummary } from '../commands/meeting.commands';

export interface Viewer {
  userId: string;
  role: Role;
  schoolId: string;
  /** the request's time */
  now: string;
}

const isStaff = (role: Role) => role === 'coaching-lead' || role === 'school-admin' || role === 'institution-admin';

export class ListRelationshipsQuery {
  constructor(readonly viewer: Viewer, readonly filter: { coachId?: string; learnerId?: string; currentOnly?: boolean }) {}
}
export class MyCoacheesQuery {
  constructor(readonly viewer: Viewer) {}
}
export class LearnerCoachingQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string) {}
}
export class SchoolRosterQuery {
  constructor(readonly viewer: Viewer) {}
}
export class GetMeetingQuery {
  constructor(readonly viewer: Viewer, readonly meetingId: string) {}
}
export class MeetingSummaryQuery {
  constructor(readonly viewer: Viewer, readonly meetingId: string) {}
}
export class ListCommunitiesQuery {
  constructor(readonly viewer: Viewer) {}
}
export class GetProgramQuery {
  constructor(readonly viewer: Viewer) {}
}

/** Leads and admins see the school's relationships; a coach sees their own coachees; a learner sees their own. */
@QueryHandler(ListRelationshipsQuery)
export class ListRelationshipsHandler implements IQueryHandler<ListRelationshipsQuery> {
  constructor(
    @Inject(COACHING_OVERVIEW) private readonly overview: CoachingOverview,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  async execute({ viewer, filter }: ListRelationshipsQuery) {
    const scoped =
      isStaff(viewer.role) ? filter
      : viewer.role === 'coach' ? { ...filter, coachId: viewer.userId }
      : viewer.role === 'learner' ? { ...filter, learnerId: viewer.userId }
      : null;
    if (!scoped) throw new DomainError('forbidden', `a ${viewer.role} does not see coaching relationships`);
    if ((filter.coachId && filter.coachId !== scoped.coachId) || (filter.learnerId && filter.learnerId !== scoped.learnerId)) {
      return { schoolId: viewer.schoolId, relationships: [] };
    }
    const relationships = await this.overview.relationships(viewer.schoolId, scoped);
    const name = await namesOf(this.directory, relationships.flatMap((r) => [r.learnerId, r.coachId]));
    return { schoolId: viewer.schoolId, relationships: relationships.map((r) => ({ ...r, learnerName: name(r.learnerId), coachName: name(r.coachId) })) };
  }
}

/** Display names by id, read by `_id` at once; someone identity never named is shown by their id. */
export async function namesOf(directory: Directory, userIds: string[]): Promise<(userId: string) => string> {
  const names = await directory.displayNamesOf(userIds);
  return (userId) => names.get(userId) ?? userId;
}

const nextScheduled = (meetings: MeetingView[], now: string) =>
  meetings.filter((m) => m.status === 'scheduled' && m.startsAt > now).sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0] ?? null;

/** A coach's current coachees, each with last and next meeting, when the next is due by the cadence, and what is new since they last met. */
@QueryHandler(MyCoacheesQuery)
export class MyCoacheesHandler implements IQueryHandler<MyCoacheesQuery> {
  constructor(
    @Inject(COACHING_OVERVIEW) private readonly overview: CoachingOverview,
    @Inject(COACHING_SETTINGS) private readonly settings: CoachingSettings,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(LEARNER_ACTIVITY) private readonly activity: LearnerActivityLog,
  ) {}

  async execute({ viewer }: MyCoacheesQuery) {
    if (viewer.role !== 'coach') throw new DomainError('forbidden', 'only a coach has coachees');
    const [current, program] = await Promise.all([
      this.overview.relationships(viewer.schoolId, { coachId: viewer.userId, currentOnly: true }),
      this.settings.program(viewer.schoolId),
    ]);
    const learnerIds = current.map((r) => r.learnerId);
    // one document per coachee for meetings, activity and name, all looked up by `_id` at once
    const [meetings, activity, contacts] = await Promise.all([
      this.overview.meetingsOf(viewer.schoolId, learnerIds),
      Promise.all(learnerIds.map((learnerId) => this.activity.of(viewer.schoolId, learnerId))),
      Promise.all(learnerIds.map((learnerId) => this.directory.contactOf(learnerId))),
    ]);
    const coachees = current.map((r, i) => {
      const theirs = meetings[i].filter((m) => m.relationshipId === r.relationshipId);
      const last = lastHeldAt(theirs);
      const cadence = cadenceStatus({ ...r, lastHeldAt: last }, program.meetingCadenceDays, viewer.now);
      // "since we last met" counts from the learner's last held meeting with any coach, as a meeting's summary does
      const summary = sinceLastMet(activity[i], lastHeldAt(meetings[i], viewer.now), viewer.now);
      return {
        learnerId: r.learnerId, displayName: contacts[i]?.displayName ?? r.learnerId,
        relationshipId: r.relationshipId, status: r.status, since: r.startedAt,
        lastMeetingAt: last, nextMeeting: nextScheduled(theirs, viewer.now), nextDueBy: cadence.dueBy, behindCadence: cadence.behind && r.status === 'active',
        newSinceLastMeeting: summary.counts,
      };
    });
    return { schoolId: viewer.schoolId, coachId: viewer.userId, meetingCadenceDays: program.meetingCadenceDays, coachees };
  }
}

/** What someone who may not read a learner's coaching record is told, exactly as for a learner who does not exist. */
export const NO_LEARNER_SEEN = 'no learner with that id among the people you may see';

/**
 * The one rule for reading a learner's coaching record (relationships, meetings and their notes as
 * `notesVisibleTo` allows, told by the answer: 'party' or 'oversight'): the learner, the school's leads and admins, and the learner's current coach (active or
 * paused, read from the learner's relationship stream, so a transfer takes effect at once). Anyone else, a former
 * coach included, is told what they would be told for a learner who does not exist. Decided before anything of
 * the learner is read.
 */
export async function requireLearnerCoachingReader(
  ports: { store: EventStore; overview: CoachingOverview; directory: Directory }, viewer: Viewer, learnerId: string,
): Promise<'party' | 'oversight'> {
  const hidden = notFound(NO_LEARNER_SEEN);
  if (viewer.userId === learnerId || isStaff(viewer.role)) {
    const [history, roles] = await Promise.all([ports.overview.relationships(viewer.schoolId, { learnerId }), ports.directory.rolesOf(viewer.schoolId, learnerId)]);
    if (history.length === 0 && !roles.includes('learner')) throw hidden; // not a learner of this school
    return viewer.userId === learnerId ? 'party' : 'oversight';
  }
  if (viewer.role !== 'coach') throw hidden;
  const { state } = await loadState(ports.store, coachingRelationshipDecider, learnerCoachingStreamId(viewer.schoolId, learnerId));
  if (state.current?.coachId !== viewer.userId) throw hidden;
  return 'party';
}

/** The learner's coach, whole relationship history and meetings, for whoever `requireLearnerCoachingReader` lets read them. */
@QueryHandler(LearnerCoachingQuery)
export class LearnerCoachingHandler implements IQueryHandler<LearnerCoachingQuery> {
  constructor(
    @Inject(COACHING_OVERVIEW) private readonly overview: CoachingOverview,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ viewer, learnerId }: LearnerCoachingQuery) {
    await requireLearnerCoachingReader({ store: this.store, overview: this.overview, directory: this.directory }, viewer, learnerId);
    const [history, [meetings]] = await Promise.all([this.overview.relationships(viewer.schoolId, { learnerId }), this.overview.meetingsOf(viewer.schoolId, [learnerId])]);
    const current = history.find((r) => r.status !== 'ended') ?? null;
    return {
      schoolId: viewer.schoolId, learnerId,
      currentCoach: current && {
        coachId: current.coachId, coachName: (await namesOf(this.directory, [current.coachId]))(current.coachId),
        relationshipId: current.relationshipId, status: current.status, since: current.startedAt,
      },
      history, meetings: meetings.sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
    };
  }
}

/** For a coaching lead: learners without a coach, each coach's load against capacity, relationships behind cadence. */
@QueryHandler(SchoolRosterQuery)
export class SchoolRosterHandler implements IQueryHandler<SchoolRosterQuery> {
  constructor(
    @Inject(COACHING_OVERVIEW) private readonly overview: CoachingOverview,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
    @Inject(COACHING_SETTINGS) private readonly settings: CoachingSettings,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  async execute({ viewer }: SchoolRosterQuery) {
    if (!isStaff(viewer.role)) throw new DomainError('forbidden', `a ${viewer.role} does not see the school's coaching roster`);
    const school = viewer.schoolId;
    const [learners, coaches, all, program] = await Promise.all([
      this.members.membersWithRole(school, 'learner'), this.members.membersWithRole(school, 'coach'), this.overview.relationships(school, {}), this.settings.program(school),
    ]);
    const current = all.filter((r) => r.status !== 'ended');
    const coached = new Set(current.map((r) => r.learnerId));
    const flagged = new Set(all.filter((r) => r.needsReassignment).map((r) => r.learnerId));
    const unassigned = learners.filter((l) => !coached.has(l)).sort().map((learnerId) => ({ learnerId, needsReassignment: flagged.has(learnerId) }));
    const active = current.filter((r) => r.status === 'active');
    const coachIds = [...new Set([...coaches, ...current.map((r) => r.coachId)])].sort();
    const people = [...unassigned.map((u) => u.learnerId), ...coachIds, ...current.flatMap((r) => [r.learnerId, r.assignedBy])];
    const [capacities, meetings, names] = await Promise.all([
      this.settings.capacitiesOf(school, coachIds), this.overview.meetingsOf(school, active.map((r) => r.learnerId)), this.directory.displayNamesOf(people),
    ]);
    // who set a capacity is usually a lead already named above; the others are looked up once more
    const setters = capacities.flatMap((c) => (c.set && !names.has(c.set.by) ? [c.set.by] : []));
    if (setters.length) for (const [id, n] of await this.directory.displayNamesOf(setters)) names.set(id, n);
    const name = (userId: string) => names.get(userId) ?? userId;
    const coachLoad = capacities.map(({ coachId, capacity, set }) => {
      const theirs = current.filter((r) => r.coachId === coachId);
      return {
        coachId, coachName: name(coachId), load: theirs.length, capacity, overCapacity: theirs.length > capacity,
        ...(set ? { capacitySet: { ...set, byName: name(set.by) } } : {}),
        overrides: theirs.flatMap((r) => (r.capacityOverride ? [{
          relationshipId: r.relationshipId, learnerId: r.learnerId, learnerName: name(r.learnerId), by: r.assignedBy, byName: name(r.assignedBy), at: r.startedAt, reason: r.capacityOverride,
        }] : [])),
      };
    });
    const behindCadence = active
      .map((r, i) => cadenceStatus({ ...r, lastHeldAt: lastHeldAt(meetings[i].filter((m) => m.relationshipId === r.relationshipId)) }, program.meetingCadenceDays, viewer.now))
      .filter((s) => s.behind)
      .map(({ relationship: r, dueBy }) => ({ relationshipId: r.relationshipId, learnerId: r.learnerId, learnerName: name(r.learnerId), coachId: r.coachId, coachName: name(r.coachId), dueBy }));
    return { schoolId: school, program, unassigned: unassigned.map((u) => ({ ...u, learnerName: name(u.learnerId) })), coachLoad, behindCadence };
  }
}

/** A meeting for its learner and coach; the learner sees only notes shared with them. */
@QueryHandler(GetMeetingQuery)
export class GetMeetingHandler implements IQueryHandler<GetMeetingQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ viewer, meetingId }: GetMeetingQuery) {
    const { state, meeting, version } = await meetingOf(this.store, viewer.schoolId, meetingId, viewer.userId);
    return { ...meeting, notes: notesVisibleTo(meeting, viewer.userId), remindersSent: state.remindersSent.length, version };
  }
}

/** "Since we last met" for a meeting's learner and coach. */
@QueryHandler(MeetingSummaryQuery)
export class MeetingSummaryHandler implements IQueryHandler<MeetingSummaryQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEETINGS) private readonly meetings: Meetings,
    @Inject(LEARNER_ACTIVITY) private readonly activity: LearnerActivityLog,
  ) {}

  async execute({ viewer, meetingId }: MeetingSummaryQuery) {
    const { meeting } = await meetingOf(this.store, viewer.schoolId, meetingId, viewer.userId);
    return { meetingId, learnerId: meeting.learnerId, ...(await meetingSummary(this.meetings, this.activity, viewer.schoolId, meeting, viewer.now)) };
  }
}

@QueryHandler(GetProgramQuery)
export class GetProgramHandler implements IQueryHandler<GetProgramQuery> {
  constructor(@Inject(COACHING_SETTINGS) private readonly settings: CoachingSettings) {}

  async execute({ viewer }: GetProgramQuery) {
    return { schoolId: viewer.schoolId, ...(await this.settings.program(viewer.schoolId)) };
  }
}

/**
 * Learning communities: leads and admins see every community with its coaches and how many learners each coaches
 * now (learners belong through their coach); a coach sees the communities they belong to, without learners.
 */
@QueryHandler(ListCommunitiesQuery)
export class ListCommunitiesHandler implements IQueryHandler<ListCommunitiesQuery> {
  constructor(
    @Inject(COMMUNITIES) private readonly communities: Communities,
    @Inject(COACHING_OVERVIEW) private readonly overview: CoachingOverview,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  async execute({ viewer }: ListCommunitiesQuery) {
    if (viewer.role !== 'coach' && !isStaff(viewer.role)) throw new DomainError('forbidden', `a ${viewer.role} does not see learning communities`);
    const all = await this.communities.list(viewer.schoolId);
    const name = await namesOf(this.directory, all.flatMap((c) => c.memberships.map((m) => m.coachId)));
    const named = all.map((c) => ({ ...c, memberships: c.memberships.map((m) => ({ ...m, coachName: name(m.coachId) })) }));
    if (viewer.role === 'coach') {
      const mine = named.filter((c) => c.memberships.some((m) => m.coachId === viewer.userId && !m.leftAt));
      return { schoolId: viewer.schoolId, communities: mine.map((c) => ({ ...c, memberships: c.memberships.filter((m) => !m.leftAt) })) };
    }
    const current = await this.overview.relationships(viewer.schoolId, { currentOnly: true });
    const learnersOf = (coachId: string) => current.filter((r) => r.coachId === coachId).length;
    return {
      schoolId: viewer.schoolId,
      communities: named.map((c) => ({
        ...c,
        memberships: c.memberships.map((m) => (m.leftAt ? m : { ...m, learners: learnersOf(m.coachId) })),
        learners: c.memberships.filter((m) => !m.leftAt).reduce((sum, m) => sum + learnersOf(m.coachId), 0),
      })),
    };
  }
}

export const COACHING_QUERY_HANDLERS = [ListCommunitiesHandler, 
  ListRelationshipsHandler, MyCoacheesHandler, LearnerCoachingHandler, SchoolRosterHandler, GetMeetingHandler, MeetingSummaryHandler, GetProgramHandler,
];
