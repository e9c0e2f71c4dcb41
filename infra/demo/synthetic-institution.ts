/**
 * A synthetic institution built through the services' own HTTP commands (never their databases): schools with
 * admins, coaching leads, committee members, coaches and learners in cohorts graduating over four years; coaching
 * programs, relationships (a few paused), learning communities and meetings (held, missed, the next one booked);
 * feedback dialogues with entries, goals with revisions and outcomes, development plans with revisions and a review
 * with the coach, assessment results imported by each school's admin, and self-assessments. Deterministic for a
 * given size and seed, and safe to run again: ids derive from names, "already exists" (409) counts as done, plan
 * revisions carry the stream version they expect (If-Match), and what has no id of its own (plan reviews,
 * self-assessments) is looked up before it is written again.
 *
 * Time: the services stamp every event with their own clock and take no date from the caller, a meeting can be
 * booked only in the future and recorded as held or missed only once it has started. So the meetings a learner has
 * "had" are booked to start a few seconds ahead and recorded after the learner's other work: they are held during
 * the seed run, not spread over the past. Only assessment results carry a past date (`assessedOn`), spread over each
 * cohort's years in the program. Cadence figures (meetings expected, relationships behind) grow as real time passes.
 */
import { createHash } from 'node:crypto';

export interface InstitutionSize {
  schools: number;
  learnersPerSchool: number;
  coachesPerSchool: number;
  /** cohorts per school, one per graduation year */
  cohorts: number;
  /** feedback dialogues per learner (at most) */
  dialoguesPerLearner: number;
  /** meetings already held or missed per coached learner (0 to this many), besides the next one booked */
  meetingsPerLearner: number;
  /** assessment results per learner in the school's import */
  assessmentsPerLearner: number;
  /** requests in flight at once */
  concurrency: number;
  /**
   * how long a command refused with 404/422 is retried while other services catch up through Kafka: at the large
   * size another service may be minutes behind (a 30 s limit failed a 2,000-learner run); a small one should fail fast
   */
  catchUpMs: number;
}

export const SIZES: Record<'small' | 'large', InstitutionSize> = {
  small: { schools: 3, learnersPerSchool: 24, coachesPerSchool: 3, cohorts: 4, dialoguesPerLearner: 2, meetingsPerLearner: 3, assessmentsPerLearner: 4, concurrency: 6, catchUpMs: 2 * 60_000 },
  large: { schools: 4, learnersPerSchool: 500, coachesPerSchool: 50, cohorts: 4, dialoguesPerLearner: 3, meetingsPerLearner: 4, assessmentsPerLearner: 6, concurrency: 12, catchUpMs: 10 * 60_000 },
};

export interface ServiceUrls {
  identity: string;
  coaching: string;
  feedback: string;
  analytics: string;
}

export interface GeneratorOptions {
  urls: ServiceUrls;
  size: InstitutionSize;
  adminEmail: string;
  adminPassword: string;
  /** every generated account's password */
  password: string;
  /** e-mail domain of generated accounts */
  domain: string;
  log?: (line: string) => void;
  /** seed of the deterministic choices (which learner gets which coach, topic, outcome) */
  seed?: string;
}

/** schools, learners and coaches: the institution's size; the others: what this run created (a second run, nothing) */
export interface GeneratedCounts {
  schools: number;
  learners: number;
  coaches: number;
  relationships: number;
  dialogues: number;
  goals: number;
  /** booked: the next meeting of every coached learner and the ones they have had */
  meetings: number;
  meetingsHeld: number;
  meetingsMissed: number;
  meetingsCancelled: number;
  pausedRelationships: number;
  planRevisions: number;
  planReviews: number;
  assessmentResults: number;
  selfAssessments: number;
  requests: number;
}

const SCHOOL_NAMES: [string, string, string[]][] = [
  ['medicine', 'School of Medicine', ['PC', 'MK', 'PBLI', 'ICS', 'P', 'SBP']],
  ['nursing', 'School of Nursing', ['PC', 'ICS', 'P', 'SBP']],
  ['dentistry', 'School of Dental Medicine', ['PC', 'MK', 'P']],
  ['pharmacy', 'School of Pharmacy', ['MK', 'ICS', 'SBP']],
  ['public-health', 'School of Public Health', ['MK', 'SBP', 'PBLI']],
];
const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena', 'Mo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rui', 'Sara', 'Tomas', 'Uma', 'Vik', 'Wen', 'Yara'];
const TOPICS = ['Handover on night shift', 'Breaking bad news', 'Oral case presentation', 'Time management on wards', 'Feedback from OSCE station 4', 'Leading a family meeting'];
const GOALS = ['Lead a structured handover (SBAR)', 'Present a new patient in under five minutes', 'Write a discharge summary without corrections', 'Run a family meeting with my supervisor observing'];

const FOCUS_AREAS = ['Structured handover', 'Clinical reasoning out loud', 'Conversations with families', 'Time management on call', 'Documentation quality'];
const AGENDA = ['Goals since we last met', 'Recent feedback and what it says', 'Development plan', 'Wellbeing and workload'];
const LEAVES = ['Parental leave', 'Research year', 'Leave of absence'];
/** EPAs rated in the workplace: history and physical, differential diagnosis, documentation, oral presentation, handover, team */
const RATED_EPAS = ['EPA-1', 'EPA-2', 'EPA-5', 'EPA-6', 'EPA-8', 'EPA-9'];
const WBA_INSTRUMENTS = ['Mini-CEX', 'EPA entrustment (Chen scale)', 'Direct observation'];
const EXAMS = ['Written exam', 'OSCE', 'Subject exam'];
const ASSESSMENT_COLUMNS = ['learnerId', 'competency', 'kind', 'instrument', 'score', 'maxScore', 'assessedOn'] as const;
/** an assessment file holds at most 5,000 rows; smaller files keep each import (one append) small */
const ROWS_PER_ASSESSMENT_FILE = 500;
const DAY = 86_400_000;

/** A stable UUID from a name, so a second run addresses the same dialogues and goals. */
export const uuidFrom = (name: string) => {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A deterministic number in [0, 1) from a name and the seed. */
const chance = (seed: string, name: string) => parseInt(createHash('sha1').update(`${seed}:${name}`).digest('hex').slice(0, 8), 16) / 0x1_0000_0000;

interface Caller { userId: string; role: string; schoolId: string }

export type AssessmentResultRow = Record<(typeof ASSESSMENT_COLUMNS)[number], string>;

/**
 * Each learner's results as the school's assessment office exports them: workplace-based ratings of an EPA and a
 * school competency (1-5) and exam scores (out of 100), dated over the years the learner's cohort has been in the
 * program (four years to graduation), never after yesterday.
 */
export function assessmentRows(seed: string, competencies: string[], learners: { learnerId: string; graduationYear: number }[], perLearner: number, now: number): AssessmentResultRow[] {
  const year = new Date(now).getUTCFullYear();
  return learners.flatMap(({ learnerId, graduationYear }) => {
    const yearsIn = Math.min(4, Math.max(1, 4 - (graduationYear - year - 1)));
    const span = 100 + 365 * (yearsIn - 1);
    return Array.from({ length: perLearner }, (_, r) => {
      const roll = (what: string) => chance(seed, `${learnerId}:result:${r}:${what}`);
      const assessedOn = new Date(now - (1 + Math.floor(roll('day') * span)) * DAY).toISOString().slice(0, 10);
      const competency = competencies[Math.floor(roll('competency') * competencies.length)];
      return r % 2 === 0
        ? {
          learnerId, competency: `${RATED_EPAS[Math.floor(roll('epa') * RATED_EPAS.length)]};${competency}`, kind: 'wba-rating',
          instrument: WBA_INSTRUMENTS[Math.floor(roll('instrument') * WBA_INSTRUMENTS.length)], score: String(2 + Math.floor(roll('score') * 4)), maxScore: '5', assessedOn,
        }
        : {
          learnerId, competency: competencies.includes('MK') ? 'MK' : competency, kind: 'exam-score',
          instrument: EXAMS[Math.floor(roll('instrument') * EXAMS.length)], score: String(55 + Math.floor(roll('score') * 45)), maxScore: '100', assessedOn,
        };
    });
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inPool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  }));
}

export async function generateInstitution(options: GeneratorOptions): Promise<GeneratedCounts> {
  const { urls, size, domain, password } = options;
  const seed = options.seed ?? 'cbme';
  const log = options.log ?? (() => undefined);
  // a large school takes minutes per phase: say how far it has got, a tenth at a time
  const ticker = (label: string, total: number) => {
    let done = 0;
    const step = Math.ceil(total / 10);
    return () => {
      done++;
      if (total >= 200 && done % step === 0 && done < total) log(`${label} ${done}/${total} (${counts.requests} requests so far)`);
    };
  };
  const counts: GeneratedCounts = {
    schools: 0, learners: 0, coaches: 0, relationships: 0, dialogues: 0, goals: 0, meetings: 0, meetingsHeld: 0, meetingsMissed: 0, meetingsCancelled: 0,
    pausedRelationships: 0, planRevisions: 0, planReviews: 0, assessmentResults: 0, selfAssessments: 0, requests: 0,
  };
  const tokens = new Map<string, Promise<string>>();
  const emailOf = (userId: string) => (userId === 'institution-admin' ? options.adminEmail : `${userId}@${domain}`);

  const signIn = async (userId: string): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      counts.requests++;
      const response = await fetch(`${urls.identity}/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: emailOf(userId), password: userId === 'institution-admin' ? options.adminPassword : password }),
      });
      if (response.ok) return ((await response.json()) as { accessToken: string }).accessToken;
      if (attempt >= 40) throw new Error(`sign-in of ${userId} failed: ${response.status} ${await response.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const tokenOf = (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, signIn(userId));
    return tokens.get(userId)!;
  };

  /**
   * Sends a command; 409 counts as done; 404/422 are retried while other services catch up through Kafka.
   * A body given as a function is made anew for each attempt (a start time just ahead of the clock).
   */
  const send = async (service: keyof ServiceUrls, method: string, path: string, caller: Caller, body?: unknown, headers: Record<string, string> = {}) => {
    const deadline = Date.now() + size.catchUpMs;
    let renewals = 0;
    for (let attempt = 1; ; attempt++) {
      counts.requests++;
      const payload = typeof body === 'function' ? body() : body;
      const response = await fetch(`${urls[service]}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(caller.userId)}`, 'x-school-id': caller.schoolId, 'x-acting-role': caller.role, ...headers },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok || response.status === 409) return { status: response.status, body: answer };
      if (response.status === 401 && renewals++ < 2) {
        tokens.delete(caller.userId); // expired during a long run
        continue;
      }
      if ((response.status === 404 || response.status === 422) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 250 * attempt)));
        continue;
      }
      throw new Error(`${method} ${service}${path} -> ${response.status} ${JSON.stringify(answer)}`);
    }
  };
  const created = (result: { status: number }) => result.status !== 409;

  /** The school admin's assessment files; returns each learner's first result id (`<importId>.<line>`), for their plan to cite. */
  const importAssessments = async (schoolAdmin: Caller, rows: AssessmentResultRow[]) => {
    const firstResult = new Map<string, string>();
    for (let from = 0, file = 1; from < rows.length; from += ROWS_PER_ASSESSMENT_FILE, file++) {
      const part = rows.slice(from, from + ROWS_PER_ASSESSMENT_FILE);
      const importId = uuidFrom(`${schoolAdmin.schoolId}:assessments:${file}`);
      const csv = [ASSESSMENT_COLUMNS.join(','), ...part.map((row) => ASSESSMENT_COLUMNS.map((column) => row[column]).join(','))].join('\n');
      const imported = await send('feedback', 'POST', '/assessment-results/imports', schoolAdmin, { importId, csv, fileName: `${schoolAdmin.schoolId}-assessments-${file}.csv` });
      if (created(imported)) counts.assessmentResults += part.length;
      part.forEach((row, r) => firstResult.has(row.learnerId) || firstResult.set(row.learnerId, `${importId}.${r + 2}`)); // line 1 is the header
    }
    return firstResult;
  };

  /** The meetings a learner has had with the coach: booked to start a few seconds ahead, recorded by `recordMeetingsHad`. */
  const meetingsHadBy = (learner: Caller) =>
    Array.from({ length: Math.floor(chance(seed, `${learner.userId}:meetings-had`) * (size.meetingsPerLearner + 1)) }, (_, m) => uuidFrom(`${learner.userId}:meeting:${m + 1}`));
  const bookMeetingsHad = async (learner: Caller, coach: Caller, room: number) => {
    for (const meetingId of meetingsHadBy(learner)) {
      const startsAt = () => new Date(Math.ceil(Date.now() / 1000) * 1000 + 3000).toISOString(); // a meeting is booked only in the future
      const booked = await send('coaching', 'POST', '/meetings', coach, () => ({ meetingId, learnerId: learner.userId, startsAt: startsAt(), durationMinutes: 30, location: `Coaching room ${room}` }));
      if (created(booked)) counts.meetings++;
    }
  };
  /** Most were held (the coach's notes), some missed; a meeting that has not started yet answers 422 and is retried. */
  const recordMeetingsHad = async (learner: Caller, coach: Caller) => {
    for (const meetingId of meetingsHadBy(learner)) {
      const missed = chance(seed, `${meetingId}:missed`) < 0.15;
      const recorded = missed
        ? await send('coaching', 'POST', `/meetings/${meetingId}/missed`, coach, { reason: 'Called away to an emergency on the ward' })
        : await send('coaching', 'POST', `/meetings/${meetingId}/held`, coach, {
          agenda: AGENDA.slice(0, 2 + Math.floor(chance(seed, `${meetingId}:agenda`) * (AGENDA.length - 1))),
          notes: [
            { text: 'We went through the goal and the latest feedback, and agreed the next step before we meet again.', visibility: 'shared-with-learner' },
            ...(chance(seed, `${meetingId}:private-note`) < 0.3 ? [{ text: 'Seems tired; ask about workload next time.', visibility: 'coach-only' }] : []),
          ],
        });
      if (created(recorded)) counts[missed ? 'meetingsMissed' : 'meetingsHeld']++;
    }
  };

  /**
   * The learner's development plan: a first version citing their goal, first dialogue and (for some) an assessment
   * result; for half a revision that says why; for most a review with the coach. Revisions carry the version they
   * expect, so a second run gets 409; then the plan is read to see whether the review was recorded. Returns whether
   * this learner's plan was written before (a second run).
   */
  const writePlan = async (learner: Caller, coach: Caller, competencies: string[], resultId: string | undefined) => {
    const key = learner.userId;
    const due = (days: number) => new Date(Date.now() + days * DAY).toISOString();
    const c = Math.floor(chance(seed, `${key}:plan`) * competencies.length);
    const first = { focusId: 'focus-1', title: FOCUS_AREAS[c % FOCUS_AREAS.length], competencies: [competencies[c]] };
    const cites = {
      goalIds: [uuidFrom(`${key}:goal:0`)],
      motivatedBy: [{ kind: 'dialogue', targetId: uuidFrom(`${key}:dialogue:0`) }, ...(resultId && chance(seed, `${key}:plan-cites-result`) < 0.5 ? [{ kind: 'assessment-result', targetId: resultId }] : [])],
    };
    const versions: Record<string, unknown>[] = [{ focusAreas: [first], ...cites, nextReviewDue: due(90) }];
    if (chance(seed, `${key}:plan-revised`) < 0.5) {
      const epa = RATED_EPAS[c % RATED_EPAS.length];
      versions.push({ focusAreas: [first, { focusId: 'focus-2', title: `Entrustment for ${epa}`, competencies: [epa] }], ...cites, nextReviewDue: due(60), rationale: 'The workplace-based ratings showed where to focus next' });
    }
    let again = false;
    for (const [expected, version] of versions.entries()) {
      const revised = await send('feedback', 'POST', '/plan/revisions', learner, version, { 'if-match': String(expected) });
      if (created(revised)) counts.planRevisions++;
      else again = true;
    }
    if (chance(seed, `${key}:plan-reviewed`) >= 0.7) return again;
    const plan = again ? (await send('feedback', 'GET', `/learners/${key}/plan`, learner)).body as { reviews?: unknown[] } : {};
    const reviewed = (plan.reviews ?? []).length > 0;
    if (reviewed) return again;
    await send('feedback', 'POST', `/learners/${key}/plan/reviews`, coach, {
      whatChanged: 'Progress on the first focus area; the goal is on track.', nextSteps: ['Ask for one observed handover a week', 'Bring the next rating to our meeting'], nextReviewDue: due(120),
    });
    counts.planReviews++;
    return again;
  };

  /** Half the learners rate themselves on their school's competencies (read first on a second run: these have no If-Match). */
  const selfAssess = async (learner: Caller, competencies: string[], again: boolean) => {
    if (chance(seed, `${learner.userId}:self-assessed`) >= 0.5) return;
    const assessmentId = uuidFrom(`${learner.userId}:self-assessment:0`);
    const recorded = again ? (await send('feedback', 'GET', `/learners/${learner.userId}/self-assessments`, learner)).body as { selfAssessments?: { assessmentId: string }[] } : {};
    if ((recorded.selfAssessments ?? []).some((a) => a.assessmentId === assessmentId)) return;
    const ratings = competencies.map((competency) => ({ competency, level: 1 + Math.floor(chance(seed, `${assessmentId}:${competency}`) * 4) }));
    await send('feedback', 'POST', '/self-assessments', learner, { assessmentId, ratings });
    counts.selfAssessments++;
  };

  /** A learner on leave: the lead pauses the relationship and the coach cancels the next meeting. */
  const goOnLeave = async (learner: Caller, lead: Caller, coach: Caller) => {
    const reason = LEAVES[Math.floor(chance(seed, `${learner.userId}:leave-reason`) * LEAVES.length)];
    if (created(await send('coaching', 'POST', `/learners/${learner.userId}/coaching/pause`, lead, { reason }))) counts.pausedRelationships++;
    if (created(await send('coaching', 'POST', `/meetings/${uuidFrom(`${learner.userId}:meeting:0`)}/cancel`, coach, { reason }))) counts.meetingsCancelled++;
  };

  const admin: Caller = { userId: 'institution-admin', role: 'institution-admin', schoolId: '*' };
  const now = Date.now();
  const year = new Date(now).getUTCFullYear();
  const schools = Array.from({ length: size.schools }, (_, i) => {
    const [id, name, competencies] = SCHOOL_NAMES[i % SCHOOL_NAMES.length];
    return i < SCHOOL_NAMES.length ? { id, name, competencies } : { id: `${id}-${i}`, name: `${name} ${i}`, competencies };
  });

  for (const school of schools) {
    const asAdmin = { ...admin, schoolId: school.id };
    const inSchool = (userId: string, role: string): Caller => ({ userId, role, schoolId: school.id });
    await send('identity', 'POST', '/schools', asAdmin, { schoolId: school.id, name: school.name });
    const cohorts = Array.from({ length: size.cohorts }, (_, c) => ({ cohortId: `${school.id}-${year + 1 + c}`, graduationYear: year + 1 + c }));
    for (const cohort of cohorts) await send('identity', 'POST', `/schools/${school.id}/cohorts`, asAdmin, { ...cohort, program: school.name });

    const staff = [inSchool(`${school.id}-admin`, 'school-admin'), inSchool(`${school.id}-lead`, 'coaching-lead'), inSchool(`${school.id}-committee`, 'committee-member')];
    const coaches = Array.from({ length: size.coachesPerSchool }, (_, n) => inSchool(`${school.id}-coach-${n + 1}`, 'coach'));
    const learners = Array.from({ length: size.learnersPerSchool }, (_, n) => {
      const first = FIRST[n % FIRST.length];
      return inSchool(`${school.id}-${first.toLowerCase()}${n < FIRST.length ? '' : `-${Math.floor(n / FIRST.length) + 1}`}`, 'learner');
    });
    const cohortOf = (n: number) => cohorts[n % cohorts.length];
    const displayName = (p: Caller) => p.userId.replace(`${school.id}-`, '').replace(/^./, (c) => c.toUpperCase());
    await inPool([...staff, ...coaches, ...learners], size.concurrency, async (person) => {
      await send('identity', 'POST', `/schools/${school.id}/users`, asAdmin, { userId: person.userId, email: emailOf(person.userId), password, displayName: displayName(person), role: person.role });
    });
    await inPool(learners, size.concurrency, async (learner, n) => {
      await send('identity', 'POST', `/users/${learner.userId}/enrollment`, asAdmin, { schoolId: school.id, cohortId: cohortOf(n).cohortId });
    });
    log(`${school.id}: ${learners.length} learners in ${cohorts.length} cohorts, ${coaches.length} coaches`);

    const lead = staff[1];
    const capacity = Math.ceil(learners.length / coaches.length) + 1;
    await send('coaching', 'PUT', '/program', lead, { meetingCadenceDays: 56, defaultCoachCapacity: capacity });
    const houses = Math.max(1, Math.ceil(coaches.length / 4));
    for (let h = 0; h < houses; h++) {
      const communityId = `${school.id}-house-${h + 1}`;
      await send('coaching', 'POST', '/communities', lead, { communityId, name: `House ${['Osler', 'Nightingale', 'Blackwell', 'Snow', 'Apgar', 'Lister'][h % 6]}${h >= 6 ? ` ${h + 1}` : ''}` });
      for (const coach of coaches.filter((_, c) => c % houses === h)) await send('coaching', 'POST', `/communities/${communityId}/coaches`, lead, { coachId: coach.userId });
      // the house's next sessions: a coach meeting next week, faculty development in three weeks
      for (const [n, kind, title, days] of [[0, 'coach-meeting', 'Case review', 7], [1, 'faculty-development', 'Feedback that lands', 21]] as const) {
        const startsAt = new Date(now + days * DAY);
        startsAt.setUTCHours(16, 0, 0, 0);
        await send('coaching', 'POST', `/communities/${communityId}/sessions`, lead, { sessionId: uuidFrom(`${communityId}:session:${n}`), kind, title, startsAt: startsAt.toISOString(), durationMinutes: 60, location: 'Seminar room 2' });
      }
    }

    const target = new Date(now + 150 * DAY).toISOString().slice(0, 10);
    const soon = new Date(now + 20 * DAY);
    // a few learners (one in eight) have no coach yet: the lead's roster shows them as unassigned
    const coached = learners.filter((learner) => chance(seed, `${learner.userId}:unassigned`) >= 0.125);
    const coachOf = (i: number) => coaches[i % coaches.length];
    const assignedTick = ticker(`${school.id}: relationships, meetings, dialogues and goals`, coached.length);
    await inPool(coached, size.concurrency, async (learner, i) => {
      assignedTick();
      const coach = coachOf(i);
      const assigned = await send('coaching', 'POST', '/relationships', lead, { relationshipId: uuidFrom(`${learner.userId}:relationship`), learnerId: learner.userId, coachId: coach.userId });
      if (created(assigned)) counts.relationships++;
      const startsAt = new Date(soon.getTime() + (i % 30) * DAY);
      startsAt.setUTCHours(9 + (i % 8), 0, 0, 0); // office hours, on the hour
      const meeting = await send('coaching', 'POST', '/meetings', coach, { meetingId: uuidFrom(`${learner.userId}:meeting:0`), learnerId: learner.userId, startsAt: startsAt.toISOString(), durationMinutes: 45, location: `Coaching room ${1 + (i % 6)}` });
      if (created(meeting)) counts.meetings++;
      await bookMeetingsHad(learner, coach, 1 + (i % 6));

      const dialogues = 1 + Math.floor(chance(seed, `${learner.userId}:dialogues`) * size.dialoguesPerLearner);
      for (let d = 0; d < dialogues; d++) {
        const dialogueId = uuidFrom(`${learner.userId}:dialogue:${d}`);
        const opened = await send('feedback', 'POST', '/dialogues', learner, {
          dialogueId, coachId: coach.userId, topic: TOPICS[(i + d) % TOPICS.length], competencies: [school.competencies[(i + d) % school.competencies.length]],
        });
        if (opened.status === 409) continue; // generated before
        counts.dialogues++;
        await send('feedback', 'POST', `/dialogues/${dialogueId}/entries`, learner, { text: 'What went well, what I would do differently next time.', visibility: 'shared' });
        if (chance(seed, `${dialogueId}:private`) < 0.5) await send('feedback', 'POST', `/dialogues/${dialogueId}/entries`, learner, { text: 'A private note to myself before we meet.', visibility: 'private' });
        if (chance(seed, `${dialogueId}:answered`) < 0.8) {
          await send('feedback', 'POST', `/dialogues/${dialogueId}/entries`, coach, { text: 'Agreed next step: try it on Thursday and tell me how it went.', visibility: 'shared' });
          if (chance(seed, `${dialogueId}:closed`) < 0.6) await send('feedback', 'POST', `/dialogues/${dialogueId}/close`, coach);
        }
      }

      const goalId = uuidFrom(`${learner.userId}:goal:0`);
      const set = await send('feedback', 'POST', '/goals', learner, {
        goalId, description: GOALS[i % GOALS.length], measureOfSuccess: 'Observed and confirmed by my coach',
        competencies: [school.competencies[i % school.competencies.length]], targetDate: target,
      });
      if (set.status === 409) return;
      counts.goals++;
      const outcome = chance(seed, `${goalId}:outcome`);
      if (outcome < 0.25) await send('feedback', 'POST', `/goals/${goalId}/revisions`, learner, { description: `${GOALS[i % GOALS.length]}, twice a week`, targetDate: target, rationale: 'Rotation schedule changed' });
      else if (outcome < 0.55) await send('feedback', 'POST', `/goals/${goalId}/status`, learner, { to: 'achieved', note: 'Coach observed it on the ward' });
      else if (outcome < 0.65) await send('feedback', 'POST', `/goals/${goalId}/status`, learner, { to: 'deferred', note: 'Exam period first' });
      else if (outcome < 0.7) await send('feedback', 'POST', `/goals/${goalId}/status`, learner, { to: 'abandoned', note: 'No longer relevant after the rotation change' });
    });

    // by now feedback knows the school's learners (their dialogues were accepted): the admin imports their results
    const rows = assessmentRows(seed, school.competencies, learners.map((learner, n) => ({ learnerId: learner.userId, graduationYear: cohortOf(n).graduationYear })), size.assessmentsPerLearner, now);
    const firstResultOf = await importAssessments(staff[0], rows);

    // then plans, self-assessments, the meetings they have had (started by now), and a few leaves
    const planTick = ticker(`${school.id}: plans, self-assessments and meetings had`, coached.length);
    await inPool(coached, size.concurrency, async (learner, i) => {
      planTick();
      const coach = coachOf(i);
      const again = await writePlan(learner, coach, school.competencies, firstResultOf.get(learner.userId));
      await selfAssess(learner, school.competencies, again);
      await recordMeetingsHad(learner, coach);
      if (chance(seed, `${learner.userId}:leave`) < 1 / 12) await goOnLeave(learner, lead, coach);
    });
    counts.schools++;
    counts.learners += learners.length;
    counts.coaches += coaches.length;
    log(`${school.id}: ${coached.length} coached, ${learners.length - coached.length} unassigned; ${rows.length} assessment results`);
  }
  return counts;
}
