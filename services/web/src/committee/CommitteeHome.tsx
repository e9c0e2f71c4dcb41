import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { Failure } from '../ui/Status';
import { versionQuery } from '../ui/framework-version';
import { UnmappedNote, VersionSwitch } from '../ui/VersionSwitch';
import { AnalyticsTable, downloadCsv, Filters, Granularity, SchoolAnalytics, SchoolComparison, valueOf } from './analytics';

const COLORS = ['#1f6fb2', '#c62835', '#1e7d5c', '#9a6b00', '#6247d6', '#52606d'];

/** The committee's de-identified view of a school (and, for institution admins, the schools side by side). */
export default function CommitteeHome() {
  const { api, acting } = useSignedIn();
  const institutionAdmin = acting.role === 'institution-admin';
  const [filters, setFilters] = useState<Filters>({ granularity: 'month' });
  const [asOfDate, setAsOfDate] = useState('');
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(asOfDate) ? new Date(`${asOfDate}T23:59:59.999Z`).toISOString() : undefined;
  const comparison = useQuery({
    queryKey: ['institution-analytics', filters.granularity, filters.period, asOf],
    queryFn: () => api<SchoolComparison>('analytics', '/institution/analytics', { query: { granularity: filters.granularity, period: filters.period, asOf } }),
    enabled: institutionAdmin,
  });
  const [picked, setPicked] = useState('');
  const schools = institutionAdmin ? comparison.data?.schools ?? [] : [acting.schoolId];
  const schoolId = picked || schools[0] || '';
  const [reading, setReading] = useState('');
  const schoolHeaders = institutionAdmin ? { 'x-school-id': schoolId } : undefined;
  const analytics = useQuery({
    queryKey: ['school-analytics', schoolId, filters, asOf, reading],
    queryFn: () =>
      api<SchoolAnalytics>('analytics', `/schools/${encodeURIComponent(schoolId)}/analytics`, {
        query: { ...filters, asOf, ...versionQuery(reading) },
        headers: institutionAdmin ? {} : { 'x-school-id': schoolId },
      }),
    enabled: Boolean(schoolId),
    placeholderData: keepPreviousData,
  });
  const data = analytics.data;
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <>
      <h1>Coaching analytics</h1>
      <form className="filters" aria-label="Filter the analytics" onSubmit={(e) => e.preventDefault()}>
        <label>
          School
          <select aria-label="School" value={schoolId} onChange={(e) => setPicked(e.target.value)} disabled={!institutionAdmin}>
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
          <span className="visually-hidden">Which period</span>
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
        <label>
          As of
          <input type="date" aria-label="As of" value={asOfDate} onChange={(e) => setAsOfDate(e.target.value)} />
        </label>
        {schoolId && <VersionSwitch value={reading} headers={schoolHeaders} onChange={(value) => { setReading(value); set({ competency: undefined }); }} />}
        {analytics.isFetching && <span className="notice" data-testid="loading" role="status">Loading…</span>}
      </form>
      {analytics.error ? <Failure error={analytics.error} retry={() => void analytics.refetch()} /> : null}
      {comparison.error ? <Failure error={comparison.error} retry={() => void comparison.refetch()} /> : null}
      {comparison.data && (
        <div className="grid">
          <TableCard table={comparison.data.table} schoolId="institution" heat={false} />
        </div>
      )}
      {data && (
        <>
          <p className="notice" data-testid="k-notice">
            Figures as of {new Date(data.asOf).toLocaleString('en-GB')}. Cells describing fewer than <strong>{data.minimumGroupSize}</strong> learners are shown as{' '}
            <span className="legend">suppressed</span>, and so are the cells that would let someone work them out from totals or from another filter.
          </p>
          <UnmappedNote read={data.frameworkVersion} />
          <Charts data={data} />
          <div className="grid">
            {data.tables.map((table) => <TableCard key={table.id} table={table} schoolId={data.schoolId} heat={table.id === 'competency-coverage'} />)}
          </div>
        </>
      )}
    </>
  );
}

function Charts({ data }: { data: SchoolAnalytics }) {
  const engagement = data.tables.find((t) => t.id === 'engagement');
  const goals = data.tables.find((t) => t.id === 'goals');
  const trend = useMemo(
    () =>
      (engagement?.rows ?? []).flatMap((row, r) =>
        row.total
          ? []
          : [{
              period: row.label,
              'Active learners': valueOf(engagement, r, 'activeLearners'),
              'Dialogues opened': valueOf(engagement, r, 'dialoguesOpened'),
              'Goals set': valueOf(engagement, r, 'goalsSet'),
              'Meetings held': valueOf(engagement, r, 'meetingsHeld'),
            }],
      ),
    [engagement],
  );
  const byCohort = useMemo(
    () =>
      (goals?.rows ?? []).flatMap((row, r) =>
        row.total
          ? []
          : [{ cohort: row.id || 'none', Active: valueOf(goals, r, 'active'), Achieved: valueOf(goals, r, 'achieved'), Deferred: valueOf(goals, r, 'deferred'), Abandoned: valueOf(goals, r, 'abandoned') }],
      ),
    [goals],
  );
  return (
    <div className="grid">
      <figure className="card" data-testid="chart-engagement">
        <figcaption><h2>Engagement over time</h2></figcaption>
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
        <div className="note">Suppressed periods leave a gap. The tables below hold the same figures.</div>
      </figure>
      <figure className="card" data-testid="chart-goals">
        <figcaption><h2>Goals by status and cohort</h2></figcaption>
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
      </figure>
    </div>
  );
}

function TableCard({ table, schoolId, heat }: { table: AnalyticsTable; schoolId: string; heat: boolean }) {
  const max = Math.max(1, ...table.rows.filter((r) => !r.total).flatMap((r) => r.cells.map((c) => c.value ?? 0)));
  return (
    <section className="card" data-table={table.id} aria-label={table.title}>
      <h2>
        {table.title}
        <button type="button" className="secondary small" onClick={() => downloadCsv(table, schoolId)} aria-label={`Export ${table.title} as CSV`}>
          Export CSV
        </button>
      </h2>
      <TableWrap label={table.title}>
        <table>
          <thead>
            <tr>
              <th scope="col">{table.rowHeader}</th>
              {table.columns.map((c) => <th scope="col" key={c.id}>{c.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 && <tr><td colSpan={table.columns.length + 1}>No data</td></tr>}
            {table.rows.map((row) => (
              <tr key={`${row.id}-${row.total ? 't' : ''}`} data-row={row.total ? 'total' : row.id || 'none'} className={row.total ? 'total' : undefined}>
                <th scope="row">{row.label}</th>
                {row.cells.map((cell, c) =>
                  cell.suppressed ? (
                    <td key={c} data-column={table.columns[c].id} className="suppressed" title="Describes fewer learners than the minimum group size, or would reveal such a cell">
                      suppressed
                    </td>
                  ) : (
                    <td
                      key={c}
                      data-column={table.columns[c].id}
                      style={heat && !row.total && cell.value ? { background: `rgba(31, 111, 178, ${0.1 + (0.5 * cell.value) / max})` } : undefined}
                    >
                      {cell.value ?? '–'}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {table.note && <div className="note">{table.note}</div>}
    </section>
  );
}
