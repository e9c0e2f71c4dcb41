import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChangeEvent, FormEvent, useState } from 'react';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { FormError } from '../ui/forms';
import { LineErrorTable, lineErrors } from '../ui/LineErrors';
import { Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { parseCompetencies, parseCrosswalk, toTextLines } from './crosswalk';

interface Framework {
  frameworkId: string;
  name: string;
  version: number;
  origin: 'seed' | 'school';
  competencies: { code: string; name: string }[];
}
interface Published {
  version: number;
  crosswalk?: { mappings: { from: string; to: string[] }[]; unmapped: string[] };
}
interface Unmapped {
  version: number;
  codes: { code: string; total: number; learners: number; items: Record<string, number> }[];
}

/** A school framework's next version with a crosswalk from the old codes, and the codes evidence still names that nothing maps. */
export function FrameworkVersions() {
  const { api } = useSignedIn();
  const frameworks = useQuery({ queryKey: ['frameworks'], queryFn: async () => (await api<{ frameworks: Framework[] }>('feedback', '/frameworks')).frameworks });
  return (
    <section className="panel" aria-labelledby="framework-versions">
      <h2 id="framework-versions">Framework versions and crosswalks</h2>
      <Query query={frameworks} what="the frameworks">
        {(list) => {
          const own = list.filter((f) => f.origin === 'school');
          return own.length === 0 ? <p className="muted">The school has no framework of its own yet: import one above first.</p> : <VersionForm frameworks={own} />;
        }}
      </Query>
    </section>
  );
}

function VersionForm({ frameworks }: { frameworks: Framework[] }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [frameworkId, setFrameworkId] = useState(frameworks[0].frameworkId);
  const framework = frameworks.find((f) => f.frameworkId === frameworkId) ?? frameworks[0];
  const [competencies, setCompetencies] = useState<string>();
  const [crosswalk, setCrosswalk] = useState('');
  const competencyText = competencies ?? framework.competencies.map((c) => `${c.code},${c.name}`).join('\n');
  const parsed = parseCrosswalk(crosswalk);
  const publish = useMutation({
    mutationFn: () => api<Published>('feedback', `/frameworks/${encodeURIComponent(framework.frameworkId)}/versions`, {
      body: { name: framework.name, competencies: parseCompetencies(competencyText), crosswalk: parsed.rows },
    }),
    onSuccess: () => void refreshAfterCommand(queryClient, [['frameworks'], ['unmapped', framework.frameworkId]]),
  });
  const unmapped = useQuery({
    queryKey: ['unmapped', framework.frameworkId],
    queryFn: () => api<Unmapped>('feedback', `/frameworks/${encodeURIComponent(framework.frameworkId)}/unmapped`),
  });
  const problems = toTextLines(lineErrors(publish.error), parsed.lines);
  const upload = async (event: ChangeEvent<HTMLInputElement>) => setCrosswalk(await (event.target.files?.[0]?.text() ?? Promise.resolve('')));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    publish.mutate();
  };
  return (
    <>
      <form onSubmit={submit} aria-label="Publish new version with crosswalk">
        <h3>Publish new version with crosswalk</h3>
        <div className="field">
          <label htmlFor="crosswalk-framework">Framework</label>
          <select id="crosswalk-framework" value={framework.frameworkId} onChange={(e) => { setFrameworkId(e.target.value); setCompetencies(undefined); publish.reset(); }}>
            {frameworks.map((f) => <option key={f.frameworkId} value={f.frameworkId}>{f.name} (version {f.version})</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="crosswalk-competencies">Competencies of version {framework.version + 1} (one <code>code,name</code> per line)</label>
          <textarea id="crosswalk-competencies" rows={6} value={competencyText} onChange={(e) => setCompetencies(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="crosswalk-lines">Crosswalk (one <code>old,new</code> per line; <code>old,new1;new2</code> splits a code)</label>
          <span className="hint" id="crosswalk-hint">Several old codes may map to one new code. An old code left out is kept on its evidence and reported below.</span>
          <textarea id="crosswalk-lines" rows={6} aria-describedby="crosswalk-hint" aria-invalid={problems.length > 0} value={crosswalk} onChange={(e) => setCrosswalk(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="crosswalk-file">Or load a CSV file (<code>from,to</code>)</label>
          <input id="crosswalk-file" type="file" accept=".csv,text/csv" onChange={(e) => void upload(e)} />
        </div>
        {problems.length > 0 ? (
          <div role="alert">
            <p className="error">{(publish.error as Error).message}. Fix these lines of the crosswalk:</p>
            <LineErrorTable rows={problems} label="Crosswalk: lines with problems" />
          </div>
        ) : <FormError error={publish.error} />}
        {publish.data && (
          <p role="status">
            Version {publish.data.version} published with {publish.data.crosswalk?.mappings.length ?? 0} mappings
            {publish.data.crosswalk?.unmapped.length ? `; without a mapping: ${publish.data.crosswalk.unmapped.join(', ')}` : ''}.
          </p>
        )}
        <button type="submit" disabled={publish.isPending}>Publish version {framework.version + 1}</button>
      </form>
      <h3 id="unmapped-codes">Codes with evidence and no mapping</h3>
      <Query query={unmapped} what="the unmapped codes">
        {(report) => report.codes.length === 0 ? <p className="muted">Every code with evidence reads under version {report.version}.</p> : (
          <TableWrap label="Unmapped codes">
            <table aria-labelledby="unmapped-codes">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Learners</th>
                  <th scope="col">By kind</th>
                </tr>
              </thead>
              <tbody>
                {report.codes.map((c) => (
                  <tr key={c.code}>
                    <td>{c.code}</td>
                    <td>{c.total}</td>
                    <td>{c.learners}</td>
                    <td>{Object.entries(c.items).map(([kind, n]) => `${kind}: ${n}`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Query>
    </>
  );
}
