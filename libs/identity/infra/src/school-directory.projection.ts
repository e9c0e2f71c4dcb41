import { CohortCreated, LearnerEnrolled, LearnerGraduated, LearnerWithdrawn, SchoolCreated } from '@cbme/contracts';
import { GenerationalCollection, Projection, ReadModelGenerations, StoredEvent, upsertNewer, VersionedChange } from '@cbme/event-sourcing';
import { CohortSummary, EnrollmentStatus, SchoolDirectory, SchoolSummary } from '@cbme/identity-application';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Schema } from 'mongoose';

interface SchoolDocument { _id: string; name: string; version: number }
interface CohortDocument { _id: string; schoolId: string; cohortId: string; program: string; graduationYear: number; version: number }
interface EnrollmentDocument { _id: string; schoolId: string; userId: string; cohortId: string; status: EnrollmentStatus; version: number }

const schoolSchema = new Schema<SchoolDocument>({ _id: String, name: String, version: Number }, { versionKey: false, collection: 'schools_view' });
const cohortSchema = new Schema<CohortDocument>({ _id: String, schoolId: String, cohortId: String, program: String, graduationYear: Number, version: Number }, { versionKey: false, collection: 'cohorts_view' });
const enrollmentSchema = new Schema<EnrollmentDocument>({ _id: String, schoolId: String, userId: String, cohortId: String, status: String, version: Number }, { versionKey: false, collection: 'enrollments_view' });
cohortSchema.index({ schoolId: 1 });
enrollmentSchema.index({ schoolId: 1 });

const STATUS_AFTER: Record<string, EnrollmentStatus> = {
  'identity.learner-enrolled': 'enrolled', 'identity.learner-withdrawn': 'withdrawn', 'identity.learner-graduated': 'graduated',
};

/** The schools, each school's cohorts and where each learner stands in one, for the admins' pages. */
@Injectable()
export class SchoolDirectoryProjection implements Projection, SchoolDirectory {
  readonly name = 'school-directory';
  readonly generations: ReadModelGenerations;
  private readonly schoolsView: GenerationalCollection<SchoolDocument>;
  private readonly cohortsView: GenerationalCollection<CohortDocument>;
  private readonly enrollments: GenerationalCollection<EnrollmentDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.generations = new ReadModelGenerations(connection, this.name);
    this.schoolsView = this.generations.collection('SchoolView', schoolSchema);
    this.cohortsView = this.generations.collection('CohortView', cohortSchema);
    this.enrollments = this.generations.collection('EnrollmentView', enrollmentSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    const schools: VersionedChange[] = [];
    const cohorts: VersionedChange[] = [];
    const enrollments: VersionedChange[] = [];
    for (const e of events) {
      if (e.type === 'identity.school-created') {
        const { schoolId, name } = e.data as SchoolCreated;
        schools.push({ id: schoolId, version: e.streamVersion, set: { name } });
      } else if (e.type === 'identity.cohort-created') {
        const { schoolId, cohortId, program, graduationYear } = e.data as CohortCreated;
        cohorts.push({ id: `${schoolId}:${cohortId}`, version: e.streamVersion, set: { schoolId, cohortId, program, graduationYear } });
      } else if (Object.hasOwn(STATUS_AFTER, e.type)) {
        // a learner is in one cohort of a school at a time: the latest change says which and how
        const { schoolId, userId, cohortId } = e.data as LearnerEnrolled | LearnerWithdrawn | LearnerGraduated;
        enrollments.push({ id: `${schoolId}:${userId}`, version: e.streamVersion, set: { schoolId, userId, cohortId, status: STATUS_AFTER[e.type] } });
      }
    }
    await upsertNewer(await this.schoolsView.writer(), schools);
    await upsertNewer(await this.cohortsView.writer(), cohorts);
    await upsertNewer(await this.enrollments.writer(), enrollments);
  }

  /** Empties the generation being written (tests that start afresh). */
  async reset(): Promise<void> {
    await this.generations.clearWriter();
  }

  async schools(): Promise<SchoolSummary[]> {
    return (await (await this.schoolsView.live()).find().lean()).map((s) => ({ schoolId: s._id, name: s.name })).sort((a, b) => a.schoolId.localeCompare(b.schoolId));
  }

  async cohorts(schoolId: string): Promise<CohortSummary[]> {
    const generation = await this.generations.liveGeneration();
    const [cohorts, enrollments] = await Promise.all([this.cohortsView.of(generation).find({ schoolId }).lean(), this.enrollments.of(generation).find({ schoolId }).lean()]);
    return cohorts
      .map((c) => ({
        cohortId: c.cohortId, program: c.program, graduationYear: c.graduationYear,
        learners: enrollments.filter((e) => e.cohortId === c.cohortId).map((e) => ({ userId: e.userId, status: e.status })).sort((a, b) => a.userId.localeCompare(b.userId)),
      }))
      .sort((a, b) => a.graduationYear - b.graduationYear || a.cohortId.localeCompare(b.cohortId));
  }
}
