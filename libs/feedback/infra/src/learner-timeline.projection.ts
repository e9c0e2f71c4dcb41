import { insertOnce, Projection, StoredEvent } from '@cbme/event-sourcing';
import { LearnerTimeline, TimelineItem } from '@cbme/feedback-application';
import { categoryOf, EvidenceCount } from '@cbme/feedback-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model, Schema } from 'mongoose';

/**
 * `item:<eventId>` documents: one per event about a learner. `subject:<school>:<id>` documents: whose a dialogue
 * or goal is and its competencies, for the events of it that do not say (entries, revisions, status changes).
 */
interface TimelineDocument extends Partial<TimelineItem> {
  _id: string;
  kind: 'item' | 'subject';
  schoolId: string;
  version: number;
}

const timelineSchema = new Schema<TimelineDocument>(
  {
    _id: String, kind: String, schoolId: String, eventId: String, type: String, category: String, at: String, recordedAt: String, actor: Object, learnerId: String,
    subjectId: String, competencies: [String], visibility: String, source: String, streamId: String, streamVersion: Number, data: Object,
    schemaVersion: Number, correlationId: String, version: Number,
  },
  { versionKey: false, collection: 'learner_timeline', minimize: false },
);

const SUBJECT_OF: Record<string, string> = { dialogue: 'dialogueId', goal: 'goalId', plan: 'planId' };
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Everything about each learner across services, from this service's events (and, subclassed, its inbox). */
@Injectable()
export class LearnerTimelineProjection implements Projection, LearnerTimeline {
  readonly name: string = 'learner-timeline';
  protected readonly source: 'own' | 'inbox' = 'own';
  private readonly model: Model<TimelineDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.model = (connection.models['TimelineEntry'] as Model<TimelineDocument>) ?? connection.model<TimelineDocument>('TimelineEntry', timelineSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    const relevant = events.filter((e) => categoryOf(e.type) !== null);
    if (relevant.length === 0) return;
    const subjects = new Map<string, { learnerId: string; competencies: string[] }>();
    // subjects and items never change once written (one per opening event, one per event)
    const subjectDocs: TimelineDocument[] = [];
    for (const e of relevant) {
      const d = e.data as Record<string, unknown>;
      const id = str(d['dialogueId']) ?? str(d['goalId']);
      const opens = e.type === 'feedback.dialogue-opened' || e.type === 'feedback.goal-set' || e.type === 'feedback.goal-drafted';
      if (id && opens) {
        const subject = { learnerId: String(d['learnerId']), competencies: list(d['competencies']) };
        subjects.set(`subject:${e.tenant.schoolId}:${id}`, subject);
        subjectDocs.push({ _id: `subject:${e.tenant.schoolId}:${id}`, kind: 'subject', schoolId: e.tenant.schoolId, ...subject, version: 1 });
      }
    }
    await insertOnce(this.model, subjectDocs);
    const items: TimelineDocument[] = [];
    for (const e of relevant) {
      const item = await this.itemOf(e, subjects);
      if (item) items.push({ _id: `item:${e.eventId}`, kind: 'item', schoolId: e.tenant.schoolId, ...item, version: 1 });
    }
    await insertOnce(this.model, items);
  }

  private async itemOf(e: StoredEvent, subjects: Map<string, { learnerId: string; competencies: string[] }>): Promise<TimelineItem | null> {
    const d = e.data as Record<string, unknown>;
    const category = categoryOf(e.type)!;
    const context = e.type.split('.')[0] as TimelineItem['source'];
    const subjectId = str(d[SUBJECT_OF[category] ?? '']) ?? str(d['resultId']) ?? str(d['meetingId']) ?? str(d['relationshipId']) ?? str(d['assessmentId']) ?? str(d['importId']);
    let learnerId = str(d['learnerId']) ?? (context === 'identity' ? str(d['userId']) : null);
    let competencies = list(d['competencies']);
    if (e.type === 'feedback.self-assessment-recorded') competencies = list((d['ratings'] as { competency: string }[] | undefined)?.map((r) => r.competency));
    const subjectKey = subjectId && (category === 'dialogue' || category === 'goal') ? `subject:${e.tenant.schoolId}:${subjectId}` : null;
    if (subjectKey && (!learnerId || competencies.length === 0)) {
      const subject = subjects.get(subjectKey) ?? (await this.model.findById(subjectKey).lean());
      learnerId = learnerId ?? subject?.learnerId ?? null;
      if (competencies.length === 0) competencies = subject?.competencies ?? [];
    }
    if (!learnerId) return null;
    return {
      eventId: e.eventId, type: e.type, category, at: e.occurredAt, recordedAt: e.recordedAt, actor: e.actor, learnerId, subjectId, competencies,
      visibility: d['visibility'] === 'private' ? 'private' : 'shared', source: context, streamId: e.streamId, streamVersion: e.streamVersion,
      data: d, schemaVersion: e.schemaVersion, correlationId: e.correlationId,
    };
  }

  async reset(): Promise<void> {
    await this.model.deleteMany({ kind: 'item', source: this.source === 'own' ? 'feedback' : { $ne: 'feedback' } });
  }

  async itemsOf(schoolId: string, learnerId: string): Promise<TimelineItem[]> {
    const docs = await this.model.find({ kind: 'item', schoolId, learnerId }).lean();
    return docs
      // an item projected before events had two times was recorded when it occurred
      .map(({ _id, kind: _k, schoolId: _s, version: _v, ...item }) => ({ ...item, recordedAt: item.recordedAt ?? item.at }) as TimelineItem)
      .sort((a, b) => a.at.localeCompare(b.at) || a.streamId.localeCompare(b.streamId) || a.streamVersion - b.streamVersion);
  }

  async evidenceFor(schoolId: string, codes: string[]): Promise<EvidenceCount[]> {
    if (codes.length === 0) return [];
    const docs = await this.model.find({ kind: 'item', schoolId, competencies: { $in: codes } }, { category: 1, subjectId: 1, eventId: 1, learnerId: 1, competencies: 1 }).lean();
    const asked = new Set(codes);
    const byCode = new Map<string, { items: Map<string, Set<string>>; learners: Set<string> }>();
    for (const doc of docs) {
      // every event of a dialogue or goal carries its codes: count the dialogue or goal once
      const subject = doc.subjectId ?? String(doc.eventId);
      for (const code of (doc.competencies ?? []).filter((c) => asked.has(c))) {
        const entry = byCode.get(code) ?? { items: new Map(), learners: new Set<string>() };
        const category = String(doc.category);
        entry.items.set(category, (entry.items.get(category) ?? new Set()).add(subject));
        entry.learners.add(String(doc.learnerId));
        byCode.set(code, entry);
      }
    }
    return codes.map((code) => {
      const entry = byCode.get(code);
      return { code, items: Object.fromEntries([...(entry?.items ?? new Map<string, Set<string>>())].map(([category, ids]) => [category, ids.size])), learners: entry?.learners.size ?? 0 };
    });
  }
}

/** The same timeline, from the events of coaching and identity in this service's inbox. */
@Injectable()
export class LearnerTimelineInboxProjection extends LearnerTimelineProjection {
  override readonly name = 'learner-timeline-inbox';
  protected override readonly source = 'inbox' as const;
}
