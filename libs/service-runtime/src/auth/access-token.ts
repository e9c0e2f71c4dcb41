import { Role } from '@cbme/contracts';
import { errors, JWTVerifyGetKey, jwtVerify } from 'jose';

/** What identity puts in an access token; every service verifies it locally. */
export interface AccessClaims {
  sub: string;
  /** the institution of this deployment */
  inst: string;
  /** roles per school; institution-wide roles are under "*" */
  schools: Record<string, Role[]>;
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  institutionId: string;
}

export class InvalidTokenError extends Error {}

/** Checks signature (EdDSA, key from the JWKS), expiry, issuer, audience and institution. */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, settings: TokenSettings): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, keys, { issuer: settings.issuer, audience: settings.audience, algorithms: ['EdDSA'] });
    const claims = payload as unknown as AccessClaims;
    if (typeof claims.sub !== 'string' || typeof claims.schools !== 'object' || claims.schools === null) throw new InvalidTokenError('token lacks subject or roles');
    if (claims.inst !== settings.institutionId) throw new InvalidTokenError('token is for another institution');
    return claims;
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('token expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw new InvalidTokenError(`token ${error.claim} claim is not accepted`);
    if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) throw new InvalidTokenError('token signature is not valid');
    throw new InvalidTokenError('token is malformed');
  }
}

/** Highest first: the acting role when a caller holds several in one school and names none. */
const PRECEDENCE: Role[] = ['institution-admin', 'school-admin', 'coaching-lead', 'committee-member', 'coach', 'learner'];

/** The caller's roles in a school; the school id comes from a header, so only the token's own keys count (not `__proto__`, `constructor`). */
const rolesIn = (claims: AccessClaims, schoolId: string): Role[] => {
  const roles = Object.hasOwn(claims.schools, schoolId) ? claims.schools[schoolId] : undefined;
  return Array.isArray(roles) ? roles : [];
};

/**
 * The school and role a request acts in: `x-school-id` (default: the caller's only school, or "*" for an
 * institution admin) and `x-acting-role` (default: the highest role held there).
 */
export function resolveActing(claims: AccessClaims, schoolHeader?: string, roleHeader?: string): { schoolId: string; role: Role; roles: Role[] } | { refused: string } {
  const instAdmin = rolesIn(claims, '*').includes('institution-admin');
  const schools = Object.keys(claims.schools).filter((s) => s !== '*');
  const schoolId = schoolHeader ?? (schools.length === 1 ? schools[0] : instAdmin ? '*' : undefined);
  if (!schoolId) return { refused: 'you hold roles in several schools: name one with x-school-id' };
  const roles: Role[] = [...new Set<Role>([...rolesIn(claims, schoolId), ...(instAdmin ? (['institution-admin'] as Role[]) : [])])];
  if (roles.length === 0) return { refused: `you hold no role in school ${schoolId}` };
  const role = roleHeader ? roles.find((r) => r === roleHeader) : PRECEDENCE.find((r) => roles.includes(r));
  if (!role) return { refused: `you do not hold the role ${roleHeader} in school ${schoolId}` };
  return { schoolId, role, roles };
}
