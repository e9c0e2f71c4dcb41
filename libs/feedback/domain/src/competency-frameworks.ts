import { COMPETENCY_CODE, CrosswalkMapping, FrameworkCompetency, FrameworkCrosswalkPublished, FrameworkSource, FrameworkVersionPublished, Role } from '@cbme/contracts';
import { assertNever, Decider, DomainError, ruleViolated } from '@cbme/decider';

export interface Framework {
  frameworkId: string;
  name: string;
  version: number;
  /** `seed`: shipped with the platform, the same in every school, never changed by a school */
  origin: 'seed' | 'school';
  competencies: FrameworkCompetency[];
  /** competencies earlier versions had and this one does not: still readable, no longer referable */
  retired: (FrameworkCompetency & { retiredInVersion: number })[];
}

const seed = (frameworkId: string, name: string, competencies: [string, string][]): Framework => ({
  frameworkId, name, version: 1, origin: 'seed', competencies: competencies.map(([code, title]) => ({ code, name: title })), retired: [],
});

/** Codes and names only, as published by ACGME and the AAMC. Codes are unique across the three. */
export const SEED_FRAMEWORKS: readonly Framework[] = [
  seed('acgme-core', 'ACGME Core Competencies', [
    ['PC', 'Patient Care'],
    ['MK', 'Medical Knowledge'],
    ['SBP', 'Systems-Based Practice'],
    ['PBLI', 'Practice-Based Learning and Improvement'],
    ['P', 'Professionalism'],
    ['ICS', 'Interpersonal and Communication Skills'],
  ]),
  seed('aamc-pcrs', 'AAMC Physician Competency Reference Set (domains)', [
    ['PCRS-PC', 'Patient Care'],
    ['PCRS-KP', 'Knowledge for Practice'],
    ['PCRS-PBLI', 'Practice-Based Learning and Improvement'],
    ['PCRS-ICS', 'Interpersonal and Communication Skills'],
    ['PCRS-P', 'Professionalism'],
    ['PCRS-SBP', 'Systems-Based Practice'],
    ['PCRS-IPC', 'Interprofessional Collaboration'],
    ['PCRS-PPD', 'Personal and Professional Development'],
  ]),
  seed('aamc-core-epas', 'AAMC Core Entrustable Professional Activities for Entering Residency', [
    ['EPA-1', 'Gather a history and perform a physical examination'],
    ['EPA-2', 'Prioritize a differential diagnosis following a clinical encounter'],
    ['EPA-3', 'Recommend and interpret common diagnostic and screening tests'],
    ['EPA-4', 'Enter and discuss orders and prescriptions'],
    ['EPA-5', 'Document a clinical encounter in the patient record'],
    ['EPA-6', 'Provide an oral presentation of a clinical encounter'],
    ['EPA-7', 'Form clinical questions and retrieve evidence to advance patient care'],
    ['EPA-8', 'Give or receive a patient handover to transition care responsibility'],
    ['EPA-9', 'Collaborate as a member of an interprofessional team'],
    ['EPA-10', 'Recognize a patient requiring urgent or emergent care and initiate evaluation and management'],
    ['EPA-11', 'Obtain informed consent for tests and/or procedures'],
    ['EPA-12', 'Perform general procedures of a physician'],
    ['EPA-13', 'Identify system failures and contribute to a culture of safety and improvement'],
  ]),
];

export type FrameworkEvent =
  | { type: 'feedback.framework-version-published'; data: FrameworkVersionPublished }
  | { type: 'feedback.framework-crosswalk-published'; data: FrameworkCrosswalkPublished };

export type FrameworkCommand = {
  type: 'PublishFrameworkVersion';
  data: {
    frameworkId: string; name: string; competencies: FrameworkCompetency[]; source: FrameworkSource; role: Role;
    /** how the previous version's codes read under this one (see validateCrosswalk); `line` is where each row came from */
    crosswalk?: CrosswalkRow[];
  };
};

/** All frameworks of one school (one stream per school), besides the seed frameworks every school has. */
export interface SchoolFrameworks {
  /** by framework id, which comes from the URL (a Map: "toString" is a valid id) */
  frameworks: ReadonlyMap<string, Framework>;
  /** every crosswalk published, in stream order */
  crosswalks: FrameworkCrosswalkPublished[];
}

const ADMINS: Role[] = ['school-admin', 'institution-admin'];

/** Every framework a school uses: the seeds, then its own. */
export const frameworksOf = (state: SchoolFrameworks): Framework[] => [...SEED_FRAMEWORKS, ...state.frameworks.values()];

function decide(command: FrameworkCommand, state: SchoolFrameworks): FrameworkEvent[] {
  switch (command.type) {
    case 'PublishFrameworkVersion': {
      const { frameworkId, name, competencies, source, role, crosswalk } = command.data;
      if (!ADMINS.includes(role)) throw new DomainError('forbidden', 'only a school admin defines or imports competency frameworks');
      if (!COMPETENCY_CODE.test(frameworkId)) throw ruleViolated('a framework id is 1-40 letters, digits, \'.\', \'_\' or \'-\'');
      if (SEED_FRAMEWORKS.some((f) => f.frameworkId === frameworkId)) throw ruleViolated(`${frameworkId} is a shipped framework; define your own under another id`);
      const errors = validateFrameworkRows(competencies.map((c, i) => ({ line: i + 1, ...c })));
      if (errors.length > 0) throw ruleViolated(errors.map((e) => `competency ${e.line}: ${e.reasons.join(', ')}`).join('; '));
      const takenElsewhere = new Map(frameworksOf(state).filter((f) => f.frameworkId !== frameworkId).flatMap((f) => f.competencies.map((c) => [c.code, f.frameworkId] as const)));
      const clashes = competencies.filter((c) => takenElsewhere.has(c.code)).map((c) => `${c.code} (in ${takenElsewhere.get(c.code)})`);
      if (clashes.length > 0) throw ruleViolated(`codes already used by another framework of this school: ${clashes.join(', ')}`);
      const current = state.frameworks.get(frameworkId);
      const unchanged = current && current.name === name && sameCompetencies(current.competencies, competencies);
      if (unchanged && !crosswalk) return [];
      const kept = new Set(competencies.map((c) => c.code));
      const retired = (current?.competencies ?? []).filter((c) => !kept.has(c.code));
      const version = (current?.version ?? 0) + 1;
      const published: FrameworkEvent = { type: 'feedback.framework-version-published', data: { frameworkId, name, version, competencies, retired, source } };
      if (!crosswalk) return [published];
      if (!current) throw ruleViolated(`a crosswalk maps the codes of an earlier version, and ${frameworkId} has none yet: define its first version without one`);
      if (unchanged) throw ruleViolated('a crosswalk comes with a new version: this one is the same as the current version');
      const checked = validateCrosswalk(crosswalk, oldCodesOf(current), kept);
      if (!checked.ok) throw new CrosswalkRejected(checked.errors, crosswalk.length);
      return [published, { type: 'feedback.framework-crosswalk-published', data: { frameworkId, fromVersion: current.version, toVersion: version, mappings: checked.mappings, unmapped: checked.unmapped } }];
    }
    default:
      return assertNever(command.type);
  }
}

const sameCompetencies = (a: FrameworkCompetency[], b: FrameworkCompetency[]) =>
  a.length === b.length && a.every((c, i) => c.code === b[i].code && c.name === b[i].name);

function evolve(state: SchoolFrameworks, event: FrameworkEvent): SchoolFrameworks {
  switch (event.type) {
    case 'feedback.framework-crosswalk-published':
      return { ...state, crosswalks: [...state.crosswalks, event.data] };
    case 'feedback.framework-version-published': {
      const { frameworkId, name, version, competencies, retired } = event.data;
      const before = state.frameworks.get(frameworkId);
      const active = new Set(competencies.map((c) => c.code));
      const stillRetired = (before?.retired ?? []).filter((r) => !active.has(r.code));
      return {
        ...state,
        frameworks: new Map(state.frameworks).set(
          frameworkId, { frameworkId, name, version, origin: 'school', competencies, retired: [...stillRetired, ...retired.map((r) => ({ ...r, retiredInVersion: version }))] },
        ),
      };
    }
    default:
      return assertNever(event);
  }
}

export const competencyFrameworksDecider: Decider<FrameworkCommand, FrameworkEvent, SchoolFrameworks> = {
  decide, evolve, initialState: { frameworks: new Map(), crosswalks: [] },
};

export const frameworksStreamId = (schoolId: string) => `feedback-frameworks-${schoolId}`;

export interface RowError {
  line: number;
  reasons: string[];
}

/** A row of a crosswalk as the admin supplied it (a request line or a CSV line), unchecked. */
export interface CrosswalkRow {
  line: number;
  from?: unknown;
  to?: unknown;
}

/** A crosswalk with bad rows: each problem with its line (the HTTP edge answers 422 with them). */
export class CrosswalkRejected extends DomainError {
  constructor(readonly problems: RowError[], rows: number) {
    super('rule-violated', `${problems.length} of ${rows} crosswalk rows are invalid; nothing was published`);
  }
}

/** The codes a crosswalk to the next version may map: the current competencies and every retired one (still on evidence). */
export const oldCodesOf = (framework: Framework): Set<string> => new Set([...framework.competencies, ...framework.retired].map((c) => c.code));

export const MAX_CROSSWALK_TARGETS = 20;

/**
 * Checks a crosswalk from a framework's old codes to the codes of its new version. One to one, many to one
 * (several rows with the same `to`) and one to many (a row with several `to`: evidence counts toward each) are
 * allowed; every old code is mapped at most once. A code on either side that the framework does not have is a
 * problem at its line. Old codes the new version leaves out and no row maps are allowed: they come back as
 * `unmapped` (reported, the evidence keeps its old code). A code the new version keeps reads as itself unless a row maps it.
 */
export function validateCrosswalk(rows: CrosswalkRow[], oldCodes: ReadonlySet<string>, newCodes: ReadonlySet<string>):
  { ok: true; mappings: CrosswalkMapping[]; unmapped: string[] } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const lineOf = new Map<string, number>();
  const mappings: CrosswalkMapping[] = [];
  if (rows.length > 1000) return { ok: false, errors: [{ line: rows[1000].line, reasons: ['a crosswalk has at most 1000 rows'] }] };
  for (const row of rows) {
    const reasons: string[] = [];
    const from = typeof row.from === 'string' ? row.from.trim() : '';
    const targets = (Array.isArray(row.to) ? row.to : typeof row.to === 'string' ? row.to.split(/[;|]/) : []).map((t) => (typeof t === 'string' ? t.trim() : '')).filter(Boolean);
    if (!from) reasons.push('the old code is missing');
    else if (!COMPETENCY_CODE.test(from)) reasons.push(`old code "${from.slice(0, 60)}" must be 1-40 letters, digits, '.', '_' or '-'`);
    else if (!oldCodes.has(from)) reasons.push(`old code ${from} is not a code of this framework`);
    else if (lineOf.has(from)) reasons.push(`old code ${from} is already mapped on line ${lineOf.get(from)}`);
    else lineOf.set(from, row.line);
    if (targets.length === 0) reasons.push('name at least one new code');
    else if (targets.length > MAX_CROSSWALK_TARGETS) reasons.push(`an old code maps to at most ${MAX_CROSSWALK_TARGETS} new codes`);
    const unknown = targets.filter((t) => !newCodes.has(t));
    if (unknown.length > 0) reasons.push(`new code${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => t.slice(0, 60)).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in the new version`);
    if (new Set(targets).size < targets.length) reasons.push('a new code is named twice');
    if (reasons.length > 0) errors.push({ line: row.line, reasons });
    else mappings.push({ from, to: targets });
  }
  if (errors.length > 0) return { ok: false, errors };
  const unmapped = [...oldCodes].filter((code) => !newCodes.has(code) && !lineOf.has(code)).sort();
  return { ok: true, mappings, unmapped };
}

/** Checks the rows of a framework file (or request); `line` is where each row came from, for the report. */
export function validateFrameworkRows(rows: { line: number; code?: unknown; name?: unknown }[]): RowError[] {
  const errors: RowError[] = [];
  const firstLineOf = new Map<string, number>();
  if (rows.length === 0) return [{ line: 1, reasons: ['a framework needs at least one competency'] }];
  if (rows.length > 500) return [{ line: rows[500].line, reasons: ['a framework has at most 500 competencies'] }];
  for (const row of rows) {
    const reasons: string[] = [];
    const code = typeof row.code === 'string' ? row.code.trim() : '';
    const name = typeof row.name === 'string' ? row.name.trim() : '';
    if (!code) reasons.push('code is missing');
    else if (!COMPETENCY_CODE.test(code)) reasons.push(`code "${code.slice(0, 60)}" must be 1-40 letters, digits, '.', '_' or '-'`);
    else if (firstLineOf.has(code)) reasons.push(`code ${code} is already on line ${firstLineOf.get(code)}`);
    else firstLineOf.set(code, row.line);
    if (!name) reasons.push('name is missing');
    else if (name.length > 300) reasons.push('name is longer than 300 characters');
    if (reasons.length > 0) errors.push({ line: row.line, reasons });
  }
  return errors;
}

/**
 * Reads a framework file in JSON, either `[{code, name}, ...]` or `{ "name": ..., "competencies": [...] }`,
 * with the line on which each competency object starts, so errors can name it.
 */
export function parseFrameworkJson(text: string): { ok: true; name?: string; rows: { line: number; code?: unknown; name?: unknown }[] } | { ok: false; errors: RowError[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [{ line: lineAt(text, jsonErrorIndex(text)), reasons: [`not valid JSON: ${(error as Error).message}`] }] };
  }
  const root = parsed as { name?: unknown; competencies?: unknown };
  const items = Array.isArray(parsed) ? parsed : root && typeof root === 'object' ? root.competencies : undefined;
  if (!Array.isArray(items)) return { ok: false, errors: [{ line: 1, reasons: ['expected an array of {code, name} or an object with a "competencies" array'] }] };
  const lines = objectStartLines(text, Array.isArray(parsed) ? 1 : 2);
  const rows = items.map((item, i) => {
    const line = lines[i] ?? 1;
    return item && typeof item === 'object' && !Array.isArray(item) ? { line, code: (item as Record<string, unknown>)['code'], name: (item as Record<string, unknown>)['name'] } : { line };
  });
  return { ok: true, ...(typeof root?.name === 'string' && !Array.isArray(parsed) ? { name: root.name } : {}), rows };
}

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Where JSON.parse gave up (its messages do not say so on every Node version): a small recursive-descent check. */
function jsonErrorIndex(text: string): number {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const fail = () => { throw i; };
  const literal = (word: string) => { if (text.startsWith(word, i)) i += word.length; else fail(); };
  const string = () => {
    if (text[i] !== '"') fail();
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) { ws(); string(); ws(); if (text[i] !== ':') fail(); i++; value(); ws(); if (text[i] === ',') { i++; continue; } if (text[i] === '}') { i++; return; } fail(); }
    } else if (ch === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) { value(); ws(); if (text[i] === ',') { i++; continue; } if (text[i] === ']') { i++; return; } fail(); }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else { const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i)); if (!m) fail(); i += m![0].length; }
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return typeof at === 'number' ? at : 0;
  }
}

/** Lines of every '{' or array item opened at the given nesting depth (strings skipped). */
function objectStartLines(text: string, depth: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let level = 0;
  let inString = false;
  let expectingItem = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (expectingItem && level === depth && ch !== ']') lines.push(line);
    expectingItem = false;
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      level++;
      if (ch === '[' && level === depth) expectingItem = true;
    } else if (ch === '}' || ch === ']') level--;
    else if (ch === ',' && level === depth) expectingItem = true;
  }
  return lines;
}

/** What a school's competency references are checked against. */
export interface CompetencyIndex {
  active: Map<string, string>;
  retired: Map<string, string>;
}

export function competencyIndex(state: SchoolFrameworks): CompetencyIndex {
  const frameworks = frameworksOf(state);
  const active = new Map(frameworks.flatMap((f) => f.competencies.map((c) => [c.code, f.frameworkId] as const)));
  const retired = new Map(
    frameworks.flatMap((f) => f.retired.filter((r) => !active.has(r.code)).map((r) => [r.code, `was retired in version ${r.retiredInVersion} of ${f.frameworkId}`] as const)),
  );
  return { active, retired };
}

/**
 * The school's frameworks as they were in force at `at` (a backdated command's date): each framework at its last
 * version published by then. A framework first published later is taken at its first version (the school wrote
 * down the competencies it already had), so only a version in force at `at` can make a code retired.
 */
export function frameworksInForceAt(history: { occurredAt: string; event: FrameworkEvent }[], at: string): SchoolFrameworks {
  const until = Date.parse(at);
  const inForce = history.filter(({ occurredAt, event }, i) => Date.parse(occurredAt) <= until
    || (event.type === 'feedback.framework-version-published' && !history.slice(0, i).some((h) => h.event.data.frameworkId === event.data.frameworkId)));
  return inForce.map((h) => h.event).reduce(evolve, competencyFrameworksDecider.initialState);
}

/** Every referenced code must be a current competency of one of the school's frameworks (422 otherwise). */
export function requireKnownCompetencies(codes: string[], index: CompetencyIndex): void {
  const problems = codes.filter((code) => !index.active.has(code)).map((code) => (index.retired.has(code) ? `${code} ${index.retired.get(code)}` : `${code} is not in any framework of this school`));
  if (problems.length > 0) throw ruleViolated(`unknown competency: ${problems.join('; ')}`);
}
