import { EndReason, EventCatalog, EventMetadata, LearnerGraduated, LearnerWithdrawn, UserDeactivated } from '@cbme/contracts';
import {
  cadenceStatus, coachDepartureDecider, lastHeldAt, MeetingEvent, coachingMeetingDecider, coachingRelationshipDecider, departureStreamId, learnerCoachingStreamId, meetingStreamId,
} from '@cbme/coaching-domain';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState, Projection, StoredEvent, toDomainEvent } from '@cbme/event-sourcing';
import { Inject, Injectable } from '@nestjs/common';
import { COACHING_SETTINGS, CoachingSettings, MEETINGS, Meetings, RELATIONSHIPS, Relationships, REMINDER_SCHEDULER, ReminderScheduler } from '../coaching.ports';

/** Metadata for an event the system writes in reaction to `cause`: same correlation, caused by it. */
export function reactionTo(cause: Pick<StoredEvent, 'eventId' | 'correlationId' | 'tenant'>, schoolId = cause.tenant.schoolId, now = new Date().toISOString()): EventMetadata {
  return {
    occurredAt: now,
    tenant: { institutionId: cause.tenant.institutionId, schoolId },
    actor: { userId: 'coaching-service', role: 'system' },
    correlationId: cause.correlationId,
    causationId: cause.eventId,
  };
}

/**
 * Reacts to identity's facts (from the inbox, checkpointed like a projection, so each is handled after a crash too):
 * a learner who withdraws or graduates ends the relationship; a deactivated coach starts the departure process.
 * Every command here is idempotent, so a replayed event changes nothing.
 */
@Injectable()
export class IdentityReactions implements Projection {
  readonly name = 'identity-reactions';

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(RELATIONSHIPS) private readonly relationships: Relationships,
    @Inject(MEETINGS) private readonly meetings: Meetings,
  ) {}

  async apply(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'identity.learner-withdrawn' || event.type === 'identity.learner-graduated') {
        const data = event.data as LearnerWithdrawn | LearnerGraduated;
        const reason: EndReason = event.type === 'identity.learner-withdrawn' ? 'withdrawn' : 'graduated';
        await executeCommand(this.store, this.catalog, coachingRelationshipDecider, learnerCoachingStreamId(data.schoolId, data.userId), {
          type: 'EndRelationship', data: { reason, onlyIfCurrent: true },
        }, reactionTo(event, data.schoolId));
      } else if (event.type === 'identity.user-deactivated') {
        await this.coachDeparted(event, (event.data as UserDeactivated).userId);
      }
    }
  }

  /**
   * The coach-departure process: its first event fixes the work list (the coach's current learners and scheduled
   * meetings, in every school), so a crash half-way resumes with the same list; then each learner is flagged for
   * reassignment and each meeting cancelled, each step an event caused by the start, and the process completes.
   */
  private async coachDeparted(cause: StoredEvent, coachId: string): Promise<void> {
    const streamId = departureStreamId(coachId);
    const [learners, meetings] = await Promise.all([this.relationships.currentOfCoachEverywhere(coachId), this.meetings.scheduledOfCoachEverywhere(coachId)]);
    const known = await loadState(this.store, coachDepartureDecider, streamId);
    if (!known.state.started && learners.length === 0 && meetings.length === 0) return; // not a coach with anything to hand over
    await executeCommand(this.store, this.catalog, coachDepartureDecider, streamId, {
      type: 'StartDeparture',
      data: { coachId, learnersToReassign: learners.map((r) => ({ schoolId: r.schoolId, id: r.learnerId })), meetingsToCancel: meetings.map((m) => ({ schoolId: m.schoolId, id: m.meetingId })) },
    }, reactionTo(cause), { schoolScoped: false });
    const [started] = await this.store.readStream(streamId);
    const work = (started.data as { learnersToReassign: { schoolId: string; id: string }[]; meetingsToCancel: { schoolId: string; id: string }[] });
    let learnersFlagged = 0;
    for (const learner of work.learnersToReassign) {
      const result = await executeCommand(this.store, this.catalog, coachingRelationshipDecider, learnerCoachingStreamId(learner.schoolId, learner.id), {
        type: 'FlagForReassignment', data: { coachId, reason: 'coach deactivated' },
      }, reactionTo(started, learner.schoolId));
      if (result.events.length > 0) learnersFlagged++;
    }
    let meetingsCancelled = 0;
    for (const meeting of work.meetingsToCancel) {
      const result = await executeCommand(this.store, this.catalog, coachingMeetingDecider, meetingStreamId(meeting.schoolId, meeting.id), {
        type: 'CancelMeeting', data: { reason: 'the coach has left the program', onlyIfScheduled: true },
      }, reactionTo(started, meeting.schoolId));
      if (result.events.length > 0) meetingsCancelled++;
    }
    await executeCommand(this.store, this.catalog, coachDepartureDecider, streamId, {
      type: 'CompleteDeparture', data: { coachId, learnersFlagged, meetingsCancelled },
    }, reactionTo(started), { schoolScoped: false });
  }
}

const MEETING_TIMES = new Set(['coaching.meeting-scheduled', 'coaching.meeting-rescheduled', 'coaching.meeting-cancelled', 'coaching.meeting-held', 'coaching.meeting-missed']);

/**
 * Keeps one delayed reminder job per scheduled meeting, at its current time: a moved meeting moves its job, a
 * cancelled or settled one loses it. It reads the meeting's stream for every time it ever had, so replaying an
 * old event never brings back a stale job.
 */
@Injectable()
export class MeetingReminderScheduling implements Projection {
  readonly name = 'meeting-reminders';

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REMINDER_SCHEDULER) private readonly scheduler: ReminderScheduler,
  ) {}

  async apply(events: StoredEvent[]): Promise<void> {
    const touched = new Map(events.filter((e) => MEETING_TIMES.has(e.type)).map((e) => [e.streamId, e]));
    for (const [streamId, last] of touched) {
      // the stream up to the event (later ones come in later batches): what the store has in memory is enough
      const history = await this.store.readStream(streamId, { untilVersion: last.streamVersion });
      const state = history.map(toDomainEvent<MeetingEvent>).reduce(coachingMeetingDecider.evolve, coachingMeetingDecider.initialState);
      const meeting = state.meeting;
      if (!meeting) continue;
      const times = new Set(history.map((e) => (e.data as { startsAt?: string }).startsAt).filter((t): t is string => !!t));
      for (const startsAt of times) {
        if (meeting.status === 'scheduled' && startsAt === meeting.startsAt) await this.scheduler.schedule({ ...last.tenant, meetingId: meeting.meetingId, startsAt, correlationId: last.correlationId });
        else await this.scheduler.unschedule({ meetingId: meeting.meetingId, startsAt });
      }
    }
  }
}

/** Flags active relationships with no held meeting within the program's cadence (run by a repeating job). */
@Injectable()
export class CadenceCheck {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(RELATIONSHIPS) private readonly relationships: Relationships,
    @Inject(MEETINGS) private readonly meetings: Meetings,
    @Inject(COACHING_SETTINGS) private readonly settings: CoachingSettings,
  ) {}

  async run(cause: { correlationId: string; institutionId: string }, now = new Date().toISOString()): Promise<{ checked: number; flagged: number }> {
    const current = (await this.relationships.currentEverywhere()).filter((r) => r.status === 'active');
    let flagged = 0;
    for (const schoolId of new Set(current.map((r) => r.schoolId))) {
      const [program, held] = await Promise.all([this.settings.program(schoolId), this.meetings.list(schoolId, { status: 'held' })]);
      for (const r of current.filter((c) => c.schoolId === schoolId)) {
        const lastMeetingAt = lastHeldAt(held.filter((m) => m.relationshipId === r.relationshipId));
        const status = cadenceStatus({ ...r, lastHeldAt: lastMeetingAt }, program.meetingCadenceDays, now);
        if (!status.behind) continue;
        const metadata: EventMetadata = {
          occurredAt: now, tenant: { institutionId: cause.institutionId, schoolId }, actor: { userId: 'coaching-service', role: 'system' },
          correlationId: cause.correlationId, causationId: null,
        };
        const result = await executeCommand(this.store, this.catalog, coachingRelationshipDecider, learnerCoachingStreamId(schoolId, r.learnerId), {
          type: 'FlagBehindCadence', data: { relationshipId: r.relationshipId, dueBy: status.dueBy, ...(lastMeetingAt ? { lastMeetingAt } : {}) },
        }, metadata);
        flagged += result.events.length;
      }
    }
    return { checked: current.length, flagged };
  }
}
