import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { useSignedIn } from '../auth/SessionProvider';
import { Role, ROLE_LABELS } from '../auth/session';
import { saveFile } from '../admin/audit-export';
import { Pager } from '../ui/Pager';
import { Failure, formatDateTime, Loading } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { DisclosureLogPage, disclosuresCsv, LOG_SERVICES, mergedEntries, mergedMonths, monthInWords, recordInWords, sourceOfMonth } from './disclosure-log';

const PAGE_SIZE = 25;

/**
 * Who read a learner's record, from every service's log: one month at a time (newest first), its reads newest first
 * and shown a page at a time. The learner sees their own; admins see it as their disclosure report (with a CSV).
 */
export function DisclosureReport({ learnerId, csv }: { learnerId: string; csv?: boolean }) {
  const { api } = useSignedIn();
  const base = `/learners/${encodeURIComponent(learnerId)}/disclosures`;
  const [chosen, setChosen] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const firsts = useQueries({
    queries: LOG_SERVICES.map((service) => ({ queryKey: ['disclosures', service, learnerId], queryFn: () => api<DisclosureLogPage>(service, base) })),
  });
  const answered = firsts.every((q) => q.data);
  const months = answered ? mergedMonths(firsts.map((q) => q.data!)) : [];
  const month = chosen ?? months[0]?.month ?? null;
  const asked = useQueries({
    queries: LOG_SERVICES.map((service, i) => {
      const first = firsts[i].data;
      return {
        queryKey: ['disclosures', service, learnerId, month],
        queryFn: () => api<DisclosureLogPage>(service, `${base}?month=${month}`),
        enabled: Boolean(first && month && sourceOfMonth(first, month) === 'ask'),
      };
    }),
  });

  const failed = [...firsts, ...asked].find((q) => q.error);
  if (failed) return <Failure error={failed.error} retry={() => void failed.refetch()} />;
  if (!answered || asked.some((q) => q.isFetching && !q.data)) return <Loading what="who viewed the record" />;
  if (!month) return <p>Nobody but the learner has read this record yet.</p>;

  const entries = mergedEntries(LOG_SERVICES.map((_, i) => {
    const first = firsts[i].data!;
    const source = sourceOfMonth(first, month);
    return source === 'first' ? first.entries : source === 'ask' ? asked[i].data?.entries ?? [] : [];
  }));
  const monthIndex = months.findIndex((m) => m.month === month);
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const showMonth = (index: number) => {
    setChosen(months[index].month);
    setPage(1);
  };
  return (
    <>
      <nav className="pager" aria-label="Months">
        <button type="button" className="secondary" disabled={monthIndex <= 0} onClick={() => showMonth(monthIndex - 1)}>Newer month</button>
        <span>{monthInWords(month)}: {entries.length} {entries.length === 1 ? 'read' : 'reads'}</span>
        <button type="button" className="secondary" disabled={monthIndex >= months.length - 1} onClick={() => showMonth(monthIndex + 1)}>Older month</button>
      </nav>
      {csv && (
        <p>
          <button type="button" className="secondary small" onClick={() => saveFile(`${learnerId}-disclosures-${month}.csv`, disclosuresCsv(entries), 'text/csv')}>
            Download {monthInWords(month)} as CSV
          </button>
        </p>
      )}
      <TableWrap label={`Reads in ${monthInWords(month)}`}>
        <table className="stack">
          <caption>Reads of the record in {monthInWords(month)}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Role</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {entries.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((e) => (
              <tr key={`${e.service}-${e.eventId}`}>
                <td data-label="When">{formatDateTime(e.at)}</td>
                <td data-label="Who">{e.reader.userId}</td>
                <td data-label="Role">{ROLE_LABELS[e.reader.role as Role] ?? e.reader.role}</td>
                <td data-label="What">{recordInWords(e.record)} <span className="muted">({e.schoolId})</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {pages > 1 && <Pager page={page} pages={pages} onPage={setPage} label={`Pages of ${monthInWords(month)}`} />}
    </>
  );
}

/** The learner's "Who viewed my record": everyone else's reads of it, across the services. */
export function WhoViewedPage() {
  const { userId } = useSignedIn();
  return (
    <>
      <h1>Who viewed my record</h1>
      <p className="hint">Every time someone other than you read your dialogues, goals, plan, timeline, results, self-assessments, meetings or an export of your record. Your own reads are not listed.</p>
      <DisclosureReport learnerId={userId} />
    </>
  );
}

/** An admin's disclosure report for one learner (on the learner's audit page). */
export function DisclosureReportSection({ learnerId }: { learnerId: string }) {
  return (
    <section className="card" aria-labelledby="disclosure-report">
      <h2 id="disclosure-report">Disclosure report</h2>
      <p className="hint">Who read {learnerId}'s record, in which role and what, from every service's log (a school admin sees the reads made in the school).</p>
      <DisclosureReport learnerId={learnerId} csv />
    </section>
  );
}
