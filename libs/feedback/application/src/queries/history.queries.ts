import { ENVELOPE_VERSION } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { DomainEvent, EVENT_STORE, EventStore, StoredEvent, toDomainEvent } from '@cbme/event-sourcing';
import {
  AsOfBasis, diffProgress, GoalEvent, goalStreamId, HistoryAccess, historyAccess, inPeriod, inViewAsOf, PlanEvent,
  planStreamId, progressAsOf, ProgressSnapshot, timeOf,
} from '@cbme/feedback-domain';
import { Inject, Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { feedbackPublication } from '../feedback-catalog';
import { CURRENT_COACHES, CurrentCoaches, LEARNER_TIMELINE, LearnerTimeline, SCHOOL_MEMBERS, SchoolMembers, TimelineItem } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';
import { FrameworkReadings, VersionReading } from './framework-readings';

export interface TimelineFilter {
  category?: string;
  type?: string;
  competency?: string;
  from?: string;
  to?: string;
  /** which time `from` and `to` read: when it happened (default) or when the platform recorded it */
  basis?: AsOfBasis;
  /** read competencies (and filter by them) under this framework version */
  version?: VersionReading;
}

export class GetTimelineQuery {
  constructor(
    readonly viewer: Viewer,
    readonly learnerId: string,
    readonly filter: TimelineFilter,
    /** absent: every matching item (an export) */
    readonly page?: { page: number; pageSize: number },
  ) {}
}

export class GetProgressAsOfQuery {
  constructor(readonly viewer: Viewer, readonly learnerId: string, readonly asOf: string, readonly basis: AsOfBasis = 'occurred') {}
}

export class GetProgressDiffQuery {
  constructor(
    readonly viewer: Viewer, readonly learnerId: string, readonly from: string, readonly to: string, readonly basis: AsOfBasis = 'occurred',
  ) {}
}

const NOT_SEEN = 'no learner with that id among the people you may see';

/**
 * Who may read a learner's history and how much (see `historyAccess`). Each read by someone else is recorded by the
 * disclosure log (the routes are marked `@Discloses`; README, "Disclosure log").
 */
@Injectable()
export class HistoryGate {
  constructor(
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
  ) {}

  async open(viewer: Viewer, learnerId: string): Promise<HistoryAccess> {
    const access = historyAccess(viewer, learnerId, await this.coaches.currentCoachOf(viewer.schoolId, learnerId));
    if (!access) throw notFound(NOT_SEEN);
    if (access === 'without-private-text' && !(await this.members.rolesOf(viewer.schoolId, learnerId)).includes('learner')) throw notFound(NOT_SEEN);
    return access;
  }
}

/** An item as this viewer may see it: staff get the published form of its data (no private text). */
function present(item: TimelineItem & { recordedCompetencies?: string[] }, access: HistoryAccess, schoolId: string) {
  const { data, schemaVersion, correlationId, streamId: _s, streamVersion: _v, ...rest } = item;
  if (access !== 'without-private-text') return { ...rest, data };
  const published = feedbackPublication({
    envelopeVersion: ENVELOPE_VERSION, eventId: item.eventId, type: item.type, schemaVersion, streamId: item.streamId, streamVersion: item.streamVersion, position: 0,
    occurredAt: item.at, recordedAt: item.recordedAt, tenant: { institutionId: '', schoolId }, actor: item.actor as never, correlationId, causationId: null, data,
  });
  return { ...rest, data: (published?.data ?? {}) as Record<string, unknown> };
}

@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery> {
  constructor(
    private readonly gate: HistoryGate,
    @Inject(LEARNER_TIMELINE) private readonly timeline: LearnerTimeline,
    private readonly readings: FrameworkReadings,
  ) {}

  async execute({ viewer, learnerId, filter, page }: GetTimelineQuery) {
    const access = await this.gate.open(viewer, learnerId);
    const reading = await this.readings.readingFor(viewer.schoolId, filter.version);
    const items = (await this.timeline.itemsOf(viewer.schoolId, learnerId)).map((item) => reading.item(item)).filter((item) =>
      (access !== 'shared' || item.visibility === 'shared')
      && (!filter.category || item.category === filter.category)
      && (!filter.type || item.type === filter.type || item.type.startsWith(filter.type))
      && (!filter.competency || item.competencies.includes(filter.competency))
      && inPeriod(timeOf({ occurredAt: item.at, recordedAt: item.recordedAt }, filter.basis ?? 'occurred'), filter.from, filter.to));
    const shown = page ? items.slice((page.page - 1) * page.pageSize, page.page * page.pageSize) : items;
    return {
      learnerId, access, total: items.length, ...(page ? { page: page.page, pageSize: page.pageSize } : {}),
      items: shown.map((item) => present(item, access, viewer.schoolId)),
      ...reading.describe(),
    };
  }
}

/**
 * The learner's goals and plan as they stood at `asOf` on a basis (see AsOfBasis), folded from the event store's
 * streams (never from a read model's copy); the timeline only says which goal streams the learner had.
 */
@Injectable()
export class ProgressSnapshots {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEARNER_TIMELINE) private readonly timeline: LearnerTimeline,
  ) {}

  async at(schoolId: string, learnerId: string, asOf: string, basis: AsOfBasis, access: HistoryAccess): Promise<ProgressSnapshot> {
    const goalIds = [...new Set((await this.timeline.itemsOf(schoolId, learnerId))
      .filter((i) => (i.type === 'feedback.goal-set' || i.type === 'feedback.goal-drafted') && i.subjectId && inViewAsOf({ occurredAt: i.at, recordedAt: i.recordedAt }, asOf, basis))
      .map((i) => i.subjectId!))];
    const goals: StoredEvent[][] = [];
    for (const goalId of goalIds) {
      const history = await this.store.readStream(goalStreamId(goalId));
      if (history.length > 0 && history[0].tenant.schoolId === schoolId) goals.push(history);
    }
    const plan = await this.store.readStream(planStreamId(schoolId, learnerId));
    return progressAsOf({ goals: goals.map((events) => events.map(timed<GoalEvent>)), plan: plan.map(timed<PlanEvent>) }, asOf, basis, access);
  }
}

/** A stored event as the domain folds it, with its two times. */
const timed = <E extends DomainEvent>(stored: StoredEvent) => ({ ...toDomainEvent<E>(stored), occurredAt: stored.occurredAt, recordedAt: stored.recordedAt });

@QueryHandler(GetProgressAsOfQuery)
export class GetProgressAsOfHandler implements IQueryHandler<GetProgressAsOfQuery> {
  constructor(private readonly gate: HistoryGate, private readonly snapshots: ProgressSnapshots) {}

  async execute({ viewer, learnerId, asOf, basis }: GetProgressAsOfQuery) {
    const access = await this.gate.open(viewer, learnerId);
    return { learnerId, access, ...(await this.snapshots.at(viewer.schoolId, learnerId, asOf, basis, access)) };
  }
}

@QueryHandler(GetProgressDiffQuery)
export class GetProgressDiffHandler implements IQueryHandler<GetProgressDiffQuery> {
  constructor(private readonly gate: HistoryGate, private readonly snapshots: ProgressSnapshots) {}

  async execute({ viewer, learnerId, from, to, basis }: GetProgressDiffQuery) {
    const access = await this.gate.open(viewer, learnerId);
    const [before, after] = await Promise.all([from, to].map((at) => this.snapshots.at(viewer.schoolId, learnerId, at, basis, access)));
    return { learnerId, access, ...diffProgress(before, after) };
  }
}
