import { FormEvent, useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  AnalyticsTable, DashboardConfig, downloadCsv, fetchAnalytics, fetchSchoolComparison, Filters, Granularity, loadConfig, SchoolAnalytics, SchoolComparison,
  Session, signIn,
} from './api';

const ANALYTICS_ROLES = ['committee-member', 'coaching-lead', 'school-admin', 'institution-admin'];
const COLORS = ['#2680c2', '#e12d39', '#3ebd93', '#f0b429', '#7b61ff', '#52606d'];

export function App() {
  const [config, setConfig] = useState<DashboardConfig>();
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadConfig().then(setConfig, (e: Error) => setError(e.message));
  }, []);

  if (!session) return <SignIn config={config} error={error} onSignedIn={setSession} />;
  return (
    <>
      <header>
        <h1>Coaching analytics</h1>
        <span>
          {session.email} <button onClick={() => setSession(undefined)}>Sign out</button>
        </span>
      </header>
      <Dashboard session={session} />
    </>
  );
}

function SignIn({ config, error, onSignedIn }: { config?: DashboardConfig; error?: string; onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!config) return;
    setFailure(undefined);
    try {
      onSignedIn(await signIn(config, email, password));
    } catch (e) {
      setFailure((e as Error).message);
    }
  };
  return (
    <form className="login" onSubmit={submit}>
      <h1>Coaching analytics</h1>
      <label htmlFor="email">E-mail</label>
      <input id="email" name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      <button type="submit" disabled={!config}>Sign in</button>
      {(failure ?? error) && <div className="error" role="alert">{failure ?? error}</div>}
    </form>
  );
}

function Dashboard({ session }: { session: Session }) {
  const institutionAdmin = (session.schools['*'] ?? []).includes('institution-admin');
  const [filters, setFilters] = useState<Filters>({ granularity: 'month' });
  const [comparison, setComparison] = useState<SchoolComparison>();
  const ownSchools = Object.entries(session.schools).filter(([school, roles]) => school !== '*' && roles.some((r) => ANALYTICS_ROLES.includes(r))).map(([s]) => s);
  const schools = institutionAdmin ? comparison?.schools ?? [] : ownSchools;
  const [schoolId, setSchoolId] = useState(ownSchools[0] ?? '');
  const [data, setData] = useState<SchoolAnalytics>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  // an institution admin sees every school side by side, and picks one of them below
  useEffect(() => {
    if (!institutionAdmin) return;
    let current = true;
    fetchSchoolComparison(session, filters)
      .then((answer) => {
        if (!current) return;
        setComparison(answer);
        setSchoolId((id) => id || answer.schools[0] || '');
      })
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [session, institutionAdmin, filters.granularity, filters.period]);

  useEffect(() => {
    if (!schoolId) return;
    let current = true;
    setLoading(true);
    fetchAnalytics(session, schoolId, filters)
      .then((answer) => current && (setData(answer), setError(undefined)))
      .catch((e: Error) => current && (setData(undefined), setError(e.message)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [session, schoolId, filters]);

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <main>
      <div className="filters">
        <label>
          School
          <select aria-label="School" value={schoolId} onChange={(e) => setSchoolId(e.target.value)}>
            {schools.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Cohort
          <select aria-label="Cohort" value={filters.cohortId ?? ''} onChange={(e) => set({ cohortId: e.target.value || undefined })}>
            <option value="">All cohorts</option>
            {data?.cohorts.map((c) => <option key={c.cohortId} value={c.cohortId}>{c.cohortId} ({c.program} {c.graduationYear})</option>)}
          </select>
        </label>
        <label>
          Period
          <select aria-label="Granularity" value={filters.granularity} onChange={(e) => set({ granularity: e.target.value as Granularity, period: undefined })}>
            <option value="week">Weeks</option>
            <option value="month">Months</option>
            <option value="term">Terms</option>
          </select>
        </label>
        <label>
          &nbsp;
          <select aria-label="Period" value={filters.period ?? ''} onChange={(e) => set({ period: e.target.value || undefined })}>
            <option value="">All periods</option>
            {data?.periods.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label>
          Competency
          <select aria-label="Competency" value={filters.competency ?? ''} onChange={(e) => set({ competency: e.target.value || undefined })}>
            <option value="">All competencies</option>
            {data?.competencies.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        {loading && <span className="notice" data-testid="loading">Loading…</span>}
      </div>
      {error && <div className="error" role="alert">{error}</div>}
      {!institutionAdmin && schools.length === 0 && (
        <div className="error" role="alert">Your roles do not include one that sees analytics (committee member, coaching lead or school admin).</div>
      )}
      {comparison && (
        <div className="grid">
          <TableCard table={comparison.table} schoolId="institution" heat={false} />
        </div>
      )}
      {data && (
        <>
          <p className="notice" data-testid="k-notice">
            Cells describing fewer than <strong>{data.minimumGroupSize}</strong> learners are shown as <span className="legend">suppressed</span>,
            and so are the cells that would let someone work them out from totals or from another filter.
          </p>
          <Charts data={data} />
          <div className="grid">
            {data.tables.map((table) => <TableCard key={table.id} table={table} schoolId={data.schoolId} heat={table.id === 'competency-coverage'} />)}
          </div>
        </>
      )}
    </main>
  );
}

const valueOf = (table: AnalyticsTable | undefined, rowIndex: number, columnId: string) => {
  const c = table?.columns.findIndex((x) => x.id === columnId) ?? -1;
  const cell = c < 0 ? undefined : table?.rows[rowIndex]?.cells[c];
  return cell && !cell.suppressed ? cell.value : null;
};

function Charts({ data }: { data: SchoolAnalytics }) {
  const engagement = data.tables.find((t) => t.id === 'engagement');
  const goals = data.tables.find((t) => t.id === 'goals');
  const trend = useMemo(() => (engagement?.rows ?? []).map((row, r) => ({ row, r })).filter(({ row }) => !row.total).map(({ row, r }) => ({
    period: row.label,
    'Active learners': valueOf(engagement, r, 'activeLearners'),
    'Dialogues opened': valueOf(engagement, r, 'dialoguesOpened'),
    'Goals set': valueOf(engagement, r, 'goalsSet'),
    'Meetings held': valueOf(engagement, r, 'meetingsHeld'),
  })), [engagement]);
  const byCohort = useMemo(() => (goals?.rows ?? []).map((row, r) => ({ row, r })).filter(({ row }) => !row.total).map(({ row, r }) => ({
    cohort: row.id || 'none',
    Active: valueOf(goals, r, 'active'), Achieved: valueOf(goals, r, 'achieved'), Deferred: valueOf(goals, r, 'deferred'), Abandoned: valueOf(goals, r, 'abandoned'),
  })), [goals]);
  return (
    <div className="grid">
      <div className="card" data-testid="chart-engagement">
        <h2>Engagement over time</h2>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={trend}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="period" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend />
            {['Active learners', 'Dialogues opened', 'Goals set', 'Meetings held'].map((key, i) => (
              <Line key={key} type="monotone" dataKey={key} stroke={COLORS[i]} connectNulls={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
        <div className="note">Suppressed periods leave a gap.</div>
      </div>
      <div className="card" data-testid="chart-goals">
        <h2>Goals by status and cohort</h2>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={byCohort}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="cohort" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend />
            {['Active', 'Achieved', 'Deferred', 'Abandoned'].map((key, i) => <Bar key={key} dataKey={key} stackId="goals" fill={COLORS[i]} isAnimationActive={false} />)}
          </BarChart>
        </ResponsiveContainer>
        <div className="note">Suppressed cohorts have no bar.</div>
      </div>
    </div>
  );
}

function TableCard({ table, schoolId, heat }: { table: AnalyticsTable; schoolId: string; heat: boolean }) {
  const max = Math.max(1, ...table.rows.filter((r) => !r.total).flatMap((r) => r.cells.map((c) => c.value ?? 0)));
  return (
    <div className="card" data-table={table.id}>
      <h2>
        {table.title}
        <button onClick={() => downloadCsv(table, schoolId)} aria-label={`Export ${table.title} as CSV`}>Export CSV</button>
      </h2>
      <table>
        <thead>
          <tr>
            <th>{table.rowHeader}</th>
            {table.columns.map((c) => <th key={c.id}>{c.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {table.rows.length === 0 && <tr><td colSpan={table.columns.length + 1}>No data</td></tr>}
          {table.rows.map((row) => (
            <tr key={`${row.id}-${row.total ? 't' : ''}`} data-row={row.total ? 'total' : row.id || 'none'} className={row.total ? 'total' : undefined}>
              <td>{row.label}</td>
              {row.cells.map((cell, c) => (cell.suppressed
                ? <td key={c} data-column={table.columns[c].id} className="suppressed" title="Describes fewer learners than the minimum group size, or would reveal such a cell">suppressed</td>
                : (
                  <td key={c} data-column={table.columns[c].id}
                    style={heat && !row.total && cell.value ? { background: `rgba(38, 128, 194, ${0.12 + (0.75 * cell.value) / max})`, color: cell.value / max > 0.6 ? 'white' : undefined } : undefined}>
                    {cell.value ?? '–'}
                  </td>
                )))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.note && <div className="note">{table.note}</div>}
    </div>
  );
}
