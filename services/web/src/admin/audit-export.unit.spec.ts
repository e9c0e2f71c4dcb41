import { describe, expect, it } from 'vitest';
import { bundleOf, eventsIn, ExportPart } from './audit-export';

const part = (service: string, learnerId = 'lena', events = 1): ExportPart => ({ service, schoolId: 'medicine', learnerId, streams: [{ events: Array.from({ length: events }, () => ({})) }] });

describe('a learner\'s verifiable export in the browser', () => {
  it('joins the services\' parts under one header, and counts their events', () => {
    const parts = [part('identity', 'lena', 2), part('feedback', 'lena', 3)];
    expect(bundleOf(parts, '2026-12-01T12:00:00.000Z')).toEqual({ format: 'cbme-audit-export/1', schoolId: 'medicine', learnerId: 'lena', exportedAt: '2026-12-01T12:00:00.000Z', parts });
    expect(eventsIn(parts)).toBe(5);
  });

  it('refuses parts about different learners, or none', () => {
    expect(() => bundleOf([part('identity'), part('feedback', 'liam')], '2026-12-01T12:00:00.000Z')).toThrow('The services did not all answer about the same learner.');
    expect(() => bundleOf([], '2026-12-01T12:00:00.000Z')).toThrow();
  });
});
