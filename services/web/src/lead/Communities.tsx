import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { FormError, keepForm } from '../ui/forms';
import { Query } from '../ui/Status';
import { Participation } from './Participation';
import { personLabel } from './roster';

interface Community {
  communityId: string;
  name: string;
  /** every coach who ever belonged; those who left have `leftAt` */
  memberships: { coachId: string; coachName: string; learners?: number; leftAt?: string }[];
  learners: number;
}

/** Learning communities: coaches grouped in houses; the lead creates them and moves coaches in and out. */
type Coach = { coachId: string; coachName: string };

export function Communities({ coaches }: { coaches: Coach[] }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const communities = useQuery({ queryKey: ['communities'], queryFn: async () => (await api<{ communities: Community[] }>('coaching', '/communities')).communities });
  const command = useMutation({
    mutationFn: ({ path, body, method }: { path: string; body?: object; method?: 'POST' | 'DELETE' }) => api('coaching', path, { method: method ?? 'POST', body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [['communities']]),
  });
  const [name, setName] = useState('');
  const create = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) void command.mutateAsync({ path: '/communities', body: { name: name.trim() } }).then(() => setName(''), keepForm);
  };
  return (
    <section aria-labelledby="communities">
      <h2 id="communities">Learning communities</h2>
      <Query query={communities} what="communities">
        {(list) => (
          <div className="cards">
            {list.map((c) => (
              <div className="card" key={c.communityId}>
                <h3>{c.name}</h3>
                <p className="muted">{c.learners} learners · <Link to={`/lead/communities/${encodeURIComponent(c.communityId)}`}>Sessions<span className="visually-hidden"> of {c.name}</span></Link></p>
                <ul>
                  {c.memberships.filter((m) => !m.leftAt).map((m) => (
                    <li key={m.coachId}>
                      {m.coachName}
                      {m.coachName !== m.coachId && <span className="muted"> ({m.coachId})</span>}: {m.learners} learners{' '}
                      <button type="button" className="secondary small" aria-label={`Remove ${personLabel(m.coachName, m.coachId)} from ${c.name}`} disabled={command.isPending}
                        onClick={() => command.mutate({ path: `/communities/${encodeURIComponent(c.communityId)}/coaches/${encodeURIComponent(m.coachId)}`, method: 'DELETE' })}>
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
                <AddCoach community={c} coaches={coaches.filter((coach) => !c.memberships.some((m) => !m.leftAt && m.coachId === coach.coachId))} onAdd={(coachId) => command.mutate({ path: `/communities/${encodeURIComponent(c.communityId)}/coaches`, body: { coachId } })} />
              </div>
            ))}
          </div>
        )}
      </Query>
      <form className="row" onSubmit={create} aria-label="Create a community">
        <label>
          New community <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        <button type="submit" disabled={command.isPending}>Create</button>
      </form>
      <FormError error={command.error} />
      <Participation />
    </section>
  );
}

function AddCoach({ community, coaches, onAdd }: { community: Community; coaches: Coach[]; onAdd: (coachId: string) => void }) {
  const [coachId, setCoachId] = useState('');
  if (coaches.length === 0) return null;
  return (
    <form className="row" onSubmit={(e) => { e.preventDefault(); if (coachId) onAdd(coachId); }} aria-label={`Add a coach to ${community.name}`}>
      <label>
        Add coach{' '}
        <select value={coachId} onChange={(e) => setCoachId(e.target.value)}>
          <option value="">choose…</option>
          {coaches.map((c) => <option key={c.coachId} value={c.coachId}>{personLabel(c.coachName, c.coachId)}</option>)}
        </select>
      </label>
      <button type="submit" className="secondary">Add</button>
    </form>
  );
}
