import { MeetingCancelled, MeetingMissed, MeetingRescheduled, MeetingScheduled } from '@cbme/contracts';
import { coachingMeetingDecider, MeetingEvent, meetingStreamId, notesVisibleTo } from '@cbme/coaching-domain';
import { EVENT_STORE, EventStore, StoredEvent, toDomainEvent } from '@cbme/event-sourcing';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { COACHING_OVERVIEW, CoachingOverview, DIRECTORY, Directory, MeetingView } from '../coaching.ports';
import { namesOf, requireLearnerCoachingReader, Viewer } from './coaching.queries';

export class LearnerMeetingHistoryQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly paging: { page: number; pageSize: number }) {}
}

/** One meeting: its view, and from its stream the agenda, the notes `viewerId` may read, every move and why it was settled. */
function meetingRecord(view: MeetingView, history: StoredEvent[], viewerId: string, reader: 'party' | 'oversight') {
  const meeting = history.map(toDomainEvent<MeetingEvent>).reduce(coachingMeetingDecider.evolve, coachingMeetingDecider.initialState).meeting;
  let startsAt = (history[0]?.data as MeetingScheduled | undefined)?.startsAt ?? view.startsAt;
  const moves = history.filter((e) => e.type === 'coaching.meeting-rescheduled').map((e) => {
    const { startsAt: to, reason } = e.data as MeetingRescheduled;
    const move = { from: startsAt, to, at: e.occurredAt, by: e.actor.userId, ...(reason ? { reason } : {}) };
    startsAt = to;
    return move;
  });
  const settled = history.find((e) => e.type === 'coaching.meeting-cancelled' || e.type === 'coaching.meeting-missed');
  const reason = (settled?.data as MeetingCancelled | MeetingMissed | undefined)?.reason;
  return {
    ...view, agenda: meeting?.agenda ?? [], notes: meeting ? notesVisibleTo(meeting, viewerId, reader) : [], moves,
    ...(settled ? { settledAt: settled.occurredAt, settledBy: settled.actor.userId } : {}), ...(reason ? { reason } : {}),
  };
}

/**
 * A learner's meetings with every coach, for whoever may read their coaching record: the next ones booked, then
 * the rest newest first, a page at a time (held with the notes the reader may see, missed, cancelled, moved).
 * Only the meetings shown are read from their streams, where the note texts are.
 */
@QueryHandler(LearnerMeetingHistoryQuery)
export class LearnerMeetingHistoryHandler implements IQueryHandler<LearnerMeetingHistoryQuery> {
  constructor(
    @Inject(COACHING_OVERVIEW) private readonly overview: CoachingOverview,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ viewer, learnerId, paging }: LearnerMeetingHistoryQuery) {
    const reader = await requireLearnerCoachingReader({ store: this.store, overview: this.overview, directory: this.directory }, viewer, learnerId);
    const [meetings] = await this.overview.meetingsOf(viewer.schoolId, [learnerId]);
    const isNext = (m: MeetingView) => m.status === 'scheduled' && m.startsAt > viewer.now;
    const next = meetings.filter(isNext).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const past = meetings.filter((m) => !isNext(m)).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
    const shown = past.slice((paging.page - 1) * paging.pageSize, paging.page * paging.pageSize);
    const [records, name] = await Promise.all([
      Promise.all([...next, ...shown].map(async (m) => meetingRecord(m, await this.store.readStream(meetingStreamId(viewer.schoolId, m.meetingId)), viewer.userId, reader))),
      namesOf(this.directory, [...new Set([...next, ...shown].map((m) => m.coachId))]),
    ]);
    const named = records.map((r) => ({ ...r, coachName: name(r.coachId) }));
    return { schoolId: viewer.schoolId, learnerId, total: past.length, page: paging.page, pageSize: paging.pageSize, next: named.slice(0, next.length), meetings: named.slice(next.length) };
  }
}
