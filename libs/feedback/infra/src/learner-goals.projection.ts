import { GoalLinked, GoalSharingChanged, GoalStatusChanged } from '@cbme/contracts';
import { StoredEvent, upsertNewer, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { GoalView, LearnerGoals } from '@cbme/feedback-application';
import { GoalRevisedWritten, GoalSetWritten } from '@cbme/feedback-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface GoalDocument extends GoalView {
  _id: string;
  schoolId: string;
}

const goalSchema = new Schema<GoalDocument>(
  {
    _id: String, schoolId: String, goalId: String, learnerId: String, description: String, measureOfSuccess: String,
    competencies: [String], targetDate: String, status: String, visibility: String, lastRevisedAt: String, links: [Object], version: Number,
  },
  { versionKey: false, collection: 'learner_goals' },
);
goalSchema.index({ schoolId: 1, learnerId: 1 });

/** Each learner's goals with their current status, from the goal streams of this service. */
@Injectable()
export class LearnerGoalsProjection extends VersionedReadModel<GoalDocument> implements LearnerGoals {
  readonly name = 'learner-goals';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'LearnerGoal', goalSchema);
  }

  /**
   * A link or unlink sets the goal's whole list of links: the list as stored, folded with this batch's newer link
   * events in stream order (read by `_id`; safe because the projection runner is this read model's one writer).
   */
  override async apply(events: StoredEvent[]): Promise<void> {
    const linking = events.filter((e) => e.type === 'feedback.goal-linked' || e.type === 'feedback.goal-unlinked').sort((a, b) => a.streamVersion - b.streamVersion);
    const stored = linking.length ? await this.findByIds([...new Set(linking.map((e) => e.streamId))]) : [];
    const current = new Map(stored.map((doc) => [doc._id, { version: doc.version, links: doc.links ?? [] }]));
    const linkChanges: VersionedChange[] = [];
    for (const e of linking) {
      const goal = current.get(e.streamId) ?? { version: 0, links: [] };
      // redelivered: the stored list already holds it
      if (e.streamVersion <= goal.version) continue;
      const { kind, targetId } = e.data as GoalLinked;
      const others = goal.links.filter((l) => l.kind !== kind || l.targetId !== targetId);
      const links = e.type === 'feedback.goal-linked' ? [...others, { kind, targetId }] : others;
      current.set(e.streamId, { version: e.streamVersion, links });
      linkChanges.push({ id: e.streamId, version: e.streamVersion, set: { links } });
    }
    await upsertNewer(await this.documents.writer(), [...this.changesOf(events), ...linkChanges]);
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    const changes: VersionedChange[] = [];
    for (const e of events) {
      const base = { id: e.streamId, version: e.streamVersion };
      if (e.type === 'feedback.goal-drafted') {
        const goal = e.data as GoalSetWritten;
        changes.push({ ...base, set: { ...goal, schoolId: e.tenant.schoolId, status: 'draft', lastRevisedAt: null } });
      } else if (e.type === 'feedback.goal-set') {
        // a goal set at once, or a draft activated (which keeps when it was last revised)
        const goal = e.data as GoalSetWritten;
        changes.push({ ...base, set: { ...goal, schoolId: e.tenant.schoolId, status: 'active', ...(e.streamVersion === 1 ? { lastRevisedAt: null } : {}) } });
      } else if (e.type === 'feedback.goal-draft-abandoned') {
        changes.push({ ...base, set: { status: 'abandoned' } });
      } else if (e.type === 'feedback.goal-revised') {
        const { description, targetDate } = e.data as GoalRevisedWritten;
        changes.push({ ...base, set: { description, targetDate, lastRevisedAt: e.occurredAt } });
      } else if (e.type === 'feedback.goal-status-changed') {
        changes.push({ ...base, set: { status: (e.data as GoalStatusChanged).to } });
      } else if (e.type === 'feedback.goal-sharing-changed') {
        changes.push({ ...base, set: { visibility: (e.data as GoalSharingChanged).visibility } });
      }
    }
    return changes;
  }

  async list(schoolId: string, learnerId: string): Promise<GoalView[]> {
    const docs = await (await this.live()).find({ schoolId, learnerId }).sort({ targetDate: 1 }).lean();
    // documents written before goals had a visibility are shared ones (until a rebuild writes it)
    return docs.map(({ _id, schoolId: _s, ...goal }) => ({ ...goal, visibility: goal.visibility ?? 'shared', links: goal.links ?? [] }));
  }
}
