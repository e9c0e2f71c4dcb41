import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { PromptFeedbackForm } from '../feedback-requests/PromptFeedbackForm';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Meeting } from '../api/types';
import { Coachees } from '../api/types';
import { keys, useCoaching, useDialogues, useGoals } from '../learner/queries';
import { useResults } from './CoacheeAssessmentsPage';
import { lastHeld, SinceWeLastMet, sinceWeLastMetDetails } from './coachee-view';
import { sinceWeLastMet } from './CoachHome';
import { Field, FormError, keepForm } from '../ui/forms';
import { Failure, formatDate, formatDateTime, Loading, NotFound, Query } from '../ui/Status';

/** One coachee for their coach: meetings (book, move, cancel, record), shared dialogues and goals, the plan. */
export function CoacheePage() {
  const { learnerId = '' } = useParams();
  const { api } = useSignedIn();
  // the coach's own list: a learner who is not (or no longer) their coachee is one that does not exist here
  const coachees = useQuery({ queryKey: ['coachees'], queryFn: () => api<Coachees>('coaching', '/coachees') });
  const dialogues = useDialogues(learnerId);
  const goals = useGoals(learnerId);
  if (coachees.isPending) return <Loading what="the coachee" />;
  if (coachees.error) return <Failure error={coachees.error} page retry={() => void coachees.refetch()} />;
  const c = coachees.data?.coachees.find((x) => x.learnerId === learnerId);
  if (!c) return <NotFound />;
  return (
    <>
      <h1>{c.displayName}</h1>
      <p className="muted">
        Coached since {formatDate(c.since)}
        {c.status === 'paused' ? ' (paused)' : ''} · <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}/plan`}>Development plan</Link> ·{' '}
        <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}/timeline`}>Timeline</Link> ·{' '}
        <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}/meetings`}>Meeting history</Link> ·{' '}
        <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}/assessments`}>Self-assessment and results</Link> ·{' '}
        <Link to={`/coach/coachees/${encodeURIComponent(learnerId)}/self-vs-others`}>Self-assessment and others' view</Link>
      </p>
      <SinceWeLastMetSection learnerId={learnerId} counts={c.newSinceLastMeeting} />
      <PromptFeedbackForm learnerId={learnerId} />
      <section aria-labelledby="meetings">
        <h2 id="meetings">Meetings</h2>
        <p>
          Last met: {formatDate(c.lastMeetingAt)} · due by {formatDate(c.nextDueBy)}
          {c.behindCadence && <span className="badge warn">behind cadence</span>}
        </p>
        {c.nextMeeting ? (
          <ul className="meetings">
            <MeetingRow meeting={c.nextMeeting} />
          </ul>
        ) : (
          <p>No meeting booked.</p>
        )}
        <ScheduleForm learnerId={learnerId} />
      </section>
      <section aria-labelledby="dialogues">
        <h2 id="dialogues">Dialogues</h2>
        <Query query={dialogues} what="dialogues">
          {(list) =>
            list.length === 0 ? (
              <p>No dialogues shared with you yet.</p>
            ) : (
              <ul>
                {list.map((d) => (
                  <li key={d.dialogueId}>
                    <Link to={`/coach/dialogues/${d.dialogueId}`}>{d.topic}</Link> <span className="muted">({d.status}, {formatDate(d.lastActivityAt)})</span>
                    {d.awaiting === 'coach' && <span className="badge">your turn</span>}
                  </li>
                ))}
              </ul>
            )
          }
        </Query>
      </section>
      <section aria-labelledby="goals">
        <h2 id="goals">Shared goals</h2>
        <Query query={goals} what="goals">
          {(list) =>
            list.length === 0 ? (
              <p>No goals shared with you.</p>
            ) : (
              <ul>
                {list.map((g) => (
                  <li key={g.goalId}>
                    {g.description} <span className="muted">({g.status}, by {formatDate(g.targetDate)})</span>
                  </li>
                ))}
              </ul>
            )
          }
        </Query>
      </section>
    </>
  );
}

/** The action items still open in the dialogues the coach reads, overdue first: what the next meeting follows up. */
function OpenActions({ actions, learnerId }: { actions: SinceWeLastMet['actions']; learnerId: string }) {
  const { userId } = useSignedIn();
  return (
    <>
      <h3 id="since-actions">Open action items{actions.some((a) => a.overdue) ? ` (${actions.filter((a) => a.overdue).length} overdue)` : ''}</h3>
      {actions.length === 0 ? (
        <p>No open action items.</p>
      ) : (
        <ul aria-labelledby="since-actions">
          {actions.map((a) => (
            <li key={a.actionId}>
              {a.description}{' '}
              <span className="muted">
                ({a.ownerId === userId ? 'you' : a.ownerId === learnerId ? 'the learner' : a.ownerId}
                {a.dueDate ? `, by ${formatDate(a.dueDate)}` : ''})
              </span>
              {a.overdue && <span className="badge warn">overdue</span>} in <Link to={`/coach/dialogues/${a.dialogueId}`}>{a.topic}</Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** What happened since the learner last met a coach: the service's counts, then each shared dialogue, goal and result. */
function SinceWeLastMetSection({ learnerId, counts }: { learnerId: string; counts: Record<string, number> }) {
  const coaching = useCoaching(learnerId);
  const dialogues = useDialogues(learnerId);
  const goals = useGoals(learnerId);
  const results = useResults(learnerId);
  const since = coaching.data ? lastHeld(coaching.data.meetings) : undefined;
  const details = since !== undefined && dialogues.data && goals.data && results.data && sinceWeLastMetDetails(since, dialogues.data, goals.data, results.data);
  return (
    <section aria-labelledby="since" className="panel">
      <h2 id="since">Since we last met{since ? ` (${formatDate(since)})` : since === null ? ' (no meeting held yet)' : ''}</h2>
      <p>{sinceWeLastMet(counts)}</p>
      {details ? (
        <>
          <ul>
            {details.dialogues.map((d) => (
              <li key={d.dialogueId}>
                New in the dialogue “{d.topic}” <span className="muted">({d.entries} shared {d.entries === 1 ? 'entry' : 'entries'}, last {formatDate(d.lastActivityAt)})</span>
              </li>
            ))}
            {details.goals.map((g) => (
              <li key={g.goalId}>
                Goal changed: {g.description} <span className="muted">({g.status}, revised {formatDate(g.lastRevisedAt)})</span>
              </li>
            ))}
            {details.results.map((r) => (
              <li key={r.resultId}>
                New result: {r.instrument} {r.score} of {r.maxScore} on {r.competencies.join(', ')} <span className="muted">({formatDate(r.assessedOn)})</span>
              </li>
            ))}
            {details.dialogues.length + details.goals.length + details.results.length === 0 && <li>No new shared entries, goal changes or results.</li>}
          </ul>
          <OpenActions actions={details.actions} learnerId={learnerId} />
        </>
      ) : (
        (coaching.error ?? dialogues.error ?? goals.error ?? results.error) ? <Failure error={coaching.error ?? dialogues.error ?? goals.error ?? results.error} /> : <Loading what="what is new" />
      )}
    </section>
  );
}

function useMeetingCommand(learnerId: string) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body?: object }) => api('coaching', path, { method: 'POST', body: body ?? {} }),
    onSuccess: () => void refreshAfterCommand(queryClient, [keys.coaching(learnerId), ['coachees']]),
  });
}

/** A date and time typed in the browser's time zone, as the ISO instant the API takes. */
export const toInstant = (local: string) => new Date(local).toISOString();

function MeetingRow({ meeting }: { meeting: Meeting }) {
  const command = useMeetingCommand(meeting.learnerId);
  const [mode, setMode] = useState<'move' | 'held' | undefined>();
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const [shared, setShared] = useState(false);
  const path = `/meetings/${encodeURIComponent(meeting.meetingId)}`;
  const started = new Date(meeting.startsAt) <= new Date();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'move' && when) void command.mutateAsync({ path: `${path}/reschedule`, body: { startsAt: toInstant(when) } }).then(() => setMode(undefined), keepForm);
    if (mode === 'held')
      command.mutate(
        { path: `${path}/held`, body: { agenda: [], notes: note.trim() ? [{ text: note.trim(), visibility: shared ? 'shared-with-learner' : 'coach-only' }] : [] } },
        { onSuccess: () => setMode(undefined) },
      );
  };
  return (
    <li>
      <span>
        {formatDateTime(meeting.startsAt)}, {meeting.durationMinutes} min{meeting.location ? `, ${meeting.location}` : ''} — <strong>{meeting.status}</strong>
      </span>
      {meeting.status === 'scheduled' && (
        <span className="actions-row">
          <button type="button" className="secondary" onClick={() => setMode(mode === 'move' ? undefined : 'move')}>Move</button>
          <button type="button" className="secondary" disabled={command.isPending} onClick={() => command.mutate({ path: `${path}/cancel`, body: { reason: 'cancelled by the coach' } })}>
            Cancel
          </button>
          {started && (
            <>
              <button type="button" className="secondary" onClick={() => setMode(mode === 'held' ? undefined : 'held')}>Record as held</button>
              <button type="button" className="secondary" disabled={command.isPending} onClick={() => command.mutate({ path: `${path}/missed`, body: {} })}>
                Record as missed
              </button>
            </>
          )}
        </span>
      )}
      {mode && (
        <form className="panel" onSubmit={submit} aria-label={mode === 'move' ? 'Move the meeting' : 'Record the meeting'}>
          {mode === 'move' ? (
            <Field label="New date and time" name="startsAt" serverError={command.error}>
              {(p) => <input {...p} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required />}
            </Field>
          ) : (
            <>
              <Field label="Notes" name="notes" serverError={command.error}>
                {(p) => <textarea {...p} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
              </Field>
              <label className="inline">
                <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> Share the notes with the learner
              </label>
            </>
          )}
          <button type="submit" disabled={command.isPending}>Save</button>
        </form>
      )}
      <FormError error={command.error} />
    </li>
  );
}

function ScheduleForm({ learnerId }: { learnerId: string }) {
  const command = useMeetingCommand(learnerId);
  const [when, setWhen] = useState('');
  const [duration, setDuration] = useState('45');
  const [location, setLocation] = useState('');
  const [checked, setChecked] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!when) return setChecked('Pick a date and time');
    if (new Date(when) <= new Date()) return setChecked('A meeting is booked in the future');
    setChecked(undefined);
    command.mutate(
      { path: '/meetings', body: { learnerId, startsAt: toInstant(when), durationMinutes: Number(duration), ...(location.trim() ? { location: location.trim() } : {}) } },
      { onSuccess: () => setWhen('') },
    );
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="schedule" noValidate>
      <h3 id="schedule">Book a meeting</h3>
      <div className="row">
        <Field label="Date and time" name="startsAt" error={checked} serverError={command.error}>
          {(p) => <input {...p} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />}
        </Field>
        <Field label="Minutes" name="durationMinutes" serverError={command.error}>
          {(p) => <input {...p} type="number" min={5} max={480} value={duration} onChange={(e) => setDuration(e.target.value)} />}
        </Field>
        <Field label="Where (optional)" name="location" serverError={command.error}>
          {(p) => <input {...p} value={location} onChange={(e) => setLocation(e.target.value)} maxLength={200} />}
        </Field>
      </div>
      <FormError error={command.error} />
      <button type="submit" disabled={command.isPending}>Book meeting</button>
    </form>
  );
}
