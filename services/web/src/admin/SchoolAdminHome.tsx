import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ChangeEvent, FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { Pager } from '../ui/Pager';
import { TableWrap } from '../ui/TableWrap';
import { LineErrors } from '../ui/LineErrors';
import { Query } from '../ui/Status';
import { cohortsKey, describeEnrollment, enrollmentOf, matchesSearch, membersKey, SCHOOL_ROLES, useCohorts, useMembers } from './school-data';

const PAGE_SIZE = 25;

/** The school admin's home: the school's people and their roles (each opens to manage roles and enrollment), registering one, a roster upload. */
export function SchoolAdminHome() {
  const { acting } = useSignedIn();
  const members = useMembers(acting.schoolId);
  const cohorts = useCohorts(acting.schoolId);
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState('');
  return (
    <>
      <h1>People of {acting.schoolId}</h1>
      <RegisterPerson />
      <RosterUpload />
      <section aria-labelledby="people">
        <h2 id="people">Users and roles</h2>
        <Query query={members} what="the school's people">
          {(list) => {
            const shown = list.filter((m) => matchesSearch(m, filter));
            const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
            return (
              <>
                <label>
                  Find a person or role <input value={filter} onChange={(e) => { setFilter(e.target.value); setPage(1); }} />
                </label>
                <TableWrap label="Users and roles">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">E-mail</th>
                        <th scope="col">Roles</th>
                        <th scope="col">Enrollment</th>
                        <th scope="col">Account</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((m) => (
                        <tr key={m.userId}>
                          <td><Link to={`/school-admin/people/${encodeURIComponent(m.userId)}`}>{m.displayName}</Link></td>
                          <td>{m.email}</td>
                          <td>{m.roles.join(', ')}</td>
                          <td>{m.roles.includes('learner') ? (cohorts.data ? describeEnrollment(enrollmentOf(cohorts.data, m.userId)) : '…') : '—'}</td>
                          <td>{m.deactivated ? 'deactivated' : 'active'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
                <Pager page={page} pages={pages} onPage={setPage} label="People pages" />
              </>
            );
          }}
        </Query>
      </section>
    </>
  );
}

/** One person by hand: the client checks mirror identity's RegisterUserDto; the server's refusals show at their field. */
function RegisterPerson() {
  const { api, acting } = useSignedIn();
  const queryClient = useQueryClient();
  const empty = { userId: '', email: '', displayName: '', role: 'learner', password: '' };
  const [form, setForm] = useState(empty);
  const set = (key: keyof typeof empty) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [key]: event.target.value });
  const register = useMutation({
    mutationFn: (body: object) => api<{ userId: string }>('identity', `/schools/${encodeURIComponent(acting.schoolId)}/users`, { body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [membersKey(acting.schoolId), cohortsKey(acting.schoolId)]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      email: form.email.trim(), displayName: form.displayName.trim(), role: form.role,
      ...(form.userId.trim() ? { userId: form.userId.trim() } : {}), ...(form.password ? { password: form.password } : {}),
    };
    register.mutateAsync(body).then(() => setForm(empty), keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="register">
      <h2 id="register">Register a person</h2>
      <div className="row">
        <Field label="Name" name="displayName" serverError={register.error}>
          {(p) => <input {...p} value={form.displayName} onChange={set('displayName')} required maxLength={200} />}
        </Field>
        <Field label="E-mail" name="email" serverError={register.error}>
          {(p) => <input {...p} type="email" value={form.email} onChange={set('email')} required />}
        </Field>
        <Field label="Role" name="role" serverError={register.error}>
          {(p) => <select {...p} value={form.role} onChange={set('role')}>{SCHOOL_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>}
        </Field>
        <Field label="User id (optional)" name="userId" hint="letters, digits and . _ @ : -" serverError={register.error}>
          {(p) => <input {...p} value={form.userId} onChange={set('userId')} pattern="[\w.@:\-]{1,128}" />}
        </Field>
        <Field label="Initial password (optional)" name="password" hint="at least 12 characters; none for single sign-on" serverError={register.error}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={form.password} onChange={set('password')} minLength={12} maxLength={200} />}
        </Field>
      </div>
      <FormError error={register.error} />
      {register.data && <p role="status">Registered {register.data.userId}.</p>}
      <button type="submit" disabled={register.isPending}>Register</button>
    </form>
  );
}

function RosterUpload() {
  const { api, acting } = useSignedIn();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState('');
  const upload = useMutation({
    mutationFn: (text: string) => api<{ imported: number; skipped: number }>('identity', `/schools/${encodeURIComponent(acting.schoolId)}/roster`, { body: { csv: text } }),
    onSuccess: () => void refreshAfterCommand(queryClient, [membersKey(acting.schoolId), cohortsKey(acting.schoolId)]),
  });
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    upload.reset();
    setFileName(file?.name ?? '');
    setCsv(file ? await file.text() : '');
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (csv) upload.mutate(csv);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="roster">
      <h2 id="roster">Import a roster</h2>
      <p className="hint">A CSV file with the header <code>email,displayName,role,cohortId</code> (role: learner or coach). Nothing is imported unless every row is valid.</p>
      <label htmlFor="roster-file">Roster file</label>
      <input id="roster-file" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e)} />
      <button type="submit" disabled={!csv || upload.isPending}>
        {upload.isPending ? 'Importing…' : 'Import'}
      </button>
      {upload.isPending && <progress aria-label="Importing the roster" />}
      {upload.data && (
        <p className="notice" role="status">
          {fileName}: {upload.data.imported} people imported.
        </p>
      )}
      <LineErrors error={upload.error} label="Rows with errors" />
    </form>
  );
}
