import { EventCatalog, EventMetadata, FrameworkCompetency, FrameworkSource } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState } from '@cbme/event-sourcing';
import { competencyFrameworksDecider, competencyIndex, frameworksStreamId, requireKnownCompetencies } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';

export class PublishFrameworkVersionCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { frameworkId: string; name: string; competencies: FrameworkCompetency[]; source: FrameworkSource },
  ) {}
}

@CommandHandler(PublishFrameworkVersionCommand)
export class PublishFrameworkVersionHandler implements ICommandHandler<PublishFrameworkVersionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
  ) {}

  async execute({ metadata, input }: PublishFrameworkVersionCommand) {
    const command = { type: 'PublishFrameworkVersion' as const, data: { ...input, role: metadata.actor.role } };
    const result = await executeCommand(this.store, this.catalog, competencyFrameworksDecider, frameworksStreamId(metadata.tenant.schoolId), command, metadata);
    const { state } = await loadState(this.store, competencyFrameworksDecider, frameworksStreamId(metadata.tenant.schoolId));
    const framework = state.frameworks.get(input.frameworkId)!;
    return { frameworkId: input.frameworkId, version: framework.version, changed: result.events.length > 0, retired: result.events[0]?.data.retired ?? [] };
  }
}

/**
 * Checks competency codes against the school's frameworks as its stream holds them now (read from the
 * store, so a framework imported a moment ago counts at once). Unknown or retired codes: 422.
 */
export async function requireSchoolCompetencies(store: EventStore, schoolId: string, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  const { state } = await loadState(store, competencyFrameworksDecider, frameworksStreamId(schoolId));
  requireKnownCompetencies([...new Set(codes)], competencyIndex(state));
}
