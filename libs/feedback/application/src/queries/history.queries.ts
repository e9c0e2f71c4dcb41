import { EventCatalog, EventMetadata, HistoryView } from '@cbme/contracts';
import { notFound } from '@cbme/decider';
import { EVENT_CATALOG, EVENT_STORE, EventStore, executeCommand, toDomainEvent } from '@cbme/event-sourcing';
import {
  developmentPlanDecider, diffProgress, goalDecider, GoalEvent, goalStreamId, HistoryAccess, historyAccess, historyAccessDecider, historyAccessStreamId, PlanEvent,
  planStreamId, ProgressSnapshot,
} from '@cbme/feedback-domain';
import { Inject, Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { feedbackPublication } from '../feedback-catalog';
import { CURRENT_COACHES, CurrentCoaches, LEARNER_TIMELINE, LearnerTimeline, SCHOOL_MEMBERS, SchoolMembers, TimelineItem } from '../ports/read-model-ports';
import { Viewer } from './feedback.queries';

export interface TimelineFilter {
  category?: string;
  type?: string;
  competency?: string;
  from?: string;
  to?: string;
}

export class GetTimelineQuery {
  constructor(
    readonly viewer: Viewer,
    readonly metadata: EventMetadata,
    readonly learnerId: string,
    readonly filter: TimelineFilter,
    /** absent: every matching item (an export) */
    readonly page?: { page: number; pageSize: number },
  ) {}
}

export class GetProgressAsOfQuery {
  constructor(readonly viewer: Viewer, readonly metadata: EventMetadata, readonly learnerId: string, readonly asOf: string) {}
}

export class GetProgressDiffQuery {
  constructor(readonly viewer: Viewer, readonly metadata: EventMetadata, readonly learnerId: string, readonly from: string, readonly to: string) {}
}

const NOT_SEEN = 'no learner with that id among the people you may see';

/**
 * Who may read a learner's history and how much (see `historyAccess`), and the record of every read by
 * someone else: `feedback.history-viewed` (who, whose, which view, when), written before anything is answered.
 */
@Injectable()
export class HistoryGate {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_CATALOG) private readonly catalog: EventCatalog,
    @Inject(CURRENT_COACHES) private readonly coaches: CurrentCoaches,
    @Inject(SCHOOL_MEMBERS) private readonly members: SchoolMembers,
  ) {}

  async open(viewer: Viewer, metadata: EventMetadata, learnerId: string, view: HistoryView): Promise<HistoryAccess> {
    const access = historyAccess(viewer, learnerId, await this.coaches.currentCoachOf(viewer.schoolId, learnerId));
    if (!access) throw notFound(NOT_SEEN);
    if (access === 'without-private-text' && !(await this.members.rolesOf(viewer.schoolId, learnerId)).includes('learner')) throw notFound(NOT_SEEN);
    if (viewer.userId !== learnerId) {
      const data = { learnerId, viewerId: viewer.userId, viewerRole: viewer.role, view };
      await executeCommand(this.store, this.catalog, historyAccessDecider, historyAccessStreamId(viewer.schoolId, learnerId), { type: 'RecordHistoryView', data }, metadata, { retries: 10 });
    }
    return access;
  }
}

/** An item as this viewer may see it: staff get the published form of its data (no private text). */
function present(item: TimelineItem, access: HistoryAccess, schoolId: string) {
  const { data, schemaVersion, correlationId, streamId: _s, streamVersion: _v, ...rest } = item;
  if (access !== 'without-private-text') return { ...rest, data };
  const published = feedbackPublication({
    eventId: item.eventId, type: item.type, schemaVersion, streamId: item.streamId, streamVersion: item.streamVersion, position: 0, occurredAt: item.at,
    tenant: { institutionId: '', schoolId }, actor: item.actor as never, correlationId, causationId: null, data,
  });
  return { ...rest, data: (published?.data ?? {}) as Record<string, unknown> };
}

@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery> {
  constructor(
    private readonly gate: HistoryGate,
    @Inject(LEARNER_TIMELINE) private readonly timeline: LearnerTimeline,
  ) {}

  async execute({ viewer, metadata, learnerId, filter, page }: GetTimelineQuery) {
    const access = await this.gate.open(viewer, metadata, learnerId, page ? 'timeline' : 'export');
    const items = (await this.timeline.itemsOf(viewer.schoolId, learnerId)).filter((item) =>
      (access !== 'shared' || item.visibility === 'shared')
      && (!filter.category || item.category === filter.category)
      && (!filter.type || item.type === filter.type || item.type.startsWith(filter.type))
      && (!filter.competency || item.competencies.includes(filter.competency))
      && (!filter.from || item.at >= filter.from)
      && (!filter.to || item.at <= filter.to));
    const shown = page ? items.slice((page.page - 1) * page.pageSize, page.page * page.pageSize) : items;
    return {
      learnerId, access, total: items.length, ...(page ? { page: page.page, pageSize: page.pageSize } : {}),
      items: shown.map((item) => present(item, access, viewer.schoolId)),
    };
  }
}

/**
 * The learner's goals and plan as they stood at `asOf`, folded from the event store's streams read up to that
 * instant (never from a read model's copy); the timeline only says which goal streams the learner had.
 */
@Injectable()
export class ProgressSnapshots {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEARNER_TIMELINE) private readonly timeline: LearnerTimeline,
  ) {}

  async at(schoolId: string, learnerId: string, asOf: string, access: HistoryAccess): Promise<ProgressSnapshot> {
    const goalIds = [...new Set((await this.timeline.itemsOf(schoolId, learnerId))
      .filter((i) => (i.type === 'feedback.goal-set' || i.type === 'feedback.goal-drafted') && i.at <= asOf && i.subjectId)
      .map((i) => i.subjectId!))];
    const goals: ProgressSnapshot['goals'] = [];
    for (const goalId of goalIds) {
      const history = await this.store.readStream(goalStreamId(goalId), { occurredUntil: asOf });
      if (history.length === 0 || history[0].tenant.schoolId !== schoolId) continue;
      const state = history.map(toDomainEvent<GoalEvent>).reduce(goalDecider.evolve, goalDecider.initialState);
      if (state.status === 'none') continue;
      if (access === 'shared' && state.visibility === 'private') continue;
      goals.push(access === 'without-private-text' && state.visibility === 'private' ? { ...state, description: '', measureOfSuccess: null } : state);
    }
    const planHistory = await this.store.readStream(planStreamId(schoolId, learnerId), { occurredUntil: asOf });
    const plan = planHistory.map(toDomainEvent<PlanEvent>).reduce(developmentPlanDecider.evolve, developmentPlanDecider.initialState);
    return {
      asOf,
      goals: goals.sort((a, b) => a.targetDate.localeCompare(b.targetDate) || a.goalId.localeCompare(b.goalId)),
      plan: plan.status === 'none' ? null : {
        planId: plan.planId, version: plan.version, focusAreas: plan.focusAreas, goalIds: plan.goalIds, nextReviewDue: plan.nextReviewDue, reviews: plan.reviews,
      },
    };
  }
}

@QueryHandler(GetProgressAsOfQuery)
export class GetProgressAsOfHandler implements IQueryHandler<GetProgressAsOfQuery> {
  constructor(private readonly gate: HistoryGate, private readonly snapshots: ProgressSnapshots) {}

  async execute({ viewer, metadata, learnerId, asOf }: GetProgressAsOfQuery) {
    const access = await this.gate.open(viewer, metadata, learnerId, 'as-of');
    return { learnerId, access, ...(await this.snapshots.at(viewer.schoolId, learnerId, asOf, access)) };
  }
}

@QueryHandler(GetProgressDiffQuery)
export class GetProgressDiffHandler implements IQueryHandler<GetProgressDiffQuery> {
  constructor(private readonly gate: HistoryGate, private readonly snapshots: ProgressSnapshots) {}

  async execute({ viewer, metadata, learnerId, from, to }: GetProgressDiffQuery) {
    const access = await this.gate.open(viewer, metadata, learnerId, 'diff');
    const [before, after] = await Promise.all([from, to].map((at) => this.snapshots.at(viewer.schoolId, learnerId, at, access)));
    return { learnerId, access, ...diffProgress(before, after) };
  }
}
