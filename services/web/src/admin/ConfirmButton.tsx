import { FormEvent, ReactNode, useId, useRef, useState } from 'react';
import { FormError } from '../ui/forms';

/**
 * A button for an action to confirm first (revoke, withdraw; `destructive` false for one that loses nothing, such as
 * keeping a learner's data): it opens a modal dialog (the browser's own
 * <dialog>: focus moves into it, Escape cancels, the page behind is inert) that says what will happen and may ask
 * for more (a reason). The dialog stays open with the server's refusal shown until the action succeeds or is cancelled.
 */
export function ConfirmButton({ label, title, confirmLabel, children, onConfirm, disabled, className = 'secondary small', destructive = true }: {
  /** the button's accessible name */
  label: string;
  title: string;
  confirmLabel: string;
  /** what the dialog says, and any fields it asks for (given the server's refusal, to show at its field) */
  children?: ReactNode | ((error: unknown) => ReactNode);
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
  className?: string;
  /** shows the confirming button in the colour of what cannot be undone */
  destructive?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const id = useId();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const close = () => {
    dialog.current?.close();
    opener.current?.focus();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      close();
    } catch (refused) {
      setError(refused);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button ref={opener} type="button" className={className} disabled={disabled} onClick={() => { setError(undefined); dialog.current?.showModal(); }}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`} className="confirm" onClose={() => opener.current?.focus()}>
        <form onSubmit={(e) => void submit(e)}>
          <h2 id={`${id}-title`}>{title}</h2>
          {typeof children === 'function' ? children(error) : children}
          <FormError error={error} />
          <div className="actions-row">
            <button type="submit" className={destructive ? 'danger' : undefined} disabled={busy}>{busy ? 'Working…' : confirmLabel}</button>
            <button type="button" className="secondary" onClick={close}>Cancel</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
