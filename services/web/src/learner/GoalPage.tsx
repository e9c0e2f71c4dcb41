import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Goal, GoalLink, GoalStatus } from '../api/types';
import { clearIfSent, Field, FormError, keepForm } from '../ui/forms';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { checkGoal } from './GoalsPage';
import { describeLink, linkTargets, linkValue, parseLinkValue } from './links';
import { keys, useAssessmentResults, useDialogues, useGoal } from './queries';

export function GoalPage() {
  const { goalId = '' } = useParams();
  const goal = useGoal(goalId);
  return (
    <Query query={goal} what="the goal" page>
      {(g) => <GoalView goal={g} />}
    </Query>
  );
}

function useGoalCommand(goal: Goal) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body, method }: { path: string; body?: object; method?: 'POST' | 'DELETE' }) =>
      api('feedback', `/goals/${encodeURIComponent(goal.goalId)}${path}`, { body, method: method ?? 'POST' }),
    onSuccess: () => void refreshAfterCommand(queryClient, [keys.goal(goal.goalId), keys.goals(goal.learnerId)]),
  });
}

const NEXT_STATUSES: Record<GoalStatus, GoalStatus[]> = {
  draft: ['active'],
  active: ['achieved', 'deferred', 'abandoned'],
  deferred: ['active', 'abandoned'],
  achieved: [],
  abandoned: [],
};

function GoalView({ goal }: { goal: Goal }) {
  const { userId } = useSignedIn();
  const status = useGoalCommand(goal);
  const own = goal.learnerId === userId;
  return (
    <article aria-labelledby="goal-title">
      <h1 id="goal-title">{goal.description}</h1>
      <p className="muted">
        {goal.status} · target {formatDate(goal.targetDate)} · {goal.competencies.join(', ') || 'no competency'} ·{' '}
        {goal.visibility === 'shared' ? 'shared with the coach' : 'private'}
      </p>
      {goal.measureOfSuccess && <p>Measure of success: {goal.measureOfSuccess}</p>}
      {own && (
        <div className="actions-row">
          {NEXT_STATUSES[goal.status].map((to) => (
            <button key={to} type="button" className="secondary" disabled={status.isPending} onClick={() => status.mutate({ path: '/status', body: { to } })}>
              Mark {to}
            </button>
          ))}
          <button
            type="button"
            className="secondary"
            disabled={status.isPending}
            onClick={() => status.mutate({ path: '/sharing', body: { visibility: goal.visibility === 'shared' ? 'private' : 'shared' } })}
          >
            {goal.visibility === 'shared' ? 'Stop sharing with my coach' : 'Share with my coach'}
          </button>
          <FormError error={status.error} />
        </div>
      )}
      <section aria-labelledby="revisions">
        <h2 id="revisions">Revisions</h2>
        {goal.revisions.length === 0 ? (
          <p>Not revised since it was set on {formatDate(goal.createdAt)}.</p>
        ) : (
          <ol>
            {goal.revisions.map((r) => (
              <li key={r.at}>
                {formatDateTime(r.at)}: “{r.description}”, by {formatDate(r.targetDate)} — <em>{r.rationale}</em>
              </li>
            ))}
          </ol>
        )}
        {goal.statusChanges.length > 0 && (
          <>
            <h3>Status changes</h3>
            <ul>
              {goal.statusChanges.map((c) => (
                <li key={c.at}>
                  {formatDateTime(c.at)}: {c.from} → {c.to}
                  {c.note ? ` (${c.note})` : ''}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="notes">
        <h2 id="notes">Progress notes</h2>
        {goal.progressNotes.length === 0 ? <p>None yet.</p> : <ul>{goal.progressNotes.map((n) => <li key={n.noteId}>{formatDate(n.at)}: {n.note}</li>)}</ul>}
      </section>
      <Links goal={goal} own={own} />
      {own && ['draft', 'active', 'deferred'].includes(goal.status) && <ReviseForm goal={goal} />}
      {own && <NoteForm goal={goal} />}
    </article>
  );
}

function ReviseForm({ goal }: { goal: Goal }) {
  const revise = useGoalCommand(goal);
  const [description, setDescription] = useState(goal.description);
  const [targetDate, setTargetDate] = useState(goal.targetDate.slice(0, 10));
  const [rationale, setRationale] = useState('');
  const [checked, setChecked] = useState<ReturnType<typeof checkGoal>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = checkGoal({ description, targetDate, rationale }, new Date().toISOString().slice(0, 10));
    setChecked(errors);
    if (Object.keys(errors).length) return;
    void revise.mutateAsync({ path: '/revisions', body: { description: description.trim(), targetDate, rationale: rationale.trim() } }).then(() => setRationale(clearIfSent(rationale)), keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="revise" noValidate>
      <h2 id="revise">Revise the goal</h2>
      <Field label="Goal" name="description" error={checked.description} serverError={revise.error}>
        {(p) => <textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field label="Target date" name="targetDate" error={checked.targetDate} serverError={revise.error}>
        {(p) => <input {...p} type="date" value={targetDate} onChange={(e) => setTargetDate(e.target.value)} />}
      </Field>
      <Field label="Why it changes" name="rationale" error={checked.rationale} serverError={revise.error}>
        {(p) => <input {...p} value={rationale} onChange={(e) => setRationale(e.target.value)} maxLength={2000} />}
      </Field>
      <FormError error={revise.error} />
      <button type="submit" disabled={revise.isPending}>
        Save revision
      </button>
    </form>
  );
}

function NoteForm({ goal }: { goal: Goal }) {
  const add = useGoalCommand(goal);
  const [note, setNote] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (note.trim()) void add.mutateAsync({ path: '/progress-notes', body: { note: note.trim() } }).then(() => setNote(clearIfSent(note)), keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="add-note" noValidate>
      <h2 id="add-note">Add a progress note</h2>
      <Field label="Note" name="note" serverError={add.error}>
        {(p) => <input {...p} value={note} onChange={(e) => setNote(e.target.value)} maxLength={5000} />}
      </Field>
      <FormError error={add.error} />
      <button type="submit" disabled={add.isPending}>
        Add note
      </button>
    </form>
  );
}

const linkPath = (link: GoalLink) => `/links/${encodeURIComponent(link.kind)}/${encodeURIComponent(link.targetId)}`;

/** What motivated the goal: links to the learner's dialogues and results, which the learner adds and takes back. */
function Links({ goal, own }: { goal: Goal; own: boolean }) {
  const dialogues = useDialogues(goal.learnerId);
  const results = useAssessmentResults(goal.learnerId);
  const change = useGoalCommand(goal);
  const [chosen, setChosen] = useState('');
  const [checked, setChecked] = useState<string>();
  const dialogueList = dialogues.data ?? [];
  const resultList = own ? (results.data ?? []) : [];
  const targets = own ? linkTargets(goal.links, dialogueList, resultList) : [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const target = parseLinkValue(chosen);
    if (!target) return setChecked('Choose a dialogue or a result');
    setChecked(undefined);
    void change.mutateAsync({ path: '/links', body: target }).then(() => setChosen((current) => (current === chosen ? '' : current)), keepForm);
  };
  return (
    <section aria-labelledby="links">
      <h2 id="links">Linked dialogues and results</h2>
      {goal.links.length === 0 ? (
        <p>Not linked to a dialogue or a result.</p>
      ) : (
        <ul className="links">
          {goal.links.map((link) => (
            <li key={linkValue(link)}>
              {link.kind === 'dialogue' ? (
                <Link to={`/learner/dialogues/${link.targetId}`}>{describeLink(link, dialogueList, resultList)}</Link>
              ) : (
                <span>
                  Assessment result: <Link to="/learner/self-assessment">{describeLink(link, dialogueList, resultList)}</Link>
                </span>
              )}{' '}
              {own && (
                <button
                  type="button"
                  className="secondary small"
                  disabled={change.isPending}
                  aria-label={`Remove the link to ${describeLink(link, dialogueList, resultList)}`}
                  onClick={() => change.mutate({ path: linkPath(link), method: 'DELETE' })}
                >
                  Remove link
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {own && (
        <form className="panel" onSubmit={submit} aria-labelledby="add-link" noValidate>
          <h3 id="add-link">Link a dialogue or a result</h3>
          <Field label="Dialogue or result" name="targetId" error={checked} serverError={change.error}>
            {(p) => (
              <select {...p} value={chosen} onChange={(e) => setChosen(e.target.value)}>
                <option value="">Choose…</option>
                <optgroup label="My dialogues">
                  {targets.filter((t) => t.kind === 'dialogue').map((t) => <option key={linkValue(t)} value={linkValue(t)}>{t.label}</option>)}
                </optgroup>
                <optgroup label="My assessment results">
                  {targets.filter((t) => t.kind === 'assessment-result').map((t) => <option key={linkValue(t)} value={linkValue(t)}>{t.label}</option>)}
                </optgroup>
              </select>
            )}
          </Field>
          <FormError error={change.error} />
          <button type="submit" disabled={change.isPending}>
            Link
          </button>
        </form>
      )}
    </section>
  );
}
