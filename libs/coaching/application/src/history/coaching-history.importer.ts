import {
  COACHING_HISTORY_KINDS, CoachingHistoryRecord, EventCatalog, EventMetadata, Role,
} from '@cbme/contracts';
import { learnerCoachingStreamId, meetingStreamId } from '@cbme/coaching-domain';
import { EVENT_CATALOG, EventStore, HistoryImporter, rememberedFor } from '@cbme/event-sourcing';
import { Inject, Injectable } from '@nestjs/common';
import { ICommandHandler } from '@nestjs/cqrs';
import { COACHING_SETTINGS, CoachingSettings, DIRECTORY, Directory, RELATIONSHIPS, Relationships } from '../coaching.ports';
import {
  CancelMeetingCommand, CancelMeetingHandler, RecordMeetingHeldCommand, RecordMeetingHeldHandler, RecordMeetingMissedCommand, RecordMeetingMissedHandler,
  ScheduleMeetingCommand, ScheduleMeetingHandler,
} from '../commands/meeting.commands';
import {
  AssignCoachCommand, AssignCoachHandler, EndRelationshipCommand, EndRelationshipHandler, PauseRelationshipCommand, PauseRelationshipHandler,
  ResumeRelationshipCommand, ResumeRelationshipHandler, TransferLearnerCommand, TransferLearnerHandler,
} from '../commands/relationship.commands';

/** The command a coaching history record becomes: the same command classes as the HTTP API sends. */
export function commandOf(record: CoachingHistoryRecord, metadata: EventMetadata) {
  switch (record.kind) {
    case 'relationship-assigned':
      return new AssignCoachCommand(metadata, withoutUndefined({ relationshipId: record.relationshipId, learnerId: record.learnerId, coachId: record.coachId, capacityOverride: record.capacityOverride }));
    case 'relationship-transferred':
      return new TransferLearnerCommand(metadata, record.learnerId, { newRelationshipId: record.newRelationshipId, toCoachId: record.toCoachId, reason: record.reason });
    case 'relationship-paused':
      return new PauseRelationshipCommand(metadata, record.learnerId, { reason: record.reason });
    case 'relationship-resumed':
      return new ResumeRelationshipCommand(metadata, record.learnerId, withoutUndefined({ reason: record.reason }));
    case 'relationship-ended':
      return new EndRelationshipCommand(metadata, record.learnerId, withoutUndefined({ reason: record.reason, note: record.note }));
    case 'meeting-scheduled':
      return new ScheduleMeetingCommand(metadata, withoutUndefined({
        meetingId: record.meetingId, learnerId: record.learnerId, startsAt: new Date(record.startsAt).toISOString(), durationMinutes: record.durationMinutes, location: record.location,
      }));
    case 'meeting-held':
      return new RecordMeetingHeldCommand(metadata, record.meetingId, { agenda: record.agenda, notes: record.notes.map((n) => ({ text: n.text, visibility: n.visibility })) });
    case 'meeting-missed':
      return new RecordMeetingMissedCommand(metadata, record.meetingId, withoutUndefined({ reason: record.reason }));
    case 'meeting-cancelled':
      return new CancelMeetingCommand(metadata, record.meetingId, { reason: record.reason });
  }
}

/**
 * Coaching's record kinds for the history import (docs/history-import.md). A record's command runs through the
 * handler class the command bus would pick, built over the store the import gives (an overlay: see applyHistory).
 */
@Injectable()
export class CoachingHistoryImporter implements HistoryImporter<CoachingHistoryRecord> {
  readonly kinds = COACHING_HISTORY_KINDS;

  constructor(
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(RELATIONSHIPS) private readonly relationships: Relationships,
    @Inject(COACHING_SETTINGS) private readonly settings: CoachingSettings,
  ) {}

  people(record: CoachingHistoryRecord): { userId: string; role: Role }[] {
    switch (record.kind) {
      case 'relationship-assigned':
        return [{ userId: record.learnerId, role: 'learner' }, { userId: record.coachId, role: 'coach' }];
      case 'relationship-transferred':
        return [{ userId: record.learnerId, role: 'learner' }, { userId: record.toCoachId, role: 'coach' }];
      case 'relationship-paused': case 'relationship-resumed': case 'relationship-ended': case 'meeting-scheduled':
        return [{ userId: record.learnerId, role: 'learner' }];
      default:
        return [];
    }
  }

  rolesOf(schoolId: string, userId: string) {
    return this.directory.rolesOf(schoolId, userId);
  }

  forRun(): CoachingHistoryImporter {
    const { directory, settings } = this;
    return new CoachingHistoryImporter(this.catalog, {
      rolesOf: rememberedFor((schoolId, userId) => directory.rolesOf(schoolId, userId)),
      contactOf: (userId) => directory.contactOf(userId),
      displayNamesOf: (userIds) => directory.displayNamesOf(userIds),
    }, this.relationships, {
      program: rememberedFor((schoolId) => settings.program(schoolId)),
      capacityOf: rememberedFor((schoolId, coachId) => settings.capacityOf(schoolId, coachId)),
      capacitiesOf: (schoolId, coachIds) => settings.capacitiesOf(schoolId, coachIds),
    });
  }

  streamOf(record: CoachingHistoryRecord, schoolId: string) {
    return 'meetingId' in record ? meetingStreamId(schoolId, record.meetingId) : learnerCoachingStreamId(schoolId, record.learnerId);
  }

  run(record: CoachingHistoryRecord, metadata: EventMetadata, store: EventStore): Promise<unknown> {
    const command = commandOf(record, metadata);
    return this.handlerOn(store, command).execute(command);
  }

  /** The handler the command bus would pick, built over the given store (the read models stay the real ones). */
  private handlerOn(store: EventStore, command: ReturnType<typeof commandOf>): ICommandHandler {
    const relationshipDeps = [store, this.catalog, this.directory, this.relationships, this.settings] as const;
    if (command instanceof AssignCoachCommand) return new AssignCoachHandler(...relationshipDeps);
    if (command instanceof TransferLearnerCommand) return new TransferLearnerHandler(...relationshipDeps);
    if (command instanceof PauseRelationshipCommand) return new PauseRelationshipHandler(...relationshipDeps);
    if (command instanceof ResumeRelationshipCommand) return new ResumeRelationshipHandler(...relationshipDeps);
    if (command instanceof EndRelationshipCommand) return new EndRelationshipHandler(...relationshipDeps);
    if (command instanceof ScheduleMeetingCommand) return new ScheduleMeetingHandler(store, this.catalog);
    if (command instanceof RecordMeetingHeldCommand) return new RecordMeetingHeldHandler(store, this.catalog);
    if (command instanceof RecordMeetingMissedCommand) return new RecordMeetingMissedHandler(store, this.catalog);
    return new CancelMeetingHandler(store, this.catalog);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
