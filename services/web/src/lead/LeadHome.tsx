import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { ApiError } from '../api/http';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Pager } from '../ui/Pager';
import { TableWrap } from '../ui/TableWrap';
import { Communities } from './Communities';
import { CoachLoad, Roster } from '../api/types';
import { Field, FormError, keepForm } from '../ui/forms';
import { formatDate, Query } from '../ui/Status';
import { coachOption, firstWithRoom, formLevelError, isFull, matches, pageOf, personLabel } from './roster';

interface Relationship {
  relationshipId: string;
  learnerId: string;
  learnerName: string;
  coachId: string;
  coachName: string;
  status: 'active' | 'paused';
  startedAt: string;
  pausedReason?: string;
  capacityOverride?: string;
}

const PAGE_SIZE = 25;
/** the roster's own lists are shorter pages: they sit above the relationships */
const ROSTER_PAGE_SIZE = 10;
const OVERRIDE = 'capacityOverride';

/** The coaching lead's roster: who has no coach, coach load against capacity, who is behind cadence; then every relationship. */
export function LeadHome() {
  const { api } = useSignedIn();
  const roster = useQuery({ queryKey: ['roster'], queryFn: () => api<Roster>('coaching', '/roster') });
  const relationships = useQuery({
    queryKey: ['relationships'],
    queryFn: async () => (await api<{ relationships: Relationship[] }>('coaching', '/relationships', { query: { current: 'true' } })).relationships,
  });
  return (
    <>
      <h1>Roster</h1>
      <Query query={roster} what="the roster">
        {(r) => (
          <>
            <Unassigned roster={r} />
            <CoachLoadTable coaches={r.coachLoad} />
            <BehindCadence roster={r} />
            <ProgramForm roster={r} />
            <Communities coaches={r.coachLoad} />
          </>
        )}
      </Query>
      <section aria-labelledby="relationships">
        <h2 id="relationships">Coaching relationships</h2>
        <Query query={relationships} what="relationships">
          {(list) => <Relationships list={list} coaches={roster.data?.coachLoad ?? []} />}
        </Query>
      </section>
    </>
  );
}

function useLeadCommand() {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body, method }: { path: string; body: object; method?: 'POST' | 'PUT' }) => api('coaching', path, { method: method ?? 'POST', body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [['roster'], ['relationships'], ['communities']]),
  });
}

function Columns({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => <th scope="col" key={name}>{name}</th>)}
      </tr>
    </thead>
  );
}

function Person({ name, id }: { name: string; id: string }) {
  return (
    <>
      {name}
      {name !== id && <span className="muted"> ({id})</span>}
    </>
  );
}

function Unassigned({ roster }: { roster: Roster }) {
  const [page, setPage] = useState(1);
  const shown = pageOf(roster.unassigned, page, ROSTER_PAGE_SIZE);
  return (
    <section aria-labelledby="unassigned">
      <h2 id="unassigned">Without a coach ({roster.unassigned.length})</h2>
      {roster.unassigned.length === 0 ? (
        <p>Every learner has a coach.</p>
      ) : (
        <>
          <ul className="assign-list">
            {shown.items.map((u) => (
              <AssignRow key={u.learnerId} learner={u} coaches={roster.coachLoad} />
            ))}
          </ul>
          {shown.pages > 1 && <Pager page={shown.page} pages={shown.pages} onPage={setPage} label="Pages of learners without a coach" />}
        </>
      )}
    </section>
  );
}

/**
 * The reason to take a coach beyond capacity: asked for when the chosen coach is full (as the page last saw it) or
 * when the server said so. The server holds the rule; this field only shows its refusal.
 */
function OverrideField({ coach, error, value, onChange }: { coach: CoachLoad | undefined; error: unknown; value: string; onChange: (value: string) => void }) {
  const refused = error instanceof ApiError && error.about(OVERRIDE).length > 0;
  if (!refused && !(coach && isFull(coach))) return null;
  const hint = coach ? `${coach.coachName} already coaches ${coach.load} of ${coach.capacity}; say why one more.` : undefined;
  return (
    <Field label="Reason for exceeding capacity" name={OVERRIDE} serverError={error} hint={hint}>
      {(p) => <input {...p} value={value} onChange={(e) => onChange(e.target.value)} maxLength={500} />}
    </Field>
  );
}

function AssignRow({ learner, coaches }: { learner: Roster['unassigned'][number]; coaches: CoachLoad[] }) {
  const assign = useLeadCommand();
  const [coachId, setCoachId] = useState(() => firstWithRoom(coaches));
  const [override, setOverride] = useState('');
  const coach = coaches.find((c) => c.coachId === coachId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    assign.mutate({ path: '/relationships', body: { learnerId: learner.learnerId, coachId, ...(override.trim() ? { capacityOverride: override.trim() } : {}) } });
  };
  const who = personLabel(learner.learnerName, learner.learnerId);
  return (
    <li>
      <form className="row" onSubmit={submit} aria-label={`Assign a coach to ${who}`}>
        <strong>
          <Person name={learner.learnerName} id={learner.learnerId} />
        </strong>
        {learner.needsReassignment && <span className="badge warn">needs a new coach</span>}
        <label>
          Coach{' '}
          <select value={coachId} onChange={(e) => setCoachId(e.target.value)}>
            {coaches.map((c) => (
              <option key={c.coachId} value={c.coachId}>
                {coachOption(c)}
              </option>
            ))}
          </select>
        </label>
        <OverrideField coach={coach} error={assign.error} value={override} onChange={setOverride} />
        <button type="submit" disabled={assign.isPending || !coachId}>Assign</button>
        <FormError error={formLevelError(assign.error, [OVERRIDE])} />
      </form>
    </li>
  );
}

function CoachLoadTable({ coaches }: { coaches: CoachLoad[] }) {
  const [page, setPage] = useState(1);
  const shown = pageOf(coaches, page, ROSTER_PAGE_SIZE);
  return (
    <section aria-labelledby="load">
      <h2 id="load">Coach load</h2>
      <TableWrap label="Coach load">
        <table>
          <Columns names={['Coach', 'Coachees', 'Capacity', 'Beyond capacity', 'Set capacity']} />
          <tbody>
            {shown.items.map((c) => (
              <tr key={c.coachId}>
                <td>
                  <Person name={c.coachName} id={c.coachId} />
                  {c.overCapacity ? <span className="badge warn">over capacity</span> : isFull(c) && <span className="badge">full</span>}
                </td>
                <td>
                  <meter min={0} max={Math.max(c.capacity, c.load, 1)} value={c.load} aria-label={`${c.coachName}: ${c.load} of ${c.capacity}`} /> {c.load}
                </td>
                <td>
                  {c.capacity}
                  <div className="muted">
                    {c.capacitySet ? `set by ${c.capacitySet.byName} on ${formatDate(c.capacitySet.at)}${c.capacitySet.reason ? `: ${c.capacitySet.reason}` : ''}` : 'the program default'}
                  </div>
                </td>
                <td>
                  {c.overrides.length === 0 ? <span className="muted">none</span> : (
                    <ul>
                      {c.overrides.map((o) => (
                        <li key={o.relationshipId}>
                          {o.learnerName}: “{o.reason}” <span className="muted">({o.byName}, {formatDate(o.at)})</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <CapacityForm coach={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {shown.pages > 1 && <Pager page={shown.page} pages={shown.pages} onPage={setPage} label="Pages of coaches" />}
    </section>
  );
}

function BehindCadence({ roster }: { roster: Roster }) {
  const [page, setPage] = useState(1);
  const shown = pageOf(roster.behindCadence, page, ROSTER_PAGE_SIZE);
  return (
    <section aria-labelledby="behind">
      <h2 id="behind">Behind cadence ({roster.behindCadence.length})</h2>
      {roster.behindCadence.length === 0 ? <p>Nobody is behind the {roster.program.meetingCadenceDays}-day cadence.</p> : (
        <>
          <ul>
            {shown.items.map((b) => (
              <li key={b.relationshipId}>
                <Person name={b.learnerName} id={b.learnerId} /> with <Person name={b.coachName} id={b.coachId} />, due {formatDate(b.dueBy)}
              </li>
            ))}
          </ul>
          {shown.pages > 1 && <Pager page={shown.page} pages={shown.pages} onPage={setPage} label="Pages of learners behind cadence" />}
        </>
      )}
    </section>
  );
}

function Relationships({ list, coaches }: { list: Relationship[]; coaches: CoachLoad[] }) {
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState('');
  const shown = pageOf(list.filter((r) => matches(filter, r.learnerName, r.learnerId, r.coachName, r.coachId)), page, PAGE_SIZE);
  return (
    <>
      <label>
        Find a learner or coach <input value={filter} onChange={(e) => { setFilter(e.target.value); setPage(1); }} />
      </label>
      <TableWrap label="Coaching relationships">
        <table>
          <Columns names={['Learner', 'Coach', 'Since', 'Status', 'Change']} />
          <tbody>
            {shown.items.map((r) => (
              <RelationshipRow key={r.relationshipId} relationship={r} coaches={coaches} />
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager page={shown.page} pages={shown.pages} onPage={setPage} label="Relationship pages" />
    </>
  );
}

type Action = '' | 'transfer' | 'pause' | 'resume' | 'end';

function RelationshipRow({ relationship: r, coaches }: { relationship: Relationship; coaches: CoachLoad[] }) {
  const command = useLeadCommand();
  const [action, setAction] = useState<Action>('');
  const [toCoachId, setToCoachId] = useState(() => firstWithRoom(coaches, r.coachId));
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState('');
  const [endReason, setEndReason] = useState('other');
  const base = `/learners/${encodeURIComponent(r.learnerId)}/coaching`;
  const target = coaches.find((c) => c.coachId === toCoachId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!action) return;
    const note = reason.trim() ? reason.trim() : undefined;
    const body =
      action === 'transfer' ? { toCoachId, reason: reason.trim(), ...(override.trim() ? { capacityOverride: override.trim() } : {}) }
      : action === 'end' ? { reason: endReason, note }
      : { reason: note };
    void command.mutateAsync({ path: `${base}/${action}`, body }).then(() => { setAction(''); setReason(''); setOverride(''); }, keepForm);
  };
  const who = personLabel(r.learnerName, r.learnerId);
  // the DTOs: a transfer and a pause need a reason; a resume's is optional; an end has its kind and an optional note
  const reasonRequired = action === 'transfer' || action === 'pause';
  return (
    <tr>
      <td><Person name={r.learnerName} id={r.learnerId} /></td>
      <td><Person name={r.coachName} id={r.coachId} /></td>
      <td>{formatDate(r.startedAt)}</td>
      <td>
        {r.status}
        {r.status === 'paused' && r.pausedReason && <div className="muted">{r.pausedReason}</div>}
      </td>
      <td>
        <form className="row" onSubmit={submit} aria-label={`Change the coaching of ${who}`}>
          {/* named by aria-label: a visually hidden label, positioned absolutely, would widen a phone's page beyond the table's scrolling */}
          <select value={action} onChange={(e) => setAction(e.target.value as Action)} aria-label={`Change for ${who}`}>
            <option value="">choose…</option>
            <option value="transfer">transfer</option>
            {r.status === 'active' ? <option value="pause">pause</option> : <option value="resume">resume</option>}
            <option value="end">end</option>
          </select>
          {action === 'transfer' && (
            <label>
              to{' '}
              <select value={toCoachId} onChange={(e) => setToCoachId(e.target.value)}>
                {coaches.filter((c) => c.coachId !== r.coachId).map((c) => <option key={c.coachId} value={c.coachId}>{coachOption(c)}</option>)}
              </select>
            </label>
          )}
          {action === 'transfer' && <OverrideField coach={target} error={command.error} value={override} onChange={setOverride} />}
          {action === 'end' && (
            <label>
              why{' '}
              <select value={endReason} onChange={(e) => setEndReason(e.target.value)}>
                {['graduated', 'withdrawn', 'coach-left', 'other'].map((x) => <option key={x} value={x}>{x}</option>)}
              </select>
            </label>
          )}
          {action && (
            <Field label={action === 'end' ? 'Note' : 'Reason'} name={action === 'end' ? 'note' : 'reason'} serverError={command.error}>
              {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} required={reasonRequired} maxLength={500} />}
            </Field>
          )}
          {action && <button type="submit" disabled={command.isPending}>Apply</button>}
          <FormError error={formLevelError(command.error, action === 'transfer' ? [OVERRIDE] : [])} />
        </form>
      </td>
    </tr>
  );
}

function ProgramForm({ roster }: { roster: Roster }) {
  const save = useLeadCommand();
  const [cadence, setCadence] = useState(String(roster.program.meetingCadenceDays));
  const [capacity, setCapacity] = useState(String(roster.program.defaultCoachCapacity));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ path: '/program', method: 'PUT', body: { meetingCadenceDays: Number(cadence), defaultCoachCapacity: Number(capacity) } });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="program">
      <h2 id="program">Program settings</h2>
      <div className="row">
        <Field label="Meet every (days)" name="meetingCadenceDays" serverError={save.error}>
          {(p) => <input {...p} type="number" min={7} max={365} value={cadence} onChange={(e) => setCadence(e.target.value)} />}
        </Field>
        <Field label="Default coach capacity" name="defaultCoachCapacity" serverError={save.error}>
          {(p) => <input {...p} type="number" min={1} max={200} value={capacity} onChange={(e) => setCapacity(e.target.value)} />}
        </Field>
      </div>
      <FormError error={save.error} />
      <button type="submit" disabled={save.isPending}>Save settings</button>
    </form>
  );
}

/** A coach's own capacity, overriding the program's default, with why it changed. */
function CapacityForm({ coach }: { coach: CoachLoad }) {
  const save = useLeadCommand();
  const [value, setValue] = useState(String(coach.capacity));
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { capacity: Number(value), ...(reason.trim() ? { reason: reason.trim() } : {}) };
    void save.mutateAsync({ path: `/coaches/${encodeURIComponent(coach.coachId)}/capacity`, method: 'PUT', body }).then(() => setReason(''), keepForm);
  };
  return (
    <form className="row" onSubmit={submit} aria-label={`Capacity of ${personLabel(coach.coachName, coach.coachId)}`}>
      <input type="number" min={0} max={200} value={value} onChange={(e) => setValue(e.target.value)} size={4} aria-label={`New capacity of ${coach.coachName}`} />
      <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why (kept with the change)" maxLength={500} aria-label={`Why the capacity of ${coach.coachName} changes`} />
      <button type="submit" className="secondary small" disabled={save.isPending || Number(value) === coach.capacity}>Set</button>
      <FormError error={save.error} />
    </form>
  );
}
