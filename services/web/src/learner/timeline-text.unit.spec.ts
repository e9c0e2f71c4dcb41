import { describe, expect, it } from 'vitest';
import { TimelineItem } from '../api/types';
import { describeEvent } from './timeline-text';

const item = (type: string, data: Record<string, unknown>): TimelineItem => ({
  eventId: 'e', type, data, category: 'goal', at: '2026-12-01T10:00:00.000Z', actor: { userId: 'ada', role: 'learner' }, competencies: [], visibility: 'shared', source: 'feedback',
});

describe('describeEvent', () => {
  it('says what a goal revision changed and why', () => {
    expect(describeEvent(item('feedback.goal-revised', { description: 'Two handovers a week', rationale: 'Rotation changed' }))).toBe(
      'Goal revised: Two handovers a week (because Rotation changed)',
    );
  });

  it('does not invent text the reader was not given (an entry without its text)', () => {
    expect(describeEvent(item('feedback.dialogue-entry-added', {}))).toBe('Entry added');
  });

  it('names the status a goal moved to', () => {
    expect(describeEvent(item('feedback.goal-status-changed', { from: 'active', to: 'achieved' }))).toBe('Goal active → achieved');
    expect(describeEvent(item('feedback.goal-status-changed', {}))).toBe('Goal status changed');
  });

  it('falls back to the event type in words', () => {
    expect(describeEvent(item('feedback.plan-reviewed', {}))).toBe('Plan reviewed');
  });
});
