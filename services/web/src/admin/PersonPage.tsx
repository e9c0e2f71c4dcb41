import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { NotFound, Query } from '../ui/Status';
import { ConfirmButton } from './ConfirmButton';
import { EnrollmentActions } from './EnrollmentActions';
import { cohortsKey, describeEnrollment, enrollmentOf, membersKey, SCHOOL_ROLES, useCohorts, useMembers } from './school-data';

/** One person of the school: their roles (grant, revoke) and, for a learner, their enrollment. */
export function PersonPage() {
  const { userId = '' } = useParams();
  const { acting } = useSignedIn();
  const members = useMembers(acting.schoolId);
  return (
    <Query query={members} what="the person">
      {(list) => {
        const person = list.find((m) => m.userId === userId);
        if (!person) return <NotFound />;
        return (
          <>
            <h1>{person.displayName}</h1>
            <p>
              {person.email} · {person.deactivated ? 'deactivated' : 'active'} · <Link to="/school-admin">All people</Link>
            </p>
            <Roles userId={person.userId} displayName={person.displayName} roles={person.roles} />
            {person.roles.includes('learner') && <LearnerEnrollment userId={person.userId} displayName={person.displayName} />}
          </>
        );
      }}
    </Query>
  );
}

function Roles({ userId, displayName, roles }: { userId: string; displayName: string; roles: string[] }) {
  const { api, acting } = useSignedIn();
  const queryClient = useQueryClient();
  const schoolId = acting.schoolId;
  const refresh = () => void refreshAfterCommand(queryClient, [membersKey(schoolId), cohortsKey(schoolId)]);
  const grant = useMutation({
    mutationFn: (role: string) => api('identity', `/users/${encodeURIComponent(userId)}/roles`, { body: { schoolId, role } }),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: (role: string) => api('identity', `/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(schoolId)}/${encodeURIComponent(role)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const grantable = SCHOOL_ROLES.filter((r) => !roles.includes(r));
  const [role, setRole] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (role) grant.mutateAsync(role).then(() => setRole(''), keepForm);
  };
  return (
    <section className="panel" aria-labelledby="roles">
      <h2 id="roles">Roles in {schoolId}</h2>
      {roles.length === 0 ? <p>No role in this school.</p> : (
        <ul className="assign-list">
          {roles.map((r) => (
            <li key={r} className="actions-row">
              <strong>{r}</strong>
              <ConfirmButton label={`Revoke ${r}`} title={`Revoke the role ${r} from ${displayName}?`} confirmLabel="Revoke" onConfirm={() => revoke.mutateAsync(r)}>
                <p>{displayName} loses what the role lets them do in {schoolId} once their current sign-in ends. You can grant it again later.</p>
              </ConfirmButton>
            </li>
          ))}
        </ul>
      )}
      {grantable.length > 0 && (
        <form onSubmit={submit} aria-label="Grant a role">
          <div className="row">
            <Field label="Role to grant" name="role" serverError={grant.error}>
              {(p) => (
                <select {...p} value={role} onChange={(e) => setRole(e.target.value)} required>
                  <option value="">Choose a role</option>
                  {grantable.map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
              )}
            </Field>
            <div className="field"><button type="submit" disabled={grant.isPending || !role}>Grant</button></div>
          </div>
          <FormError error={grant.error} />
          {grant.isSuccess && <p role="status">Role granted.</p>}
        </form>
      )}
    </section>
  );
}

function LearnerEnrollment({ userId, displayName }: { userId: string; displayName: string }) {
  const { acting } = useSignedIn();
  const cohorts = useCohorts(acting.schoolId);
  return (
    <section className="panel" aria-labelledby="enrollment">
      <h2 id="enrollment">Enrollment</h2>
      <Query query={cohorts} what="the cohorts">
        {(list) => {
          const enrollment = enrollmentOf(list, userId);
          return (
            <>
              <p role="status">{displayName} is {describeEnrollment(enrollment)}.</p>
              <EnrollmentActions userId={userId} displayName={displayName} enrollment={enrollment} cohorts={list} />
              <p><Link to={`/school-admin/learners/${encodeURIComponent(userId)}`}>Audit: {displayName}'s full history</Link></p>
            </>
          );
        }}
      </Query>
    </section>
  );
}
