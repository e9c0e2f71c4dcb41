import { describe, expect, it } from 'vitest';
import { clearIfSent, parseCodes } from '../ui/forms';
import { checkDialogue } from './DialoguesPage';
import { checkGoal } from './GoalsPage';

describe('the forms check what the DTOs check, before sending', () => {
  it('a dialogue needs a topic of at most 300 characters and competency codes', () => {
    expect(checkDialogue('', ['ICS'])).toEqual({ topic: 'Say what the dialogue is about' });
    expect(checkDialogue('x'.repeat(301), ['ICS']).topic).toBe('At most 300 characters');
    expect(checkDialogue('Handover', [])).toEqual({ competencies: 'Name at least one competency, like ICS' });
    expect(checkDialogue('Handover', ['EPA-1', 'ICS'])).toEqual({});
    expect(checkDialogue('Handover', ['IC S'])).toHaveProperty('competencies');
  });

  it('a goal needs a description and a target date not in the past; a revision also a rationale', () => {
    const today = '2026-12-01';
    expect(checkGoal({ description: 'Lead a handover', targetDate: '2027-06-30' }, today)).toEqual({});
    expect(checkGoal({ description: ' ', targetDate: '2026-11-30' }, today)).toEqual({ description: 'Describe the goal', targetDate: 'The target date is in the past' });
    expect(checkGoal({ description: 'x', targetDate: '' }, today).targetDate).toBe('Pick a target date');
    expect(checkGoal({ description: 'x', targetDate: '2027-01-01', rationale: '' }, today)).toEqual({ rationale: 'Say why the goal changes' });
  });

  it('competency codes typed loosely become the codes the API takes', () => {
    expect(parseCodes('ics, pc;ICS  epa-1')).toEqual(['ICS', 'PC', 'EPA-1']);
  });
});

describe('clearing a controlled field after a save', () => {
  it('clears what was sent, and keeps what was typed after it was sent', () => {
    expect(clearIfSent('first entry')('first entry')).toBe('');
    expect(clearIfSent('first entry')('second entry')).toBe('second entry');
    expect(clearIfSent('first entry')('first entry, and more')).toBe('first entry, and more');
  });
});
