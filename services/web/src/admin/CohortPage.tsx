import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Cohort, Member } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { NotFound, Query } from '../ui/Status';
import { EnrollmentActions } from './EnrollmentActions';
import { enrollmentOf, matchesSearch, useCohorts, useMembers } from './school-data';

/** One cohort: its learners and where each stands (withdraw, graduate), and enrolling another learner into it. */
export function CohortPage() {
  const { cohortId = '' } = useParams();
  const { acting } = useSignedIn();
  const cohorts = useCohorts(acting.schoolId);
  const learners = useMembers(acting.schoolId, 'learner');
  return (
    <Query query={cohorts} what="the cohort">
      {(list) => {
        const cohort = list.find((c) => c.cohortId === cohortId);
        if (!cohort) return <NotFound />;
        return (
          <>
            <h1>Cohort {cohort.cohortId}</h1>
            <p>{cohort.program}, graduating {cohort.graduationYear} · <Link to="/school-admin/records">All cohorts</Link></p>
            <Query query={learners} what="the school's learners">
              {(people) => {
                const name = (userId: string) => people.find((p) => p.userId === userId)?.displayName ?? userId;
                return (
                  <>
                    <section aria-labelledby="cohort-learners">
                      <h2 id="cohort-learners">Learners</h2>
                      {cohort.learners.length === 0 ? <p>No learner has been enrolled in this cohort yet.</p> : (
                        <TableWrap label={`Learners of ${cohort.cohortId}`}>
                          <table>
                            <thead><tr><th scope="col">Learner</th><th scope="col">Status</th><th scope="col">Change</th></tr></thead>
                            <tbody>
                              {cohort.learners.map((l) => (
                                <tr key={l.userId}>
                                  <td><Link to={`/school-admin/people/${encodeURIComponent(l.userId)}`}>{name(l.userId)}</Link></td>
                                  <td>{l.status}</td>
                                  <td>{l.status === 'enrolled' && <EnrollmentActions userId={l.userId} displayName={name(l.userId)} enrollment={{ cohortId: cohort.cohortId, status: l.status }} cohorts={list} />}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </TableWrap>
                      )}
                    </section>
                    <EnrollInto cohortId={cohort.cohortId} cohorts={list} candidates={people.filter((p) => enrollmentOf(list, p.userId)?.status !== 'enrolled')} />
                  </>
                );
              }}
            </Query>
          </>
        );
      }}
    </Query>
  );
}

/** Enroll a learner not enrolled anywhere in the school now: find them, then enroll. */
function EnrollInto({ cohortId, cohorts, candidates }: { cohortId: string; cohorts: Cohort[]; candidates: Member[] }) {
  const [search, setSearch] = useState('');
  const found = search.trim() ? candidates.filter((m) => matchesSearch(m, search)).slice(0, 10) : [];
  return (
    <section className="panel" aria-labelledby="enroll-into">
      <h2 id="enroll-into">Enroll a learner into {cohortId}</h2>
      <div className="field">
        <label htmlFor="enroll-search">Find a learner not enrolled now</label>
        <input id="enroll-search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {search.trim() && found.length === 0 && <p>No learner matches.</p>}
      <ul className="assign-list">
        {found.map((m) => (
          <li key={m.userId}>
            <strong>{m.displayName}</strong> <span className="muted">{m.email}</span>
            <EnrollmentActions userId={m.userId} displayName={m.displayName} enrollment={undefined} cohorts={cohorts} defaultCohortId={cohortId} />
          </li>
        ))}
      </ul>
    </section>
  );
}
