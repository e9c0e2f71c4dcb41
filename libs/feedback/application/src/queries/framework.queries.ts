import { FrameworkVersionPublished, Role } from '@cbme/contracts';
import { DomainError, notFound } from '@cbme/decider';
import { EVENT_STORE, EventStore, toDomainEvent } from '@cbme/event-sourcing';
import { competencyFrameworksDecider, FrameworkEvent, frameworksOf, frameworksStreamId, SEED_FRAMEWORKS, unmappedEvidence } from '@cbme/feedback-domain';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LEARNER_TIMELINE, LearnerTimeline } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';
import { readerOf, schoolFrameworks } from './framework-readings';

export class ListFrameworksQuery {
  constructor(readonly viewer: Viewer) {}
}

export class GetFrameworkQuery {
  constructor(readonly viewer: Viewer, readonly frameworkId: string) {}
}

/** `version`: the version to read under (the latest when left out). */
export class GetUnmappedCodesQuery {
  constructor(readonly viewer: Viewer, readonly frameworkId: string, readonly version?: number) {}
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
    const versions = history.filter((e) => e.type === 'feedback.framework-version-published').map((e) => {
      const { version, competencies, retired, source } = e.data as FrameworkVersionPublished;
      return { version, publishedAt: e.occurredAt, publishedBy: e.actor.userId, source, competencies, retired };
    });
    const crosswalks = state.crosswalks.map(({ frameworkId: _f, ...c }) => c);
    return { ...state.frameworks.get(frameworkId), versions, crosswalks };
  }
}

const ADMINS: Role[] = ['school-admin', 'institution-admin'];

/**
 * The codes of a framework's earlier versions that evidence still names and that no crosswalk maps onto the version
 * (the latest by default), with how many dialogues, goals, results and self-assessments name each: for the school's admins.
 */
@QueryHandler(GetUnmappedCodesQuery)
export class GetUnmappedCodesHandler implements IQueryHandler<GetUnmappedCodesQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEARNER_TIMELINE) private readonly timeline: LearnerTimeline,
  ) {}

  async execute({ viewer, frameworkId, version }: GetUnmappedCodesQuery) {
    if (!ADMINS.includes(viewer.role)) throw new DomainError('forbidden', 'only a school admin reads the unmapped codes report');
    const state = await schoolFrameworks(this.store, viewer.schoolId);
    const latest = state.frameworks.get(frameworkId)?.version;
    const at = version ?? latest ?? 1;
    const reader = readerOf(state, { frameworkId, version: at });
    const candidates = [...new Set(state.crosswalks.filter((c) => c.frameworkId === frameworkId && c.toVersion <= at).flatMap((c) => c.unmapped))];
    const codes = unmappedEvidence(await this.timeline.evidenceFor(viewer.schoolId, candidates), reader);
    return { frameworkId, version: at, codes };
  }
}
