import { FormEvent, useState } from 'react';
import { FeedbackRequestContext, RatedCompetency } from '../api/types';
import { Field, FormError } from '../ui/forms';
import { formatDate } from '../ui/Status';

export const STATUS_LABELS = { prompted: 'prompted by your coach', requested: 'waiting for an answer', answered: 'answered', declined: 'declined', expired: 'expired' } as const;

/** "Cardiology ward · 14 Sept 2026 · Handover of a septic patient" */
export function contextText(context: FeedbackRequestContext | null | undefined): string {
  if (!context) return '';
  return [context.rotation, context.date ? formatDate(context.date) : undefined, context.encounter].filter(Boolean).join(' · ');
}

/** Mirrors the decider: some text, and a level for every competency asked about. */
export function checkAnswer(text: string, levels: ReadonlyMap<string, string>, competencies: string[]) {
  const errors: { text?: string; ratings?: string } = {};
  if (!text.trim()) errors.text = 'Write what you observed';
  const missing = competencies.filter((c) => !levels.get(c));
  if (missing.length) errors.ratings = `Rate ${missing.join(', ')}`;
  return errors;
}

/**
 * The answer to one request (free text, a level per competency on its scale) and, beside it, declining with an
 * optional reason. The server's refusals show at the fields (text, ratings, reason) or above the buttons.
 */
export function AnswerForm({ competencies, onAnswer, onDecline, answering, declining }: {
  competencies: RatedCompetency[];
  onAnswer: (body: { text: string; ratings: { competency: string; level: number }[] }) => void;
  onDecline: (body: { reason?: string }) => void;
  answering: { error: unknown; isPending: boolean };
  declining: { error: unknown; isPending: boolean };
}) {
  const [text, setText] = useState('');
  // keyed by competency code, which comes from the server: a Map, never a plain object
  const [levels, setLevels] = useState<ReadonlyMap<string, string>>(new Map());
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<ReturnType<typeof checkAnswer>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const codes = competencies.map((c) => c.code);
    const errors = checkAnswer(text, levels, codes);
    setChecked(errors);
    if (Object.keys(errors).length) return;
    onAnswer({ text: text.trim(), ratings: codes.map((competency) => ({ competency, level: Number(levels.get(competency)) })) });
  };
  const decline = (event: FormEvent) => {
    event.preventDefault();
    onDecline(reason.trim() ? { reason: reason.trim() } : {});
  };
  return (
    <>
      <form className="panel" onSubmit={submit} aria-labelledby="answer-heading" noValidate>
        <h2 id="answer-heading">Your feedback</h2>
        <Field label="What you observed, and what to do next" name="text" error={checked.text} serverError={answering.error}>
          {(p) => <textarea {...p} rows={6} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <Field label="Ratings" name="ratings" error={checked.ratings} serverError={answering.error} hint="One level for each competency asked about">
          {(p) => (
            <div id={p.id} aria-describedby={p['aria-describedby']} className="ratings">
              {competencies.map((c) => (
                <label key={c.code} className="rating">
                  <span>
                    {c.code}: {c.name} <span className="muted">({c.scale === 'entrustment' ? 'entrustment level' : 'competency level'})</span>
                  </span>
                  <select
                    value={levels.get(c.code) ?? ''}
                    aria-invalid={p['aria-invalid'] && !levels.get(c.code)}
                    onChange={(e) => setLevels((current) => new Map(current).set(c.code, e.target.value))}
                  >
                    <option value="">Choose a level</option>
                    {c.levels.map((words, i) => (
                      <option key={words} value={String(i + 1)}>
                        {i + 1} – {words}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          )}
        </Field>
        <FormError error={answering.error} />
        <button type="submit" disabled={answering.isPending}>
          Send feedback
        </button>
      </form>
      <form className="panel" onSubmit={decline} aria-labelledby="decline-heading" noValidate>
        <h2 id="decline-heading">Or decline</h2>
        <Field label="Reason (optional)" name="reason" serverError={declining.error}>
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />}
        </Field>
        <FormError error={declining.error} />
        <button type="submit" className="secondary" disabled={declining.isPending}>
          Decline
        </button>
      </form>
    </>
  );
}
