import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { refreshAfterCommand } from '../api/invalidate';
import { Cohort } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { ConfirmButton } from './ConfirmButton';
import { cohortsKey, Enrollment } from './school-data';

/** A learner's enrollment changes in the acting school: enroll into a cohort, or withdraw (with a reason) or graduate. */
export function EnrollmentActions({ userId, displayName, enrollment, cohorts, defaultCohortId = '' }: {
  userId: string;
  displayName: string;
  enrollment: Enrollment | undefined;
  cohorts: Cohort[];
  /** the cohort chosen to begin with (on a cohort's page: that one) */
  defaultCohortId?: string;
}) {
  const { api, acting } = useSignedIn();
  const queryClient = useQueryClient();
  const schoolId = acting.schoolId;
  const change = useMutation({
    mutationFn: ({ path, body }: { path: 'enrollment' | 'withdrawal' | 'graduation'; body: object }) =>
      api('identity', `/users/${encodeURIComponent(userId)}/${path}`, { body: { schoolId, ...body } }),
    onSuccess: () => void refreshAfterCommand(queryClient, [cohortsKey(schoolId)]),
  });
  const [reason, setReason] = useState('');
  const [cohortId, setCohortId] = useState(defaultCohortId);

  if (enrollment?.status === 'enrolled') {
    return (
      <div className="actions-row">
        <ConfirmButton
          label={`Withdraw ${displayName}`}
          title={`Withdraw ${displayName} from ${enrollment.cohortId}?`}
          confirmLabel="Withdraw"
          onConfirm={async () => { await change.mutateAsync({ path: 'withdrawal', body: { reason: reason.trim() } }); setReason(''); }}
        >
          {(error) => (
            <>
              <p>Their coaching relationship ends. They can be enrolled again later.</p>
              <Field label="Reason for the withdrawal" name="reason" serverError={error}>
                {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} rows={3} />}
              </Field>
            </>
          )}
        </ConfirmButton>
        <ConfirmButton
          label={`Graduate ${displayName}`}
          title={`Record ${displayName} as graduated from ${enrollment.cohortId}?`}
          confirmLabel="Graduate"
          onConfirm={() => change.mutateAsync({ path: 'graduation', body: {} })}
        >
          <p>Their coaching relationship ends.</p>
        </ConfirmButton>
      </div>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (cohortId) change.mutateAsync({ path: 'enrollment', body: { cohortId } }).then(() => setCohortId(defaultCohortId), keepForm);
  };
  return (
    <form onSubmit={submit} aria-label={`Enroll ${displayName}`}>
      <div className="row">
        <Field label={`Cohort for ${displayName}`} name="cohortId" serverError={change.error}>
          {(p) => (
            <select {...p} value={cohortId} onChange={(e) => setCohortId(e.target.value)} required>
              <option value="">Choose a cohort</option>
              {cohorts.map((c) => <option key={c.cohortId} value={c.cohortId}>{c.cohortId} ({c.program}, {c.graduationYear})</option>)}
            </select>
          )}
        </Field>
        <div className="field"><button type="submit" disabled={change.isPending || !cohortId}>Enroll</button></div>
      </div>
      <FormError error={change.error} />
    </form>
  );
}
