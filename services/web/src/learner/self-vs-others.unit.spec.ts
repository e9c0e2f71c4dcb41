import { describe, expect, it } from 'vitest';
import { SelfVsOthersRow } from '../api/types';
import { agendaItemOf, describeGap, describeSource } from './self-vs-others';

const none = { latest: null, count: 0 };
const row = (over: Partial<SelfVsOthersRow>): SelfVsOthersRow => ({
  competency: 'ICS', name: 'Interpersonal and Communication Skills', frameworkId: 'acgme-core', status: 'active',
  self: { level: 4, at: '2026-10-01T09:00:00.000Z', assessmentId: 'a' }, others: { coach: { latest: { level: 2, at: '2026-10-02T09:00:00.000Z' }, count: 3 }, assessor: none, result: none },
  othersLevel: 2, gap: 2, flagged: true, ...over,
});

describe('self vs others in words', () => {
  it('says who rates higher and by how much', () => {
    expect([describeGap(row({})), describeGap(row({ gap: -1.5 })), describeGap(row({ gap: 0 })), describeGap(row({ gap: null }))])
      .toEqual(['+2 (self higher)', '-1.5 (others higher)', 'none', '—']);
  });
  it('gives a source\'s latest value and its count', () => {
    expect([describeSource(row({}).others.coach), describeSource({ latest: { level: 3.8, at: 'x' }, count: 1 }), describeSource(none)]).toEqual(['2 (latest of 3)', '3.8', '—']);
  });
  it('names the competency and both views in the agenda item, within the agenda\'s 300 characters', () => {
    expect(agendaItemOf(row({}))).toBe('Discuss ICS (Interpersonal and Communication Skills): self-rating 4, others 2, gap +2');
    expect(agendaItemOf(row({ name: null, self: null, gap: null }))).toBe('Discuss ICS: self-rating —, others 2');
    expect(agendaItemOf(row({ name: 'x'.repeat(400) }))).toHaveLength(300);
  });
});
