import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Dialogue } from '../api/types';
import { Field, FormError, keepForm } from '../ui/forms';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { keys } from './queries';

/** One dialogue, for its learner and its coach: entries (the API leaves out what the reader may not see), action items, close/reopen. */
export function DialoguePage() {
  const { dialogueId = '' } = useParams();
  const { api } = useSignedIn();
  const dialogue = useQuery({ queryKey: keys.dialogue(dialogueId), queryFn: () => api<Dialogue>('feedback', `/dialogues/${encodeURIComponent(dialogueId)}`) });
  return (
    <Query query={dialogue} what="the dialogue" page>
      {(d) => <DialogueView dialogue={d} />}
    </Query>
  );
}

function useDialogueCommand(dialogue: Dialogue) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body?: object }) => api('feedback', `/dialogues/${encodeURIComponent(dialogue.dialogueId)}${path}`, { method: 'POST', body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [keys.dialogue(dialogue.dialogueId), keys.dialogues(dialogue.learnerId)]),
  });
}

function DialogueView({ dialogue }: { dialogue: Dialogue }) {
  const { userId } = useSignedIn();
  const status = useDialogueCommand(dialogue);
  const open = dialogue.status === 'open';
  return (
    <article aria-labelledby="dialogue-title">
      <h1 id="dialogue-title">{dialogue.topic}</h1>
      <p className="muted">
        {dialogue.competencies.join(', ')} · opened {formatDate(dialogue.openedAt)} · {open ? 'open' : 'closed'}
        {dialogue.context?.rotation && ` · ${dialogue.context.rotation}`}
      </p>
      <section aria-labelledby="entries">
        <h2 id="entries">Entries</h2>
        {dialogue.entries.length === 0 ? (
          <p>No entries yet.</p>
        ) : (
          <ol className="entries">
            {dialogue.entries.map((e) => (
              <li key={e.entryId} className={e.authorId === userId ? 'mine' : ''}>
                <p className="meta">
                  <strong>{e.authorId === userId ? 'You' : e.authorId}</strong> · {formatDateTime(e.at)}
                  {e.kind === 'reflection' && <span className="badge">reflection</span>}
                  {e.visibility === 'private' && <span className="badge private">private</span>}
                </p>
                <p className="text">{e.text}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="actions">
        <h2 id="actions">Action items</h2>
        {dialogue.actionItems.length === 0 ? (
          <p>None agreed yet.</p>
        ) : (
          <ul>
            {dialogue.actionItems.map((a) => (
              <li key={a.actionId}>
                {a.description} <span className="muted">— {a.ownerId}{a.dueDate ? `, by ${formatDate(a.dueDate)}` : ''}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {open && <EntryForm dialogue={dialogue} />}
      {open && <ActionItemForm dialogue={dialogue} />}
      <div className="actions-row">
        <FormError error={status.error} />
        {open ? (
          <button type="button" className="secondary" disabled={status.isPending} onClick={() => status.mutate({ path: '/close' })}>
            Close the dialogue
          </button>
        ) : (
          <button type="button" className="secondary" disabled={status.isPending} onClick={() => status.mutate({ path: '/reopen' })}>
            Reopen the dialogue
          </button>
        )}
      </div>
    </article>
  );
}

function EntryForm({ dialogue }: { dialogue: Dialogue }) {
  const { acting } = useSignedIn();
  const add = useDialogueCommand(dialogue);
  const [checked, setChecked] = useState<string>();
  // read from the form itself on submit, and reset once the entry is stored
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = String(data.get('text') ?? '').trim();
    if (!text) return setChecked('Write something first');
    if (text.length > 20_000) return setChecked('At most 20,000 characters');
    setChecked(undefined);
    const body = { text, visibility: data.get('visibility') === 'private' ? 'private' : 'shared', kind: data.get('kind') ? 'reflection' : 'comment' };
    void add.mutateAsync({ path: '/entries', body }).then(() => form.reset(), keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="write" noValidate>
      <h2 id="write">Write an entry</h2>
      <Field label="Entry" name="text" error={checked} serverError={add.error}>
        {(p) => <textarea {...p} rows={4} />}
      </Field>
      <fieldset>
        <legend>Who sees it</legend>
        <label>
          <input type="radio" name="visibility" value="shared" defaultChecked /> Shared with {acting.role === 'learner' ? 'my coach' : 'the learner'}
        </label>
        <label>
          <input type="radio" name="visibility" value="private" /> Private (only me)
        </label>
      </fieldset>
      {acting.role === 'learner' && (
        <label className="inline">
          <input type="checkbox" name="kind" value="reflection" /> This is a reflection
        </label>
      )}
      <FormError error={add.error} />
      <button type="submit" disabled={add.isPending}>
        Add entry
      </button>
    </form>
  );
}

function ActionItemForm({ dialogue }: { dialogue: Dialogue }) {
  const add = useDialogueCommand(dialogue);
  const [description, setDescription] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [checked, setChecked] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!description.trim()) return setChecked('Describe the action');
    setChecked(undefined);
    const body = { description: description.trim(), ownerId: dialogue.learnerId, ...(dueDate ? { dueDate } : {}) };
    void add.mutateAsync({ path: '/action-items', body }).then(() => { setDescription(''); setDueDate(''); }, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="agree" noValidate>
      <h2 id="agree">Agree an action item</h2>
      <Field label="Action" name="description" error={checked} serverError={add.error}>
        {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />}
      </Field>
      <Field label="Due date (optional)" name="dueDate" serverError={add.error}>
        {(p) => <input {...p} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />}
      </Field>
      <FormError error={add.error} />
      <button type="submit" disabled={add.isPending}>
        Add action item
      </button>
    </form>
  );
}
