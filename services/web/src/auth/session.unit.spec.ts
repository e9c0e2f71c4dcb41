import { describe, expect, it } from 'vitest';
import { actingChoices, chooseActing, deserialize, refreshDelay, Role, serialize, sessionFrom } from './session';

const token = (payload: object) => `h.${btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.s`;

describe('the session', () => {
  const schools = new Map<string, Role[]>([['nursing', ['coach']], ['medicine', ['learner', 'coaching-lead']], ['*', ['institution-admin']]]);

  it('offers every school and role the token holds: the institution first, schools by name, roles highest first', () => {
    expect(actingChoices(schools)).toEqual([
      { schoolId: '*', role: 'institution-admin' }, { schoolId: 'medicine', role: 'coaching-lead' }, { schoolId: 'medicine', role: 'learner' }, { schoolId: 'nursing', role: 'coach' },
    ]);
  });

  it('keeps the role chosen before while the token still holds it, else the highest', () => {
    expect(chooseActing(schools, { schoolId: 'nursing', role: 'coach' })).toEqual({ schoolId: 'nursing', role: 'coach' });
    expect(chooseActing(schools, { schoolId: 'nursing', role: 'learner' })).toEqual({ schoolId: '*', role: 'institution-admin' });
  });

  it('reads roles from the token into a Map, ignoring roles it does not know and keys like __proto__', () => {
    const session = sessionFrom({ accessToken: token({ sub: 'ada', schools: { medicine: ['learner', 'wizard'], __proto__: ['coach'] } }), refreshToken: 'r', expiresIn: 900 }, 1_000);
    expect(session.userId).toBe('ada');
    expect([...session.schools]).toEqual([['medicine', ['learner']]]);
    expect(session.acting).toEqual({ schoolId: 'medicine', role: 'learner' });
    expect(session.expiresAt).toBe(901_000);
  });

  it('refreshes a minute before expiry, halfway through a short token, never in the past', () => {
    expect(refreshDelay({ expiresAt: 900_000 }, 0)).toBe(840_000);
    expect(refreshDelay({ expiresAt: 60_000 }, 0)).toBe(30_000);
    expect(refreshDelay({ expiresAt: 100_000 }, 0)).toBe(50_000);
    expect(refreshDelay({ expiresAt: 0 }, 5_000)).toBe(0);
  });

  it('survives a reload (sessionStorage text) and refuses what is not a session', () => {
    const session = sessionFrom({ accessToken: token({ sub: 'ada', schools: { medicine: ['learner'] } }), refreshToken: 'r', expiresIn: 900 }, 0);
    expect(deserialize(serialize(session))).toEqual(session);
    expect(deserialize('{"accessToken": 1}')).toBeUndefined();
    expect(deserialize('not json')).toBeUndefined();
    expect(deserialize(null)).toBeUndefined();
  });
});
