import { EventCatalog, EventMetadata, GoalVisibility, SelfRating } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import {
  assessmentImportDecider, assessmentImportStreamId, AssessmentRow, checkAssessmentRows, dialogueStreamId, feedbackDialogueDecider, requireKnownCompetencies, RowError,
  selfAssessmentDecider, selfAssessmentStreamId,
} from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CURRENT_COACHES, CurrentCoaches, SCHOOL_MEMBERS, SchoolMembers } from '../ports/read-model-ports';
import { actingUser, currentCoachOfStream } from './current-coach';
import { requireSchoolCompetencies, schoolCompetencyIndex } from './framework.commands';
import { learnerOfMotivation } from './motivations';

export class ImportAssessmentResultsCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { importId: string; fileName?: string; rows: AssessmentRow[] },
  ) {}
}

export class ReferenceAssessmentResultCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly dialogueId: string,
    readonly resultId: string,
  ) {}
}

export class RecordSelfAssessmentCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { assessmentId: string; ratings: SelfRating[]; visibility?: GoalVisibility },
    /** the learner, when a history import records it (see actingUser) */
    readonly recordedBy?: string,
  ) {}
}

export interface AssessmentImportOutcome {
  imported: number;
  errors: RowError[];
}

/**
 * Checks every row against the learners this service knows from identity's events and the school's
 * competencies; a file with any bad row imports nothing (its errors come back by line). A good file is
 * stored as one append (the import and all its results), so nothing is ever half-imported.
 */
@CommandHandler(ImportAssessmentResultsCommand)
export class ImportAssessmentResultsHandler implements ICommandHandler<ImportAssessmentResultsCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
  ) {}

  async execute({ metadata, input }: ImportAssessmentResultsCommand): Promise<AssessmentImportOutcome> {
    const { schoolId } = metadata.tenant;
    // the learners the rows name, each looked up by id (the school's whole list is two scans: a history import asks per result)
    const named = [...new Set(input.rows.map((row) => row.learnerId).filter((id): id is string => typeof id === 'string' && id.length > 0))];
    const learners = new Set((await Promise.all(named.map(async (id) => ((await this.members.rolesOf(schoolId, id)).includes('learner') ? [id] : [])))).flat());
    const index = await schoolCompetencyIndex(this.store, metadata);
    const competencyProblem = (code: string) => {
      try {
        requireKnownCompetencies([code], index);
        return null;
      } catch (error) {
        return (error as Error).message.replace('unknown competency: ', 'competency ');
      }
    };
    const { results, errors } = checkAssessmentRows(input.rows, { isKnownLearner: (id) => learners.has(id), competencyProblem, today: metadata.occurredAt });
    if (errors.length > 0) return { imported: 0, errors };
    const command = { type: 'ImportAssessmentResults' as const, data: { importId: input.importId, fileName: input.fileName, results, errors, role: metadata.actor.role } };
    const result = await executeCommand(this.store, this.catalog, assessmentImportDecider, assessmentImportStreamId(input.importId), command, metadata);
    return { imported: result.events.length - 1, errors: [] };
  }
}

@CommandHandler(ReferenceAssessmentResultCommand)
export class ReferenceAssessmentResultHandler implements ICommandHandler<ReferenceAssessmentResultCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
  ) {}

  async execute({ metadata, dialogueId, resultId }: ReferenceAssessmentResultCommand) {
    const { schoolId } = metadata.tenant;
    const currentCoachId = await currentCoachOfStream(this.store, this.coaches, metadata, dialogueStreamId(dialogueId));
    const resultLearnerId = await learnerOfMotivation(this.store, schoolId, 'assessment-result', resultId);
    const command = { type: 'ReferenceAssessmentResult' as const, data: { resultId, resultLearnerId, referencedBy: metadata.actor.userId, currentCoachId } };
    return executeCommand(this.store, this.catalog, feedbackDialogueDecider, dialogueStreamId(dialogueId), command, metadata);
  }
}

@CommandHandler(RecordSelfAssessmentCommand)
export class RecordSelfAssessmentHandler implements ICommandHandler<RecordSelfAssessmentCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  async execute({ metadata, input, recordedBy }: RecordSelfAssessmentCommand) {
    const { schoolId } = metadata.tenant;
    const learnerId = actingUser(metadata, recordedBy);
    await requireSchoolCompetencies(this.store, metadata, input.ratings.map((r) => r.competency));
    const command = { type: 'RecordSelfAssessment' as const, data: { ...input, learnerId, recordedBy: learnerId } };
    return executeCommand(this.store, this.catalog, selfAssessmentDecider, selfAssessmentStreamId(schoolId, learnerId), command, metadata);
  }
}
