import { RequestContext } from '../http/request-context';
import { disclosureScopeOf } from './disclosures.controller';

const caller = (userId: string, role: RequestContext['role'], schoolId = 'medicine'): RequestContext => ({
  userId, role, roles: [role], institutionId: 'inst', schoolId, correlationId: 'c', receivedAt: '2026-12-01T10:00:00.000Z',
});

describe('who may read a learner\'s disclosure log', () => {
  it('gives the learner and an institution admin every school\'s reads, a school admin their school\'s', () => {
    expect(disclosureScopeOf(caller('lea-1', 'learner'), 'lea-1')).toBe('all');
    expect(disclosureScopeOf(caller('root', 'institution-admin', '*'), 'lea-1')).toBe('all');
    expect(disclosureScopeOf(caller('sad-1', 'school-admin'), 'lea-1')).toEqual(['medicine']);
  });

  it('gives nobody else any: another learner, the coach, the lead, a committee member', () => {
    for (const [userId, role] of [['lea-2', 'learner'], ['coa-1', 'coach'], ['lead-1', 'coaching-lead'], ['com-1', 'committee-member']] as const) {
      expect(disclosureScopeOf(caller(userId, role), 'lea-1')).toBeNull();
    }
  });
});
