import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChangeEvent, FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { Query } from '../ui/Status';
import { LineErrors } from '../ui/LineErrors';
import { TableWrap } from '../ui/TableWrap';
import { cohortsKey, useCohorts } from './school-data';
import { FrameworkVersions } from './FrameworkVersions';

interface Framework {
  frameworkId: string;
  name: string;
  version: number;
  competencies: { code: string; name: string }[];
  retired: { code: string }[];
}

async function readFile(event: ChangeEvent<HTMLInputElement>): Promise<{ name: string; text: string }> {
  const file = event.target.files?.[0];
  return { name: file?.name ?? '', text: file ? await file.text() : '' };
}

/** The school admin's records: cohorts and enrollment, competency frameworks, assessment results. */
export function SchoolRecords() {
  return (
    <>
      <h1>School records</h1>
      <Cohorts />
      <Frameworks />
      <FrameworkVersions />
      <AssessmentImport />
    </>
  );
}

function Cohorts() {
  const { api, acting } = useSignedIn();
  const queryClient = useQueryClient();
  const cohorts = useCohorts(acting.schoolId);
  const [cohortId, setCohortId] = useState('');
  const [program, setProgram] = useState('MD');
  const [year, setYear] = useState(String(new Date().getFullYear() + 4));
  const create = useMutation({
    mutationFn: (body: object) => api('identity', `/schools/${encodeURIComponent(acting.schoolId)}/cohorts`, { body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [cohortsKey(acting.schoolId)]),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutateAsync({ cohortId: cohortId.trim(), program: program.trim(), graduationYear: Number(year) }).then(() => setCohortId(''), keepForm);
  };
  return (
    <section className="panel" aria-labelledby="cohorts">
      <h2 id="cohorts">Cohorts and enrollment</h2>
      <Query query={cohorts} what="the cohorts">
        {(list) => list.length === 0 ? <p>No cohort yet.</p> : (
          <TableWrap label="Cohorts">
            <table>
              <thead><tr><th scope="col">Cohort</th><th scope="col">Program</th><th scope="col">Graduation</th><th scope="col">Enrolled</th><th scope="col">Withdrawn</th><th scope="col">Graduated</th></tr></thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.cohortId}>
                    <td><Link to={`/school-admin/cohorts/${encodeURIComponent(c.cohortId)}`}>{c.cohortId}</Link></td>
                    <td>{c.program}</td>
                    <td>{c.graduationYear}</td>
                    {(['enrolled', 'withdrawn', 'graduated'] as const).map((status) => <td key={status}>{c.learners.filter((l) => l.status === status).length}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Query>
      <p className="hint">Open a cohort to enroll learners, withdraw them or record their graduation; or open a person from the people page.</p>
      <form onSubmit={submit} aria-label="Create a cohort">
        <h3>Create a cohort</h3>
        <div className="row">
          <Field label="Cohort id" name="cohortId" hint='a slug like "md-2030"' serverError={create.error}>
            {(p) => <input {...p} value={cohortId} onChange={(e) => setCohortId(e.target.value)} required pattern="[a-z0-9][a-z0-9\-]{1,62}" />}
          </Field>
          <Field label="Program" name="program" serverError={create.error}>
            {(p) => <input {...p} value={program} onChange={(e) => setProgram(e.target.value)} required maxLength={200} />}
          </Field>
          <Field label="Graduation year" name="graduationYear" serverError={create.error}>
            {(p) => <input {...p} type="number" min={1950} max={2100} value={year} onChange={(e) => setYear(e.target.value)} required />}
          </Field>
        </div>
        <FormError error={create.error} />
        {create.isSuccess && <p role="status">Cohort created.</p>}
        <button type="submit" disabled={create.isPending}>Create cohort</button>
      </form>
    </section>
  );
}

function Frameworks() {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const frameworks = useQuery({ queryKey: ['frameworks'], queryFn: async () => (await api<{ frameworks: Framework[] }>('feedback', '/frameworks')).frameworks });
  const [frameworkId, setFrameworkId] = useState('');
  const [file, setFile] = useState<{ name: string; text: string }>();
  const upload = useMutation({
    mutationFn: () => api('feedback', `/frameworks/${encodeURIComponent(frameworkId.trim())}/import`, {
      body: { format: file!.name.endsWith('.json') ? 'json' : 'csv', content: file!.text, ...(file!.name.endsWith('.json') ? {} : { name: frameworkId.trim() }) },
    }),
    onSuccess: () => void refreshAfterCommand(queryClient, [['frameworks']]),
  });
  return (
    <section className="panel" aria-labelledby="frameworks">
      <h2 id="frameworks">Competency frameworks</h2>
      <Query query={frameworks} what="the frameworks">
        {(list) => (
          <ul>
            {list.map((f) => (
              <li key={f.frameworkId}>
                <strong>{f.name}</strong> (version {f.version}): {f.competencies.map((c) => c.code).join(', ')}
                {f.retired.length > 0 && <span className="muted"> — retired: {f.retired.map((r) => r.code).join(', ')}</span>}
              </li>
            ))}
          </ul>
        )}
      </Query>
      <form onSubmit={(e: FormEvent) => { e.preventDefault(); if (file && frameworkId.trim()) upload.mutate(); }} aria-label="Import a framework">
        <h3>Import a framework (CSV with code,name, or JSON)</h3>
        <div className="row">
          <Field label="Framework id" name="frameworkId" serverError={upload.error}>
            {(p) => <input {...p} value={frameworkId} onChange={(e) => setFrameworkId(e.target.value)} required />}
          </Field>
          <div className="field">
            <label htmlFor="framework-file">Framework file</label>
            <input id="framework-file" type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => void readFile(e).then(setFile)} />
          </div>
        </div>
        <LineErrors error={upload.error} label="Framework: rows with errors" />
        {upload.isSuccess && <p role="status">Framework imported.</p>}
        <button type="submit" disabled={!file || upload.isPending}>Import framework</button>
      </form>
    </section>
  );
}

function AssessmentImport() {
  const { api } = useSignedIn();
  const [file, setFile] = useState<{ name: string; text: string }>();
  const upload = useMutation({ mutationFn: () => api<{ imported: number }>('feedback', '/assessment-results/imports', { body: { csv: file!.text, fileName: file!.name } }) });
  return (
    <form className="panel" onSubmit={(e: FormEvent) => { e.preventDefault(); if (file) upload.mutate(); }} aria-labelledby="assessments">
      <h2 id="assessments">Import assessment results</h2>
      <p className="hint">CSV with the header <code>learnerId,competency,kind,instrument,score,maxScore,assessedOn</code>. Nothing is imported from a file with a bad row.</p>
      <label htmlFor="assessment-file">Results file</label>
      <input id="assessment-file" type="file" accept=".csv,text/csv" onChange={(e) => { upload.reset(); void readFile(e).then(setFile); }} />
      <button type="submit" disabled={!file || upload.isPending}>{upload.isPending ? 'Importing…' : 'Import results'}</button>
      {upload.isPending && <progress aria-label="Importing the results" />}
      {upload.data && <p role="status">{file?.name}: {upload.data.imported} results imported.</p>}
      <LineErrors error={upload.error} label="Assessment results: rows with errors" />
    </form>
  );
}
