import { analyticsSettingsDecider, analyticsSettingsStreamId, DEFAULT_MINIMUM_GROUP_SIZE } from '@cbme/analytics-domain';
import { EventCatalog, EventMetadata } from '@cbme/contracts';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand } from '@cbme/event-sourcing';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ANALYTICS_SETTINGS, AnalyticsSettingsReadModel, requireAnalyticsViewer, Viewer } from './analytics.ports';

export class SetMinimumGroupSizeCommand {
  constructor(readonly viewer: Viewer, readonly metadata: EventMetadata, readonly schoolId: string, readonly minimumGroupSize: number) {}
}

export class GetAnalyticsSettingsQuery {
  constructor(readonly viewer: Viewer, readonly schoolId: string) {}
}

/** School admins (and the institution admin) set the school's minimum group size k. */
@CommandHandler(SetMinimumGroupSizeCommand)
export class SetMinimumGroupSizeHandler implements ICommandHandler<SetMinimumGroupSizeCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog) {}

  async execute({ viewer, metadata, schoolId, minimumGroupSize }: SetMinimumGroupSizeCommand) {
    requireAnalyticsViewer(viewer, schoolId, ['school-admin']);
    const scoped = { ...metadata, tenant: { ...metadata.tenant, schoolId } };
    const { nextExpectedVersion } = await executeCommand(this.store, this.catalog, analyticsSettingsDecider, analyticsSettingsStreamId(schoolId),
      { type: 'SetMinimumGroupSize', data: { minimumGroupSize } }, scoped);
    return { schoolId, minimumGroupSize, version: nextExpectedVersion };
  }
}

@QueryHandler(GetAnalyticsSettingsQuery)
export class GetAnalyticsSettingsHandler implements IQueryHandler<GetAnalyticsSettingsQuery> {
  constructor(@Inject(ANALYTICS_SETTINGS) private readonly settings: AnalyticsSettingsReadModel) {}

  async execute({ viewer, schoolId }: GetAnalyticsSettingsQuery) {
    requireAnalyticsViewer(viewer, schoolId);
    return { schoolId, minimumGroupSize: (await this.settings.minimumGroupSize(schoolId)) ?? DEFAULT_MINIMUM_GROUP_SIZE };
  }
}
