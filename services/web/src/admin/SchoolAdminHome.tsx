import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChangeEvent, FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Pager } from '../ui/Pager';
import { TableWrap } from '../ui/TableWrap';
import { LineErrors } from '../ui/LineErrors';
import { Query } from '../ui/Status';

interface Member {
  userId: string;
  email: string;
  displayName: string;
  deactivated: boolean;
  roles: string[];
}

const PAGE_SIZE = 25;

/** The school admin's home: the school's people and their roles, and a roster upload. */
export function SchoolAdminHome() {
  const { api, acting } = useSignedIn();
  const members = useQuery({
    queryKey: ['members', acting.schoolId],
    queryFn: async () => (await api<{ members: Member[] }>('identity', `/schools/${encodeURIComponent(acting.schoolId)}/users`)).members,
  });
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState('');
  return (
    <>
      <h1>People of {acting.schoolId}</h1>
      <RosterUpload />
      <section aria-labelledby="people">
        <h2 id="people">Users and roles</h2>
        <Query query={members} what="the school's people">
          {(list) => {
            const shown = list.filter((m) => !filter || `${m.displayName} ${m.email} ${m.roles.join(' ')}`.toLowerCase().includes(filter.toLowerCase()));
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
                        <th scope="col">Account</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((m) => (
                        <tr key={m.userId}>
                          <td>{m.roles.includes('learner') ? <Link to={`/school-admin/learners/${encodeURIComponent(m.userId)}`} aria-label={`${m.displayName}: full history`}>{m.displayName}</Link> : m.displayName}</td>
                          <td>{m.email}</td>
                          <td>{m.roles.join(', ')}</td>
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

function RosterUpload() {
  const { api, acting } = useSignedIn();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState('');
  const upload = useMutation({
    mutationFn: (text: string) => api<{ imported: number; skipped: number }>('identity', `/schools/${encodeURIComponent(acting.schoolId)}/roster`, { body: { csv: text } }),
    onSuccess: () => void refreshAfterCommand(queryClient, [['members', acting.schoolId]]),
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
