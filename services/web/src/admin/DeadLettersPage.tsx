import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Service } from '../api/http';
import { DeadLetterCount, DeadLetterInspection, DeadLetterOutcome, DeadLetterPage, DeadLetterSummary } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { FormError } from '../ui/forms';
import { formatDateTime, Query } from '../ui/Status';
import { ConfirmButton } from './ConfirmButton';

const SERVICES: Service[] = ['identity', 'coaching', 'feedback', 'analytics'];
const PAGE_SIZE = 20;
const STATUS_BADGE = { parked: 'warn', replayed: 'done', discarded: 'dropped' } as const;
const placeKey = (p: { kind: string; name: string }) => `${p.kind}|${p.name}`;

/**
 * The institution admin's dead letters, per service: where they were parked (each read model, the inbox consumer), a
 * page of them newest first, one inspected with its content (the look is recorded by the service), replayed after a
 * fix or discarded with a reason, and what came of it.
 */
export function DeadLettersPage() {
  const { api } = useSignedIn();
  const [service, setService] = useState<Service>('identity');
  const [place, setPlace] = useState<string>();
  const serviceId = useId();
  const placeId = useId();
  const counts = useQuery({
    queryKey: ['dead-letters', service],
    queryFn: async () => (await api<{ deadLetters: DeadLetterCount[] }>(service, '/admin/dead-letters')).deadLetters,
  });
  const places = counts.data ?? [];
  const chosen = places.find((p) => placeKey(p) === place) ?? places.find((p) => p.count > 0) ?? places[0];
  // the place first shown stays chosen when its count changes (a letter replayed or discarded)
  useEffect(() => {
    if (!place && chosen) setPlace(placeKey(chosen));
  }, [place, chosen]);
  return (
    <>
      <h1>Dead letters</h1>
      <p className="hint">
        Events a read model could not apply and messages the inbox consumer refused. Replay one after a fix: it runs through its read model or
        through validation into the inbox again, and stays if it still fails. Looking at one's content is recorded.
      </p>
      <div className="filters dead-letter-filters">
        <div className="field">
          <label htmlFor={serviceId}>Service</label>
          <select id={serviceId} value={service} onChange={(e) => { setService(e.target.value as Service); setPlace(undefined); }}>
            {SERVICES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        {places.length > 0 && (
          <div className="field">
            <label htmlFor={placeId}>Parked by</label>
            <select id={placeId} value={chosen ? placeKey(chosen) : ''} onChange={(e) => setPlace(e.target.value)}>
              {places.map((p) => (
                <option key={placeKey(p)} value={placeKey(p)}>
                  {p.kind === 'consumer' ? `inbox consumer (${p.name})` : p.name}: {p.count} waiting
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <Query query={counts} what={`${service}'s dead letters`}>
        {() => (chosen ? <PlaceLetters key={`${service}|${placeKey(chosen)}`} service={service} kind={chosen.kind} name={chosen.name} /> : <p className="notice">{service} parks no dead letters.</p>)}
      </Query>
    </>
  );
}

function PlaceLetters({ service, kind, name }: { service: Service; kind: 'projection' | 'consumer'; name: string }) {
  const { api } = useSignedIn();
  // `before` of each page shown so far: the first is the newest
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const before = pages[pages.length - 1];
  const [open, setOpen] = useState<string>();
  const letters = useQuery({
    queryKey: ['dead-letters', service, kind, name, before],
    queryFn: () => api<DeadLetterPage>(service, '/admin/dead-letters/list', { query: { kind, name, before, limit: PAGE_SIZE } }),
  });
  const older = letters.data?.next;
  return (
    <section className="card" aria-labelledby="dead-letter-list">
      <h2 id="dead-letter-list">{kind === 'consumer' ? 'Refused by the inbox consumer' : `Parked by ${name}`} ({service})</h2>
      <Query query={letters} what="the dead letters">
        {(page) => page.items.length === 0 ? <p className="notice">None: every event and message here was applied.</p> : (
          <TableWrap label={`${service} dead letters`}>
            <table className="stack dead-letter-table">
              <thead>
                <tr>
                  <th scope="col">Parked</th>
                  <th scope="col">Type</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Status</th>
                  <th scope="col">Open</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((letter) => (
                  <tr key={letter.id}>
                    <td data-label="Parked">{formatDateTime(letter.at)}</td>
                    <td data-label="Type">{letter.type ?? 'not an event'}</td>
                    <td data-label="Reason">{letter.reason}</td>
                    <td data-label="Status"><StatusBadge letter={letter} /></td>
                    <td data-label="Open">
                      <button type="button" className="secondary small" aria-expanded={open === letter.id} onClick={() => setOpen(open === letter.id ? undefined : letter.id)}
                        aria-label={`Inspect ${letter.type ?? 'message'} parked ${formatDateTime(letter.at)}`}>
                        {open === letter.id ? 'Close' : 'Inspect'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Query>
      <nav className="pager" aria-label="Dead letter pages">
        <button type="button" className="secondary" disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>Newer</button>
        <button type="button" className="secondary" disabled={!older} onClick={() => older && setPages([...pages, older])}>Older</button>
      </nav>
      {open && <Inspection key={open} service={service} id={open} onClose={() => setOpen(undefined)} />}
    </section>
  );
}

function StatusBadge({ letter }: { letter: DeadLetterSummary }) {
  return (
    <>
      <span className={`badge ${STATUS_BADGE[letter.status]}`}>{letter.status}</span>
      {letter.failedReplays > 0 && <span className="muted"> {letter.failedReplays} failed {letter.failedReplays === 1 ? 'replay' : 'replays'}</span>}
    </>
  );
}

/** One letter opened: fetched once (each fetch is recorded as an inspection), replay and discard, the outcome shown. */
function Inspection({ service, id, onClose }: { service: Service; id: string; onClose: () => void }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const path = `/admin/dead-letters/${encodeURIComponent(id)}`;
  const inspected = useQuery({
    queryKey: ['dead-letter', service, id],
    queryFn: () => api<DeadLetterInspection>(service, path),
    staleTime: Infinity, refetchOnWindowFocus: false, retry: false,
  });
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<DeadLetterOutcome>();
  const reasonId = useId();
  const done = (answer: DeadLetterOutcome) => {
    setOutcome(answer);
    void queryClient.invalidateQueries({ queryKey: ['dead-letters', service] });
  };
  const replay = useMutation({ mutationFn: () => api<DeadLetterOutcome>(service, `${path}/replay`, { method: 'POST' }), onSuccess: done });
  const letter = outcome?.deadLetter ?? inspected.data?.deadLetter;
  return (
    <section className="panel" aria-labelledby="inspected">
      <h3 id="inspected">{letter?.type ?? 'Message'} <span className="muted">({id})</span></h3>
      <Query query={inspected} what="the dead letter">
        {(found) => (
          <>
            <dl className="counts">
              <div><dt>Reason</dt><dd>{letter?.reason}</dd></div>
              <div><dt>Status</dt><dd>{letter && <StatusBadge letter={letter} />}</dd></div>
              {found.deadLetter.eventId && <div><dt>Event id</dt><dd>{found.deadLetter.eventId}</dd></div>}
              {found.message && <div><dt>From</dt><dd>{found.message.topic}, partition {found.message.partition}, offset {found.message.offset}</dd></div>}
            </dl>
            {found.message && Object.keys(found.message.headers).length > 0 && (
              <>
                <h4>Headers</h4>
                <ul className="dead-letters">{Object.entries(found.message.headers).map(([k, v]) => <li key={k}>{k}: {v}</li>)}</ul>
              </>
            )}
            <h4>Content</h4>
            {(found.message || found.event) && letter?.status === 'parked' ? (
              <pre className="payload" tabIndex={0} aria-label="Content">{found.message ? found.message.value : JSON.stringify(found.event, null, 2)}</pre>
            ) : <p className="notice">Dropped once the letter was replayed or discarded.</p>}
            <h4>What was done</h4>
            <ul className="dead-letters">
              {found.actions.map((a, i) => (
                <li key={`${a.at}:${i}`}>{formatDateTime(a.at)}: {a.type.replace('operations.dead-letter-', '')} by {a.actor.userId}{describe(a.data)}</li>
              ))}
            </ul>
            {letter?.status === 'parked' && (
              <div className="actions-row">
                <button type="button" disabled={replay.isPending} onClick={() => replay.mutate()}>{replay.isPending ? 'Replaying…' : 'Replay'}</button>
                <ConfirmButton label="Discard" title="Discard this dead letter?" confirmLabel="Discard" className="secondary"
                  onConfirm={async () => { done(await api<DeadLetterOutcome>(service, `${path}/discard`, { method: 'POST', body: { reason } })); }}>
                  {(error) => (
                    <div className="field">
                      <label htmlFor={reasonId}>Why it is given up</label>
                      <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
                      {error ? null : <span className="hint">Its content is dropped; what it was and why stay on record.</span>}
                    </div>
                  )}
                </ConfirmButton>
              </div>
            )}
            <FormError error={replay.error} />
            {outcome && (
              <p role="status" className={outcome.outcome === 'failed' ? 'error' : 'notice'}>
                {outcome.outcome === 'applied' ? 'Replayed: applied.' : outcome.outcome === 'failed' ? `Replayed, and it failed again: ${outcome.reason}` : `Discarded: ${outcome.reason}`}
              </p>
            )}
            <button type="button" className="secondary small" onClick={onClose}>Close</button>
          </>
        )}
      </Query>
    </section>
  );
}

function describe(data: Record<string, unknown>): string {
  if (data.outcome === 'applied') return ': applied';
  if (data.outcome === 'failed') return `: failed (${String(data.reason ?? '')})`;
  return typeof data.reason === 'string' ? `: ${data.reason}` : '';
}
