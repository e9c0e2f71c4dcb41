import { EventCatalog, EventMetadata, FrameworkCompetency, FrameworkCrosswalkPublished, FrameworkSource } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, loadState, toDomainEvent } from '@cbme/event-sourcing';
import {
  CompetencyIndex, competencyFrameworksDecider, competencyIndex, CrosswalkRow, FrameworkEvent, frameworksInForceAt, frameworksStreamId, requireKnownCompetencies,
} from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';

export class PublishFrameworkVersionCommand {
  constructor(
    readonly metadata: EventMetadata,
    readonly input: { frameworkId: string; name: string; competencies: FrameworkCompetency[]; source: FrameworkSource; crosswalk?: CrosswalkRow[] },
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
    const [published, crosswalk] = result.events;
    return {
      frameworkId: input.frameworkId, version: framework.version, changed: result.events.length > 0,
      retired: published?.type === 'feedback.framework-version-published' ? published.data.retired : [],
      ...(crosswalk ? { crosswalk: { mappings: (crosswalk.data as FrameworkCrosswalkPublished).mappings, unmapped: (crosswalk.data as FrameworkCrosswalkPublished).unmapped } } : {}),
    };
  }
}

/**
 * The school's competencies as its stream holds them now (read from the store, so a framework imported a moment ago
 * counts at once), or for a backdated command as the framework versions in force at its date.
 */
export async function schoolCompetencyIndex(store: EventStore, metadata: EventMetadata): Promise<CompetencyIndex> {
  const streamId = frameworksStreamId(metadata.tenant.schoolId);
  if (!metadata.backdated) return competencyIndex((await loadState(store, competencyFrameworksDecider, streamId)).state);
  const history = (await store.readStream(streamId)).map((e) => ({ occurredAt: e.occurredAt, event: toDomainEvent<FrameworkEvent>(e) }));
  return competencyIndex(frameworksInForceAt(history, metadata.occurredAt));
}

/** Checks competency codes against the school's frameworks (see schoolCompetencyIndex). Unknown or retired codes: 422. */
export async function requireSchoolCompetencies(store: EventStore, metadata: EventMetadata, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  requireKnownCompetencies([...new Set(codes)], await schoolCompetencyIndex(store, metadata));
}
