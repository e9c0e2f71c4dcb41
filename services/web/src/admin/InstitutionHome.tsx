import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Service } from '../api/http';
import { DeadLetterCount } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { FormError } from '../ui/forms';
import { Failure, formatDateTime, Loading, Query } from '../ui/Status';

interface ProjectionStatus {
  name: string;
  source: string;
  position: number;
  head: number;
}

interface RebuildJob {
  jobId: string;
  projection: string;
  state: string;
  progress: { done?: number; total?: number; eventsPerSecond?: number } | number | null;
  failedReason: string | null;
}

const SERVICES: Service[] = ['identity', 'coaching', 'feedback', 'analytics'];

/** The institution admin's operations page: every service's projections (position against head) and dead letters, rebuilds with progress, key rotation. */
export function InstitutionHome() {
  const { api } = useSignedIn();
  const statuses = useQueries({
    queries: SERVICES.map((service) => ({
      queryKey: ['projections', service],
      queryFn: () => api<ProjectionStatus[]>(service, '/admin/projections'),
      refetchInterval: 5000,
    })),
  });
  const [job, setJob] = useState<{ service: Service; jobId: string }>();
  const rebuild = useMutation({
    mutationFn: ({ service, name }: { service: Service; name: string }) => api<{ jobId: string }>(service, `/admin/projections/${encodeURIComponent(name)}/rebuild`, { method: 'POST' }),
    onSuccess: (answer, { service }) => setJob({ service, jobId: answer.jobId }),
  });
  const rotate = useMutation({ mutationFn: () => api<{ kid?: string }>('identity', '/admin/signing-keys/rotate', { method: 'POST' }) });
  return (
    <>
      <h1>Operations</h1>
      <section aria-labelledby="projections">
        <h2 id="projections">Read models</h2>
        <p className="hint">Each read model's checkpoint against the head of its source. A rebuild replays the source into a fresh copy while the old one keeps answering.</p>
        {SERVICES.map((service, i) => {
          const status = statuses[i];
          return (
            <div key={service} className="card">
              <h3>{service}</h3>
              {status.isPending ? (
                <Loading what={`${service}'s read models`} />
              ) : status.error ? (
                <Failure error={status.error} retry={() => void status.refetch()} />
              ) : (
                <TableWrap label={`${service} read models`}>
                  <table className="stack">
                    <thead>
                      <tr>
                        <th scope="col">Read model</th>
                        <th scope="col">Source</th>
                        <th scope="col">Position</th>
                        <th scope="col">Behind</th>
                        <th scope="col">Rebuild</th>
                      </tr>
                    </thead>
                    <tbody>
                      {status.data!.map((p) => (
                        <tr key={p.name}>
                          <td data-label="Read model">{p.name}</td>
                          <td data-label="Source">{p.source}</td>
                          <td data-label="Position">{p.position}</td>
                          <td data-label="Behind">{Math.max(0, p.head - p.position)}</td>
                          <td data-label="Rebuild">
                            {/* the relay publishes; it is not rebuilt */}
                            {p.name !== 'outbox-relay' ? <button type="button" className="secondary small" disabled={rebuild.isPending} onClick={() => rebuild.mutate({ service, name: p.name })} aria-label={`Rebuild ${service} ${p.name}`}>
                              Rebuild
                            </button> : <span className="muted">publishes; not rebuilt</span>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
              <DeadLetters service={service} />
            </div>
          );
        })}
        <FormError error={rebuild.error} />
        {job && <RebuildProgress service={job.service} jobId={job.jobId} />}
      </section>
      <section className="panel" aria-labelledby="keys">
        <h2 id="keys">Signing keys</h2>
        <p className="hint">Start signing access tokens with a new key. Tokens signed with earlier keys keep working until they expire.</p>
        <button type="button" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
          Rotate the signing key
        </button>
        {rotate.isSuccess && <p role="status">A new signing key is in use.</p>}
        <FormError error={rotate.error} />
      </section>
    </>
  );
}

/** What a service's projections and its inbox consumer parked: counts and the latest few (no payload: the API sends none). */
function DeadLetters({ service }: { service: Service }) {
  const { api } = useSignedIn();
  const letters = useQuery({
    queryKey: ['dead-letters', service],
    queryFn: async () => (await api<{ deadLetters: DeadLetterCount[] }>(service, '/admin/dead-letters')).deadLetters,
    refetchInterval: 10_000,
  });
  return (
    <>
      <h4>Dead letters of {service}</h4>
      <Query query={letters} what={`${service}'s dead letters`}>
        {(list) => {
          const parked = list.filter((d) => d.count > 0);
          if (parked.length === 0) return <p className="notice">No dead letters: every message and event was applied.</p>;
          return (
            <ul className="dead-letters">
              {parked.map((d) => (
                <li key={`${d.kind}:${d.name}`}>
                  <strong>{d.name}</strong> ({d.kind === 'consumer' ? 'messages refused by the inbox consumer' : 'events parked by the read model'}):{' '}
                  <span className="badge warn">{d.count}</span>
                  <ul>
                    {d.latest.map((l, i) => (
                      <li key={`${l.eventId ?? ''}:${l.at}:${i}`}>
                        {formatDateTime(l.at)}: {l.type ?? 'not an event'}{l.eventId ? ` (${l.eventId})` : ''} — {l.reason}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
              <li><Link to="/institution/dead-letters">Inspect, replay or discard them</Link></li>
            </ul>
          );
        }}
      </Query>
    </>
  );
}

/** The BullMQ job's progress: commits done of total, polled until it ends. */
function RebuildProgress({ service, jobId }: { service: Service; jobId: string }) {
  const { api } = useSignedIn();
  const job = useQuery({
    queryKey: ['rebuild', service, jobId],
    queryFn: () => api<RebuildJob>(service, `/admin/projections/rebuilds/${encodeURIComponent(jobId)}`),
    refetchInterval: (query) => (['completed', 'failed'].includes(query.state.data?.state ?? '') ? false : 500),
  });
  const progress = job.data?.progress && typeof job.data.progress === 'object' ? job.data.progress : undefined;
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  return (
    <div className="panel" aria-live="polite">
      <h3>
        Rebuilding {job.data?.projection ?? '…'} ({service})
      </h3>
      <progress aria-label="Rebuild progress" max={Math.max(1, total)} value={job.data?.state === 'completed' ? Math.max(1, total) : done} />
      <p role="status">
        {job.data?.state ?? 'waiting'}: {done} of {total} commits
        {progress?.eventsPerSecond ? `, ${Math.round(progress.eventsPerSecond)} events/s` : ''}
        {job.data?.failedReason ? ` — ${job.data.failedReason}` : ''}
      </p>
    </div>
  );
}
