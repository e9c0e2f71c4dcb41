import { FrameworkVersionPublished } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, toDomainEvent } from '@cbme/event-sourcing';
import { competencyFrameworksDecider, FrameworkEvent, frameworksOf, frameworksStreamId, SEED_FRAMEWORKS } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Viewer } from './feedback.queries';

export class ListFrameworksQuery {
  constructor(readonly viewer: Viewer) {}
}

export class GetFrameworkQuery {
  constructor(readonly viewer: Viewer, readonly frameworkId: string) {}
}

/** Every member of a school reads its frameworks: the shipped ones and the school's own, current versions. */
@QueryHandler(ListFrameworksQuery)
export class ListFrameworksHandler implements IQueryHandler<ListFrameworksQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ viewer }: ListFrameworksQuery) {
    const history = await this.store.readStream(frameworksStreamId(viewer.schoolId));
    const state = history.map(toDomainEvent<FrameworkEvent>).reduce(competencyFrameworksDecider.evolve, competencyFrameworksDecider.initialState);
    return { frameworks: frameworksOf(state) };
  }
}

/** One framework with every version it had: who published it, when, what it retired. */
@QueryHandler(GetFrameworkQuery)
export class GetFrameworkHandler implements IQueryHandler<GetFrameworkQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ viewer, frameworkId }: GetFrameworkQuery) {
    const seed = SEED_FRAMEWORKS.find((f) => f.frameworkId === frameworkId);
    if (seed) return { ...seed, versions: [{ version: 1, competencies: seed.competencies, retired: [], source: 'seed' }] };
    const history = (await this.store.readStream(frameworksStreamId(viewer.schoolId))).filter((e) => (e.data as FrameworkVersionPublished).frameworkId === frameworkId);
    if (history.length === 0) throw notFound(`no framework ${frameworkId} in this school`);
    const state = history.map(toDomainEvent<FrameworkEvent>).reduce(competencyFrameworksDecider.evolve, competencyFrameworksDecider.initialState);
    const versions = history.map((e) => {
      const { version, competencies, retired, source } = e.data as FrameworkVersionPublished;
      return { version, publishedAt: e.occurredAt, publishedBy: e.actor.userId, source, competencies, retired };
    });
    return { ...state.frameworks.get(frameworkId), versions };
  }
}
