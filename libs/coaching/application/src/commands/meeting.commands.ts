import { EventCatalog, EventMetadata, NoteVisibility } from '@cbme/contracts';
import {
  coachingMeetingDecider, coachingRelationshipDecider, describeSinceLastMet, learnerCoachingStreamId, mayReadMeeting, MeetingCommand, meetingStreamId,
  lastHeldAt, NO_MEETING, RelationshipEvent, reminderOwed, sinceLastMet,
} from '@cbme/coaching-domain';
import { notFound } from '@cbme/decider';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState, toDomainEvent } from '@cbme/event-sourcing';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DIRECTORY, Directory, LEARNER_ACTIVITY, LearnerActivityLog, MEETINGS, Meetings, NOTIFICATION_CHANNEL, NotificationChannel } from '../coaching.ports';

export class ScheduleMeetingCommand {
  constructor(readonly metadata: EventMetadata, readonly input: { meetingId: string; learnerId: string; startsAt: string; durationMinutes: number; location?: string }) {}
}
export class RescheduleMeetingCommand {
  constructor(readonly metadata: EventMetadata, readonly meetingId: string, readonly input: { startsAt: string; reason?: string }) {}
}
export class CancelMeetingCommand {
  constructor(readonly metadata: EventMetadata, readonly meetingId: string, readonly input: { reason: string }) {}
}
export class RecordMeetingHeldCommand {
  constructor(readonly metadata: EventMetadata, readonly meetingId: string, readonly input: { agenda: string[]; notes: { text: string; visibility: NoteVisibility }[] }) {}
}
export class RecordMeetingMissedCommand {
  constructor(readonly metadata: EventMetadata, readonly meetingId: string, readonly input: { reason?: string }) {}
}
/** The meeting's learner or coach puts an item on its agenda before it starts. */
export class AddAgendaItemCommand {
  constructor(readonly metadata: EventMetadata, readonly meetingId: string, readonly input: { item: string; competency?: string }) {}
}
/** Sent by the reminder job (actor: system) when a meeting draws near. */
export class SendMeetingRemindersCommand {
  constructor(readonly metadata: EventMetadata, readonly meetingId: string, readonly startsAt: string) {}
}

/** A meeting as its learner or coach may see it; to anyone else it does not exist (the decider's rule, for reads). */
export async function meetingOf(store: EventStore, schoolId: string, meetingId: string, viewerId: string) {
  const { state, version } = await loadState(store, coachingMeetingDecider, meetingStreamId(schoolId, meetingId));
  const meeting = state.meeting;
  if (!meeting || !mayReadMeeting(meeting, viewerId)) throw notFound(NO_MEETING);
  return { state, meeting, version };
}

abstract class MeetingHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(EVENT_CATALOG) protected readonly catalog: EventCatalog,
  ) {}

  /** Who a history import (a backdated, trusted caller) records for: the decider lets it act for the meeting's people. */
  protected importedBy(metadata: EventMetadata) {
    return metadata.backdated ? metadata.actor.userId : undefined;
  }

  /** Whether the meeting's relationship was the learner's current one when the meeting started (none yet: false). */
  protected async relationshipWasCurrent(schoolId: string, meetingId: string) {
    const { state } = await loadState(this.store, coachingMeetingDecider, meetingStreamId(schoolId, meetingId));
    const meeting = state.meeting;
    if (!meeting) return false;
    const history = await this.store.readStream(learnerCoachingStreamId(schoolId, meeting.learnerId), { occurredUntil: meeting.startsAt });
    const relationship = history.map(toDomainEvent<RelationshipEvent>).reduce(coachingRelationshipDecider.evolve, coachingRelationshipDecider.initialState);
    return relationship.current?.relationshipId === meeting.relationshipId;
  }

  protected run(metadata: EventMetadata, meetingId: string, command: MeetingCommand) {
    return executeCommand(this.store, this.catalog, coachingMeetingDecider, meetingStreamId(metadata.tenant.schoolId, meetingId), command, metadata);
  }
}

/** Learner or current coach schedules a meeting within the learner's active relationship. */
@CommandHandler(ScheduleMeetingCommand)
export class ScheduleMeetingHandler extends MeetingHandler implements ICommandHandler<ScheduleMeetingCommand> {
  async execute({ metadata, input }: ScheduleMeetingCommand) {
    // a backdated (imported) meeting is judged by the relationship as it was on its date, whatever came later
    const history = await this.store.readStream(learnerCoachingStreamId(metadata.tenant.schoolId, input.learnerId), metadata.backdated ? { occurredUntil: metadata.occurredAt } : {});
    const current = history.map(toDomainEvent<RelationshipEvent>).reduce(coachingRelationshipDecider.evolve, coachingRelationshipDecider.initialState).current;
    const data = {
      ...input, relationshipId: current?.relationshipId ?? 'none', coachId: current?.coachId ?? 'none',
      relationshipIsActive: current?.status === 'active', now: metadata.occurredAt, requestedBy: metadata.actor.userId, currentCoachId: current?.coachId ?? null,
      importedBy: this.importedBy(metadata),
    };
    return this.run(metadata, input.meetingId, { type: 'ScheduleMeeting', data });
  }
}

@CommandHandler(RescheduleMeetingCommand)
export class RescheduleMeetingHandler extends MeetingHandler implements ICommandHandler<RescheduleMeetingCommand> {
  execute({ metadata, meetingId, input }: RescheduleMeetingCommand) {
    return this.run(metadata, meetingId, { type: 'RescheduleMeeting', data: { ...input, now: metadata.occurredAt, by: metadata.actor.userId } });
  }
}

@CommandHandler(AddAgendaItemCommand)
export class AddAgendaItemHandler extends MeetingHandler implements ICommandHandler<AddAgendaItemCommand> {
  execute({ metadata, meetingId, input }: AddAgendaItemCommand) {
    return this.run(metadata, meetingId, { type: 'AddAgendaItem', data: { ...input, now: metadata.occurredAt, by: metadata.actor.userId } });
  }
}

@CommandHandler(CancelMeetingCommand)
export class CancelMeetingHandler extends MeetingHandler implements ICommandHandler<CancelMeetingCommand> {
  execute({ metadata, meetingId, input }: CancelMeetingCommand) {
    return this.run(metadata, meetingId, { type: 'CancelMeeting', data: { ...input, by: metadata.actor.userId, importedBy: this.importedBy(metadata) } });
  }
}

@CommandHandler(RecordMeetingHeldCommand)
export class RecordMeetingHeldHandler extends MeetingHandler implements ICommandHandler<RecordMeetingHeldCommand> {
  async execute({ metadata, meetingId, input }: RecordMeetingHeldCommand) {
    const relationshipWasCurrent = await this.relationshipWasCurrent(metadata.tenant.schoolId, meetingId);
    const data = { ...input, now: metadata.occurredAt, by: metadata.actor.userId, importedBy: this.importedBy(metadata), relationshipWasCurrent };
    return this.run(metadata, meetingId, { type: 'RecordMeetingHeld', data });
  }
}

@CommandHandler(RecordMeetingMissedCommand)
export class RecordMeetingMissedHandler extends MeetingHandler implements ICommandHandler<RecordMeetingMissedCommand> {
  async execute({ metadata, meetingId, input }: RecordMeetingMissedCommand) {
    const relationshipWasCurrent = await this.relationshipWasCurrent(metadata.tenant.schoolId, meetingId);
    const data = { ...input, now: metadata.occurredAt, by: metadata.actor.userId, importedBy: this.importedBy(metadata), relationshipWasCurrent };
    return this.run(metadata, meetingId, { type: 'RecordMeetingMissed', data });
  }
}

/**
 * Reminds learner and coach of a meeting, each once per meeting time: the decider says whether a reminder is still
 * owed (the meeting may have moved or been cancelled since the job was queued), the channel sends, and the
 * sending is recorded as an event. A crash between sending and recording can repeat one reminder; nothing else can.
 */
@CommandHandler(SendMeetingRemindersCommand)
export class SendMeetingRemindersHandler extends MeetingHandler implements ICommandHandler<SendMeetingRemindersCommand> {
  private readonly logger = new Logger('MeetingReminders');

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(EVENT_CATALOG) catalog: EventCatalog,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(MEETINGS) private readonly meetings: Meetings,
    @Inject(LEARNER_ACTIVITY) private readonly activity: LearnerActivityLog,
    @Inject(NOTIFICATION_CHANNEL) private readonly channel: NotificationChannel,
  ) {
    super(store, catalog);
  }

  async execute({ metadata, meetingId, startsAt }: SendMeetingRemindersCommand): Promise<{ sent: string[] }> {
    const schoolId = metadata.tenant.schoolId;
    const { state } = await loadState(this.store, coachingMeetingDecider, meetingStreamId(schoolId, meetingId));
    const meeting = state.meeting;
    if (!meeting) return { sent: [] };
    const sent: string[] = [];
    for (const recipientId of [meeting.learnerId, meeting.coachId]) {
      if (!reminderOwed(state, recipientId, startsAt)) continue;
      const contact = await this.directory.contactOf(recipientId);
      if (!contact) {
        this.logger.warn({ meetingId, recipientId, msg: 'no e-mail address known for the recipient; reminder skipped' });
        continue;
      }
      const summary = await meetingSummary(this.meetings, this.activity, schoolId, meeting, metadata.occurredAt);
      // recorded once per key before it is sent: a retry after a crash before RecordReminderSent sends nothing again
      await this.channel.notify({
        key: meetingReminderKey(meetingId, startsAt, recipientId),
        to: contact.email,
        subject: `Coaching meeting on ${startsAt.slice(0, 16).replace('T', ' ')} UTC`,
        text: `Hello ${contact.displayName},\n\nyour coaching meeting starts at ${startsAt}${meeting.location ? ` (${meeting.location})` : ''}.\n${describeSinceLastMet(summary)}\n`,
      });
      await this.run(metadata, meetingId, { type: 'RecordReminderSent', data: { recipientId, startsAt, channel: this.channel.channel } });
      sent.push(recipientId);
    }
    return { sent };
  }
}

/** one reminder of one person for one start time of a meeting */
export const meetingReminderKey = (meetingId: string, startsAt: string, recipientId: string) => `meeting:${meetingId}:${startsAt}:${recipientId}`;

/** "Since we last met": the learner's activity after their last held meeting, up to `until`. */
export async function meetingSummary(meetings: Meetings, activity: LearnerActivityLog, schoolId: string, meeting: { learnerId: string; startsAt: string }, until: string) {
  const held = await meetings.list(schoolId, { learnerId: meeting.learnerId, status: 'held' });
  return sinceLastMet(await activity.of(schoolId, meeting.learnerId), lastHeldAt(held, meeting.startsAt), until);
}

export const MEETING_HANDLERS = [
  ScheduleMeetingHandler, RescheduleMeetingHandler, AddAgendaItemHandler, CancelMeetingHandler, RecordMeetingHeldHandler, RecordMeetingMissedHandler, SendMeetingRemindersHandler,
];
