import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Participation as ParticipationView } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { Field } from '../ui/forms';
import { Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { participationLabel } from './community-sessions';
import { personLabel } from './roster';

/** a date input's day as the instant it starts (UTC), for the period filter */
const dayStart = (day: string) => `${day}T00:00:00.000Z`;

/** Per coach: held community sessions they were expected at (members when it started) and how many they attended. */
export function Participation() {
  const { api } = useSignedIn();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = { ...(from ? { from: dayStart(from) } : {}), ...(to ? { to: dayStart(to) } : {}) };
  const participation = useQuery({
    queryKey: ['participation', query],
    queryFn: () => api<ParticipationView>('coaching', '/communities/participation', { query }),
  });
  return (
    <section aria-labelledby="participation">
      <h2 id="participation">Participation in community sessions</h2>
      <div className="row">
        <Field label="From" name="from" serverError={participation.error}>
          {(p) => <input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="Until (not including)" name="to" serverError={participation.error}>
          {(p) => <input {...p} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
      </div>
      <Query query={participation} what="participation">
        {(p) => p.coaches.length === 0 ? <p className="muted">No session was held in this period.</p> : (
          <TableWrap label="Participation per coach">
            <table>
              <caption>{p.sessionsHeld} sessions held</caption>
              <thead><tr><th scope="col">Coach</th><th scope="col">Expected at</th><th scope="col">Attended</th></tr></thead>
              <tbody>
                {p.coaches.map((c) => (
                  <tr key={c.coachId}>
                    <th scope="row">{personLabel(c.coachName, c.coachId)}</th>
                    <td>{c.held}</td>
                    <td>{participationLabel(c.held, c.attended)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Query>
    </section>
  );
}
