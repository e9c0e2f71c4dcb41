import { createLocalJWKSet, exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import { AccessClaims, InvalidTokenError, resolveActing, verifyAccessToken } from './access-token';

const settings = { issuer: 'cbme-identity', audience: 'cbme', institutionId: 'demo-university' };
const claims = { inst: 'demo-university', schools: { medicine: ['learner'] } };

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } as JWK };
}

const sign = (key: Awaited<ReturnType<typeof keyPair>>, over: { exp?: number | string; aud?: string; iss?: string; inst?: string } = {}) =>
  new SignJWT({ ...claims, inst: over.inst ?? claims.inst })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject('lea-1')
    .setIssuer(over.iss ?? settings.issuer)
    .setAudience(over.aud ?? settings.audience)
    .setIssuedAt()
    .setExpirationTime(over.exp ?? '15m')
    .sign(key.privateKey);

describe('access tokens', () => {
  let current: Awaited<ReturnType<typeof keyPair>>;
  let previous: Awaited<ReturnType<typeof keyPair>>;
  let stranger: Awaited<ReturnType<typeof keyPair>>;
  let jwks: ReturnType<typeof createLocalJWKSet>;
  beforeAll(async () => {
    [current, previous, stranger] = await Promise.all([keyPair('k2'), keyPair('k1'), keyPair('k2')]);
    jwks = createLocalJWKSet({ keys: [current.jwk, previous.jwk] });
  });

  it('accepts a token signed with the current or a previous (rotated) key', async () => {
    await expect(verifyAccessToken(await sign(current), jwks, settings)).resolves.toMatchObject({ sub: 'lea-1', schools: { medicine: ['learner'] } });
    await expect(verifyAccessToken(await sign(previous), jwks, settings)).resolves.toMatchObject({ sub: 'lea-1' });
  });

  it.each([
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 60 }, 'token expired'],
    ['a wrong audience', { aud: 'someone-else' }, 'token aud claim is not accepted'],
    ['a wrong issuer', { iss: 'evil' }, 'token iss claim is not accepted'],
    ['another institution', { inst: 'other-university' }, 'token is for another institution'],
  ])('refuses %s', async (_label, over, message) => {
    await expect(verifyAccessToken(await sign(current, over), jwks, settings)).rejects.toThrow(new InvalidTokenError(message));
  });

  it('refuses a forged signature and garbage', async () => {
    await expect(verifyAccessToken(await sign(stranger), jwks, settings)).rejects.toThrow('token signature is not valid');
    await expect(verifyAccessToken('not.a.token', jwks, settings)).rejects.toThrow('token is malformed');
  });
});

describe('acting school and role', () => {
  const person = (schools: AccessClaims['schools']): AccessClaims => ({ sub: 'u', inst: 'i', schools });

  it('defaults to the only school and the highest role there', () => {
    expect(resolveActing(person({ medicine: ['learner', 'coach'] }))).toEqual({ schoolId: 'medicine', role: 'coach', roles: ['learner', 'coach'] });
    expect(resolveActing(person({ medicine: ['learner', 'coach'] }), undefined, 'learner')).toMatchObject({ role: 'learner' });
  });

  it('needs a school when there are several, and a role held there', () => {
    const both = person({ medicine: ['coach'], nursing: ['learner'] });
    expect(resolveActing(both)).toEqual({ refused: 'you hold roles in several schools: name one with x-school-id' });
    expect(resolveActing(both, 'nursing')).toMatchObject({ schoolId: 'nursing', role: 'learner' });
    expect(resolveActing(both, 'dentistry')).toEqual({ refused: 'you hold no role in school dentistry' });
    expect(resolveActing(both, 'nursing', 'coach')).toEqual({ refused: 'you do not hold the role coach in school nursing' });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('refuses the school %s, named in a header, as one without a role (not a crash)', (schoolId) => {
    expect(resolveActing(person({ medicine: ['learner'] }), schoolId)).toEqual({ refused: `you hold no role in school ${schoolId}` });
    expect(resolveActing(person({ medicine: ['learner'], nursing: ['coach'] }), schoolId, 'coach')).toEqual({ refused: `you hold no role in school ${schoolId}` });
    expect(resolveActing(person({ '*': ['institution-admin'] }), schoolId)).toEqual({ schoolId, role: 'institution-admin', roles: ['institution-admin'] });
  });

  it('lets an institution admin act institution-wide or in any school', () => {
    const admin = person({ '*': ['institution-admin'] });
    expect(resolveActing(admin)).toEqual({ schoolId: '*', role: 'institution-admin', roles: ['institution-admin'] });
    expect(resolveActing(admin, 'nursing')).toEqual({ schoolId: 'nursing', role: 'institution-admin', roles: ['institution-admin'] });
  });
});
