import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/http';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { ActionItem, Dialogue } from '../api/types';
import { clearIfSent, Field, FormError, keepForm } from '../ui/forms';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { goalsLinkedTo, maySettle } from './links';
import { keys, useGoals } from './queries';

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
    // not awaited: an awaited refetch here held back mutateAsync (TanStack awaits this callback), and so the form's clear
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
                {e.ratings?.length ? <p className="meta">Rated: {e.ratings.map((r) => `${r.competency} ${r.level} of 5`).join(', ')}</p> : null}
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
          <ul className="action-items">
            {dialogue.actionItems.map((a) => (
              <ActionItemRow key={a.actionId} item={a} dialogue={dialogue} />
            ))}
          </ul>
        )}
      </section>
      <LinkedGoals dialogue={dialogue} />
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

/** What settling an item asks for: what came of it (done), or why not (dropped); both final. */
const SETTLE = {
  done: { path: 'done', field: 'outcome', label: 'What came of it', empty: 'Say what came of it', submit: 'Mark done' },
  drop: { path: 'drop', field: 'reason', label: 'Why it is dropped', empty: 'Say why it is dropped', submit: 'Drop it' },
} as const;

function ActionItemRow({ item, dialogue }: { item: ActionItem; dialogue: Dialogue }) {
  const { userId } = useSignedIn();
  const command = useDialogueCommand(dialogue);
  const [mode, setMode] = useState<keyof typeof SETTLE>();
  const [text, setText] = useState('');
  const [checked, setChecked] = useState<string>();
  const settle = mode && SETTLE[mode];
  // a refusal about the text shows at its field only; anything else (409, 403) above the button
  const atField = !!settle && command.error instanceof ApiError && command.error.about(settle.field).length > 0;
  const choose = (next: keyof typeof SETTLE) => {
    setMode(mode === next ? undefined : next);
    setChecked(undefined);
    command.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!settle) return;
    if (!text.trim()) return setChecked(settle.empty);
    setChecked(undefined);
    // the length rule is the service's: its 422 shows at the field
    const path = `/action-items/${encodeURIComponent(item.actionId)}/${settle.path}`;
    void command.mutateAsync({ path, body: { [settle.field]: text.trim() } }).then(() => setMode(undefined), keepForm);
  };
  return (
    <li>
      {item.status === 'open' ? item.description : <s>{item.description}</s>}{' '}
      <span className="muted">
        — {item.ownerId === userId ? 'you' : item.ownerId}
        {item.dueDate ? `, by ${formatDate(item.dueDate)}` : ''}
      </span>
      {item.overdue && <span className="badge warn">overdue</span>}
      {item.done && <span className="badge done">done {formatDate(item.done.at)}</span>}
      {item.dropped && <span className="badge dropped">dropped {formatDate(item.dropped.at)}</span>}
      {item.done && <p className="settled">Outcome: {item.done.outcome ?? <span className="muted">not recorded</span>}</p>}
      {item.dropped && <p className="settled">Reason: {item.dropped.reason}</p>}
      {maySettle(item, userId, dialogue.learnerId) && (
        <span className="actions-row">
          <button type="button" className="secondary small" aria-expanded={mode === 'done'} onClick={() => choose('done')} aria-label={`Mark done: ${item.description}`}>
            Mark done
          </button>
          <button type="button" className="secondary small" aria-expanded={mode === 'drop'} onClick={() => choose('drop')} aria-label={`Drop: ${item.description}`}>
            Drop
          </button>
        </span>
      )}
      {settle && (
        <form className="panel" onSubmit={submit} aria-label={`${settle.submit}: ${item.description}`} noValidate>
          <Field label={settle.label} name={settle.field} error={checked} serverError={command.error} hint="At most 1000 characters; final once saved">
            {(p) => <textarea {...p} rows={3} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <FormError error={atField ? null : command.error} />
          <button type="submit" disabled={command.isPending}>
            {settle.submit}
          </button>
        </form>
      )}
    </li>
  );
}

/** The learner's goals linked to this dialogue (their coach sees the shared ones: the API filters the list). */
function LinkedGoals({ dialogue }: { dialogue: Dialogue }) {
  const { userId } = useSignedIn();
  const goals = useGoals(dialogue.learnerId);
  const linked = goalsLinkedTo(goals.data ?? [], 'dialogue', dialogue.dialogueId);
  const learner = userId === dialogue.learnerId;
  // an assessor does not see the learner's goals (the list answers 404): nothing to show them
  if (goals.error) return null;
  return (
    <section aria-labelledby="linked-goals">
      <h2 id="linked-goals">Goals linked to this dialogue</h2>
      {goals.isPending ? (
        <p className="muted">Loading the goals…</p>
      ) : linked.length === 0 ? (
        <p>No goal is linked to this dialogue.{learner && <> Link one from <Link to="/learner/goals">a goal's page</Link>.</>}</p>
      ) : (
        <ul>
          {linked.map((g) => (
            <li key={g.goalId}>
              {learner ? <Link to={`/learner/goals/${g.goalId}`}>{g.description}</Link> : g.description} <span className="muted">({g.status}, by {formatDate(g.targetDate)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EntryForm({ dialogue }: { dialogue: Dialogue }) {
  const { acting } = useSignedIn();
  const add = useDialogueCommand(dialogue);
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<'shared' | 'private'>('shared');
  const [reflection, setReflection] = useState(false);
  const [ratings, setRatings] = useState<Map<string, number>>(new Map());
  const [checked, setChecked] = useState<string>();
  // the coach's or an assessor's view of the learner on the dialogue's competencies; the learner rates themselves elsewhere
  const mayRate = acting.role !== 'learner' && dialogue.competencies.length > 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const sent = text;
    if (!sent.trim()) return setChecked('Write something first');
    if (sent.length > 20_000) return setChecked('At most 20,000 characters');
    setChecked(undefined);
    const rated = [...ratings].map(([competency, level]) => ({ competency, level }));
    const body = { text: sent.trim(), visibility, kind: reflection ? 'reflection' : 'comment', ...(rated.length ? { ratings: rated } : {}) };
    // what was typed after sending stays in the field; who sees it and the kind stay as chosen for the next entry
    void add.mutateAsync({ path: '/entries', body }).then(() => { setText(clearIfSent(sent)); setRatings(new Map()); }, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="write" noValidate>
      <h2 id="write">Write an entry</h2>
      <Field label="Entry" name="text" error={checked} serverError={add.error}>
        {(p) => <textarea {...p} rows={4} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <fieldset>
        <legend>Who sees it</legend>
        <label>
          <input type="radio" name="visibility" value="shared" checked={visibility === 'shared'} onChange={() => setVisibility('shared')} /> Shared with{' '}
          {acting.role === 'learner' ? 'my coach' : 'the learner'}
        </label>
        <label>
          <input type="radio" name="visibility" value="private" checked={visibility === 'private'} onChange={() => setVisibility('private')} /> Private (only me)
        </label>
      </fieldset>
      {mayRate && (
        <fieldset>
          <legend>Rate the learner (optional, 1 novice … 5 expert)</legend>
          {dialogue.competencies.map((code) => (
            <label key={code}>
              {code}{' '}
              <select value={ratings.get(code) ?? ''} onChange={(e) => setRatings((m) => { const next = new Map(m); if (e.target.value) next.set(code, Number(e.target.value)); else next.delete(code); return next; })}>
                <option value="">not rated</option>
                {[1, 2, 3, 4, 5].map((level) => <option key={level} value={level}>{level}</option>)}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      {acting.role === 'learner' && (
        <label className="inline">
          <input type="checkbox" name="kind" checked={reflection} onChange={(e) => setReflection(e.target.checked)} /> This is a reflection
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
    void add.mutateAsync({ path: '/action-items', body }).then(() => {
      setDescription(clearIfSent(description));
      setDueDate(clearIfSent(dueDate));
    }, keepForm);
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
