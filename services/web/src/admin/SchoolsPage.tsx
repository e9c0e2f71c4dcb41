import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { TableWrap } from '../ui/TableWrap';
import { Query } from '../ui/Status';
import { schoolsKey, useSchools } from './school-data';

/** The institution's schools, and a new one (identity's CreateSchoolDto: a slug and a name). */
export function SchoolsPage() {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const schools = useSchools();
  const [schoolId, setSchoolId] = useState('');
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (body: object) => api<{ schoolId: string }>('identity', '/schools', { body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [schoolsKey]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutateAsync({ schoolId: schoolId.trim(), name: name.trim() }).then(() => { setSchoolId(''); setName(''); }, keepForm);
  };
  return (
    <>
      <h1>Schools</h1>
      <section aria-labelledby="school-list">
        <h2 id="school-list">The institution's schools</h2>
        <Query query={schools} what="the schools">
          {(list) => list.length === 0 ? <p>No school yet: create the first below.</p> : (
            <TableWrap label="Schools">
              <table>
                <thead><tr><th scope="col">School</th><th scope="col">Id</th><th scope="col">Audit</th></tr></thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.schoolId}>
                      <td>{s.name}</td>
                      <td>{s.schoolId}</td>
                      <td><Link to={`/institution/audit?school=${encodeURIComponent(s.schoolId)}`} aria-label={`Audit a learner of ${s.name}`}>Learners</Link></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </Query>
      </section>
      <form className="panel" onSubmit={submit} aria-labelledby="new-school">
        <h2 id="new-school">Create a school</h2>
        <div className="row">
          <Field label="School id" name="schoolId" hint='a lower-case slug like "nursing"' serverError={create.error}>
            {(p) => <input {...p} value={schoolId} onChange={(e) => setSchoolId(e.target.value)} required pattern="[a-z0-9][a-z0-9\-]{1,62}" />}
          </Field>
          <Field label="Name" name="name" serverError={create.error}>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />}
          </Field>
        </div>
        <FormError error={create.error} />
        {create.data && <p role="status">School {create.data.schoolId} created.</p>}
        <button type="submit" disabled={create.isPending}>Create school</button>
      </form>
    </>
  );
}
