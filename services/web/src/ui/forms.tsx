import { ReactNode, useId } from 'react';
import { ApiError } from '../api/http';

/**
 * A labelled field whose errors come from two places: the client-side check (mirroring the DTO) and the
 * server's 4xx details about this field.
 */
export function Field({ label, name, error, serverError, hint, children }: {
  label: string;
  name: string;
  error?: string;
  serverError?: unknown;
  hint?: string;
  children: (props: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const fromServer = serverError instanceof ApiError ? serverError.about(name) : [];
  const messages = [...(error ? [error] : []), ...fromServer];
  const describedBy = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children({ id, name, 'aria-invalid': messages.length > 0, 'aria-describedby': describedBy })}
      {messages.length > 0 && (
        <span className="field-error" id={`${id}-error`}>
          {messages.join('; ')}
        </span>
      )}
    </div>
  );
}

/** The server's refusal of a whole form (409, 422, 403 …), or a network fault. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'The request failed.';
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/** Competency codes typed as "PC, ICS": the DTOs take an array of codes. */
export function parseCodes(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))];
}

/**
 * For `mutateAsync(...).then(clear, keepForm)`: on a refusal the form keeps what was typed and the mutation's
 * error is shown. (Clearing in `mutate`'s own onSuccess ran late enough to wipe the next thing typed.)
 */
export const keepForm = (): void => undefined;

/**
 * The clear for a controlled field once what was sent is saved: `setText(clearIfSent(sent))`. The answer comes
 * back while the person may already be typing the next entry; clearing unconditionally wiped that text (and a
 * submit right after then found the field empty). What they typed since is kept.
 */
export const clearIfSent = (sent: string) => (current: string): string => (current === sent ? '' : current);
