import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { MeetingHistory, SelfVsOthers, SelfVsOthersRow } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { FormError } from '../ui/forms';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { agendaItemOf, describeGap, describeSource } from './self-vs-others';

const path = (learnerId: string, rest: string) => `/learners/${encodeURIComponent(learnerId)}${rest}`;
const nextMeetingKey = (learnerId: string) => ['learner', learnerId, 'coaching', 'next-meeting'] as const;

/** The learner's own page (everything) or their coach's view of it (only what the learner shares: feedback decides). */
export function SelfVsOthersPage() {
  const { userId } = useSignedIn();
  const { learnerId: coachee } = useParams();
  const learnerId = coachee ?? userId;
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['learner', learnerId, 'self-vs-others'], queryFn: () => api<SelfVsOthers>('feedback', path(learnerId, '/self-vs-others')) });
  // coaching picks the next meeting: the first still ahead and scheduled
  const meetings = useQuery({
    queryKey: nextMeetingKey(learnerId),
    queryFn: () => api<MeetingHistory>('coaching', path(learnerId, '/coaching/meetings'), { query: { page: 1, pageSize: 1 } }),
  });
  const next = meetings.data?.next[0] ?? null;
  const discuss = useMutation({
    mutationFn: ({ meetingId, row }: { meetingId: string; row: SelfVsOthersRow }) =>
      api('coaching', `/meetings/${encodeURIComponent(meetingId)}/agenda`, { method: 'POST', body: { item: agendaItemOf(row), competency: row.competency } }),
    onSuccess: () => void refreshAfterCommand(queryClient, [nextMeetingKey(learnerId)]),
  });
  const onAgenda = new Set(next?.agenda ?? []);
  return (
    <Query query={view} what="the self-assessment and others' view" page>
      {(data) => (
        <>
          <h1>Self-assessment and others' view</h1>
          <p className="muted">
            {coachee ? <><Link to={`/coach/coachees/${encodeURIComponent(learnerId)}`}>Back to {learnerId}</Link> · what {learnerId} shares with you. </> : null}
            The latest self-rating beside the coach's and assessors' ratings and the assessment results, all on the {data.scale.min}–{data.scale.max} scale
            (results from their own maximum). A gap of {data.threshold} or more is highlighted.
          </p>
          <section aria-labelledby="next-meeting">
            <h2 id="next-meeting">Next meeting</h2>
            <Query query={meetings} what="the next meeting">
              {() => next ? (
                <>
                  <p>{formatDateTime(next.startsAt)}{next.location ? `, ${next.location}` : ''}</p>
                  <h3 id="agenda">Agenda</h3>
                  {next.agenda.length ? <ul aria-labelledby="agenda">{next.agenda.map((item) => <li key={item}>{item}</li>)}</ul> : <p>Nothing on the agenda yet.</p>}
                </>
              ) : <p>No meeting booked yet: book one to discuss a gap.</p>}
            </Query>
            <FormError error={discuss.error} />
          </section>
          {data.competencies.length === 0 ? (
            <p>No ratings yet: rate yourself on the self-assessment page, and ask your coach for feedback.</p>
          ) : (
            <TableWrap label="Self-rating beside others' view, per competency">
              <table className="stack">
                <caption>Per competency: self-rating, others' view and the gap (highlighted from {data.threshold})</caption>
                <thead>
                  <tr>
                    <th scope="col">Competency</th>
                    <th scope="col">Self-rating</th>
                    <th scope="col">Coach</th>
                    <th scope="col">Assessors</th>
                    <th scope="col">Results</th>
                    <th scope="col">Others</th>
                    <th scope="col">Gap</th>
                    <th scope="col">Next meeting</th>
                  </tr>
                </thead>
                <tbody>
                  {data.competencies.map((row) => {
                    const item = agendaItemOf(row);
                    return (
                      <tr key={row.competency} className={row.flagged ? 'flagged' : undefined} data-competency={row.competency}>
                        <td data-label="Competency">
                          {/* one piece, so a phone's card keeps the code and its name together */}
                          <span>
                            <strong>{row.competency}</strong> {row.name ?? ''}
                            {row.status !== 'active' && <span className="badge">{row.status}</span>}
                          </span>
                        </td>
                        <td data-label="Self-rating">{row.self ? `${row.self.level} (${formatDate(row.self.at)})` : '—'}</td>
                        <td data-label="Coach">{describeSource(row.others.coach)}</td>
                        <td data-label="Assessors">{describeSource(row.others.assessor)}</td>
                        <td data-label="Results">{describeSource(row.others.result)}</td>
                        <td data-label="Others">{row.othersLevel ?? '—'}</td>
                        <td data-label="Gap">{row.flagged ? <><span className="badge warn">large gap</span> <strong className="gap">{describeGap(row)}</strong></> : describeGap(row)}</td>
                        <td data-label="Next meeting">
                          {row.gap === null ? '—' : onAgenda.has(item) ? 'On the agenda' : (
                            <button type="button" disabled={!next || discuss.isPending} onClick={() => next && discuss.mutate({ meetingId: next.meetingId, row })} aria-label={`Discuss at next meeting: ${row.competency}`}>
                              Discuss at next meeting
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
    </Query>
  );
}
