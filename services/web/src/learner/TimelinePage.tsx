import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { versionQuery } from '../ui/framework-version';
import { VersionSwitch } from '../ui/VersionSwitch';
import { useSignedIn } from '../auth/SessionProvider';
import { Pager } from '../ui/Pager';
import { TimelinePage as Page } from '../api/types';
import { FormError } from '../ui/forms';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { describeEvent, recordedNote } from './timeline-text';

const CATEGORIES = ['dialogue', 'goal', 'plan', 'assessment', 'relationship', 'meeting', 'enrollment', 'framework'];
const PAGE_SIZE = 20;

/** The two readings of "as of": what had happened by then, or what the platform had recorded by then. */
const BASES = [
  { value: 'occurred', label: 'as it was (everything known now)' },
  { value: 'recorded', label: 'as the platform knew it then' },
] as const;
type Basis = (typeof BASES)[number]['value'];

function BasisSelect({ value, onChange }: { value: Basis; onChange: (basis: Basis) => void }) {
  return (
    <label>
      Basis{' '}
      <select value={value} onChange={(e) => onChange(e.target.value as Basis)}>
        {BASES.map((b) => <option key={b.value} value={b.value}>{b.label}</option>)}
      </select>
    </label>
  );
}

interface Progress {
  asOf: string;
  basis: Basis;
  goals: { goalId: string; description: string; status: string; targetDate: string }[];
  plan: { version: number; focusAreas: { focusId: string; title: string }[]; nextReviewDue: string } | null;
}

/** A learner's history across services: filters, pages, export, and their goals and plan as of a date. */
export function TimelinePage({ learnerId }: { learnerId?: string }) {
  const { api, userId } = useSignedIn();
  const owner = learnerId ?? userId;
  const [category, setCategory] = useState('');
  const [competency, setCompetency] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [datesBy, setDatesBy] = useState<Basis>('occurred');
  const [page, setPage] = useState(1);
  const [reading, setReading] = useState('');
  const [exportError, setExportError] = useState<unknown>();
  const filters = {
    category: category || undefined,
    competency: competency.trim().toUpperCase() || undefined,
    from: from ? new Date(`${from}T00:00:00.000Z`).toISOString() : undefined,
    to: to ? new Date(`${to}T23:59:59.999Z`).toISOString() : undefined,
    basis: (from || to) && datesBy === 'recorded' ? datesBy : undefined,
    ...versionQuery(reading),
  };
  const base = `/learners/${encodeURIComponent(owner)}`;
  const timeline = useQuery({
    queryKey: ['learner', owner, 'timeline', filters, page],
    queryFn: () => api<Page>('feedback', `${base}/timeline`, { query: { ...filters, page, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  const download = async (format: 'csv' | 'json') => {
    setExportError(undefined);
    try {
      const body = await api<string>('feedback', `${base}/timeline/export`, { query: { ...filters, format }, asText: true });
      const url = URL.createObjectURL(new Blob([typeof body === 'string' ? body : JSON.stringify(body)], { type: format === 'csv' ? 'text/csv' : 'application/json' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: `${owner}-timeline.${format}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      setExportError(error);
    }
  };
  const filter = (set: (v: string) => void) => (value: string) => {
    set(value);
    setPage(1);
  };
  return (
    <>
      <h1>{learnerId ? `History of ${learnerId}` : 'Timeline'}</h1>
      <form className="filters" aria-label="Filter the timeline" onSubmit={(e) => e.preventDefault()}>
        <label>
          Category
          <select value={category} onChange={(e) => filter(setCategory)(e.target.value)}>
            <option value="">all</option>
            {CATEGORIES.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label>
          Competency
          <input value={competency} onChange={(e) => filter(setCompetency)(e.target.value)} placeholder="e.g. ICS" size={8} />
        </label>
        <label>
          From
          <input type="date" value={from} onChange={(e) => filter(setFrom)(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => filter(setTo)(e.target.value)} />
        </label>
        <label>
          Dates by
          <select value={datesBy} onChange={(e) => filter((v) => setDatesBy(v as Basis))(e.target.value)}>
            <option value="occurred">when it happened</option>
            <option value="recorded">when it was recorded</option>
          </select>
        </label>
        <VersionSwitch value={reading} onChange={filter(setReading)} />
        <button type="button" className="secondary" onClick={() => void download('csv')}>Export CSV</button>
        <button type="button" className="secondary" onClick={() => void download('json')}>Export JSON</button>
      </form>
      <FormError error={exportError} />
      <Query query={timeline} what="the timeline">
        {(t) => (
          <>
            <p className="muted" role="status">
              {t.total} events{t.total > PAGE_SIZE ? `, page ${t.page} of ${Math.ceil(t.total / PAGE_SIZE)}` : ''}
            </p>
            <ol className="timeline">
              {t.items.map((item) => {
                const recorded = recordedNote(item);
                return (
                  <li key={item.eventId}>
                    <time dateTime={item.at}>{formatDateTime(item.at)}</time> <span className="badge">{item.category}</span> {describeEvent(item)}{' '}
                    {item.competencies.length > 0 && <span className="muted">[{item.competencies.join(', ')}{item.recordedCompetencies ? ` — recorded as ${item.recordedCompetencies.join(', ')}` : ''}]</span>}{' '}
                    <span className="muted">— {item.actor.userId}</span>
                    {recorded && <> <span className="muted">({recorded})</span></>}
                  </li>
                );
              })}
            </ol>
            <Pager page={page} pages={Math.max(1, Math.ceil(t.total / PAGE_SIZE))} onPage={setPage} label="Timeline pages" />
          </>
        )}
      </Query>
      <AsOf learnerId={owner} />
      <Compare learnerId={owner} />
    </>
  );
}

function AsOf({ learnerId }: { learnerId: string }) {
  const { api } = useSignedIn();
  const [date, setDate] = useState('');
  const [basis, setBasis] = useState<Basis>('occurred');
  const progress = useQuery({
    queryKey: ['learner', learnerId, 'progress', date, basis],
    queryFn: () => api<Progress>('feedback', `/learners/${encodeURIComponent(learnerId)}/progress`, { query: { asOf: new Date(`${date}T23:59:59.999Z`).toISOString(), basis } }),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(date),
  });
  return (
    <section className="panel" aria-labelledby="as-of">
      <h2 id="as-of">Goals and plan as of a date</h2>
      <div className="row">
        <label>
          As of{' '}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <BasisSelect value={basis} onChange={setBasis} />
      </div>
      {date && (
        <Query query={progress} what="the state on that date">
          {(p) => (
            <div>
              <h3>Goals on {formatDate(p.asOf)}{p.basis === 'recorded' ? ', as the platform knew them then' : ''}</h3>
              {p.goals.length ? <ul>{p.goals.map((g) => <li key={g.goalId}>{g.description} ({g.status}, by {formatDate(g.targetDate)})</li>)}</ul> : <p>No goals then.</p>}
              <h3>Plan</h3>
              {p.plan ? <p>Version {p.plan.version}: {p.plan.focusAreas.map((f) => f.title).join('; ')}. Next review {formatDate(p.plan.nextReviewDue)}.</p> : <p>No plan then.</p>}
            </div>
          )}
        </Query>
      )}
    </section>
  );
}

interface ProgressDiff {
  goals: { added: { goalId: string; description: string }[]; removed: { goalId: string; description: string }[]; changed: { goalId: string; description?: string; before?: { description: string }; after?: { description: string } }[] };
  plan: { version: { from: number | null; to: number | null }; focusAreasAdded: { title: string }[]; focusAreasRemoved: { title: string }[]; reviews: { from: number; to: number } };
}

/** What changed in goals and plan between two dates (the auditor's "difference between two instants"). */
function Compare({ learnerId }: { learnerId: string }) {
  const { api } = useSignedIn();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [basis, setBasis] = useState<Basis>('occurred');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const diff = useQuery({
    queryKey: ['learner', learnerId, 'diff', from, to, basis],
    queryFn: () =>
      api<ProgressDiff>('feedback', `/learners/${encodeURIComponent(learnerId)}/progress/diff`, {
        query: { from: new Date(`${from}T23:59:59.999Z`).toISOString(), to: new Date(`${to}T23:59:59.999Z`).toISOString(), basis },
      }),
    enabled: valid,
  });
  return (
    <section className="panel" aria-labelledby="compare">
      <h2 id="compare">What changed between two dates</h2>
      <div className="row">
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <BasisSelect value={basis} onChange={setBasis} />
      </div>
      {valid && (
        <Query query={diff} what="the changes">
          {(d) => (
            <ul className="diff">
              {d.goals.added.map((g) => <li key={`a${g.goalId}`} className="added">Goal set: {g.description}</li>)}
              {d.goals.removed.map((g) => <li key={`r${g.goalId}`} className="removed">Goal gone: {g.description}</li>)}
              {d.goals.changed.map((g) => <li key={`c${g.goalId}`}>Goal changed: {g.after?.description ?? g.description ?? g.goalId}</li>)}
              {d.plan.version.from !== d.plan.version.to && <li>Plan version {d.plan.version.from ?? 'none'} → {d.plan.version.to ?? 'none'}</li>}
              {d.plan.focusAreasAdded.map((f) => <li key={`fa${f.title}`} className="added">Focus added: {f.title}</li>)}
              {d.plan.focusAreasRemoved.map((f) => <li key={`fr${f.title}`} className="removed">Focus removed: {f.title}</li>)}
              {d.plan.reviews.to > d.plan.reviews.from && <li>Plan reviews held: {d.plan.reviews.to - d.plan.reviews.from}</li>}
              {d.goals.added.length + d.goals.removed.length + d.goals.changed.length === 0 && d.plan.version.from === d.plan.version.to && <li>No change.</li>}
            </ul>
          )}
        </Query>
      )}
    </section>
  );
}
