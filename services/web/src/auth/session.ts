/** The roles a token names, highest first (the order identity and the services use when none is named). */
export const ROLES = ['institution-admin', 'school-admin', 'coaching-lead', 'committee-member', 'coach', 'learner'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  'institution-admin': 'Institution admin',
  'school-admin': 'School admin',
  'coaching-lead': 'Coaching lead',
  'committee-member': 'Committee member',
  coach: 'Coach',
  learner: 'Learner',
};

/** What identity answers to a sign-in or a refresh. */
export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** One school and one role to act in ("*": the institution, for institution admins). */
export interface Acting {
  schoolId: string;
  role: Role;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** epoch ms when the access token expires */
  expiresAt: number;
  userId: string;
  /** roles per school from the token, in a Map: school ids come from outside */
  schools: Map<string, Role[]>;
  acting: Acting;
}

interface AccessPayload {
  sub?: unknown;
  schools?: unknown;
}

export function decodePayload(token: string): AccessPayload {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as AccessPayload;
}

/** Every (school, role) pair the token allows, in the header's order: schools by name, roles highest first. */
export function actingChoices(schools: Map<string, Role[]>): Acting[] {
  const choices: Acting[] = [];
  for (const schoolId of [...schools.keys()].sort((a, b) => (a === '*' ? -1 : b === '*' ? 1 : a.localeCompare(b)))) {
    const held = schools.get(schoolId) ?? [];
    for (const role of ROLES) if (held.includes(role)) choices.push({ schoolId, role });
  }
  return choices;
}

/** The default: the previous choice if still allowed, else the highest role in the first school. */
export function chooseActing(schools: Map<string, Role[]>, previous?: Acting): Acting {
  const choices = actingChoices(schools);
  const kept = previous && choices.find((c) => c.schoolId === previous.schoolId && c.role === previous.role);
  if (kept) return kept;
  const best = [...choices].sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role))[0];
  if (!best) throw new Error('this account holds no role in any school');
  return best;
}

export function sessionFrom(tokens: TokenResponse, now: number, previous?: Acting): Session {
  const payload = decodePayload(tokens.accessToken);
  const schools = new Map<string, Role[]>();
  if (payload.schools && typeof payload.schools === 'object') {
    for (const [schoolId, roles] of Object.entries(payload.schools as Record<string, unknown>)) {
      if (Array.isArray(roles)) schools.set(schoolId, roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)));
    }
  }
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: now + tokens.expiresIn * 1000,
    userId: typeof payload.sub === 'string' ? payload.sub : '',
    schools,
    acting: chooseActing(schools, previous),
  };
}

/** Refresh a minute before expiry (or halfway through a very short token), never in the past. */
export function refreshDelay(session: Pick<Session, 'expiresAt'>, now: number): number {
  const left = session.expiresAt - now;
  return Math.max(0, left > 120_000 ? left - 60_000 : left / 2);
}

/** The session as kept in sessionStorage: it survives a reload of this tab, not the browser's closing. */
export function serialize(session: Session): string {
  return JSON.stringify({ ...session, schools: [...session.schools] });
}

export function deserialize(text: string | null): Session | undefined {
  if (!text) return undefined;
  try {
    const raw = JSON.parse(text) as Omit<Session, 'schools'> & { schools: [string, Role[]][] };
    if (typeof raw.accessToken !== 'string' || !Array.isArray(raw.schools)) return undefined;
    return { ...raw, schools: new Map(raw.schools) };
  } catch {
    return undefined;
  }
}

/** Where a signed-in user lands: the home of their acting role. */
export const HOME_OF: Record<Role, string> = {
  learner: '/learner',
  coach: '/coach',
  'coaching-lead': '/lead',
  'school-admin': '/school-admin',
  'institution-admin': '/institution',
  'committee-member': '/committee',
};
