import { GoalRevised, GoalSet, GoalStatusChanged } from '@cbme/contracts';
import { Projection, StoredEvent, upsertNewer, VersionedChange } from '@cbme/event-sourcing';
import { GoalView, LearnerGoals } from '@cbme/feedback-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model, Schema } from 'mongoose';

interface GoalDocument extends GoalView {
  _id: string;
  schoolId: string;
}

const goalSchema = new Schema<GoalDocument>(
  {
    _id: String, schoolId: String, goalId: String, learnerId: String, description: String, measureOfSuccess: String,
    competencies: [String], targetDate: String, status: String, lastRevisedAt: String, version: Number,
  },
  { versionKey: false, collection: 'learner_goals' },
);
goalSchema.index({ schoolId: 1, learnerId: 1 });

/** Each learner's goals with their current status, from the goal streams of this service. */
@Injectable()
export class LearnerGoalsProjection implements Projection, LearnerGoals {
  readonly name = 'learner-goals';
  private readonly model: Model<GoalDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.model = connection.model<GoalDocument>('LearnerGoal', goalSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    const changes: VersionedChange[] = [];
    for (const e of events) {
      const base = { id: e.streamId, version: e.streamVersion };
      if (e.type === 'feedback.goal-set') {
        const goal = e.data as GoalSet;
        changes.push({ ...base, set: { ...goal, schoolId: e.tenant.schoolId, status: 'active', lastRevisedAt: null } });
      } else if (e.type === 'feedback.goal-revised') {
        const { description, targetDate } = e.data as GoalRevised;
        changes.push({ ...base, set: { description, targetDate, lastRevisedAt: e.occurredAt } });
      } else if (e.type === 'feedback.goal-status-changed') {
        changes.push({ ...base, set: { status: (e.data as GoalStatusChanged).to } });
      }
    }
    await upsertNewer(this.model, changes);
  }

  async reset(): Promise<void> {
    await this.model.deleteMany({});
  }

  async list(schoolId: string, learnerId: string): Promise<GoalView[]> {
    const docs = await this.model.find({ schoolId, learnerId }).sort({ targetDate: 1 }).lean();
    return docs.map(({ _id, schoolId: _s, ...goal }) => goal);
  }
}
