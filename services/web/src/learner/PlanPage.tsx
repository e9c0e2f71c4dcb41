import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { GoalSummary, Plan } from '../api/types';
import { Field, FormError, parseCodes } from '../ui/forms';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { diffPlans } from './plan-diff';
import { keys, useGoals, usePlan } from './queries';

/** The learner's development plan: the current version, a revision form, every version with a diff between any two, the reviews. */
export function PlanPage({ learnerId }: { learnerId?: string }) {
  const { userId } = useSignedIn();
  const owner = learnerId ?? userId;
  const plan = usePlan(owner);
  const goals = useGoals(owner);
  return (
    <>
      <h1>Development plan</h1>
      <Query query={plan} what="the plan">
        {(p) => (
          <>
            {p ? <CurrentPlan plan={p} goals={goals.data ?? []} /> : <p>No plan yet.</p>}
            {/* a new version starts the form afresh from it (its focus areas keep their ids, so a revision reads as a change) */}
            {owner === userId && <RevisePlanForm key={p?.version ?? 0} plan={p} goals={goals.data ?? []} />}
            {p && <Versions plan={p} />}
            {p && <Reviews plan={p} />}
            {p && owner !== userId && <ReviewForm learnerId={owner} />}
          </>
        )}
      </Query>
    </>
  );
}

function CurrentPlan({ plan, goals }: { plan: Plan; goals: GoalSummary[] }) {
  const describe = (goalId: string) => goals.find((g) => g.goalId === goalId)?.description ?? 'a goal you may not see';
  return (
    <section aria-labelledby="current">
      <h2 id="current">Version {plan.version}</h2>
      <p>
        Next review: <strong>{formatDate(plan.nextReviewDue)}</strong>
      </p>
      <h3>Focus areas</h3>
      <ul>
        {plan.focusAreas.map((f) => (
          <li key={f.focusId}>
            {f.title} <span className="muted">({f.competencies.join(', ')})</span>
          </li>
        ))}
      </ul>
      <h3>Goals in the plan</h3>
      {plan.goalIds.length ? <ul>{plan.goalIds.map((g) => <li key={g}>{describe(g)}</li>)}</ul> : <p>None linked.</p>}
    </section>
  );
}

function RevisePlanForm({ plan, goals }: { plan: Plan | null; goals: GoalSummary[] }) {
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const [focus, setFocus] = useState(() => (plan?.focusAreas ?? []).map((f) => ({ ...f, codes: f.competencies.join(', ') })));
  const [goalIds, setGoalIds] = useState<string[]>(plan?.goalIds ?? []);
  const [review, setReview] = useState((plan?.nextReviewDue ?? '').slice(0, 10));
  const [rationale, setRationale] = useState('');
  const [checked, setChecked] = useState<{ focus?: string; review?: string; rationale?: string }>({});
  const revise = useMutation({
    mutationFn: (body: object) => api('feedback', '/plan/revisions', { body }),
    onSuccess: () => {
      setRationale('');
      void refreshAfterCommand(queryClient, [keys.plan(userId)]);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: typeof checked = {};
    const areas = focus.filter((f) => f.title.trim());
    if (areas.length === 0) errors.focus = 'Name at least one focus area';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(review)) errors.review = 'Pick the date of the next review';
    if (plan && !rationale.trim()) errors.rationale = 'Say why the plan changes';
    setChecked(errors);
    if (Object.keys(errors).length) return;
    revise.mutate({
      focusAreas: areas.map((f) => ({ ...(f.focusId ? { focusId: f.focusId } : {}), title: f.title.trim(), competencies: parseCodes(f.codes) })),
      goalIds,
      nextReviewDue: new Date(`${review}T09:00:00.000Z`).toISOString(),
      ...(rationale.trim() ? { rationale: rationale.trim() } : {}),
    });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="revise-plan" noValidate>
      <h2 id="revise-plan">{plan ? 'Revise the plan' : 'Write your plan'}</h2>
      <fieldset>
        <legend>Focus areas</legend>
        {focus.map((f, i) => (
          <div className="row" key={f.focusId || `new-${i}`}>
            <Field label={`Focus area ${i + 1}`} name="focusAreas">
              {(p) => <input {...p} value={f.title} onChange={(e) => setFocus(focus.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))} />}
            </Field>
            <Field label={`Competencies of focus area ${i + 1}`} name="competencies">
              {(p) => <input {...p} value={f.codes} onChange={(e) => setFocus(focus.map((x, j) => (j === i ? { ...x, codes: e.target.value } : x)))} />}
            </Field>
          </div>
        ))}
        {checked.focus && <span className="field-error">{checked.focus}</span>}
        <button type="button" className="secondary" onClick={() => setFocus([...focus, { focusId: '', title: '', competencies: [], codes: '' }])}>
          Add a focus area
        </button>
      </fieldset>
      {goals.length > 0 && (
        <fieldset>
          <legend>Goals in the plan</legend>
          {goals.map((g) => (
            <label className="inline" key={g.goalId}>
              <input
                type="checkbox"
                checked={goalIds.includes(g.goalId)}
                onChange={(e) => setGoalIds(e.target.checked ? [...goalIds, g.goalId] : goalIds.filter((id) => id !== g.goalId))}
              />{' '}
              {g.description}
            </label>
          ))}
        </fieldset>
      )}
      <Field label="Next review with my coach" name="nextReviewDue" error={checked.review} serverError={revise.error}>
        {(p) => <input {...p} type="date" value={review} onChange={(e) => setReview(e.target.value)} />}
      </Field>
      <Field label={plan ? 'Why the plan changes' : 'Why (optional)'} name="rationale" error={checked.rationale} serverError={revise.error}>
        {(p) => <input {...p} value={rationale} onChange={(e) => setRationale(e.target.value)} maxLength={2000} />}
      </Field>
      <FormError error={revise.error} />
      <button type="submit" disabled={revise.isPending}>
        Save the plan
      </button>
    </form>
  );
}

function Versions({ plan }: { plan: Plan }) {
  const versions = plan.versions;
  // until the reader picks two, the latest two versions (also once a new version arrives)
  const [pickedFrom, setFrom] = useState<number>();
  const [pickedTo, setTo] = useState<number>();
  const from = pickedFrom ?? Math.max(1, versions.length - 1);
  const to = pickedTo ?? versions.length;
  const a = versions.find((v) => v.version === from);
  const b = versions.find((v) => v.version === to);
  const diff = a && b ? diffPlans(a, b) : undefined;
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">Versions</h2>
      <ol>
        {versions.map((v) => (
          <li key={v.version}>
            Version {v.version}, {formatDateTime(v.at)} by {v.by}
            {v.rationale && <> — <em>{v.rationale}</em></>}
          </li>
        ))}
      </ol>
      {versions.length > 1 && (
        <div className="row">
          <label>
            Compare version{' '}
            <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
              {versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
            </select>
          </label>
          <label>
            with version{' '}
            <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
              {versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
            </select>
          </label>
        </div>
      )}
      {diff && from !== to && (
        <ul className="diff" aria-label={`Changes from version ${from} to ${to}`}>
          {diff.focusAdded.map((f) => <li key={`a${f.focusId}`} className="added">Focus added: {f.title}</li>)}
          {diff.focusRemoved.map((f) => <li key={`r${f.focusId}`} className="removed">Focus removed: {f.title}</li>)}
          {diff.focusChanged.map((c) => <li key={`c${c.after.focusId}`}>Focus changed: “{c.before.title}” → “{c.after.title}”</li>)}
          {diff.goalsAdded.length > 0 && <li className="added">Goals added: {diff.goalsAdded.length}</li>}
          {diff.goalsRemoved.length > 0 && <li className="removed">Goals removed: {diff.goalsRemoved.length}</li>}
          {diff.reviewDue && <li>Review moved from {formatDate(diff.reviewDue.before)} to {formatDate(diff.reviewDue.after)}</li>}
        </ul>
      )}
    </section>
  );
}

function Reviews({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="reviews">
      <h2 id="reviews">Reviews with the coach</h2>
      {plan.reviews.length === 0 ? (
        <p>No review yet.</p>
      ) : (
        <ul>
          {plan.reviews.map((r) => (
            <li key={r.at}>
              {formatDate(r.at)} ({r.by}): {r.whatChanged}. Next steps: {r.nextSteps.join('; ')}. Next review {formatDate(r.nextReviewDue)}.
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The coach records the review held with the learner. */
function ReviewForm({ learnerId }: { learnerId: string }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [whatChanged, setWhatChanged] = useState('');
  const [steps, setSteps] = useState('');
  const [due, setDue] = useState('');
  const record = useMutation({
    mutationFn: (body: object) => api('feedback', `/learners/${encodeURIComponent(learnerId)}/plan/reviews`, { body }),
    onSuccess: () => {
      setWhatChanged('');
      setSteps('');
      void refreshAfterCommand(queryClient, [keys.plan(learnerId)]);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!whatChanged.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(due)) return;
    record.mutate({ whatChanged: whatChanged.trim(), nextSteps: steps.split('\n').map((s) => s.trim()).filter(Boolean), nextReviewDue: new Date(`${due}T09:00:00.000Z`).toISOString() });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="record-review">
      <h2 id="record-review">Record a plan review</h2>
      <Field label="What changed" name="whatChanged" serverError={record.error}>
        {(p) => <textarea {...p} rows={2} value={whatChanged} onChange={(e) => setWhatChanged(e.target.value)} required />}
      </Field>
      <Field label="Next steps (one a line)" name="nextSteps" serverError={record.error}>
        {(p) => <textarea {...p} rows={3} value={steps} onChange={(e) => setSteps(e.target.value)} />}
      </Field>
      <Field label="Next review" name="nextReviewDue" serverError={record.error}>
        {(p) => <input {...p} type="date" value={due} onChange={(e) => setDue(e.target.value)} required />}
      </Field>
      <FormError error={record.error} />
      <button type="submit" disabled={record.isPending}>
        Record review
      </button>
    </form>
  );
}
