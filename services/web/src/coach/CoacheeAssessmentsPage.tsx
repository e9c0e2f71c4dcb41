import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSignedIn } from '../auth/SessionProvider';
import { AssessmentResult, Coachees, SelfAssessment } from '../api/types';
import { TableWrap } from '../ui/TableWrap';
import { formatDate, Query } from '../ui/Status';
import { competencyRows } from './coachee-view';
import { versionQuery } from '../ui/framework-version';
import { VersionSwitch } from '../ui/VersionSwitch';

/** `reading`: a framework version (`epas@2`) to read the competencies under; '' as recorded. */
export function useSelfAssessments(learnerId: string, reading = '') {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: ['learner', learnerId, 'self-assessments', reading],
    queryFn: async () => (await api<{ selfAssessments: SelfAssessment[] }>('feedback', `/learners/${encodeURIComponent(learnerId)}/self-assessments`, { query: versionQuery(reading) })).selfAssessments,
  });
}

export function useResults(learnerId: string, reading = '') {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: ['learner', learnerId, 'results', reading],
    queryFn: async () => (await api<{ results: AssessmentResult[] }>('feedback', `/learners/${encodeURIComponent(learnerId)}/assessment-results`, { query: versionQuery(reading) })).results,
  });
}

/** The coachee's self-ratings beside their assessment results, per competency (feedback decides who may read them). */
export function CoacheeAssessmentsPage() {
  const { learnerId = '' } = useParams();
  const { api } = useSignedIn();
  const [reading, setReading] = useState('');
  const self = useSelfAssessments(learnerId, reading);
  const results = useResults(learnerId, reading);
  const coachees = useQuery({ queryKey: ['coachees'], queryFn: () => api<Coachees>('coaching', '/coachees') });
  const name = coachees.data?.coachees.find((c) => c.learnerId === learnerId)?.displayName ?? learnerId;
  return (
    <Query query={self} what="the self-assessments" page>
      {(mine) => (
        <Query query={results} what="the assessment results" page>
          {(theirs) => {
            const rows = competencyRows(mine, theirs);
            return (
              <>
                <h1>Self-assessment and results: {name}</h1>
                <p className="muted">
                  <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}`}>Back to {name}</Link> · {mine.length} self-assessments, {theirs.length} results
                </p>
                <VersionSwitch value={reading} onChange={setReading} />
                {rows.length === 0 ? (
                  <p>No self-assessment or result yet.</p>
                ) : (
                  <TableWrap label="Self-ratings and results by competency">
                    <table>
                      <caption>Self-ratings (1 novice … 5 expert) beside assessment results, newest first</caption>
                      <thead>
                        <tr>
                          <th scope="col">Competency</th>
                          <th scope="col">Latest self-rating</th>
                          <th scope="col">Earlier self-ratings</th>
                          <th scope="col">Results</th>
                        </tr>
                      </thead>
                      <tbody>
                        {rows.map((row) => (
                          <tr key={row.competency}>
                            <th scope="row">{row.competency}</th>
                            <td>{row.ratings[0] ? `${row.ratings[0].level} of 5 (${formatDate(row.ratings[0].at)})` : '—'}</td>
                            <td>{row.ratings.slice(1).map((r) => `${r.level} (${formatDate(r.at)})`).join(', ') || '—'}</td>
                            <td>
                              {row.results.length === 0
                                ? '—'
                                : row.results.map((r) => `${r.instrument}: ${r.score} of ${r.maxScore} (${formatDate(r.assessedOn)})`).join('; ')}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableWrap>
                )}
              </>
            );
          }}
        </Query>
      )}
    </Query>
  );
}
