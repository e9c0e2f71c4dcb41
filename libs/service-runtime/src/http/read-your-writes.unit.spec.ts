import { BadRequestException } from '@nestjs/common';
import { parseReadAfter } from './read-your-writes';

describe('parseReadAfter', () => {
  it('takes an absent header as no wait and a decimal position as that position', () => {
    expect(parseReadAfter(undefined)).toBeUndefined();
    expect(parseReadAfter('0')).toBe(0);
    expect(parseReadAfter('42')).toBe(42);
    expect(parseReadAfter('999999999999999')).toBe(999_999_999_999_999);
  });

  it('refuses anything else as a bad request', () => {
    for (const bogus of ['', ' 4', '-1', '1.5', '1e3', '0x10', 'abc', '1234567890123456', ['1', '2']]) {
      expect(() => parseReadAfter(bogus)).toThrow(BadRequestException);
    }
  });
});
