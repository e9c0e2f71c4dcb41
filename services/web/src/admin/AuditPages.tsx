import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { InSchool, useSignedIn } from '../auth/SessionProvider';
import { DisclosureReportSection } from '../disclosures/DisclosureReport';
import { TimelinePage } from '../learner/TimelinePage';
import { Field, FormError } from '../ui/forms';
import { ConfirmButton } from './ConfirmButton';
import { Query } from '../ui/Status';
import { bundleOf, eventsIn, EXPORT_SERVICES, ExportPart, saveFile } from './audit-export';
import { matchesSearch, useMembers } from './school-data';
import { SchoolChooser } from './SchoolChooser';

const SHOWN = 20;

/** Find a learner of a school by name, e-mail or id; each result opens their full history. */
function LearnerSearch({ schoolId, linkTo }: { schoolId: string; linkTo: (learnerId: string) => string }) {
  const learners = useMembers(schoolId, 'learner');
  const [search, setSearch] = useState('');
  return (
    <section aria-labelledby="audit-search">
      <h2 id="audit-search">Learners of {schoolId}</h2>
      <div className="field">
        <label htmlFor="learner-search">Find a learner</label>
        <input id="learner-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} aria-describedby="learner-search-count" />
      </div>
      <Query query={learners} what="the learners">
        {(list) => {
          const found = list.filter((m) => matchesSearch(m, search));
          return (
            <>
              <p id="learner-search-count" role="status">
                {found.length} of {list.length} learners{found.length > SHOWN ? `; the first ${SHOWN} shown, type more to narrow` : ''}.
              </p>
              <ul className="assign-list">
                {found.slice(0, SHOWN).map((m) => (
                  <li key={m.userId}>
                    <Link to={linkTo(m.userId)}>{m.displayName}</Link> <span className="muted">{m.email}</span>
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </Query>
    </section>
  );
}

const INTRO = 'One learner\'s full history: the timeline (filters, export), their goals and plan on a date, and what changed between two dates. Private text is never shown; each read is recorded.';

export function SchoolAuditPage() {
  const { acting } = useSignedIn();
  return (
    <>
      <h1>Audit</h1>
      <p className="hint">{INTRO}</p>
      <LearnerSearch schoolId={acting.schoolId} linkTo={(id) => `/school-admin/learners/${encodeURIComponent(id)}`} />
    </>
  );
}

/** The institution admin picks the school (kept in the address, so a reload keeps it), then the learner. */
export function InstitutionAuditPage() {
  return (
    <>
      <h1>Audit</h1>
      <p className="hint">{INTRO}</p>
      <SchoolChooser id="audit-school">
        {(schoolId) => <LearnerSearch key={schoolId} schoolId={schoolId} linkTo={(id) => `/institution/audit/${encodeURIComponent(schoolId)}/learners/${encodeURIComponent(id)}`} />}
      </SchoolChooser>
    </>
  );
}

/**
 * Every service's part of the learner's verifiable export, joined in one JSON file that `npm run verify-export` checks
 * offline. Each service records that it was exported.
 */
function VerifiableExport({ learnerId }: { learnerId: string }) {
  const { api } = useSignedIn();
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; saved?: string }>({});
  const download = async () => {
    setState({ busy: true });
    try {
      const path = `/learners/${encodeURIComponent(learnerId)}/audit-export`;
      const parts = await Promise.all(EXPORT_SERVICES.map((service) => api<ExportPart>(service, path)));
      saveFile(`${learnerId}-verifiable-export.json`, JSON.stringify(bundleOf(parts, new Date().toISOString())), 'application/json');
      setState({ saved: `Saved ${eventsIn(parts)} events from ${parts.length} services.` });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <section className="card" aria-labelledby="verifiable-export">
      <h2 id="verifiable-export">Verifiable export</h2>
      <p className="hint">Every event about {learnerId} in every service, as stored, with the signed checkpoints and the public keys: anyone can check it offline with <code>npm run verify-export</code>. The export is recorded.</p>
      <button type="button" className="secondary" disabled={state.busy} onClick={() => void download()}>{state.busy ? 'Preparing the export…' : 'Download verifiable export'}</button>
      <FormError error={state.error} />
      {state.saved && <p role="status">{state.saved}</p>}
    </section>
  );
}

/** A learner's full history for an admin, their verifiable export and their disclosure report. */
export function LearnerAuditPage({ learnerId }: { learnerId?: string }) {
  return (
    <>
      <TimelinePage learnerId={learnerId} />
      {learnerId && <VerifiableExport learnerId={learnerId} />}
      {learnerId && <DisclosureReportSection learnerId={learnerId} />}
      {learnerId && <EraseLearner learnerId={learnerId} />}
    </>
  );
}

/**
 * Erasure (README, "Erasure"), for an institution admin only: every service destroys its key for the learner, so their
 * names and texts read as "[erased]"; the history itself stays, and still verifies. The dialog asks for the id again.
 */
function EraseLearner({ learnerId }: { learnerId: string }) {
  const { acting } = useSignedIn();
  const [erased, setErased] = useState(false);
  if (acting.role !== 'institution-admin') return null;
  return (
    <section className="card" aria-labelledby="erase-learner">
      <h2 id="erase-learner">Erase personal data</h2>
      <p className="hint">Destroys {learnerId}'s keys in every service: their names and texts then read as "[erased]" everywhere, for good. The history stays and still verifies; counts do not change.</p>
      {erased ? <p role="status">{learnerId} is erased; the services re-project their views.</p> : <EraseButton learnerId={learnerId} onErased={() => setErased(true)} />}
    </section>
  );
}

/** The erasure's button and confirming dialog (the learner's audit page, the retention page's proposals). */
export function EraseButton({ learnerId, onErased, className = 'danger' }: { learnerId: string; onErased: () => unknown; className?: string }) {
  const { api } = useSignedIn();
  const [confirm, setConfirm] = useState('');
  const erase = async () => {
    await api('identity', `/users/${encodeURIComponent(learnerId)}/erase`, { body: { confirm } });
    await onErased();
  };
  return (
    <ConfirmButton label={`Erase ${learnerId}`} title={`Erase ${learnerId}'s personal data?`} confirmLabel="Erase for good" className={className} onConfirm={erase}>
      {(error) => (
        <Field label="Type the learner's id to confirm" name="confirm" serverError={error}>
          {(props) => <input {...props} value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" required />}
        </Field>
      )}
    </ConfirmButton>
  );
}

/** The learner's history page as the school admin has it, read in that learner's school. */
export function InstitutionLearnerAudit() {
  const { schoolId = '', learnerId = '' } = useParams();
  return (
    <InSchool schoolId={schoolId}>
      <p><Link to={`/institution/audit?school=${encodeURIComponent(schoolId)}`}>Back to the learners of {schoolId}</Link></p>
      <LearnerAuditPage learnerId={learnerId} />
    </InSchool>
  );
}
