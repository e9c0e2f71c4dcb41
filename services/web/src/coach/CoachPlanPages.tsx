import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/http';
import { refreshAfterCommand } from '../api/invalidate';
import { COACH_FOCUS_AREAS, CoachFocusArea, CoachPlan, CoachPlanList } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { formLevelError } from '../lead/roster';
import { AREA_LABELS, planHistory, REVIEWER_LABELS, revisionBody } from './coach-plan';

const planKey = (coachId: string) => ['coach-plan', coachId] as const;
const LIST_KEY = ['coach-plans'] as const;

function useCoachPlan(coachId: string, { noneIsEmpty }: { noneIsEmpty: boolean }) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: planKey(coachId),
    // the coach's own plan not written yet is a 404: the page offers to write the first version
    queryFn: () => api<CoachPlan>('feedback', `/coaches/${encodeURIComponent(coachId)}/plan`).catch((error) => {
      if (noneIsEmpty && error instanceof ApiError && error.status === 404 && error.message.startsWith('no development plan for')) return null;
      throw error;
    }),
  });
}

/** The coach's own development plan: the current version, a revision form, asking for a review, its history. */
export function MyCoachPlanPage() {
  const { userId } = useSignedIn();
  const plan = useCoachPlan(userId, { noneIsEmpty: true });
  return (
    <>
      <h1>My development plan</h1>
      <Query query={plan} what="your plan">
        {(p) => (
          <>
            {p ? <CurrentCoachPlan plan={p} /> : <p>No plan yet. Choose the areas you want to grow in as a coach.</p>}
            <ReviseCoachPlanForm key={p?.planVersion ?? 0} plan={p} />
            {p && <AskForReview plan={p} />}
            {p && <History plan={p} />}
          </>
        )}
      </Query>
    </>
  );
}

function CurrentCoachPlan({ plan }: { plan: CoachPlan }) {
  return (
    <section aria-labelledby="current-plan">
      <h2 id="current-plan">Version {plan.planVersion}</h2>
      <p>Next review: <strong>{formatDate(plan.nextReviewDue)}</strong></p>
      <ul>
        {plan.focusAreas.map((f) => (
          <li key={f.focusId}><strong>{AREA_LABELS[f.area]}</strong>: {f.title}</li>
        ))}
      </ul>
      {plan.awaiting.length > 0 && (
        <p className="muted">Awaiting a review from {plan.awaiting.map((r) => `${r.reviewerName} (${REVIEWER_LABELS[r.reviewerRole]})`).join(', ')}.</p>
      )}
    </section>
  );
}

function ReviseCoachPlanForm({ plan }: { plan: CoachPlan | null }) {
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const blank = { focusId: '', area: '' as CoachFocusArea | '', title: '' };
  const [focus, setFocus] = useState(() => (plan?.focusAreas.length ? plan.focusAreas.map((f) => ({ ...f })) : [blank]));
  const [review, setReview] = useState((plan?.nextReviewDue ?? '').slice(0, 10));
  const [rationale, setRationale] = useState('');
  const [checked, setChecked] = useState<{ focus?: string; review?: string; rationale?: string }>({});
  const revise = useMutation({
    mutationFn: (body: object) => api('feedback', '/coaches/me/plan/revisions', { body }),
    onSuccess: () => refreshAfterCommand(queryClient, [planKey(userId)]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = revisionBody({ focus, review, rationale }, !!plan);
    setChecked(result.errors ?? {});
    if (result.body) void revise.mutateAsync(result.body).then(() => setRationale(''), keepForm);
  };
  const change = (i: number, part: Partial<typeof blank>) => setFocus(focus.map((x, j) => (j === i ? { ...x, ...part } : x)));
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="revise-coach-plan" noValidate>
      <h2 id="revise-coach-plan">{plan ? 'Revise my plan' : 'Write my plan'}</h2>
      <fieldset>
        <legend>Focus areas</legend>
        {focus.map((f, i) => (
          <div className="row" key={f.focusId || `new-${i}`}>
            <Field label={`Area ${i + 1}`} name="area">
              {(p) => (
                <select {...p} value={f.area} onChange={(e) => change(i, { area: e.target.value as CoachFocusArea })}>
                  <option value="">Choose an area</option>
                  {COACH_FOCUS_AREAS.map((a) => <option key={a} value={a}>{AREA_LABELS[a]}</option>)}
                </select>
              )}
            </Field>
            <Field label={`In my words (area ${i + 1})`} name="title">
              {(p) => <input {...p} value={f.title} maxLength={500} onChange={(e) => change(i, { title: e.target.value })} />}
            </Field>
          </div>
        ))}
        {checked.focus && <span className="field-error" role="alert">{checked.focus}</span>}
        <button type="button" className="secondary" onClick={() => setFocus([...focus, blank])}>Add a focus area</button>
      </fieldset>
      <Field label="Next review" name="nextReviewDue" error={checked.review} serverError={revise.error}>
        {(p) => <input {...p} type="date" value={review} onChange={(e) => setReview(e.target.value)} />}
      </Field>
      <Field label={plan ? 'Why the plan changes' : 'Why (optional)'} name="rationale" error={checked.rationale} serverError={revise.error}>
        {(p) => <input {...p} value={rationale} maxLength={2000} onChange={(e) => setRationale(e.target.value)} />}
      </Field>
      <FormError error={formLevelError(revise.error, ['nextReviewDue', 'rationale'])} />
      <button type="submit" disabled={revise.isPending}>Save my plan</button>
    </form>
  );
}

/** The coach asks the coaching lead or a peer coach (by user id) to review the plan. */
function AskForReview({ plan }: { plan: CoachPlan }) {
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const [reviewerId, setReviewerId] = useState('');
  const ask = useMutation({
    mutationFn: (body: object) => api('feedback', '/coaches/me/plan/review-requests', { body }),
    onSuccess: () => refreshAfterCommand(queryClient, [planKey(userId)]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reviewerId.trim()) void ask.mutateAsync({ reviewerId: reviewerId.trim() }).then(() => setReviewerId(''), keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="ask-review">
      <h2 id="ask-review">Ask for a review</h2>
      <p className="muted">Version {plan.planVersion}. Whoever you ask can read your plan from then on.</p>
      <Field label="Reviewer's user id" name="reviewerId" hint="Your school's coaching lead or a coach of your school" serverError={ask.error}>
        {(p) => <input {...p} value={reviewerId} maxLength={128} onChange={(e) => setReviewerId(e.target.value)} required />}
      </Field>
      <FormError error={formLevelError(ask.error, ['reviewerId'])} />
      <button type="submit" disabled={ask.isPending}>Ask for a review</button>
    </form>
  );
}

function History({ plan }: { plan: CoachPlan }) {
  return (
    <section aria-labelledby="plan-history">
      <h2 id="plan-history">History</h2>
      <ol className="entries">
        {planHistory(plan).map((line, i) => (
          <li key={`${line.at}-${i}`}>{formatDateTime(line.at)}: {line.text}</li>
        ))}
      </ol>
      {plan.reviews.length > 0 && (
        <>
          <h3>Reviews</h3>
          <ul>
            {plan.reviews.map((r) => (
              <li key={r.reviewId}>
                {formatDate(r.at)}, {r.reviewerName} ({REVIEWER_LABELS[r.reviewerRole]}): {r.whatChanged}.
                {r.nextSteps.length > 0 && <> Next steps: {r.nextSteps.join('; ')}.</>} Next review {formatDate(r.nextReviewDue)}.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The reviewer's list: a coach's plans they were asked to review, or a lead's every coach plan of the school. */
export function CoachPlansPage({ base, lead = false }: { base: string; lead?: boolean }) {
  const { api } = useSignedIn();
  const list = useQuery({ queryKey: LIST_KEY, queryFn: () => api<CoachPlanList>('feedback', '/coach-plans') });
  return (
    <>
      <h1>{lead ? 'Coaches\' development plans' : 'Coaches\' plans to review'}</h1>
      <Query query={list} what="the plans">
        {({ items }) => (items.length === 0 ? <p>{lead ? 'No coach has written a plan yet.' : 'No coach has asked you to review their plan.'}</p> : (
          <TableWrap label="Coaches' development plans">
            <table>
              <thead><tr><th scope="col">Coach</th><th scope="col">Focus</th><th scope="col">Next review</th><th scope="col">Your review</th></tr></thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.coachId}>
                    <th scope="row"><Link to={`${base}/${encodeURIComponent(p.coachId)}`}>{p.coachName}</Link></th>
                    <td>{p.areas.map((a) => AREA_LABELS[a]).join(', ')}</td>
                    <td>{formatDate(p.nextReviewDue)}</td>
                    <td>{p.awaitingMyReview ? <strong>Awaiting your review</strong> : p.askedAt ? 'Done' : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))}
      </Query>
    </>
  );
}

/** One coach's plan for its reviewer (or a lead): the plan, its history, and the review form when it awaits this reviewer. */
export function CoachPlanReviewPage() {
  const { coachId = '' } = useParams();
  const { userId } = useSignedIn();
  const plan = useCoachPlan(coachId, { noneIsEmpty: false });
  return (
    <>
      <h1>Development plan of {plan.data?.coachName ?? coachId}</h1>
      <Query query={plan} what="the plan" page>
        {(p) => (
          <>
            {p && <CurrentCoachPlan plan={p} />}
            {p && p.awaiting.some((r) => r.reviewerId === userId) && <RecordCoachPlanReview coachId={coachId} />}
            {p && <History plan={p} />}
          </>
        )}
      </Query>
    </>
  );
}

function RecordCoachPlanReview({ coachId }: { coachId: string }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [whatChanged, setWhatChanged] = useState('');
  const [steps, setSteps] = useState('');
  const [due, setDue] = useState('');
  const [checked, setChecked] = useState<{ whatChanged?: string; due?: string }>({});
  const record = useMutation({
    mutationFn: (body: object) => api('feedback', `/coaches/${encodeURIComponent(coachId)}/plan/reviews`, { body }),
    onSuccess: () => refreshAfterCommand(queryClient, [planKey(coachId), LIST_KEY]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = { ...(!whatChanged.trim() ? { whatChanged: 'Say what changed' } : {}), ...(!/^\d{4}-\d{2}-\d{2}$/.test(due) ? { due: 'Pick the date of the next review' } : {}) };
    setChecked(errors);
    if (Object.keys(errors).length) return;
    record.mutate({ whatChanged: whatChanged.trim(), nextSteps: steps.split('\n').map((s) => s.trim()).filter(Boolean), nextReviewDue: new Date(`${due}T09:00:00.000Z`).toISOString() });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="record-coach-review" noValidate>
      <h2 id="record-coach-review">Record the review</h2>
      <Field label="What changed" name="whatChanged" error={checked.whatChanged} serverError={record.error}>
        {(p) => <textarea {...p} rows={2} value={whatChanged} maxLength={5000} onChange={(e) => setWhatChanged(e.target.value)} />}
      </Field>
      <Field label="Next steps (one a line)" name="nextSteps" serverError={record.error}>
        {(p) => <textarea {...p} rows={3} value={steps} onChange={(e) => setSteps(e.target.value)} />}
      </Field>
      <Field label="Next review" name="nextReviewDue" error={checked.due} serverError={record.error}>
        {(p) => <input {...p} type="date" value={due} onChange={(e) => setDue(e.target.value)} />}
      </Field>
      <FormError error={formLevelError(record.error, ['whatChanged', 'nextSteps', 'nextReviewDue'])} />
      <button type="submit" disabled={record.isPending}>Record review</button>
    </form>
  );
}
