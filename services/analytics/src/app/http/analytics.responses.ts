import { GRANULARITIES } from '@cbme/analytics-domain';
import { schema as s } from '@cbme/service-runtime';

/** The bodies analytics answers with (documented in /docs). */
const schoolId = s.string('medicine');
/** null: suppressed for a committee member (it would describe 1 to k - 1 learners) */
const count = s.nullable(s.integer(12));

export const ActivityResult = s.object({
  schoolId,
  minimumGroupSize: s.integer(10),
  dialogues: s.object({ opened: count, closed: count, open: count }),
  goals: s.object({ active: count, achieved: count, abandoned: count, deferred: count, total: count }),
  coaching: s.object({ learnersWithCoach: count, coaches: s.nullable(s.integer(6)), learnersPerCoach: s.array(s.object({ coachId: s.string('coa-1'), learners: s.integer(8) })) }, ['learnersPerCoach']),
}, ['minimumGroupSize']);
ActivityResult.description = 'committee members get the analytics tables\' all-cohort totals (null where suppressed, with minimumGroupSize) and no per-coach breakdown; leads and admins the plain totals';

const cell = s.object({ value: s.nullable(s.number(12)), suppressed: s.boolean(false) });
const table = s.object({
  id: s.string('dialogues'), title: s.string('Feedback dialogues'), rowHeader: s.string('Cohort'),
  columns: s.array(s.object({ id: s.string('opened'), label: s.string('Opened') })),
  rows: s.array(s.object({ id: s.string('md-2030'), label: s.string('MD 2030'), total: s.boolean(false), cells: s.array(cell) }, ['total'])),
  note: s.string('cells describing fewer than k learners are suppressed'),
}, ['note']);
const filters = { granularity: s.enum(GRANULARITIES, 'month'), period: s.string('2026-09') };
export const SchoolAnalyticsResult = s.object({
  schoolId, asOf: s.instant(), minimumGroupSize: s.integer(10),
  filters: s.object({ cohortId: s.string('md-2030'), competency: s.string('ICS'), ...filters }, ['cohortId', 'competency', 'period']),
  cohorts: s.array(s.object({ cohortId: s.string('md-2030'), program: s.string('MD'), graduationYear: s.integer(2030) })),
  competencies: s.array(s.string('ICS')), periods: s.array(s.string('2026-09')), tables: s.array(table),
  frameworkVersion: s.object({ frameworkId: s.string('medicine-epas'), version: s.integer(2), unmapped: s.array(s.string('EPA-13')) }),
}, ['frameworkVersion']);
export const InstitutionAnalyticsResult = s.object({ asOf: s.instant(), filters: s.object(filters, ['period']), schools: s.array(schoolId), table });
export const SettingsResult = s.object({ schoolId, minimumGroupSize: s.integer(10) });
export const SettingsSetResult = s.object({ schoolId, minimumGroupSize: s.integer(10), version: s.integer(1) });
