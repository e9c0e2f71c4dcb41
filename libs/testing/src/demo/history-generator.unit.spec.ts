import { COACHING_HISTORY_KINDS, parseHistoryLine } from '@cbme/contracts';
import { academicYearOf, HistoryLine, institution, schoolHistory, SIZES, termsOf } from './history-generator';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const size = SIZES.small;
const generate = (now: number, seed = 'cbme') => institution(size, 'demo.example', now).map((school) => ({ school, ...schoolHistory(school, size, seed, now) }));
const histories = generate(NOW);
const all = histories.flatMap((h) => [...h.coaching, ...h.feedback]);

/** the stream a record's command writes, as the importers route them */
const streamOf = (l: HistoryLine) => {
  for (const key of ['meetingId', 'dialogueId', 'goalId', 'planId']) if (typeof l[key] === 'string') return `${key}:${l[key]}`;
  return l.kind === 'plan-reviewed' ? `planId:${l['learnerId']}-plan` : `${l.kind.startsWith('relationship') ? 'relationship' : l.kind}:${l['learnerId']}`;
};

describe('the demo institution\'s history', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(generate(NOW))).toBe(JSON.stringify(histories));
    expect(JSON.stringify(generate(NOW, 'other'))).not.toBe(JSON.stringify(histories));
  });

  it('keeps every record as it was when run later, and adds only what happened since (idempotent by sourceId)', () => {
    const later = new Map(generate(NOW + 45 * DAY).flatMap((h) => [...h.coaching, ...h.feedback]).map((l) => [l.sourceId, JSON.stringify(l)]));
    expect(all.filter((l) => later.get(l.sourceId) !== JSON.stringify(l))).toEqual([]);
    expect(later.size).toBeGreaterThan(all.length);
  });

  it('has unique sourceIds, nothing after now, each stream in date order and each learner\'s coaching records together', () => {
    expect(new Set(all.map((l) => l.sourceId)).size).toBe(all.length);
    expect(all.filter((l) => Date.parse(l.occurredAt) > NOW)).toEqual([]);
    const last = new Map<string, string>();
    const disorder = all.filter((l) => {
      const before = last.get(streamOf(l));
      last.set(streamOf(l), l.occurredAt);
      return before !== undefined && Date.parse(before) > Date.parse(l.occurredAt);
    });
    expect(disorder).toEqual([]);
    for (const { coaching } of histories) {
      const learnerOf = (l: HistoryLine) => String(l['learnerId'] ?? l['meetingId']).replace(/-m\d+$/, '');
      const runs = coaching.filter((l, i) => i === 0 || learnerOf(coaching[i - 1]) !== learnerOf(l)).map(learnerOf);
      expect(new Set(runs).size).toBe(runs.length);
    }
  });

  it('writes coaching records the import accepts by schema', () => {
    const refused = histories.flatMap((h) => h.coaching).map((l) => parseHistoryLine(JSON.stringify(l), COACHING_HISTORY_KINDS)).filter((p) => !p.ok);
    expect(refused).toEqual([]);
  });

  it('has the size the issue asks for: 3 schools, 4 cohorts of at least 25 entering over four years, a coach per 8 learners', () => {
    expect(histories).toHaveLength(3);
    for (const { school } of histories) {
      expect(school.cohorts.map((c) => c.entryYear)).toEqual([2022, 2023, 2024, 2026]);
      for (const cohort of school.cohorts) expect(school.learners.filter((l) => l.cohortId === cohort.cohortId).length).toBeGreaterThanOrEqual(25);
      expect(school.learners.length / school.coaches.length).toBeCloseTo(8, 0);
      expect(school.communities.flatMap((c) => c.coachIds).sort()).toEqual(school.coaches.map((c) => c.userId).sort());
    }
  });

  it('follows the academic year: few meetings in holidays, more missed in exam periods, transfers, leaves, graduations', () => {
    const scheduled = all.filter((l) => l.kind === 'meeting-scheduled');
    const startOf = new Map(scheduled.map((l) => [l['meetingId'], Date.parse(String(l['startsAt']))]));
    const termOf = (at: number) => termsOf(academicYearOf(at)).find((t) => at >= t.start && at < t.end);
    const inTerm = scheduled.filter((l) => termOf(Date.parse(String(l['startsAt'])))).length;
    expect(inTerm / scheduled.length).toBeGreaterThan(0.9);
    const outcome = (kind: string, exams: boolean) => all.filter((l) => l.kind === kind && (() => {
      const at = startOf.get(l['meetingId']) ?? 0;
      const term = termOf(at);
      return !!term && (at >= term.examsFrom) === exams;
    })()).length;
    const missedShare = (exams: boolean) => outcome('meeting-missed', exams) / (outcome('meeting-missed', exams) + outcome('meeting-held', exams));
    expect(missedShare(true)).toBeGreaterThan(2 * missedShare(false));
    const count = (kind: string) => all.filter((l) => l.kind === kind).length;
    for (const kind of ['relationship-transferred', 'relationship-paused', 'relationship-resumed', 'meeting-cancelled', 'goal-revised', 'goal-progress-noted', 'action-item-completed', 'action-item-dropped', 'plan-reviewed', 'self-assessment-recorded']) {
      expect({ kind, some: count(kind) > 0 }).toEqual({ kind, some: true });
    }
    // the cohort that graduated last June: every relationship ended then, as graduated
    const graduated = histories.flatMap((h) => h.school.learners.filter((l) => l.graduationYear === 2026));
    const ended = all.filter((l) => l.kind === 'relationship-ended');
    expect(ended).toHaveLength(graduated.length);
    expect(new Set(ended.map((l) => `${l['reason']} ${l.occurredAt.slice(0, 10)}`))).toEqual(new Set(['graduated 2026-06-30']));
    // reflections: the learner's own, most of them written in or just after exam periods
    const reflections = all.filter((l) => l.kind === 'dialogue-entry-added' && l['entryKind'] === 'reflection');
    expect(reflections.every((l) => l['authorId'] === String(l['dialogueId']).replace(/-d\d+-\d+$/, ''))).toBe(true);
    const afterExams = reflections.filter((l) => {
      const at = Date.parse(l.occurredAt);
      return termsOf(academicYearOf(at)).some((t) => at >= t.examsFrom && at < t.end + 14 * DAY);
    });
    expect(reflections.length).toBeGreaterThan(100);
    expect(afterExams.length / reflections.length).toBeGreaterThan(0.8);
    // goals: achieved, abandoned and deferred among them; plans revised about each term
    const statuses = new Set(all.filter((l) => l.kind === 'goal-status-changed').map((l) => l['to']));
    expect([...statuses].sort()).toEqual(['abandoned', 'achieved', 'active', 'deferred']);
    const learners = histories.reduce((n, h) => n + h.school.learners.length, 0);
    expect(count('plan-revised') / learners).toBeGreaterThan(2);
  });
});
