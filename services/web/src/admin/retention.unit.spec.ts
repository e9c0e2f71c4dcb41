import { describe, expect, it } from 'vitest';
import { describeProposal } from './retention';

describe('describeProposal', () => {
  it('tells pending, erased, and a dismissal with its reason and keep-until date', () => {
    expect(describeProposal({ status: 'pending' })).toBe('Awaiting your decision');
    expect(describeProposal({ status: 'erased', dismissal: { reason: 'claim', at: '2026-01-01T00:00:00Z' } })).toBe('Erased');
    expect(describeProposal({ status: 'dismissed', dismissal: { reason: 'a pending claim', keepUntil: '2030-01-01', at: '2026-01-01T00:00:00Z' } })).toBe('Kept until 2030-01-01: a pending claim');
    expect(describeProposal({ status: 'dismissed', dismissal: { reason: 'asked to wait', at: '2026-01-01T00:00:00Z' } })).toBe('Dismissed: asked to wait');
  });
});
