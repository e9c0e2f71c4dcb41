import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/http';
import { refreshAfterCommand } from '../api/invalidate';
import { CommunitySession, CommunitySessionKind } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm } from '../ui/forms';
import { formatDateTime, Query } from '../ui/Status';
import { KIND_LABELS, localToInstant, membersAt, Membership, parseTopics } from './community-sessions';

interface CommunityWithMembers {
  communityId: string;
  name: string;
  memberships: Membership[];
}

const sessionsKey = (communityId: string) => ['community-sessions', communityId];

function useSessionCommand(communityId: string) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body: object }) => api('coaching', `/communities/${encodeURIComponent(communityId)}/sessions${path}`, { method: 'POST', body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [sessionsKey(communityId), ['participation']]),
  });
}

/** A community's sessions for the lead: schedule, move, cancel, and record a held one with topics and attendance. */
export function CommunitySessionsPage() {
  const { communityId = '' } = useParams();
  const { api } = useSignedIn();
  const sessions = useQuery({
    queryKey: sessionsKey(communityId),
    queryFn: () => api<{ name: string; sessions: CommunitySession[] }>('coaching', `/communities/${encodeURIComponent(communityId)}/sessions`),
  });
  const communities = useQuery({ queryKey: ['communities'], queryFn: async () => (await api<{ communities: CommunityWithMembers[] }>('coaching', '/communities')).communities });
  const memberships = communities.data?.find((c) => c.communityId === communityId)?.memberships ?? [];
  return (
    <>
      <p><Link to="/lead">← Roster</Link></p>
      <Query query={sessions} what="the sessions" page>
        {(view) => (
          <>
            <h1>{view.name}: sessions</h1>
            <ScheduleForm communityId={communityId} />
            <section aria-labelledby="sessions-list">
              <h2 id="sessions-list">Sessions</h2>
              {view.sessions.length === 0 ? <p className="muted">No sessions yet.</p> : (
                <ul className="entries">
                  {view.sessions.map((s) => <SessionItem key={s.sessionId} communityId={communityId} session={s} members={membersAt(memberships, s.startsAt)} />)}
                </ul>
              )}
            </section>
          </>
        )}
      </Query>
    </>
  );
}

function ScheduleForm({ communityId }: { communityId: string }) {
  const command = useSessionCommand(communityId);
  const [kind, setKind] = useState<CommunitySessionKind>('coach-meeting');
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState('');
  const [duration, setDuration] = useState('60');
  const [location, setLocation] = useState('');
  const [checked, setChecked] = useState<{ title?: string; startsAt?: string }>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = { ...(title.trim() ? {} : { title: 'Give the session a title' }), ...(when ? {} : { startsAt: 'Pick a date and time' }) };
    setChecked(problems);
    if (Object.keys(problems).length) return;
    const body = { kind, title: title.trim(), startsAt: localToInstant(when), durationMinutes: Number(duration), ...(location.trim() ? { location: location.trim() } : {}) };
    void command.mutateAsync({ path: '', body }).then(() => { setTitle(''); setWhen(''); setLocation(''); }, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="schedule-session" noValidate>
      <h2 id="schedule-session">Schedule a session</h2>
      <div className="row">
        <Field label="Kind" name="kind" serverError={command.error}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as CommunitySessionKind)}>
              {Object.entries(KIND_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          )}
        </Field>
        <Field label="Title" name="title" error={checked.title} serverError={command.error}>
          {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />}
        </Field>
        <Field label="Date and time" name="startsAt" error={checked.startsAt} serverError={command.error}>
          {(p) => <input {...p} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />}
        </Field>
        <Field label="Minutes" name="durationMinutes" serverError={command.error}>
          {(p) => <input {...p} type="number" min={5} max={600} value={duration} onChange={(e) => setDuration(e.target.value)} />}
        </Field>
        <Field label="Where (optional)" name="location" serverError={command.error}>
          {(p) => <input {...p} value={location} onChange={(e) => setLocation(e.target.value)} maxLength={200} />}
        </Field>
      </div>
      <FormError error={command.error} />
      <button type="submit" disabled={command.isPending}>Schedule</button>
    </form>
  );
}

function SessionItem({ communityId, session, members }: { communityId: string; session: CommunitySession; members: Membership[] }) {
  const command = useSessionCommand(communityId);
  const [mode, setMode] = useState<'held' | 'cancel' | 'move'>();
  const path = `/${encodeURIComponent(session.sessionId)}`;
  const started = Date.parse(session.startsAt) <= Date.now();
  const toggle = (next: typeof mode) => setMode(mode === next ? undefined : next);
  return (
    <li className="card">
      <h3>{session.title}</h3>
      <p>
        {KIND_LABELS[session.kind]} · {formatDateTime(session.startsAt)} · {session.durationMinutes} min{session.location ? ` · ${session.location}` : ''} — <strong>{session.status}</strong>
        {session.reason && <span className="muted"> ({session.reason})</span>}
      </p>
      {session.topics && <p>Topics: {session.topics.join(', ')}</p>}
      {session.attendance && (
        <p>
          Attended: {session.attendance.filter((a) => a.attended).map((a) => a.coachName).join(', ') || 'nobody'}
          {session.attendance.some((a) => !a.attended) && <> · Absent: {session.attendance.filter((a) => !a.attended).map((a) => a.coachName).join(', ')}</>}
        </p>
      )}
      {session.status === 'scheduled' && (
        <div className="actions-row">
          {started && <button type="button" className="secondary" aria-expanded={mode === 'held'} onClick={() => toggle('held')}>Record as held</button>}
          {!started && <button type="button" className="secondary" aria-expanded={mode === 'move'} onClick={() => toggle('move')}>Move</button>}
          <button type="button" className="secondary" aria-expanded={mode === 'cancel'} onClick={() => toggle('cancel')}>Cancel session</button>
        </div>
      )}
      {mode === 'held' && <HeldForm session={session} members={members} command={command} path={path} onDone={() => setMode(undefined)} />}
      {mode === 'cancel' && <ReasonForm label="Why is it cancelled?" submitLabel="Cancel the session" title={session.title} onSubmit={(reason) => command.mutateAsync({ path: `${path}/cancel`, body: { reason } })} error={command.error} pending={command.isPending} onDone={() => setMode(undefined)} />}
      {mode === 'move' && <MoveForm session={session} command={command} path={path} onDone={() => setMode(undefined)} />}
      {!mode && <FormError error={command.error} />}
    </li>
  );
}

type Command = ReturnType<typeof useSessionCommand>;

function HeldForm({ session, members, command, path, onDone }: { session: CommunitySession; members: Membership[]; command: Command; path: string; onDone: () => void }) {
  const [topics, setTopics] = useState('');
  const [attended, setAttended] = useState<string[]>([]);
  const [checked, setChecked] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const list = parseTopics(topics);
    if (list.length === 0) return setChecked('Name at least one topic');
    setChecked(undefined);
    void command.mutateAsync({ path: `${path}/held`, body: { topics: list, attendees: attended } }).then(onDone, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-label={`Record ${session.title} as held`} noValidate>
      <Field label="Topics" name="topics" hint="one per line or separated by commas" error={checked} serverError={command.error}>
        {(p) => <textarea {...p} rows={3} value={topics} onChange={(e) => setTopics(e.target.value)} />}
      </Field>
      <fieldset>
        <legend>Who attended</legend>
        {members.length === 0 && <p className="muted">No coach belonged to the community when the session started.</p>}
        {members.map((m) => (
          <label key={m.coachId} className="inline">
            <input type="checkbox" checked={attended.includes(m.coachId)}
              onChange={(e) => setAttended(e.target.checked ? [...attended, m.coachId] : attended.filter((c) => c !== m.coachId))} />{' '}
            {m.coachName}
          </label>
        ))}
        {command.error instanceof ApiError && command.error.about('attendees').map((m) => <p key={m} className="field-error">{m}</p>)}
      </fieldset>
      <FormError error={command.error} />
      <button type="submit" disabled={command.isPending}>Record as held</button>
    </form>
  );
}

function MoveForm({ session, command, path, onDone }: { session: CommunitySession; command: Command; path: string; onDone: () => void }) {
  const [when, setWhen] = useState('');
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!when) return;
    void command.mutateAsync({ path: `${path}/reschedule`, body: { startsAt: localToInstant(when), ...(reason.trim() ? { reason: reason.trim() } : {}) } }).then(onDone, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-label={`Move ${session.title}`}>
      <div className="row">
        <Field label="New date and time" name="startsAt" serverError={command.error}>
          {(p) => <input {...p} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required />}
        </Field>
        <Field label="Why (optional)" name="reason" serverError={command.error}>
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />}
        </Field>
      </div>
      <FormError error={command.error} />
      <button type="submit" disabled={command.isPending}>Move</button>
    </form>
  );
}

function ReasonForm({ label, submitLabel, title, onSubmit, error, pending, onDone }: {
  label: string; submitLabel: string; title: string; onSubmit: (reason: string) => Promise<unknown>; error: unknown; pending: boolean; onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setChecked('Say why');
    setChecked(undefined);
    void onSubmit(reason.trim()).then(onDone, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-label={`${submitLabel}: ${title}`} noValidate>
      <Field label={label} name="reason" error={checked} serverError={error}>
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />}
      </Field>
      <FormError error={error} />
      <button type="submit" disabled={pending}>{submitLabel}</button>
    </form>
  );
}
