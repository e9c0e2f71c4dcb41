import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSignedIn } from '../auth/SessionProvider';
import { Coachees, MeetingHistory, MeetingRecord } from '../api/types';
import { keys, usePlan } from '../learner/queries';
import { Pager } from '../ui/Pager';
import { formatDate, formatDateTime, Query } from '../ui/Status';

const PAGE_SIZE = 10;

/**
 * A coachee's meetings with every coach, for their coach now: the next ones, then the rest a page at a time (held
 * with the notes this coach may read, missed, cancelled, moved), and the plan reviews. The service decides who may
 * read it: a coach who no longer coaches the learner gets the not-found page.
 */
export function CoacheeMeetingsPage() {
  const { learnerId = '' } = useParams();
  const { api } = useSignedIn();
  const [page, setPage] = useState(1);
  const history = useQuery({
    queryKey: [...keys.coaching(learnerId), 'meetings', page],
    queryFn: () => api<MeetingHistory>('coaching', `/learners/${encodeURIComponent(learnerId)}/coaching/meetings`, { query: { page, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  const coachees = useQuery({ queryKey: ['coachees'], queryFn: () => api<Coachees>('coaching', '/coachees') });
  const name = coachees.data?.coachees.find((c) => c.learnerId === learnerId)?.displayName ?? learnerId;
  return (
    <Query query={history} what="the meetings" page>
      {(h) => (
        <>
          <h1>Meetings with {name}</h1>
          <p className="muted">
            <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}`}>Back to {name}</Link>
          </p>
          <section aria-labelledby="next-meetings">
            <h2 id="next-meetings">Next meetings</h2>
            {h.next.length === 0 ? <p>None booked.</p> : <ul className="meetings">{h.next.map((m) => <MeetingItem key={m.meetingId} meeting={m} />)}</ul>}
          </section>
          <section aria-labelledby="past-meetings">
            <h2 id="past-meetings">Earlier meetings</h2>
            {h.total === 0 ? (
              <p>No meetings yet.</p>
            ) : (
              <>
                <p className="muted">{h.total} meetings, newest first.</p>
                <ul className="meetings">{h.meetings.map((m) => <MeetingItem key={m.meetingId} meeting={m} />)}</ul>
                {h.total > PAGE_SIZE && <Pager page={h.page} pages={Math.ceil(h.total / PAGE_SIZE)} onPage={setPage} label="Meeting pages" />}
              </>
            )}
          </section>
          <PlanReviews learnerId={learnerId} />
        </>
      )}
    </Query>
  );
}

const STATUS: Record<MeetingRecord['status'], string> = { scheduled: 'booked', held: 'held', missed: 'missed', cancelled: 'cancelled' };

function MeetingItem({ meeting: m }: { meeting: MeetingRecord }) {
  const { userId } = useSignedIn();
  const notRecorded = m.status === 'scheduled' && new Date(m.startsAt) <= new Date();
  return (
    <li className="card">
      <p>
        <strong>{formatDateTime(m.startsAt)}</strong>, {m.durationMinutes} min{m.location ? `, ${m.location}` : ''} —{' '}
        <span className={`badge${m.status === 'missed' ? ' warn' : ''}`}>{notRecorded ? 'not recorded yet' : STATUS[m.status]}</span>
        {m.moves.length > 0 && <span className="badge">moved</span>}
        <span className="muted"> with {m.coachId === userId ? 'you' : `a previous coach (${m.coachName})`}</span>
      </p>
      {m.moves.length > 0 && (
        <ul aria-label="Moves">
          {m.moves.map((move) => (
            <li key={move.at}>
              Moved from {formatDateTime(move.from)} to {formatDateTime(move.to)} on {formatDate(move.at)}
              {move.reason ? `: ${move.reason}` : ''}
            </li>
          ))}
        </ul>
      )}
      {(m.status === 'cancelled' || m.status === 'missed') && (
        <p>
          {m.status === 'cancelled' ? 'Cancelled' : 'Recorded as missed'} on {formatDate(m.settledAt)}
          {m.reason ? `: ${m.reason}` : ''}
        </p>
      )}
      {m.agenda.length > 0 && <p>Agenda: {m.agenda.join('; ')}</p>}
      {m.status === 'held' &&
        (m.notes.length === 0 ? (
          <p className="muted">No notes you may read.</p>
        ) : (
          <ul aria-label="Notes">
            {m.notes.map((n, i) => (
              <li key={i}>
                {n.text} <span className="badge">{n.visibility === 'coach-only' ? 'private to you' : 'shared with the learner'}</span>
              </li>
            ))}
          </ul>
        ))}
    </li>
  );
}

function PlanReviews({ learnerId }: { learnerId: string }) {
  const plan = usePlan(learnerId);
  return (
    <section aria-labelledby="plan-reviews">
      <h2 id="plan-reviews">Plan reviews</h2>
      <Query query={plan} what="the plan reviews">
        {(p) =>
          !p || p.reviews.length === 0 ? (
            <p>No plan review yet.</p>
          ) : (
            <ul>
              {[...p.reviews].reverse().map((r) => (
                <li key={r.at}>
                  <strong>{formatDate(r.at)}</strong>: {r.whatChanged || 'no change recorded'}
                  {r.nextSteps.length > 0 && ` · next steps: ${r.nextSteps.join('; ')}`} · next review by {formatDate(r.nextReviewDue)}
                </li>
              ))}
            </ul>
          )
        }
      </Query>
      <p>
        <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}/plan`}>The development plan</Link>
      </p>
    </section>
  );
}
