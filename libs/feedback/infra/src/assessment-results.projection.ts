import { AssessmentResultRecorded } from '@cbme/contracts';
import { insertOnce, StoredEvent, VersionedChange, VersionedReadModel } from '@cbme/event-sourcing';
import { AssessmentResults, AssessmentResultView } from '@cbme/feedback-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface ResultDocument extends AssessmentResultView {
  _id: string;
  schoolId: string;
  version: number;
}

const resultSchema = new Schema<ResultDocument>(
  {
    _id: String, schoolId: String, resultId: String, importId: String, learnerId: String, competencies: [String], kind: String, instrument: String,
    score: Number, maxScore: Number, assessedOn: String, importedAt: String, version: Number,
  },
  { versionKey: false, collection: 'assessment_results' },
);

/** Every imported assessment result, one document each (results never change once imported). */
@Injectable()
export class AssessmentResultsProjection extends VersionedReadModel<ResultDocument> implements AssessmentResults {
  readonly name = 'assessment-results';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'AssessmentResult', resultSchema);
  }

  /** results never change once imported: written once, with no lookup of what is stored (a replay skips them) */
  override async apply(events: StoredEvent[]): Promise<void> {
    await insertOnce(await this.documents.writer(), this.changesOf(events).map(({ id, version, set }) => ({ _id: id, ...set, version })));
  }

  protected changesOf(events: StoredEvent[]): VersionedChange[] {
    return events.filter((e) => e.type === 'feedback.assessment-result-recorded').map((e) => {
      const result = e.data as AssessmentResultRecorded;
      return { id: result.resultId, version: e.streamVersion, set: { ...result, schoolId: e.tenant.schoolId, importedAt: e.occurredAt } };
    });
  }

  async listForLearner(schoolId: string, learnerId: string): Promise<AssessmentResultView[]> {
    const docs = await (await this.live()).find({ schoolId, learnerId }).lean();
    return docs
      .map(({ _id, schoolId: _s, version: _v, ...result }) => result)
      .sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || a.resultId.localeCompare(b.resultId));
  }
}
