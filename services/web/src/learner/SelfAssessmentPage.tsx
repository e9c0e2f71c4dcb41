import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { FormError } from '../ui/forms';
import { formatDate, Query } from '../ui/Status';
import { versionQuery } from '../ui/framework-version';
import { UnmappedNote, VersionSwitch } from '../ui/VersionSwitch';

interface Framework {
  frameworkId: string;
  name: string;
  competencies: { code: string; name: string }[];
}
interface SelfAssessment {
  assessmentId: string;
  ratings: { competency: string; level: number }[];
  at: string;
}
interface ReadUnder {
  version: number;
  unmapped: string[];
}
interface AssessmentResult {
  resultId: string;
  competencies: string[];
  instrument: string;
  score: number;
  maxScore: number;
  assessedOn: string;
  /** on the framework's 1–5 scale, as feedback brings results onto it */
  level: number | null;
}

const LEVELS = [1, 2, 3, 4, 5];
const COLORS = ['#1f6fb2', '#c62835', '#1e7d5c', '#9a6b00', '#6247d6', '#52606d'];

/** Self-ratings and results on one 1–5 scale, per competency, by date (results as feedback brought them onto it). */
export function ratingSeries(selfAssessments: SelfAssessment[], results: AssessmentResult[], competency: string) {
  const points = [
    ...selfAssessments.flatMap((s) => s.ratings.filter((r) => r.competency === competency).map((r) => ({ date: s.at.slice(0, 10), self: r.level }))),
    // feedback brings each result onto the scale (one rule, on the server)
    ...results.filter((r) => r.competencies.includes(competency) && r.level !== null).map((r) => ({ date: r.assessedOn.slice(0, 10), result: r.level })),
  ];
  return points.sort((a, b) => a.date.localeCompare(b.date));
}

/** The learner rates themselves on a framework's competencies and sees their ratings over time beside their results. */
export default function SelfAssessmentPage() {
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const frameworks = useQuery({ queryKey: ['frameworks'], queryFn: async () => (await api<{ frameworks: Framework[] }>('feedback', '/frameworks')).frameworks });
  const [reading, setReading] = useState('');
  const version = versionQuery(reading);
  const mine = useQuery({
    queryKey: ['learner', userId, 'self-assessments', reading],
    queryFn: () => api<{ selfAssessments: SelfAssessment[]; frameworkVersion?: ReadUnder }>('feedback', `/learners/${encodeURIComponent(userId)}/self-assessments`, { query: version }),
  });
  const results = useQuery({
    queryKey: ['learner', userId, 'results', reading],
    queryFn: () => api<{ results: AssessmentResult[]; frameworkVersion?: ReadUnder }>('feedback', `/learners/${encodeURIComponent(userId)}/assessment-results`, { query: version }),
  });
  const unmapped = [...new Set([...(mine.data?.frameworkVersion?.unmapped ?? []), ...(results.data?.frameworkVersion?.unmapped ?? [])])].sort();
  const readUnder = mine.data?.frameworkVersion && { version: mine.data.frameworkVersion.version, unmapped };
  const [frameworkId, setFrameworkId] = useState('');
  const [levels, setLevels] = useState<Map<string, number>>(new Map());
  const [keepPrivate, setKeepPrivate] = useState(false);
  const [shown, setShown] = useState('');
  const record = useMutation({
    mutationFn: (body: object) => api('feedback', '/self-assessments', { body }),
    onSuccess: () => {
      setLevels(new Map());
      void refreshAfterCommand(queryClient, [['learner', userId, 'self-assessments'], ['learner', userId, 'self-vs-others']]);
    },
  });
  const framework = frameworks.data?.find((f) => f.frameworkId === frameworkId) ?? frameworks.data?.[0];
  const competency = shown || framework?.competencies[0]?.code || '';
  const series = useMemo(() => ratingSeries(mine.data?.selfAssessments ?? [], results.data?.results ?? [], competency), [mine.data, results.data, competency]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (levels.size) record.mutate({ ratings: [...levels].map(([code, level]) => ({ competency: code, level })), visibility: keepPrivate ? 'private' : 'shared' });
  };
  return (
    <>
      <h1>Self-assessment</h1>
      <Query query={frameworks} what="the frameworks">
        {(list) => (
          <form className="panel" onSubmit={submit} aria-labelledby="rate">
            <h2 id="rate">Rate yourself</h2>
            <label>
              Framework{' '}
              <select value={framework?.frameworkId ?? ''} onChange={(e) => { setFrameworkId(e.target.value); setLevels(new Map()); }}>
                {list.map((f) => <option key={f.frameworkId} value={f.frameworkId}>{f.name}</option>)}
              </select>
            </label>
            {framework?.competencies.map((c) => (
              <fieldset key={c.code}>
                <legend>{c.name} ({c.code})</legend>
                {LEVELS.map((level) => (
                  <label key={level} className="level">
                    <input type="radio" name={`level-${c.code}`} checked={levels.get(c.code) === level} onChange={() => setLevels(new Map(levels).set(c.code, level))} /> {level}
                  </label>
                ))}
              </fieldset>
            ))}
            <p className="hint">1: novice … 5: expert. Rate what you can; leave the others.</p>
            <label>
              <input type="checkbox" checked={keepPrivate} onChange={(e) => setKeepPrivate(e.target.checked)} /> Keep this self-assessment to myself (your coach sees it otherwise)
            </label>
            <FormError error={record.error} />
            <button type="submit" disabled={!levels.size || record.isPending}>Save self-assessment</button>
            {record.isSuccess && <p role="status">Saved.</p>}
          </form>
        )}
      </Query>
      <section aria-labelledby="over-time">
        <h2 id="over-time">My ratings over time</h2>
        <VersionSwitch value={reading} onChange={(value) => {
          setReading(value);
          const picked = versionQuery(value).framework;
          if (picked) setFrameworkId(picked);
          setShown('');
        }} />
        <UnmappedNote read={readUnder} />
        <label>
          Competency{' '}
          <select value={competency} onChange={(e) => setShown(e.target.value)}>
            {framework?.competencies.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
          </select>
        </label>
        <figure className="card">
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={series}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="date" fontSize={12} />
              <YAxis domain={[0, 5]} allowDecimals={false} fontSize={12} />
              <Tooltip />
              <Legend />
              <Line type="monotone" dataKey="self" name="My rating" stroke={COLORS[0]} connectNulls isAnimationActive={false} />
              <Line type="monotone" dataKey="result" name="Assessment result (on the 1–5 scale)" stroke={COLORS[1]} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
          <figcaption className="note">Assessment results are brought onto the 1–5 scale from their own maximum (no marks is 1, full marks 5).</figcaption>
        </figure>
        <TableWrap label="Ratings and results">
          <table aria-label={`Ratings and results for ${competency}`}>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">My rating</th>
                <th scope="col">Result (of 5)</th>
              </tr>
            </thead>
            <tbody>
              {series.map((p, i) => (
                <tr key={i}>
                  <td>{formatDate(p.date)}</td>
                  <td>{'self' in p ? p.self : ''}</td>
                  <td>{'result' in p ? p.result : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
