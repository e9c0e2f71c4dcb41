import { rememberedFor } from './history-import';

describe('rememberedFor', () => {
  it('asks once per arguments while it is kept, and again after a failed answer', async () => {
    const asked: string[] = [];
    let fail = true;
    const rolesOf = rememberedFor(async (schoolId: string, userId: string) => {
      asked.push(`${schoolId}/${userId}`);
      if (userId === 'flaky' && fail) {
        fail = false;
        throw new Error('database down');
      }
      return [`${schoolId}:${userId}`];
    });
    expect(await Promise.all([rolesOf('s', 'a'), rolesOf('s', 'a'), rolesOf('t', 'a')])).toEqual([['s:a'], ['s:a'], ['t:a']]);
    await expect(rolesOf('s', 'flaky')).rejects.toThrow('database down');
    expect(await rolesOf('s', 'flaky')).toEqual(['s:flaky']);
    expect(await rolesOf('s', 'flaky')).toEqual(['s:flaky']);
    expect(asked).toEqual(['s/a', 't/a', 's/flaky', 's/flaky']);
  });
});
