import { describe, expect, it } from 'vitest';
import { TimelineItem } from '../api/types';
import { describeEvent, recordedNote } from './timeline-text';

const item = (type: string, data: Record<string, unknown>): TimelineItem => ({
  eventId: 'e', type, data, category: 'goal', at: '2026-12-01T10:00:00.000Z', recordedAt: '2026-12-01T10:00:00.000Z', actor: { userId: 'ada', role: 'learner' }, competencies: [], visibility: 'shared', source: 'feedback',
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

describe('recordedNote', () => {
  it('says when and by whom a record imported later was entered', () => {
    const imported = { ...item('feedback.goal-set', {}), at: '2025-11-04T12:00:00.000Z', recordedAt: '2027-03-03T12:00:00.000Z', actor: { userId: 'adm-1', role: 'school-admin' } };
    expect(recordedNote(imported)).toBe('recorded 3 Mar 2027 by adm-1');
  });

  it('says nothing when the event was recorded as it happened', () => {
    expect(recordedNote(item('feedback.goal-set', {}))).toBeNull();
    expect(recordedNote({ ...item('feedback.goal-set', {}), recordedAt: '2026-12-01T11:00:00+01:00' })).toBeNull();
  });
});
