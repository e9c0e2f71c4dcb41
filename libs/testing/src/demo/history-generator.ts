/**
 * The demo institution's four years of life, as history-import files (docs/history-import.md): pure and deterministic.
 *
 * Structure (schools, cohorts, people) is made through identity's commands by demo-institution.ts; everything with a
 * date comes from here, one coaching file and one feedback file per school. Every choice comes from a seeded PRNG per
 * person and thing (never Math.random), and a record's content depends only on the seed and the calendar, never on
 * the day the generator runs: `now` only decides which records have happened yet. So running again later imports
 * what has happened since (new sourceIds) and the rest is recognised by sourceId with the same content.
 *
 * The rhythm: academic years of three terms (Sep–Dec, Jan–Mar, Apr–Jun) with an exam period at the end of each,
 * holidays and summer with few meetings; meetings on the programme's cadence, more missed in exam periods; some
 * transfers and leaves; relationships ended at graduation; goals revised, achieved, abandoned or deferred; plans
 * revised about each term and reviewed with the coach; results across each cohort's years; more reflections in exams.
 */
import { createHash } from 'node:crypto';

export interface InstitutionSize {
  schools: number;
  /** cohorts per school, by how many academic years before the current one they entered (4: graduated last June) */
  cohortEntries: number[];
  learnersPerCohort: number;
  coachesPerSchool: number;
  /** learners and coaches per school registered one by one with a password (the demo's sign-ins); the rest by roster */
  namedLearners: number;
  namedCoaches: number;
  /** the programme's meeting cadence, days */
  cadenceDays: number;
  /** 0 to 1: how much happens besides meetings (dialogues, results, plan revisions and reviews, second goals) */
  density: number;
  /** requests in flight at once (identity) */
  concurrency: number;
}

export const SIZES: Record<'small' | 'large', InstitutionSize> = {
  small: { schools: 3, cohortEntries: [4, 3, 2, 0], learnersPerCohort: 26, coachesPerSchool: 13, namedLearners: 6, namedCoaches: 3, cadenceDays: 84, density: 0.35, concurrency: 6 },
  large: { schools: 4, cohortEntries: [4, 3, 2, 0], learnersPerCohort: 125, coachesPerSchool: 50, namedLearners: 6, namedCoaches: 3, cadenceDays: 84, density: 0.35, concurrency: 8 },
};

export const PROGRAMME_YEARS = 4;
const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---------- seeded random numbers ----------

/** A PRNG (mulberry32) seeded from a name: the same name gives the same sequence. */
export function randomFor(seed: string, name: string) {
  let state = createHash('sha1').update(`${seed}:${name}`).digest().readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
type Random = ReturnType<typeof randomFor>;

// ---------- the calendar ----------

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h);

export interface Term { name: string; start: number; end: number; examsFrom: number }

/** The terms of the academic year that starts in September of `year`; the last two weeks of each are exams. */
export function termsOf(year: number): Term[] {
  return [
    { name: `autumn ${year}`, start: utc(year, 9, 8), end: utc(year, 12, 12), examsFrom: utc(year, 11, 30) },
    { name: `winter ${year + 1}`, start: utc(year + 1, 1, 5), end: utc(year + 1, 3, 27), examsFrom: utc(year + 1, 3, 16) },
    { name: `spring ${year + 1}`, start: utc(year + 1, 4, 13), end: utc(year + 1, 6, 26), examsFrom: utc(year + 1, 6, 8) },
  ];
}

/** The academic year (its September) that a date falls in. */
export const academicYearOf = (at: number) => {
  const d = new Date(at);
  return d.getUTCMonth() >= 8 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
};

const termAt = (at: number): Term | undefined => termsOf(academicYearOf(at)).find((t) => at >= t.start && at < t.end);
const inExams = (at: number) => {
  const term = termAt(at);
  return !!term && at >= term.examsFrom;
};
/** the first term starting after `at` */
const nextTermStart = (at: number) => Math.min(...[...termsOf(academicYearOf(at)), ...termsOf(academicYearOf(at) + 1)].map((t) => t.start).filter((start) => start > at));
/** a weekday at office hours (9 to 16 h) on or after the day of `at` */
function officeHours(at: number, random: Random) {
  let day = Math.floor(at / DAY) * DAY;
  while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY;
  return day + random.int(9, 16) * HOUR;
}
const iso = (at: number) => new Date(at).toISOString();
const dayOf = (at: number) => iso(at).slice(0, 10);

// ---------- the institution's structure ----------

const SCHOOLS: [string, string, string[]][] = [
  ['medicine', 'School of Medicine', ['PC', 'MK', 'PBLI', 'ICS', 'P', 'SBP']],
  ['nursing', 'School of Nursing', ['PC', 'ICS', 'P', 'SBP']],
  ['dentistry', 'School of Dental Medicine', ['PC', 'MK', 'P']],
  ['pharmacy', 'School of Pharmacy', ['MK', 'ICS', 'SBP']],
  ['public-health', 'School of Public Health', ['MK', 'SBP', 'PBLI']],
];
const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena', 'Mo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rui', 'Sara', 'Tomas', 'Uma', 'Vik', 'Wen', 'Yara'];
const HOUSES = ['Osler', 'Nightingale', 'Blackwell', 'Snow', 'Apgar', 'Lister'];

export interface Person {
  /** the platform's user id: chosen for named people, identity's roster id (`<school>-<sha256(email)[0..12]>`) for the rest */
  userId: string;
  email: string;
  displayName: string;
  /** registered one by one with the demo password (the others come through the roster, without one) */
  named: boolean;
}
export interface Learner extends Person { cohortId: string; entryYear: number; graduationYear: number }
export interface Cohort { cohortId: string; entryYear: number; graduationYear: number }
export interface Community { communityId: string; name: string; coachIds: string[] }
export interface School {
  id: string;
  name: string;
  competencies: string[];
  staff: { admin: Person; lead: Person; committee: Person };
  cohorts: Cohort[];
  coaches: Person[];
  learners: Learner[];
  communities: Community[];
}

/** identity's id for a person onboarded by roster (ImportRosterHandler) */
export const rosterUserId = (schoolId: string, email: string) => `${schoolId}-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 12)}`;

export function institution(size: InstitutionSize, domain: string, now: number): School[] {
  const currentYear = academicYearOf(now);
  return Array.from({ length: size.schools }, (_, i) => {
    const [base, baseName, competencies] = SCHOOLS[i % SCHOOLS.length];
    const id = i < SCHOOLS.length ? base : `${base}-${i}`;
    const name = i < SCHOOLS.length ? baseName : `${baseName} ${i}`;
    const person = (key: string, displayName: string, named: boolean): Person => {
      const email = `${id}-${key}@${domain}`;
      return { userId: named ? `${id}-${key}` : rosterUserId(id, email), email, displayName, named };
    };
    const cohorts = size.cohortEntries.map((back) => {
      const entryYear = currentYear - back;
      return { cohortId: `${id}-${entryYear + PROGRAMME_YEARS}`, entryYear, graduationYear: entryYear + PROGRAMME_YEARS };
    });
    const coaches = Array.from({ length: size.coachesPerSchool }, (_, n) => person(`coach-${n + 1}`, `Coach ${n + 1}`, n < size.namedCoaches));
    const learners: Learner[] = [];
    for (let n = 0; n < cohorts.length * size.learnersPerCohort; n++) {
      const first = FIRST[n % FIRST.length];
      const key = `${first.toLowerCase()}${n < FIRST.length ? '' : `-${Math.floor(n / FIRST.length) + 1}`}`;
      // the first learner (a demo sign-in) in the cohort of the year before last: years of history and a coach now
      const cohort = cohorts[(n + 1) % cohorts.length];
      learners.push({ ...person(key, `${first}${n < FIRST.length ? '' : ` ${Math.floor(n / FIRST.length) + 1}`}`, n < size.namedLearners), ...cohort });
    }
    const houses = Math.max(1, Math.ceil(coaches.length / 4));
    const communities = Array.from({ length: houses }, (_, h) => ({
      communityId: `${id}-house-${h + 1}`, name: `House ${HOUSES[h % HOUSES.length]}${h >= HOUSES.length ? ` ${h + 1}` : ''}`,
      coachIds: coaches.filter((_, c) => c % houses === h).map((c) => c.userId),
    }));
    return {
      id, name, competencies, cohorts, coaches, learners, communities,
      staff: { admin: person('admin', 'School admin', true), lead: person('lead', 'Coaching lead', true), committee: person('committee', 'Committee member', true) },
    };
  });
}

// ---------- records ----------

export type HistoryLine = { kind: string; sourceId: string; occurredAt: string } & Record<string, unknown>;

/** One school's history: what has happened by `now`, each file grouped by learner and stream, each stream in date order. */
export interface SchoolHistory { coaching: HistoryLine[]; feedback: HistoryLine[] }

interface Segment { relationshipId: string; coachId: string; from: number; to: number }
interface Leave { from: number; to: number }

const TRANSFER_REASONS = ['Coach moved to another campus', 'Coach left the school', 'Learner asked for a coach in their specialty'];
const LEAVES = ['Parental leave', 'Research year', 'Leave of absence'];
const AGENDA = ['Goals since we last met', 'Recent feedback and what it says', 'Development plan', 'Wellbeing and workload', 'Next rotation'];
const NOTES = [
  'We went through the goal and the latest feedback, and agreed the next step before we meet again.',
  'Talked through a difficult conversation on the ward and what to try next time.',
  'Reviewed the workplace-based ratings; the learner chose one focus for the coming weeks.',
  'Planned how to ask for observed practice on the next rotation.',
];
const MISSED = ['On call', 'Called away to an emergency on the ward', 'Exam preparation', 'Ill'];
const CANCELLED = ['Exam week', 'Rotation clash', 'Coach at a conference'];
const TOPICS = ['Handover on night shift', 'Breaking bad news', 'Oral case presentation', 'Time management on wards', 'Feedback from an OSCE station', 'Leading a family meeting', 'Prescribing safely'];
const GOALS = ['Lead a structured handover (SBAR)', 'Present a new patient in under five minutes', 'Write a discharge summary without corrections', 'Run a family meeting with my supervisor observing', 'Ask for feedback after every on-call shift'];
const FOCUS = ['Structured handover', 'Clinical reasoning out loud', 'Conversations with families', 'Time management on call', 'Documentation quality', 'Teamwork on the ward'];
const EPAS = ['EPA-1', 'EPA-2', 'EPA-5', 'EPA-6', 'EPA-8', 'EPA-9'];
const WBA = ['Mini-CEX', 'EPA entrustment (Chen scale)', 'Direct observation'];
const EXAMS = ['Written exam', 'OSCE', 'Subject exam'];

/**
 * Everything dated for one school. `now` decides only what is included (what has occurred by then): each record's
 * content is a function of the seed and the calendar.
 */
export function schoolHistory(school: School, size: InstitutionSize, seed: string, now: number): SchoolHistory {
  const coaching: HistoryLine[] = [];
  const feedback: HistoryLine[] = [];
  const past = (lines: HistoryLine[]) => lines.filter((l) => Date.parse(l.occurredAt) <= now);
  const currentYear = academicYearOf(now);
  school.learners.forEach((learner, n) => {
    const random = randomFor(seed, `${learner.userId}:relationship`);
    // the newest cohort: one in eight not assigned yet (the lead's roster shows them); the demo's sign-ins keep
    // one coach throughout, with no leave
    const unassigned = !learner.named && learner.entryYear === currentYear && random.chance(1 / 8);
    const segments = unassigned ? [] : relationshipsOf(school, learner, n, random, !learner.named);
    const leave = segments.length > 0 && !learner.named ? leaveOf(learner, segments, randomFor(seed, `${learner.userId}:leave`)) : undefined;
    coaching.push(...past(relationshipRecords(learner, segments, leave)));
    coaching.push(...past(meetingRecords(learner, segments, leave, size.cadenceDays, seed)));
    feedback.push(...past(feedbackRecords(school, learner, segments, leave, seed, size.density)));
  });
  return { coaching, feedback };
}

const enrolledFrom = (l: Learner) => utc(l.entryYear, 9, 1);
const graduation = (l: Learner) => utc(l.graduationYear, 6, 30, 10);

/** The learner's coaches over the years: assigned after entry, for some a transfer, ended at graduation. */
function relationshipsOf(school: School, learner: Learner, n: number, random: Random, mayTransfer: boolean): Segment[] {
  const coaches = school.coaches;
  const first = coaches[n % coaches.length];
  const start = utc(learner.entryYear, 9, random.int(8, 20), random.int(9, 15));
  const end = graduation(learner);
  const segments: Segment[] = [{ relationshipId: `${learner.userId}-r1`, coachId: first.userId, from: start, to: end }];
  if (random.chance(0.12) && mayTransfer) {
    // at the start of a later term: the second or later year
    const year = learner.entryYear + random.int(1, PROGRAMME_YEARS - 1);
    const at = termsOf(year)[random.int(0, 1)].start + random.int(1, 10) * DAY + 10 * HOUR;
    const community = school.communities.find((c) => c.coachIds.includes(first.userId));
    const others = (community?.coachIds ?? []).filter((c) => c !== first.userId);
    const to = others.length > 0 ? random.pick(others) : coaches[(n + 1) % coaches.length].userId;
    if (at < end && to !== first.userId) {
      segments[0].to = at;
      segments.push({ relationshipId: `${learner.userId}-r2`, coachId: to, from: at, to: end });
    }
  }
  return segments;
}

/** One in twelve takes a leave of two to five months in their second year or later (not across a transfer). */
function leaveOf(learner: Learner, segments: Segment[], random: Random): Leave | undefined {
  if (!random.chance(1 / 12)) return undefined;
  const term = termsOf(learner.entryYear + random.int(1, 2))[random.int(0, 2)];
  const from = term.start + random.int(10, 40) * DAY + 11 * HOUR;
  const to = from + random.int(60, 150) * DAY;
  const within = segments.find((s) => from > s.from + 7 * DAY && to < s.to - 7 * DAY);
  return within ? { from, to } : undefined;
}

const relationshipAt = (segments: Segment[], at: number) => segments.find((s) => at >= s.from && at < s.to);
const onLeave = (leave: Leave | undefined, at: number) => !!leave && at >= leave.from - DAY && at <= leave.to + DAY;

function relationshipRecords(learner: Learner, segments: Segment[], leave: Leave | undefined): HistoryLine[] {
  if (segments.length === 0) return [];
  const id = learner.userId;
  const [first, ...later] = segments;
  const lines: HistoryLine[] = [{ kind: 'relationship-assigned', sourceId: `rel:${first.relationshipId}:assigned`, occurredAt: iso(first.from), relationshipId: first.relationshipId, learnerId: id, coachId: first.coachId }];
  const random = randomFor('reasons', id);
  const events: [number, HistoryLine][] = later.map((s) => [s.from, {
    kind: 'relationship-transferred', sourceId: `rel:${s.relationshipId}:transferred`, occurredAt: iso(s.from), learnerId: id, newRelationshipId: s.relationshipId, toCoachId: s.coachId, reason: random.pick(TRANSFER_REASONS),
  }]);
  if (leave) {
    const reason = random.pick(LEAVES);
    events.push([leave.from, { kind: 'relationship-paused', sourceId: `rel:${id}:paused:${dayOf(leave.from)}`, occurredAt: iso(leave.from), learnerId: id, reason }]);
    events.push([leave.to, { kind: 'relationship-resumed', sourceId: `rel:${id}:resumed:${dayOf(leave.to)}`, occurredAt: iso(leave.to), learnerId: id, reason: `Back from ${reason.toLowerCase()}` }]);
  }
  const last = segments[segments.length - 1];
  events.push([last.to, { kind: 'relationship-ended', sourceId: `rel:${last.relationshipId}:ended`, occurredAt: iso(last.to), learnerId: id, reason: 'graduated', note: `Graduated in June ${learner.graduationYear}` }]);
  return [...lines, ...events.sort((a, b) => a[0] - b[0]).map(([, line]) => line)];
}

/**
 * Meetings on the programme's cadence within each relationship, in term time; in the summer one check-in for some;
 * none during a leave. Booked a week or two ahead (the next one may still lie ahead), then held with notes, missed
 * (more often in exam periods) or cancelled.
 */
function meetingRecords(learner: Learner, segments: Segment[], leave: Leave | undefined, cadenceDays: number, seed: string): HistoryLine[] {
  const lines: HistoryLine[] = [];
  let m = 0;
  for (const segment of segments) {
    const random = randomFor(seed, `${segment.relationshipId}:meetings`);
    let settled = segment.from;
    let at = segment.from + random.int(7, 14) * DAY;
    let summerCheckIn = -1;
    while (at < segment.to - 2 * DAY) {
      if (leave && onLeave(leave, at)) {
        at = leave.to + random.int(5, 12) * DAY;
        continue;
      }
      if (!termAt(at)) {
        const year = academicYearOf(at);
        const summer = new Date(at).getUTCMonth() >= 5 && new Date(at).getUTCMonth() <= 7;
        if (summer && summerCheckIn !== year && random.chance(0.3)) {
          summerCheckIn = year;
        } else {
          at = nextTermStart(at) + random.int(3, 10) * DAY;
          continue;
        }
      }
      const startsAt = officeHours(at, random);
      const bookedAt = Math.max(settled + HOUR, startsAt - random.int(5, 14) * DAY);
      if (startsAt >= segment.to - DAY || bookedAt >= startsAt || onLeave(leave, bookedAt) || onLeave(leave, startsAt)) {
        at += 7 * DAY;
        continue;
      }
      m++;
      const meetingId = `${learner.userId}-m${m}`;
      const duration = random.pick([30, 45, 45, 60]);
      lines.push({ kind: 'meeting-scheduled', sourceId: `mtg:${meetingId}:scheduled`, occurredAt: iso(bookedAt), meetingId, learnerId: learner.userId, startsAt: iso(startsAt), durationMinutes: duration, location: `Coaching room ${random.int(1, 6)}` });
      const exams = inExams(startsAt);
      const roll = random.next();
      if (roll < (exams ? 0.06 : 0.03) && startsAt - DAY > bookedAt) {
        lines.push({ kind: 'meeting-cancelled', sourceId: `mtg:${meetingId}:cancelled`, occurredAt: iso(startsAt - DAY), meetingId, reason: random.pick(CANCELLED) });
      } else if (roll < (exams ? 0.36 : 0.1)) {
        lines.push({ kind: 'meeting-missed', sourceId: `mtg:${meetingId}:missed`, occurredAt: iso(startsAt + 2 * HOUR), meetingId, reason: random.pick(MISSED) });
      } else {
        const agenda = AGENDA.slice(0, random.int(2, AGENDA.length));
        const notes = [{ text: random.pick(NOTES), visibility: 'shared-with-learner' }, ...(random.chance(0.3) ? [{ text: 'Seems tired; ask about workload next time.', visibility: 'coach-only' }] : [])];
        lines.push({ kind: 'meeting-held', sourceId: `mtg:${meetingId}:held`, occurredAt: iso(startsAt + duration * 60_000), meetingId, agenda, notes });
      }
      settled = startsAt + 3 * HOUR;
      at = startsAt + (cadenceDays + random.int(-5, 7)) * DAY;
    }
  }
  return lines;
}

/**
 * The learner's feedback life, grouped by stream (goals, dialogues, results, self-assessments, then the plan that
 * cites them), each stream in date order. What the coach does (entries, action items, closing, plan reviews) falls
 * within that coach's relationship.
 */
function feedbackRecords(school: School, learner: Learner, segments: Segment[], leave: Leave | undefined, seed: string, density: number): HistoryLine[] {
  const id = learner.userId;
  const random = randomFor(seed, `${id}:feedback`);
  const often = (p: number) => random.chance(p * density);
  const end = Math.min(graduation(learner), Date.UTC(learner.graduationYear, 5, 30));
  const years = Array.from({ length: PROGRAMME_YEARS }, (_, y) => learner.entryYear + y);
  const terms = years.flatMap(termsOf).filter((t) => t.start >= enrolledFrom(learner) && t.end <= end + DAY);
  const competency = () => random.pick(school.competencies);
  const coachAt = (at: number) => relationshipAt(segments, at);

  // goals: one each September, a second for some in January; revised, then achieved, abandoned, deferred or still open
  const goals: { goalId: string; setAt: number; lines: HistoryLine[] }[] = [];
  const goalLines: HistoryLine[] = [];
  for (const year of years) {
    const [autumn, winter, spring] = termsOf(year);
    const starts = [autumn.start + random.int(10, 30) * DAY, ...(often(0.5) ? [winter.start + random.int(5, 20) * DAY] : [])];
    for (const [g, from] of starts.entries()) {
      const goalId = `${id}-g${year}-${g + 1}`;
      const setAt = from + 14 * HOUR;
      const target = spring.end - random.int(0, 20) * DAY;
      const description = random.pick(GOALS);
      const lines: HistoryLine[] = [{
        kind: 'goal-set', sourceId: `goal:${goalId}:set`, occurredAt: iso(setAt), goalId, learnerId: id, description, measureOfSuccess: 'Observed and confirmed by my coach',
        competencies: [competency()], targetDate: dayOf(target), ...(random.chance(0.1) ? { visibility: 'private' } : {}),
      }];
      let at = setAt + random.int(20, 45) * DAY;
      if (random.chance(0.35)) {
        lines.push({ kind: 'goal-revised', sourceId: `goal:${goalId}:revised`, occurredAt: iso(at), goalId, description: `${description}, twice a week`, targetDate: dayOf(target), rationale: 'The rotation schedule changed' });
        at += random.int(10, 30) * DAY;
      }
      if (random.chance(0.4)) {
        lines.push({ kind: 'goal-progress-noted', sourceId: `goal:${goalId}:note`, occurredAt: iso(at), goalId, noteId: `${goalId}-n1`, note: 'Did it twice this week with my supervisor watching.', authorId: id });
        at += random.int(5, 20) * DAY;
      }
      const outcome = random.next();
      const settle = (to: string, note: string, when: number) => lines.push({ kind: 'goal-status-changed', sourceId: `goal:${goalId}:${to}:${dayOf(when)}`, occurredAt: iso(when), goalId, to, note });
      if (outcome < 0.5) settle('achieved', 'My coach observed it on the ward', at + random.int(10, 60) * DAY);
      else if (outcome < 0.62) settle('abandoned', 'No longer relevant after the rotation change', at);
      else if (outcome < 0.78) {
        settle('deferred', 'Exam period first', at);
        if (random.chance(0.6)) settle('active', 'Back to it after the exams', at + random.int(20, 40) * DAY);
      }
      goals.push({ goalId, setAt, lines });
      goalLines.push(...lines);
    }
  }

  // dialogues: most terms one with the coach; in exam periods reflections, some in a dialogue of their own
  const dialogues: { dialogueId: string; openedAt: number }[] = [];
  const dialogueLines: HistoryLine[] = [];
  terms.forEach((term, t) => {
    const plans: { at: number; topic: string; exam: boolean }[] = [];
    if (often(1)) plans.push({ at: term.start + random.int(7, 40) * DAY, topic: random.pick(TOPICS), exam: false });
    if (often(0.6)) plans.push({ at: term.examsFrom + random.int(0, 6) * DAY, topic: 'How the exam period went', exam: true });
    plans.forEach(({ at, topic, exam }, d) => {
      const openedAt = officeHours(at, random) + 4 * HOUR;
      const segment = coachAt(openedAt);
      if (!segment || onLeave(leave, openedAt)) return;
      const dialogueId = `${id}-d${t + 1}-${d + 1}`;
      const lastCoachDay = segment.to - DAY;
      let at2 = openedAt + HOUR;
      const lines: HistoryLine[] = [{ kind: 'dialogue-opened', sourceId: `dlg:${dialogueId}:opened`, occurredAt: iso(openedAt), dialogueId, learnerId: id, coachId: segment.coachId, topic, competencies: [competency()] }];
      const entry = (e: number, authorId: string, text: string, visibility: string, entryKind?: string) => lines.push({
        kind: 'dialogue-entry-added', sourceId: `dlg:${dialogueId}:entry:${e}`, occurredAt: iso(at2), dialogueId, entryId: `${dialogueId}-e${e}`, authorId, text, visibility, ...(entryKind ? { entryKind } : {}),
      });
      if (exam) {
        entry(1, id, 'What the exams showed me about how I prepare, and what I will change.', random.chance(0.5) ? 'shared' : 'private', 'reflection');
        at2 += random.int(1, 3) * DAY;
        entry(2, id, 'A second thought after the results came out.', 'shared', 'reflection');
      } else {
        entry(1, id, 'What went well, what I would do differently next time.', 'shared');
        if (random.chance(0.3)) {
          at2 += 2 * HOUR;
          entry(2, id, 'A private note to myself before we meet.', 'private');
        }
      }
      let closable = false;
      at2 += random.int(1, 4) * DAY;
      if (random.chance(0.8) && at2 < lastCoachDay) {
        entry(3, segment.coachId, 'Agreed next step: try it on Thursday and tell me how it went.', 'shared');
        closable = true;
        if (!exam && random.chance(0.5)) {
          const actionId = `${dialogueId}-a1`;
          const due = at2 + random.int(14, 28) * DAY;
          at2 += HOUR;
          lines.push({ kind: 'action-item-agreed', sourceId: `dlg:${dialogueId}:action:agreed`, occurredAt: iso(at2), dialogueId, actionId, description: 'Ask for one observed handover this week', ownerId: id, dueDate: dayOf(due), agreedBy: segment.coachId });
          const settle = random.next();
          at2 = due - random.int(0, 5) * DAY;
          if (settle < 0.6) lines.push({ kind: 'action-item-completed', sourceId: `dlg:${dialogueId}:action:done`, occurredAt: iso(at2), dialogueId, actionId, outcome: 'Done on the ward; the registrar gave feedback.', completedBy: id });
          else if (settle < 0.75) lines.push({ kind: 'action-item-dropped', sourceId: `dlg:${dialogueId}:action:dropped`, occurredAt: iso(at2), dialogueId, actionId, reason: 'The rotation changed before I could.', droppedBy: id });
        }
      }
      const closeAt = at2 + random.int(1, 10) * DAY;
      if (closable && closeAt < lastCoachDay && random.chance(0.7)) lines.push({ kind: 'dialogue-closed', sourceId: `dlg:${dialogueId}:closed`, occurredAt: iso(closeAt), dialogueId, closedBy: segment.coachId });
      dialogues.push({ dialogueId, openedAt });
      dialogueLines.push(...lines);
    });
  });

  // results: an exam score in each exam period, a workplace-based rating in some terms; self-ratings some autumns and winters
  const results: { resultId: string; at: number }[] = [];
  const resultLines: HistoryLine[] = [];
  const selfLines: HistoryLine[] = [];
  terms.forEach((term, t) => {
    const ratedAt = term.start + random.int(20, 50) * DAY + 15 * HOUR;
    const examAt = term.examsFrom + random.int(5, 12) * DAY + 15 * HOUR;
    const rating = { resultId: `${id}-res${t + 1}-w`, at: ratedAt };
    const exam = { resultId: `${id}-res${t + 1}-x`, at: examAt };
    if (often(1)) {
      results.push(rating);
      resultLines.push({
      kind: 'assessment-result-recorded', sourceId: `res:${rating.resultId}`, occurredAt: iso(ratedAt), resultId: rating.resultId, learnerId: id, competencies: [random.pick(EPAS), competency()],
      assessmentKind: 'wba-rating', instrument: random.pick(WBA), score: random.int(2, 5), maxScore: 5, assessedOn: dayOf(ratedAt),
      });
    }
    // an exam each term: the results over each cohort's years
    results.push(exam);
    resultLines.push({
      kind: 'assessment-result-recorded', sourceId: `res:${exam.resultId}`, occurredAt: iso(examAt), resultId: exam.resultId, learnerId: id, competencies: [school.competencies.includes('MK') ? 'MK' : competency()],
      assessmentKind: 'exam-score', instrument: random.pick(EXAMS), score: random.int(55, 99), maxScore: 100, assessedOn: dayOf(examAt),
    });
    if (t % 3 !== 2 && often(1)) {
      const assessmentId = `${id}-self${t + 1}`;
      selfLines.push({
        kind: 'self-assessment-recorded', sourceId: `self:${assessmentId}`, occurredAt: iso(term.start + random.int(3, 14) * DAY + 18 * HOUR), assessmentId, learnerId: id,
        ratings: school.competencies.map((c) => ({ competency: c, level: Math.min(5, 1 + Math.floor(t / 3) + random.int(0, 2)) })),
      });
    }
  });

  // the plan: made in the first term, revised at the start of most terms (citing goals, dialogues and results of
  // before), reviewed with the coach near the end of most terms
  const planId = `${id}-plan`;
  const planLines: HistoryLine[] = [];
  let focus = [random.pick(FOCUS)];
  terms.forEach((term, t) => {
    const revisedAt = term.start + random.int(14, 28) * DAY + 17 * HOUR;
    if (t === 0 || often(1)) {
      if (t > 0) focus = random.chance(0.5) ? [focus[focus.length - 1], random.pick(FOCUS)] : [random.pick(FOCUS)];
      const before = <T extends { at: number }>(items: T[]) => items.filter((i) => i.at < revisedAt);
      const goalIds = goals.filter((g) => g.setAt < revisedAt).slice(-2).map((g) => g.goalId);
      const cited = [
        ...before(dialogues.map((d) => ({ at: d.openedAt, kind: 'dialogue', targetId: d.dialogueId }))).slice(-1),
        ...before(results.map((r) => ({ at: r.at, kind: 'assessment-result', targetId: r.resultId }))).slice(-1),
      ].map(({ kind, targetId }) => ({ kind, targetId }));
      planLines.push({
        kind: 'plan-revised', sourceId: `plan:${planId}:rev:${t + 1}`, occurredAt: iso(revisedAt), planId, learnerId: id,
        focusAreas: [...new Set(focus)].map((title, f) => ({ focusId: `focus-${f + 1}`, title, competencies: [school.competencies[(t + f) % school.competencies.length]] })),
        goalIds, motivatedBy: cited, nextReviewDue: iso(term.end - 7 * DAY), ...(planLines.length > 0 ? { rationale: 'A new term: the ratings and my coach pointed to what comes next' } : {}),
      });
    }
    const reviewAt = term.end - random.int(7, 14) * DAY + 16 * HOUR;
    const segment = coachAt(reviewAt);
    if (planLines.length > 0 && segment && !onLeave(leave, reviewAt) && often(1)) {
      planLines.push({
        kind: 'plan-reviewed', sourceId: `plan:${planId}:review:${t + 1}`, occurredAt: iso(reviewAt), learnerId: id, reviewId: `${planId}-review${t + 1}`, reviewedBy: segment.coachId,
        whatChanged: 'Progress on the first focus area; the goal is on track.', nextSteps: ['Ask for one observed handover a week', 'Bring the next rating to our meeting'],
        nextReviewDue: iso(term.end + 40 * DAY),
      });
    }
  });
  return [...goalLines, ...dialogueLines, ...resultLines, ...selfLines, ...planLines];
}

/** How many records of each kind, for the seed's summary. */
export function countKinds(lines: HistoryLine[], into: Map<string, number> = new Map()) {
  for (const line of lines) into.set(line.kind, (into.get(line.kind) ?? 0) + 1);
  return into;
}
