import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Pager } from '../ui/Pager';
import { TableWrap } from '../ui/TableWrap';
import { Communities } from './Communities';
import { Roster } from '../api/types';
import { Field, FormError, keepForm } from '../ui/forms';
import { formatDate, Query } from '../ui/Status';

interface Relationship {
  relationshipId: string;
  learnerId: string;
  coachId: string;
  status: 'active' | 'paused';
  startedAt: string;
}

const PAGE_SIZE = 25;

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
            <section aria-labelledby="unassigned">
              <h2 id="unassigned">Without a coach ({r.unassigned.length})</h2>
              {r.unassigned.length === 0 ? (
                <p>Every learner has a coach.</p>
              ) : (
                <ul className="assign-list">
                  {r.unassigned.map((u) => (
                    <AssignRow key={u.learnerId} learnerId={u.learnerId} roster={r} needsReassignment={u.needsReassignment} />
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="load">
              <h2 id="load">Coach load</h2>
              <TableWrap label="Coach load">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Coach</th>
                      <th scope="col">Coachees</th>
                      <th scope="col">Capacity</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.coachLoad.map((c) => (
                      <tr key={c.coachId}>
                        <td>
                          {c.coachId}
                          {c.overCapacity && <span className="badge warn">over capacity</span>}
                        </td>
                        <td>
                          <meter min={0} max={Math.max(c.capacity, c.load)} value={c.load} aria-label={`${c.coachId}: ${c.load} of ${c.capacity}`} /> {c.load}
                        </td>
                        <td><CapacityCell coachId={c.coachId} capacity={c.capacity} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </section>
            <section aria-labelledby="behind">
              <h2 id="behind">Behind cadence ({r.behindCadence.length})</h2>
              {r.behindCadence.length === 0 ? <p>Nobody is behind the {r.program.meetingCadenceDays}-day cadence.</p> : (
                <ul>{r.behindCadence.map((b) => <li key={b.learnerId}>{b.learnerId} with {b.coachId}{b.nextDueBy ? `, due ${formatDate(b.nextDueBy)}` : ''}</li>)}</ul>
              )}
            </section>
            <ProgramForm roster={r} />
            <Communities coaches={r.coachLoad.map((c) => c.coachId)} />
          </>
        )}
      </Query>
      <section aria-labelledby="relationships">
        <h2 id="relationships">Coaching relationships</h2>
        <Query query={relationships} what="relationships">
          {(list) => <Relationships list={list} coaches={roster.data?.coachLoad.map((c) => c.coachId) ?? []} />}
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
    onSuccess: () => void refreshAfterCommand(queryClient, [['roster'], ['relationships']]),
  });
}

function AssignRow({ learnerId, roster, needsReassignment }: { learnerId: string; roster: Roster; needsReassignment: boolean }) {
  const assign = useLeadCommand();
  const open = roster.coachLoad.filter((c) => !c.overCapacity && c.load < c.capacity);
  const [coachId, setCoachId] = useState(open[0]?.coachId ?? roster.coachLoad[0]?.coachId ?? '');
  const [override, setOverride] = useState('');
  const full = roster.coachLoad.find((c) => c.coachId === coachId && c.load >= c.capacity);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    assign.mutate({ path: '/relationships', body: { learnerId, coachId, ...(full && override.trim() ? { capacityOverride: override.trim() } : {}) } });
  };
  return (
    <li>
      <form className="row" onSubmit={submit} aria-label={`Assign a coach to ${learnerId}`}>
        <strong>{learnerId}</strong>
        {needsReassignment && <span className="badge warn">needs a new coach</span>}
        <label>
          Coach{' '}
          <select value={coachId} onChange={(e) => setCoachId(e.target.value)}>
            {roster.coachLoad.map((c) => (
              <option key={c.coachId} value={c.coachId}>
                {c.coachId} ({c.load}/{c.capacity})
              </option>
            ))}
          </select>
        </label>
        {full && (
          <label>
            Reason to exceed capacity <input value={override} onChange={(e) => setOverride(e.target.value)} required />
          </label>
        )}
        <button type="submit" disabled={assign.isPending}>Assign</button>
        <FormError error={assign.error} />
      </form>
    </li>
  );
}

function Relationships({ list, coaches }: { list: Relationship[]; coaches: string[] }) {
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState('');
  const shown = list.filter((r) => !filter || r.learnerId.includes(filter) || r.coachId.includes(filter));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  return (
    <>
      <label>
        Find a learner or coach <input value={filter} onChange={(e) => { setFilter(e.target.value); setPage(1); }} />
      </label>
      <TableWrap label="Coaching relationships">
        <table>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Coach</th>
              <th scope="col">Since</th>
              <th scope="col">Status</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => (
              <RelationshipRow key={r.relationshipId} relationship={r} coaches={coaches} />
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager page={page} pages={pages} onPage={setPage} label="Relationship pages" />
    </>
  );
}

function RelationshipRow({ relationship: r, coaches }: { relationship: Relationship; coaches: string[] }) {
  const command = useLeadCommand();
  const [action, setAction] = useState<'' | 'transfer' | 'pause' | 'resume' | 'end'>('');
  const [toCoachId, setToCoachId] = useState(coaches.find((c) => c !== r.coachId) ?? '');
  const [reason, setReason] = useState('');
  const [endReason, setEndReason] = useState('other');
  const base = `/learners/${encodeURIComponent(r.learnerId)}/coaching`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!action) return;
    const body =
      action === 'transfer' ? { toCoachId, reason: reason.trim() } : action === 'end' ? { reason: endReason, ...(reason.trim() ? { note: reason.trim() } : {}) } : { reason: reason.trim() };
    void command.mutateAsync({ path: `${base}/${action}`, body }).then(() => { setAction(''); setReason(''); }, keepForm);
  };
  return (
    <tr>
      <td>{r.learnerId}</td>
      <td>{r.coachId}</td>
      <td>{formatDate(r.startedAt)}</td>
      <td>{r.status}</td>
      <td>
        <form className="row" onSubmit={submit} aria-label={`Change ${r.learnerId}'s coaching`}>
          <label>
            <span className="visually-hidden">Change for {r.learnerId}</span>
            <select value={action} onChange={(e) => setAction(e.target.value as typeof action)}>
              <option value="">choose…</option>
              <option value="transfer">transfer</option>
              {r.status === 'active' ? <option value="pause">pause</option> : <option value="resume">resume</option>}
              <option value="end">end</option>
            </select>
          </label>
          {action === 'transfer' && (
            <label>
              to{' '}
              <select value={toCoachId} onChange={(e) => setToCoachId(e.target.value)}>
                {coaches.filter((c) => c !== r.coachId).map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </label>
          )}
          {action === 'end' && (
            <label>
              why{' '}
              <select value={endReason} onChange={(e) => setEndReason(e.target.value)}>
                {['graduated', 'withdrawn', 'coach-left', 'other'].map((x) => <option key={x} value={x}>{x}</option>)}
              </select>
            </label>
          )}
          {action && (
            <Field label="Reason" name="reason" serverError={command.error}>
              {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} required={action !== 'end'} maxLength={500} />}
            </Field>
          )}
          {action && <button type="submit" disabled={command.isPending}>Apply</button>}
          <FormError error={command.error} />
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

/** A coach's own capacity, overriding the program's default. */
function CapacityCell({ coachId, capacity }: { coachId: string; capacity: number }) {
  const save = useLeadCommand();
  const [value, setValue] = useState(String(capacity));
  return (
    <form className="row" onSubmit={(e) => { e.preventDefault(); save.mutate({ path: `/coaches/${encodeURIComponent(coachId)}/capacity`, method: 'PUT', body: { capacity: Number(value) } }); }} aria-label={`Capacity of ${coachId}`}>
      <label>
        <span className="visually-hidden">Capacity of {coachId}</span>
        <input type="number" min={0} max={200} value={value} onChange={(e) => setValue(e.target.value)} size={4} />
      </label>
      <button type="submit" className="secondary small" disabled={save.isPending || Number(value) === capacity}>Set</button>
      <FormError error={save.error} />
    </form>
  );
}
