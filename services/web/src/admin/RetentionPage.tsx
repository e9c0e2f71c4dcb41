import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { EraseButton } from './AuditPages';
import { ConfirmButton } from './ConfirmButton';
import { SchoolChooser } from './SchoolChooser';
import { describeProposal, RetentionView, SweepAnswer } from './retention';

const retentionKey = (schoolId: string) => ['retention', schoolId];

/**
 * Retention per school (README, "Erasure"): the institution admin sets how long a school keeps a learner's personal
 * data after they left; the daily sweep then proposes their erasure, which the admin confirms (the erasure itself)
 * or dismisses with a reason, optionally keeping them until a date.
 */
export function RetentionPage() {
  return (
    <>
      <h1>Retention</h1>
      <p className="hint">How long each school keeps a learner's personal data after they graduated or withdrew; when that time is over, the daily sweep proposes their erasure here for you to confirm or dismiss.</p>
      <SchoolChooser id="retention-school">{(schoolId) => <SchoolRetention key={schoolId} schoolId={schoolId} />}</SchoolChooser>
    </>
  );
}

function SchoolRetention({ schoolId }: { schoolId: string }) {
  const { api } = useSignedIn();
  const retention = useQuery({ queryKey: retentionKey(schoolId), queryFn: () => api<RetentionView>('identity', `/schools/${encodeURIComponent(schoolId)}/retention`) });
  return (
    <Query query={retention} what="the retention of this school">
      {(view) => (
        <>
          <PolicyForm schoolId={schoolId} view={view} />
          <Sweep schoolId={schoolId} />
          <Proposals schoolId={schoolId} view={view} />
        </>
      )}
    </Query>
  );
}

function PolicyForm({ schoolId, view }: { schoolId: string; view: RetentionView }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [years, setYears] = useState(String(view.policy?.yearsAfterLeaving ?? ''));
  const [reason, setReason] = useState('');
  const set = useMutation({
    mutationFn: (body: object) => api('identity', `/schools/${encodeURIComponent(schoolId)}/retention-policy`, { method: 'PUT', body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [retentionKey(schoolId)]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    set.mutateAsync({ yearsAfterLeaving: Number(years), reason }).then(() => setReason(''), keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="retention-policy">
      <h2 id="retention-policy">Policy of {schoolId}</h2>
      <p>
        {view.policy
          ? `Personal data is kept ${view.policy.yearsAfterLeaving} years after a learner left: ${view.policy.reason} (set ${view.policy.setAt.slice(0, 10)}).`
          : 'No policy yet: no erasure is proposed for this school.'}
      </p>
      <div className="row">
        <Field label="Years after leaving" name="yearsAfterLeaving" hint="1 to 50" serverError={set.error}>
          {(p) => <input {...p} type="number" min={1} max={50} step={1} value={years} onChange={(e) => setYears(e.target.value)} required />}
        </Field>
        <Field label="Reason" name="reason" hint="the regulation or decision behind it" serverError={set.error}>
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />}
        </Field>
      </div>
      <FormError error={set.error} />
      <button type="submit" disabled={set.isPending}>{view.policy ? 'Change the policy' : 'Set the policy'}</button>
      {set.isSuccess && <p role="status">The policy is set.</p>}
    </form>
  );
}

/** The daily sweep run now, or as of another date (to see what a date would propose; it proposes it). */
function Sweep({ schoolId }: { schoolId: string }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [asOf, setAsOf] = useState('');
  const sweep = useMutation({
    mutationFn: (body: object) => api<SweepAnswer>('identity', `/schools/${encodeURIComponent(schoolId)}/retention/sweep`, { body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [retentionKey(schoolId)]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sweep.mutateAsync(asOf ? { asOf } : {}).catch(keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="retention-sweep">
      <h2 id="retention-sweep">Sweep now</h2>
      <Field label="As of" name="asOf" hint="empty: today" serverError={sweep.error}>
        {(p) => <input {...p} type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />}
      </Field>
      <FormError error={sweep.error} />
      <button type="submit" className="secondary" disabled={sweep.isPending}>Propose what is due</button>
      {sweep.data && <p role="status">{sweep.data.proposed.length === 0 ? `Nothing new is due as of ${sweep.data.asOf}.` : `Proposed ${sweep.data.proposed.length} erasures as of ${sweep.data.asOf}.`}</p>}
    </form>
  );
}

function Proposals({ schoolId, view }: { schoolId: string; view: RetentionView }) {
  const queryClient = useQueryClient();
  const refresh = () => refreshAfterCommand(queryClient, [retentionKey(schoolId)]);
  return (
    <section aria-labelledby="retention-proposals">
      <h2 id="retention-proposals">Erasure proposals</h2>
      {view.proposals.length === 0 ? <p>No erasure proposed.</p> : (
        <TableWrap label="Erasure proposals">
          <table>
            <thead><tr><th scope="col">Learner</th><th scope="col">Left</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {view.proposals.map((p) => (
                <tr key={p.userId}>
                  <td>{p.name ?? '[erased]'} <span className="muted">{p.userId}</span></td>
                  <td>{p.leftAt.slice(0, 10)}</td>
                  <td>{p.dueOn}</td>
                  <td>{describeProposal(p)}</td>
                  <td>
                    {p.status === 'pending' && (
                      <div className="actions-row">
                        <EraseButton learnerId={p.userId} onErased={refresh} className="danger small" />
                        <DismissButton schoolId={schoolId} userId={p.userId} onDismissed={refresh} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function DismissButton({ schoolId, userId, onDismissed }: { schoolId: string; userId: string; onDismissed: () => unknown }) {
  const { api } = useSignedIn();
  const [reason, setReason] = useState('');
  const [keepUntil, setKeepUntil] = useState('');
  const dismiss = async () => {
    const body = { reason, ...(keepUntil ? { keepUntil } : {}) };
    await api('identity', `/schools/${encodeURIComponent(schoolId)}/retention/proposals/${encodeURIComponent(userId)}/dismiss`, { body });
    await onDismissed();
  };
  return (
    <ConfirmButton label={`Dismiss ${userId}`} title={`Keep ${userId}'s personal data?`} confirmLabel="Dismiss the proposal" onConfirm={dismiss} destructive={false}>
      {(error) => (
        <>
          <Field label="Reason" name="reason" hint="kept with the proposal; personal, so erased with the learner" serverError={error}>
            {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />}
          </Field>
          <Field label="Keep until" name="keepUntil" hint="optional; without a date the data is kept for a year" serverError={error}>
            {(p) => <input {...p} type="date" value={keepUntil} onChange={(e) => setKeepUntil(e.target.value)} />}
          </Field>
        </>
      )}
    </ConfirmButton>
  );
}
