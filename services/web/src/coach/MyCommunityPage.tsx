import { useQuery } from '@tanstack/react-query';
import { MyCommunitySessions } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { KIND_LABELS, participationLabel } from '../lead/community-sessions';
import { formatDateTime, Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';

/** A coach's learning communities: the next sessions and the coach's own attendance at held ones. */
export function MyCommunityPage() {
  const { api } = useSignedIn();
  const mine = useQuery({ queryKey: ['my-community-sessions'], queryFn: () => api<MyCommunitySessions>('coaching', '/coaches/me/sessions') });
  return (
    <>
      <h1>My community</h1>
      <Query query={mine} what="your community sessions">
        {(m) => (
          <>
            <p>
              {m.communities.length === 0 ? 'You belong to no learning community now.' : `You belong to ${m.communities.map((c) => c.name).join(', ')}.`}
            </p>
            <section aria-labelledby="next-sessions">
              <h2 id="next-sessions">Next sessions</h2>
              {m.upcoming.length === 0 ? <p className="muted">No session is scheduled.</p> : (
                <ul className="entries">
                  {m.upcoming.map((s) => (
                    <li key={s.sessionId} className="card">
                      <h3>{s.title}</h3>
                      <p>{KIND_LABELS[s.kind]} · {s.communityName} · {formatDateTime(s.startsAt)} · {s.durationMinutes} min{s.location ? ` · ${s.location}` : ''}</p>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="my-attendance">
              <h2 id="my-attendance">My attendance</h2>
              <p>Sessions attended while you were a member: {participationLabel(m.held, m.attended)}.</p>
              {m.attendance.length > 0 && (
                <TableWrap label="Attendance per session">
                  <table>
                    <thead><tr><th scope="col">Session</th><th scope="col">Community</th><th scope="col">When</th><th scope="col">Attended</th></tr></thead>
                    <tbody>
                      {m.attendance.map((a) => (
                        <tr key={`${a.communityId}/${a.sessionId}`}>
                          <th scope="row">{a.title} <span className="muted">({KIND_LABELS[a.kind]})</span></th>
                          <td>{a.communityName}</td>
                          <td>{formatDateTime(a.startsAt)}</td>
                          <td>{a.attended ? 'Yes' : 'No'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </section>
          </>
        )}
      </Query>
    </>
  );
}
