/**
 * The demo institution, seeded: people and structure through identity's and coaching's commands (schools, cohorts,
 * staff and a few learners and coaches with the demo password, the rest by roster CSV; the programme, learning
 * communities and their next sessions), and everything dated through the history imports of coaching and feedback
 * (history-generator.ts writes the files). Idempotent: identity's 409s count as done, the roster skips accounts that
 * exist, and the imports recognise every record by its sourceId.
 *
 * Order matters across services: coaching validates learners and coaches against what it learned from identity's
 * events, feedback validates coaches against coaching's relationships, and the dashboard reads analytics, which
 * learns all of it through Kafka. Between the steps the seed waits until the readers have caught up (each source's
 * relay at its store's head, then the reader's inbox projections at their head and no longer growing).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countKinds, HistoryLine, institution, InstitutionSize, Person, School, schoolHistory } from './history-generator';

export interface ServiceUrls { identity: string; coaching: string; feedback: string; analytics: string }

export interface SeedOptions {
  urls: ServiceUrls;
  size: InstitutionSize;
  adminEmail: string;
  adminPassword: string;
  /** every named account's password */
  password: string;
  domain: string;
  /** where the import files are written (git-ignored) */
  dir: string;
  seed?: string;
  /** the end of the history (default: the moment the seed starts) */
  now?: number;
  log?: (line: string) => void;
}

export interface SeedResult {
  schools: number;
  learners: number;
  coaches: number;
  /** records of each kind in the files */
  kinds: Record<string, number>;
  /** records applied by this run (each becomes an event), and those found imported before */
  imported: { coaching: number; feedback: number; alreadyImported: number };
  /** seconds per phase */
  seconds: { generate: number; identity: number; coachingImport: number; waitForFeedback: number; feedbackImport: number; waitForAnalytics: number; total: number };
  eventsPerSecond: number;
  requests: number;
  /** per school, the learner who asked for feedback today (seedToday) */
  askingToday: Record<string, string>;
}

type Caller = { email: string; password: string; role: string; schoolId: string };
/** roster rows per request: a part is imported row by row, so parts in parallel finish sooner than one file */
const ROSTER_PART = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `limit` in flight. */
async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

export async function seedInstitution(options: SeedOptions): Promise<SeedResult> {
  const { urls, size, domain } = options;
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 'cbme';
  const now = options.now ?? Date.now();
  const started = performance.now();
  const since = (t: number) => Math.round((performance.now() - t) / 100) / 10;
  let requests = 0;

  const tokens = new Map<string, Promise<string>>();
  const signIn = async (email: string, password: string): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      requests++;
      const response = await fetch(`${urls.identity}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      if (response.ok) return ((await response.json()) as { accessToken: string }).accessToken;
      // a just-registered account is signed in as soon as identity has it; a 429 waits out the limit
      if (attempt >= 40) throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
      await sleep(250 * Math.min(attempt, 8));
    }
  };
  const tokenOf = (caller: Caller) => {
    const token = tokens.get(caller.email) ?? signIn(caller.email, caller.password);
    tokens.set(caller.email, token);
    return token;
  };
  /** One request; 409 counts as done; 404/422 are retried for a while (another service catching up through Kafka). */
  const send = async (service: keyof ServiceUrls, method: string, path: string, caller: Caller, body?: unknown, extra: { headers?: Record<string, string>; raw?: string; retryFor?: number } = {}) => {
    const deadline = Date.now() + (extra.retryFor ?? 60_000);
    for (let attempt = 1; ; attempt++) {
      requests++;
      const response = await fetch(`${urls[service]}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(caller)}`, 'x-school-id': caller.schoolId, 'x-acting-role': caller.role, ...extra.headers },
        body: extra.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok || response.status === 409) return { status: response.status, body: answer };
      if (response.status === 401 && attempt <= 2) {
        tokens.delete(caller.email); // expired during a long run
        continue;
      }
      if ((response.status === 404 || response.status === 422) && Date.now() < deadline) {
        await sleep(Math.min(2_000, 250 * attempt));
        continue;
      }
      throw new Error(`${method} ${service}${path} -> ${response.status} ${JSON.stringify(answer).slice(0, 2000)}`);
    }
  };

  const admin: Caller = { email: options.adminEmail, password: options.adminPassword, role: 'institution-admin', schoolId: '*' };
  /** each reader's projections against their heads, as an institution admin sees them */
  const projections = async (service: keyof ServiceUrls) => (await send(service, 'GET', '/admin/projections', admin)).body as { name: string; source: 'events' | 'inbox'; position: number; head: number }[];
  /**
   * Waits until `reader` has everything `sources` stored so far: each source's relay has published up to its head,
   * then the reader's inbox projections are at their head and the inbox stopped growing (Kafka has delivered).
   */
  const caughtUp = async (reader: keyof ServiceUrls, sources: (keyof ServiceUrls)[]) => {
    const t = performance.now();
    for (const source of sources) {
      for (;;) {
        const relay = (await projections(source)).find((p) => p.name.includes('relay'));
        if (!relay || relay.position >= relay.head) break;
        await sleep(500);
      }
    }
    let steady = 0;
    let lastHead = -1;
    while (steady < 3) {
      const inbox = (await projections(reader)).filter((p) => p.source === 'inbox');
      const head = Math.max(0, ...inbox.map((p) => p.head));
      steady = inbox.every((p) => p.position >= p.head) && head === lastHead ? steady + 1 : 0;
      lastHead = head;
      await sleep(500);
    }
    log(`${reader} caught up with ${sources.join(', ')} (${since(t)} s)`);
  };

  // ---- structure, through identity and coaching's commands ----
  const tGenerate = performance.now();
  const schools = institution(size, domain, now);
  const histories = schools.map((school) => ({ school, ...schoolHistory(school, size, seed, now) }));
  const generateSeconds = since(tGenerate);
  const kinds = new Map<string, number>();
  for (const h of histories) countKinds([...h.coaching, ...h.feedback], kinds);
  log(`generated ${[...kinds.values()].reduce((a, b) => a + b, 0)} records in ${generateSeconds} s`);

  const tIdentity = performance.now();
  const inSchool = (school: School, person: Person, role: string): Caller => ({ email: person.email, password: options.password, role, schoolId: school.id });
  // the schools side by side: each step waits on identity's store more than on the processor
  await Promise.all(schools.map(async (school) => {
    const asAdmin = { ...admin, schoolId: school.id };
    await send('identity', 'POST', '/schools', asAdmin, { schoolId: school.id, name: school.name });
    for (const cohort of school.cohorts) await send('identity', 'POST', `/schools/${school.id}/cohorts`, asAdmin, { cohortId: cohort.cohortId, graduationYear: cohort.graduationYear, program: school.name });
    const named: [Person, string][] = [
      [school.staff.admin, 'school-admin'], [school.staff.lead, 'coaching-lead'], [school.staff.committee, 'committee-member'],
      ...school.coaches.filter((c) => c.named).map((c): [Person, string] => [c, 'coach']),
      ...school.learners.filter((l) => l.named).map((l): [Person, string] => [l, 'learner']),
    ];
    await inPool(named, size.concurrency, async ([person, role]) => {
      await send('identity', 'POST', `/schools/${school.id}/users`, asAdmin, { userId: person.userId, email: person.email, password: options.password, displayName: person.displayName, role });
    });
    await inPool(school.learners.filter((l) => l.named), size.concurrency, async (learner) => {
      await send('identity', 'POST', `/users/${learner.userId}/enrollment`, asAdmin, { schoolId: school.id, cohortId: learner.cohortId });
    });
    // the rest by roster, in parts: each part is one request (accounts that exist are skipped on a second run)
    const rows = [
      ...school.coaches.filter((c) => !c.named).map((c) => `${c.email},${c.displayName},coach,`),
      ...school.learners.filter((l) => !l.named).map((l) => `${l.email},${l.displayName},learner,${l.cohortId}`),
    ];
    const parts = Array.from({ length: Math.ceil(rows.length / ROSTER_PART) }, (_, p) => rows.slice(p * ROSTER_PART, (p + 1) * ROSTER_PART));
    await inPool(parts, 3, async (part) => {
      const result = (await send('identity', 'POST', `/schools/${school.id}/roster`, asAdmin, { csv: ['email,displayName,role,cohortId', ...part].join('\n'), validRowsOnly: true })).body as { errors: { line: number; reasons: string[] }[] };
      const refused = result.errors.filter((e) => !e.reasons.every((r) => r.endsWith('already has an account')));
      if (refused.length > 0) throw new Error(`roster of ${school.id} refused: ${JSON.stringify(refused.slice(0, 5))}`);
    });
    log(`${school.id}: ${school.learners.length} learners in ${school.cohorts.length} cohorts, ${school.coaches.length} coaches`);
  }));
  await caughtUp('coaching', ['identity']);
  await Promise.all(schools.map(async (school) => {
    const lead = inSchool(school, school.staff.lead, 'coaching-lead');
    await send('coaching', 'PUT', '/program', lead, { meetingCadenceDays: size.cadenceDays, defaultCoachCapacity: Math.ceil(school.learners.length / school.coaches.length) + 2 });
    for (const community of school.communities) {
      await send('coaching', 'POST', '/communities', lead, { communityId: community.communityId, name: community.name });
      await inPool(community.coachIds, size.concurrency, async (coachId) => {
        await send('coaching', 'POST', `/communities/${community.communityId}/coaches`, lead, { coachId });
      });
      // the house's next sessions (a session is booked only ahead): a coach meeting next week, faculty development in three
      for (const [n, kind, title, days] of [[0, 'coach-meeting', 'Case review', 7], [1, 'faculty-development', 'Feedback that lands', 21]] as const) {
        const startsAt = new Date(Math.floor(now / 86_400_000 + days) * 86_400_000 + 16 * 3_600_000).toISOString();
        await send('coaching', 'POST', `/communities/${community.communityId}/sessions`, lead, { sessionId: uuidFrom(`${community.communityId}:session:${dayKey(now)}:${n}`), kind, title, startsAt, durationMinutes: 60, location: 'Seminar room 2' });
      }
    }
  }));
  const identitySeconds = since(tIdentity);

  // ---- everything dated, through the history imports ----
  mkdirSync(options.dir, { recursive: true });
  const imported = { coaching: 0, feedback: 0, alreadyImported: 0 };
  /** Uploads each school's file (one validates while the previous one's job applies), then follows every job. */
  const importAll = async (service: 'coaching' | 'feedback', linesOf: (h: (typeof histories)[number]) => HistoryLine[]) => {
    const jobs: { school: School; importId: string; admin: Caller }[] = [];
    for (const history of histories) {
      const lines = linesOf(history);
      if (lines.length === 0) continue;
      const file = join(options.dir, `${history.school.id}.${service}.jsonl`);
      const text = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
      writeFileSync(file, text);
      const schoolAdmin = inSchool(history.school, history.school.staff.admin, 'school-admin');
      const t = performance.now();
      const answer = await uploadHistory(service, schoolAdmin, text, file);
      log(answer.lines === undefined
        ? `${service} ${history.school.id}: still being validated after ${since(t)} s (its job goes on)`
        : `${service} ${history.school.id}: ${answer.lines} records validated in ${since(t)} s (${answer.valid} to apply, ${answer.alreadyImported} imported before)`);
      jobs.push({ school: history.school, importId: answer.importId, admin: schoolAdmin });
    }
    for (const job of jobs) {
      let reported = 0;
      for (;;) {
        const status = (await send(service, 'GET', `/history-imports/${job.importId}`, job.admin)).body as {
          state: string; phase: string; progress: { processed: number; total: number; applied: number; alreadyImported: number; failed: number }; errors: unknown[]; failedReason: string | null;
        };
        if (status.phase === 'invalid') throw new Error(`${service} history of ${job.school.id} refused: ${JSON.stringify(status.errors.slice(0, 5))}`);
        if (status.state === 'failed') throw new Error(`${service} import of ${job.school.id} failed: ${status.failedReason}`);
        if (status.state === 'completed') {
          if (status.progress.failed > 0) throw new Error(`${service} import of ${job.school.id}: ${status.progress.failed} records failed: ${JSON.stringify(status.errors.slice(0, 5))}`);
          imported[service] += status.progress.applied;
          imported.alreadyImported += status.progress.alreadyImported;
          log(`${service} ${job.school.id}: ${status.progress.applied} applied, ${status.progress.alreadyImported} imported before`);
          break;
        }
        if (status.progress.processed - reported >= Math.max(200, status.progress.total / 10)) {
          reported = status.progress.processed;
          log(`${service} ${job.school.id}: ${status.progress.processed}/${status.progress.total}`);
        }
        await sleep(1_000);
      }
    }
  };
  /**
   * POST /history-imports; a 422 whose every reason is a person or a coach the service has not heard of yet is the
   * Kafka lag the waits above should have covered: retried a few times, anything else is the generator's bug.
   */
  const uploadHistory = async (service: 'coaching' | 'feedback', caller: Caller, text: string, file: string) => {
    for (let attempt = 1; ; attempt++) {
      requests++;
      const response = await fetch(`${urls[service]}/history-imports`, {
        method: 'POST', body: text,
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${await tokenOf(caller)}`, 'x-school-id': caller.schoolId, 'x-acting-role': caller.role },
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 202) return answer as { importId: string; lines?: number; valid?: number; alreadyImported?: number };
      const details = (answer as { details?: { line: number; reasons: string[] }[] }).details ?? [];
      const lagging = response.status === 422 && details.every((d) => d.reasons.every((r) => /^unknown (learner|coach)|not the (current )?coach/.test(r)));
      if (lagging && attempt < 5) {
        log(`${service}: ${details.length} lines name people it has not heard of yet; again in ${attempt * 5} s`);
        await sleep(attempt * 5_000);
        continue;
      }
      throw new Error(`${service} history import of ${file} -> ${response.status} ${JSON.stringify(answer).slice(0, 3000)}`);
    }
  };

  /** One request, not retried: whether the thing is there (a second run skips what the first made). */
  const exists = async (service: keyof ServiceUrls, path: string, caller: Caller) => {
    requests++;
    const response = await fetch(`${urls[service]}${path}`, { headers: { authorization: `Bearer ${await tokenOf(caller)}`, 'x-school-id': caller.schoolId, 'x-acting-role': caller.role } });
    return response.ok;
  };
  /**
   * What people are in the middle of today, which the history files have no records for: coaches' own development
   * plans, one reviewed by a peer and one awaiting its review, and learners' requests for feedback, one answered by a
   * colleague and one still open with their coach.
   */
  const askingToday: Record<string, string> = {};
  const seedToday = async (school: School) => {
    const [first, second] = school.coaches.filter((c) => c.named);
    const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString().slice(0, 10);
    const plans: [Person, Person, { area: string; title: string }[]][] = [
      [first, second, [{ area: 'feedback-conversations', title: 'Ask the learner to judge their own work before I give mine' }, { area: 'wellbeing', title: 'Notice signs of overload early in the rotation' }]],
      [second, first, [{ area: 'inclusive-language', title: 'Notice my own assumptions when I give feedback' }, { area: 'quality-improvement', title: 'Run one PDSA cycle on handover feedback' }]],
    ];
    for (const [coach, reviewer, focusAreas] of plans) {
      const asCoach = inSchool(school, coach, 'coach');
      if (await exists('feedback', `/coaches/${coach.userId}/plan`, asCoach)) continue;
      await send('feedback', 'POST', '/coaches/me/plan/revisions', asCoach, { focusAreas: focusAreas.map((f, i) => ({ focusId: `focus-${i + 1}`, ...f })), nextReviewDue: inDays(60) });
      await send('feedback', 'POST', '/coaches/me/plan/review-requests', asCoach, { reviewerId: reviewer.userId });
    }
    const asReviewer = inSchool(school, second, 'coach');
    const reviewed = (await send('feedback', 'GET', `/coaches/${first.userId}/plan`, asReviewer)).body as { awaiting?: { reviewerId: string }[] };
    if (reviewed.awaiting?.some((r) => r.reviewerId === second.userId)) await send('feedback', 'POST', `/coaches/${first.userId}/plan/reviews`, asReviewer,
      { whatChanged: 'Opens with the learner\'s own judgement now, in every dialogue I watched', nextSteps: ['Try it in a group debrief'], nextReviewDue: inDays(120) });

    const [learner, peer] = school.learners.filter((l) => l.named && Date.UTC(l.graduationYear, 5, 30, 10) > now);
    if (!learner || !peer) return;
    askingToday[school.id] = learner.userId;
    const asLearner = inSchool(school, learner, 'learner');
    const [one, two] = school.competencies;
    const answered = uuidFrom(`${learner.userId}:today:peer-request`);
    const open = uuidFrom(`${learner.userId}:today:coach-request`);
    await send('feedback', 'POST', '/feedback-requests', asLearner, { requestId: answered, asked: { kind: 'colleague', userId: peer.userId }, competencies: [one], context: { rotation: 'Emergency medicine', encounter: 'Handover of a septic patient at 8 pm' } });
    await send('feedback', 'POST', '/feedback-requests', asLearner, { requestId: open, asked: { kind: 'coach' }, competencies: [two] });
    await send('feedback', 'POST', `/feedback-requests/${answered}/answer`, inSchool(school, peer, 'learner'),
      { text: 'Clear structure and a calm tone; ask the night team to read the plan back.', ratings: [{ competency: one, level: 4 }] });
  };

  const tCoaching = performance.now();
  await importAll('coaching', (h) => h.coaching);
  const coachingSeconds = since(tCoaching);
  const tWaitFeedback = performance.now();
  await caughtUp('feedback', ['identity', 'coaching']);
  const waitForFeedbackSeconds = since(tWaitFeedback);
  const tFeedback = performance.now();
  await importAll('feedback', (h) => h.feedback);
  const feedbackSeconds = since(tFeedback);
  await Promise.all(schools.map((school) => seedToday(school)));

  // the cohort that finished last June graduates in identity too (its relationships ended in the history already)
  const tAnalytics = performance.now();
  await Promise.all(schools.map(async (school) => {
    const graduated = school.learners.filter((l) => Date.UTC(l.graduationYear, 5, 30, 10) <= now);
    await inPool(graduated, size.concurrency, async (learner) => {
      await send('identity', 'POST', `/users/${learner.userId}/graduation`, { ...admin, schoolId: school.id }, { schoolId: school.id });
    });
  }));
  await caughtUp('analytics', ['identity', 'coaching', 'feedback']);
  const waitForAnalyticsSeconds = since(tAnalytics);
  const total = since(started);
  const events = imported.coaching + imported.feedback;
  return {
    schools: schools.length, learners: schools.reduce((n, s) => n + s.learners.length, 0), coaches: schools.reduce((n, s) => n + s.coaches.length, 0),
    kinds: Object.fromEntries([...kinds.entries()].sort()), imported,
    seconds: { generate: generateSeconds, identity: identitySeconds, coachingImport: coachingSeconds, waitForFeedback: waitForFeedbackSeconds, feedbackImport: feedbackSeconds, waitForAnalytics: waitForAnalyticsSeconds, total },
    eventsPerSecond: Math.round(events / Math.max(0.1, coachingSeconds + feedbackSeconds)), requests, askingToday,
  };
}

/** A stable UUID from a name (ids the API wants as UUIDs), so a second run addresses the same thing. */
export const uuidFrom = (name: string) => {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** a day as yyyymmdd: the sessions booked ahead are the next ones from the day of the run */
const dayKey = (at: number) => new Date(at).toISOString().slice(0, 10).replace(/-/g, '');
