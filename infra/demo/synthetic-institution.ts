/**
 * A synthetic institution built through the services' own HTTP commands (never their databases): schools with
 * admins, coaching leads, committee members, coaches and learners in cohorts graduating over four years; coaching
 * programs, relationships, learning communities and meetings; feedback dialogues with entries, goals with revisions
 * and outcomes. Deterministic for a given size and seed, and safe to run again: ids derive from names and
 * "already exists" (409) counts as done.
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
  /** requests in flight at once */
  concurrency: number;
}

export const SIZES: Record<'small' | 'large', InstitutionSize> = {
  small: { schools: 3, learnersPerSchool: 24, coachesPerSchool: 3, cohorts: 4, dialoguesPerLearner: 2, concurrency: 6 },
  large: { schools: 4, learnersPerSchool: 500, coachesPerSchool: 50, cohorts: 4, dialoguesPerLearner: 3, concurrency: 12 },
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

export interface GeneratedCounts {
  schools: number;
  learners: number;
  coaches: number;
  relationships: number;
  dialogues: number;
  goals: number;
  meetings: number;
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

/** A stable UUID from a name, so a second run addresses the same dialogues and goals. */
export const uuidFrom = (name: string) => {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A deterministic number in [0, 1) from a name and the seed. */
const chance = (seed: string, name: string) => parseInt(createHash('sha1').update(`${seed}:${name}`).digest('hex').slice(0, 8), 16) / 0x1_0000_0000;

interface Caller { userId: string; role: string; schoolId: string }

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
  const counts: GeneratedCounts = { schools: 0, learners: 0, coaches: 0, relationships: 0, dialogues: 0, goals: 0, meetings: 0, requests: 0 };
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

  /** Sends a command; 409 counts as done; 404/422 are retried while other services catch up through Kafka. */
  const send = async (service: keyof ServiceUrls, method: string, path: string, caller: Caller, body?: unknown, retryWhile = [404, 422]) => {
    for (let attempt = 1; ; attempt++) {
      counts.requests++;
      const response = await fetch(`${urls[service]}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(caller.userId)}`, 'x-school-id': caller.schoolId, 'x-acting-role': caller.role },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const payload = await response.json().catch(() => ({}));
      if (response.ok || response.status === 409) return { status: response.status, body: payload };
      if (response.status === 401 && attempt < 3) {
        tokens.delete(caller.userId); // expired during a long run
        continue;
      }
      if (retryWhile.includes(response.status) && attempt < 120) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      throw new Error(`${method} ${service}${path} -> ${response.status} ${JSON.stringify(payload)}`);
    }
  };

  const admin: Caller = { userId: 'institution-admin', role: 'institution-admin', schoolId: '*' };
  const year = new Date().getUTCFullYear();
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
    const displayName = (p: Caller) => p.userId.replace(`${school.id}-`, '').replace(/^./, (c) => c.toUpperCase());
    await inPool([...staff, ...coaches, ...learners], size.concurrency, async (person) => {
      await send('identity', 'POST', `/schools/${school.id}/users`, asAdmin, { userId: person.userId, email: emailOf(person.userId), password, displayName: displayName(person), role: person.role });
    });
    await inPool(learners, size.concurrency, async (learner, n) => {
      await send('identity', 'POST', `/users/${learner.userId}/enrollment`, asAdmin, { schoolId: school.id, cohortId: cohorts[n % cohorts.length].cohortId });
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
    }

    const target = new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10);
    const soon = new Date(Date.now() + 20 * 86_400_000);
    // a few learners (one in eight) have no coach yet: the lead's roster shows them as unassigned
    const coached = learners.filter((learner) => chance(seed, `${learner.userId}:unassigned`) >= 0.125);
    await inPool(coached, size.concurrency, async (learner, i) => {
      const coach = coaches[i % coaches.length];
      const assigned = await send('coaching', 'POST', '/relationships', lead, { relationshipId: uuidFrom(`${learner.userId}:relationship`), learnerId: learner.userId, coachId: coach.userId });
      if (assigned.status !== 409) counts.relationships++;
      const startsAt = new Date(soon.getTime() + (i % 30) * 86_400_000);
      startsAt.setUTCHours(9 + (i % 8), 0, 0, 0); // office hours, on the hour
      const meeting = await send('coaching', 'POST', '/meetings', coach, { meetingId: uuidFrom(`${learner.userId}:meeting:0`), learnerId: learner.userId, startsAt: startsAt.toISOString(), durationMinutes: 45, location: `Coaching room ${1 + (i % 6)}` });
      if (meeting.status !== 409) counts.meetings++;

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
    counts.schools++;
    counts.learners += learners.length;
    counts.coaches += coaches.length;
    log(`${school.id}: ${coached.length} coached, ${learners.length - coached.length} unassigned`);
  }
  return counts;
}
