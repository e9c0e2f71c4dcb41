/**
 * Demo data through the services' own HTTP commands (never their databases): one institution,
 * three schools with admins, coaching leads, committee members, coaches and learners,
 * coaching relationships, feedback dialogues and goals. Safe to run again: ids are derived from
 * names, and "already exists" answers (409) count as done.
 * Usage: node -r @swc-node/register infra/demo/seed.ts   (service URLs from IDENTITY_URL, ... or localhost defaults)
 */
import { createHash } from 'node:crypto';

const url = (name: string, port: number) => process.env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}`;
const SERVICES = { identity: url('identity', 3001), coaching: url('coaching', 3002), feedback: url('feedback', 3003), analytics: url('analytics', 3004) };
/** every demo account signs in with this password (the admin's comes from the start script) */
export const DEMO_PASSWORD = process.env['DEMO_PASSWORD'] ?? 'coaching-demo-2026';
const ADMIN_EMAIL = process.env['BOOTSTRAP_ADMIN_EMAIL'] ?? 'admin@demo-university.edu';
const ADMIN_PASSWORD = process.env['BOOTSTRAP_ADMIN_PASSWORD'] ?? DEMO_PASSWORD;

/** A stable UUID from a name, so a second run addresses the same dialogues and goals. */
const uuidFrom = (name: string) => {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

interface Caller { userId: string; role: string; schoolId: string }

const tokens = new Map<string, string>();
const emailOf = (userId: string) => (userId === 'institution-admin' ? ADMIN_EMAIL : `${userId}@demo-university.edu`);

/** Signs in once per demo person (identity may still be catching up on a new account: retry briefly). */
async function tokenOf(userId: string): Promise<string> {
  if (tokens.has(userId)) return tokens.get(userId)!;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${SERVICES.identity}/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: emailOf(userId), password: userId === 'institution-admin' ? ADMIN_PASSWORD : DEMO_PASSWORD }),
    });
    if (response.ok) {
      const { accessToken } = (await response.json()) as { accessToken: string };
      tokens.set(userId, accessToken);
      return accessToken;
    }
    if (attempt >= 20) throw new Error(`sign-in of ${userId} failed: ${response.status} ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function send(service: keyof typeof SERVICES, method: string, path: string, caller: Caller, body?: unknown, retryWhile = [422, 404]) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${SERVICES[service]}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(caller.userId)}`, 'x-school-id': caller.schoolId, 'x-acting-role': caller.role },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await response.json().catch(() => ({}));
    if (response.ok || response.status === 409) return { status: response.status, body: payload };
    // the other services learn about people and coaches through Kafka: give them a moment
    if (retryWhile.includes(response.status) && attempt < 60) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    throw new Error(`${method} ${service}${path} -> ${response.status} ${JSON.stringify(payload)}`);
  }
}

const SCHOOLS = [
  { id: 'medicine', name: 'School of Medicine', competencies: ['PC', 'MK', 'PBLI', 'ICS', 'P', 'SBP'] },
  { id: 'nursing', name: 'School of Nursing', competencies: ['PC', 'ICS', 'P', 'SBP'] },
  { id: 'dentistry', name: 'School of Dental Medicine', competencies: ['PC', 'MK', 'P'] },
];
const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena'];
const TOPICS = ['Handover on night shift', 'Breaking bad news', 'Oral case presentation', 'Time management on wards', 'Feedback from OSCE station 4'];
const GOALS = ['Lead a structured handover (SBAR)', 'Present a new patient in under five minutes', 'Write a discharge summary without corrections'];

async function seedSchool(school: (typeof SCHOOLS)[number], admin: Caller) {
  const inSchool = (userId: string, role: string): Caller => ({ userId, role, schoolId: school.id });
  await send('identity', 'POST', '/schools', admin, { schoolId: school.id, name: school.name });
  const people: Caller[] = [
    inSchool(`${school.id}-admin`, 'school-admin'),
    inSchool(`${school.id}-lead`, 'coaching-lead'),
    inSchool(`${school.id}-committee`, 'committee-member'),
    ...[1, 2, 3].map((n) => inSchool(`${school.id}-coach-${n}`, 'coach')),
    ...FIRST.map((name) => inSchool(`${school.id}-${name.toLowerCase()}`, 'learner')),
  ];
  for (const person of people) {
    await send('identity', 'POST', `/schools/${school.id}/users`, admin, {
      userId: person.userId, email: emailOf(person.userId), password: DEMO_PASSWORD, displayName: person.userId.replace(`${school.id}-`, '').replace(/^./, (c) => c.toUpperCase()), role: person.role,
    });
  }
  const lead = people[1];
  const coaches = people.filter((p) => p.role === 'coach');
  const learners = people.filter((p) => p.role === 'learner');
  const target = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);

  for (const [i, learner] of learners.entries()) {
    const coach = coaches[i % coaches.length];
    await send('coaching', 'POST', '/relationships', lead, { relationshipId: uuidFrom(`${learner.userId}:relationship`), learnerId: learner.userId, coachId: coach.userId });
    for (let d = 0; d < 1 + (i % 2); d++) {
      const dialogueId = uuidFrom(`${learner.userId}:dialogue:${d}`);
      const opened = await send('feedback', 'POST', '/dialogues', learner, {
        dialogueId, coachId: coach.userId, topic: TOPICS[(i + d) % TOPICS.length], competencies: [school.competencies[(i + d) % school.competencies.length]],
      });
      if (opened.status === 409) continue; // seeded before
      await send('feedback', 'POST', `/dialogues/${dialogueId}/entries`, learner, { text: 'What went well, what I would do differently next time.', visibility: 'shared' });
      await send('feedback', 'POST', `/dialogues/${dialogueId}/entries`, learner, { text: 'A private note to myself before we meet.', visibility: 'private' });
      await send('feedback', 'POST', `/dialogues/${dialogueId}/entries`, coach, { text: 'Agreed next step: try it on Thursday and tell me how it went.', visibility: 'shared' });
      if (d === 0 && i % 3 !== 0) await send('feedback', 'POST', `/dialogues/${dialogueId}/close`, coach);
    }
    const goalId = uuidFrom(`${learner.userId}:goal:0`);
    const set = await send('feedback', 'POST', '/goals', learner, {
      goalId, description: GOALS[i % GOALS.length], measureOfSuccess: 'Observed and confirmed by my coach', competencies: [school.competencies[i % school.competencies.length]], targetDate: target,
    });
    if (set.status === 409) continue;
    if (i % 4 === 1) await send('feedback', 'POST', `/goals/${goalId}/revisions`, learner, { description: `${GOALS[i % GOALS.length]}, twice a week`, targetDate: target, rationale: 'Rotation schedule changed' });
    if (i % 4 === 2) await send('feedback', 'POST', `/goals/${goalId}/status`, learner, { to: 'achieved', note: 'Coach observed it on the ward' });
    if (i % 4 === 3) await send('feedback', 'POST', `/goals/${goalId}/status`, learner, { to: 'deferred', note: 'Exam period first' });
  }
  return { learners: learners.length, coaches: coaches.length };
}

async function main() {
  // identity created the institution and its admin at start-up (BOOTSTRAP_ADMIN_EMAIL / _PASSWORD)
  const admin: Caller = { userId: 'institution-admin', role: 'institution-admin', schoolId: '*' };
  for (const school of SCHOOLS) {
    const counts = await seedSchool(school, { ...admin, schoolId: school.id });
    process.stdout.write(`seeded ${school.id}: ${counts.learners} learners, ${counts.coaches} coaches\n`);
  }
  const committee = { userId: 'medicine-committee', role: 'committee-member', schoolId: 'medicine' };
  const activity = await send('analytics', 'GET', '/schools/medicine/activity', committee, undefined, []);
  process.stdout.write(`analytics for medicine (may still be catching up): ${JSON.stringify(activity.body)}\n`);
}

main().catch((error) => {
  process.stderr.write(`demo seed failed: ${(error as Error).message}\n`);
  process.exit(1);
});
