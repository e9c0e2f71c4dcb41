import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { Coachee, Coachees } from '../api/types';
import { formatDate, formatDateTime, Query } from '../ui/Status';

/** what each kind of change is called, one and several (a Map: the kinds come from the server) */
const SINCE_LABELS = new Map<string, [string, string]>([
  ['dialogue-opened', ['dialogue opened', 'dialogues opened']],
  ['dialogue-closed', ['dialogue closed', 'dialogues closed']],
  ['goal-set', ['goal set', 'goals set']],
  ['goal-revised', ['goal revised', 'goals revised']],
  ['goal-achieved', ['goal achieved', 'goals achieved']],
  ['goal-status-changed', ['goal status change', 'goal status changes']],
  ['plan-changed', ['plan change', 'plan changes']],
  ['assessment-recorded', ['assessment result', 'assessment results']],
]);

/** "Since we last met", in words: only what happened. */
export function sinceWeLastMet(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => {
      const [one, several] = SINCE_LABELS.get(key) ?? [key, key];
      return `${n} ${n === 1 ? one : several}`;
    });
  return parts.length ? parts.join(', ') : 'nothing new';
}

/** Behind cadence first, then who is due soonest. */
export function byUrgency(coachees: Coachee[]): Coachee[] {
  return [...coachees].sort((a, b) => Number(b.behindCadence) - Number(a.behindCadence) || (a.nextDueBy ?? '9999').localeCompare(b.nextDueBy ?? '9999'));
}

export function CoachHome() {
  const { api } = useSignedIn();
  const coachees = useQuery({ queryKey: ['coachees'], queryFn: () => api<Coachees>('coaching', '/coachees') });
  return (
    <>
      <h1>My coachees</h1>
      <Query query={coachees} what="your coachees">
        {(c) =>
          c.coachees.length === 0 ? (
            <p>No coachees yet. Your coaching lead assigns them.</p>
          ) : (
            <>
              <p className="muted">Meet each coachee at least every {c.meetingCadenceDays} days.</p>
              <TableWrap label="Coachees">
                <table className="stack">
                  <thead>
                    <tr>
                      <th scope="col">Coachee</th>
                      <th scope="col">Last met</th>
                      <th scope="col">Next meeting</th>
                      <th scope="col">Due by</th>
                      <th scope="col">Since we last met</th>
                    </tr>
                  </thead>
                  <tbody>
                    {byUrgency(c.coachees).map((x) => (
                      <tr key={x.learnerId}>
                        <td data-label="Coachee">
                          <Link to={`/coach/coachees/${encodeURIComponent(x.learnerId)}`}>{x.displayName}</Link>
                          {x.behindCadence && <span className="badge warn">behind cadence</span>}
                          {x.status === 'paused' && <span className="badge">paused</span>}
                        </td>
                        <td data-label="Last met">{formatDate(x.lastMeetingAt)}</td>
                        <td data-label="Next meeting">{x.nextMeeting ? formatDateTime(x.nextMeeting.startsAt) : 'none booked'}</td>
                        <td data-label="Due by">{formatDate(x.nextDueBy)}</td>
                        <td data-label="Since we last met">{sinceWeLastMet(x.newSinceLastMeeting)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          )
        }
      </Query>
    </>
  );
}
