import { describe, expect, it } from 'vitest';
import { checkAnswer, contextText } from './AnswerForm';
import { checkRequest } from './AskForFeedbackPage';
import { sentence } from './LinkAnswerPage';

describe('the feedback request forms check what the DTOs and the decider check, before sending', () => {
  it('a request names whom (by kind) and at least one competency', () => {
    const base = { kind: 'external' as const, userId: '', name: 'Dr. Rivera', email: 'r.rivera@hospital.org', codes: ['ICS'] };
    expect(checkRequest(base)).toEqual({});
    expect(checkRequest({ ...base, name: ' ', email: 'not-an-address', codes: [] })).toEqual({
      name: 'Say whom you ask', email: 'An e-mail address, e.g. r.rivera@hospital.org', competencies: 'Name at least one competency or EPA',
    });
    expect(checkRequest({ ...base, kind: 'colleague' })).toEqual({ userId: 'Name the colleague by their user id' });
    expect(checkRequest({ ...base, kind: 'coach', name: '', email: '' })).toEqual({});
  });

  it('an answer needs text and a level for every competency asked about', () => {
    expect(checkAnswer('Clear handover', new Map([['ICS', '4'], ['EPA-8', '3']]), ['ICS', 'EPA-8'])).toEqual({});
    expect(checkAnswer(' ', new Map([['ICS', '4']]), ['ICS', 'EPA-8'])).toEqual({ text: 'Write what you observed', ratings: 'Rate EPA-8' });
    // a code that names a member of every object is just a code
    expect(checkAnswer('x', new Map(), ['__proto__'])).toEqual({ ratings: 'Rate __proto__' });
  });

  it('tells the context in one line and the link\'s one refusal as a sentence', () => {
    expect(contextText({ rotation: 'Cardiology ward', encounter: 'Handover at 8 pm' })).toBe('Cardiology ward · Handover at 8 pm');
    expect(contextText(null)).toBe('');
    expect(sentence('this feedback link cannot be used')).toBe('This feedback link cannot be used.');
  });
});
