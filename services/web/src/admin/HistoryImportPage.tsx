import { useMutation, useQuery } from '@tanstack/react-query';
import { FormEvent, useEffect, useId, useState } from 'react';
import { HistoryImportQueued, HistoryImportStatus } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { Field } from '../ui/forms';
import { LineErrors, LineErrorTable } from '../ui/LineErrors';
import { formatDateTime, Query } from '../ui/Status';
import { HISTORY_SERVICES, HistoryService, isFinished, mediaTypeOf, progressOf, readSentImports, SentImport, stageOf, uploadProblem } from './history-import';

interface Upload {
  service: HistoryService;
  file: File;
  validOnly: boolean;
  kind: string;
}

/**
 * The school admin's history import (docs/history-import.md): a JSON Lines or CSV file of a previous system's records
 * for one service. A refused file lists its bad lines (nothing is imported); an accepted one is applied by a job whose
 * progress is polled here. The imports sent from this tab are listed below the form.
 */
export function HistoryImportPage() {
  const { api, acting } = useSignedIn();
  const storageKey = `cbme.history-imports.${acting.schoolId}`;
  const [sent, setSent] = useState<SentImport[]>(() => readSentImports(sessionStorage.getItem(storageKey)));
  useEffect(() => sessionStorage.setItem(storageKey, JSON.stringify(sent)), [storageKey, sent]);
  const [service, setService] = useState<HistoryService>('coaching');
  const [file, setFile] = useState<File>();
  const [validOnly, setValidOnly] = useState(false);
  const [kind, setKind] = useState('');
  const csv = file !== undefined && mediaTypeOf(file) === 'text/csv';
  const upload = useMutation({
    // the File is the body: the browser streams it, the page never reads it into memory
    mutationFn: (u: Upload) => api<HistoryImportQueued>(u.service, '/history-imports', {
      method: 'POST', text: u.file, contentType: mediaTypeOf(u.file),
      query: { validOnly: u.validOnly ? 'true' : undefined, kind: mediaTypeOf(u.file) === 'text/csv' && u.kind.trim() ? u.kind.trim() : undefined },
    }),
    onSuccess: (queued, u) => setSent((list) => [{ service: u.service, importId: queued.importId, fileName: u.file.name, sentAt: new Date().toISOString(), validOnly: u.validOnly }, ...list]),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) upload.mutate({ service, file, validOnly, kind });
  };
  const problem = uploadProblem(upload.error, upload.variables?.service ?? service);
  return (
    <>
      <h1>History import</h1>
      <p className="hint">
        Records from a previous system, with their original dates: JSON Lines (<code>.jsonl</code>, one record per line) or CSV
        (<code>.csv</code>, a header row of field names) for the kinds without nested lists. Every record goes through the same
        rules as a live one; a file with a bad line is refused whole unless you ask for the valid records only. Sending a
        file again never duplicates a record: each is recognised by its source id.
      </p>
      <form className="panel" aria-label="Import history" onSubmit={submit}>
        <fieldset>
          <legend>Records of</legend>
          {HISTORY_SERVICES.map((s) => (
            <label key={s.service}>
              <input type="radio" name="service" value={s.service} checked={service === s.service} onChange={() => { setService(s.service); upload.reset(); }} /> {s.label}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="history-file">History file (.jsonl or .csv)</label>
          <input id="history-file" type="file" accept=".jsonl,.ndjson,.csv,application/x-ndjson,text/csv"
            onChange={(e) => { upload.reset(); setFile(e.target.files?.[0]); }} />
        </div>
        {csv && (
          <Field label="Kind of every row (optional)" name="kind" hint="only for a CSV file without a kind column, e.g. meeting-missed" serverError={upload.error}>
            {(p) => <input {...p} value={kind} onChange={(e) => setKind(e.target.value)} maxLength={64} />}
          </Field>
        )}
        <label className="inline">
          <input type="checkbox" checked={validOnly} onChange={(e) => setValidOnly(e.target.checked)} /> Import the valid records only (the bad lines are listed, the rest is imported)
        </label>
        <button type="submit" disabled={!file || upload.isPending}>{upload.isPending ? 'Checking the file…' : 'Upload and import'}</button>
        {upload.isPending && <progress aria-label="Uploading and checking the file" />}
        {problem ? <p className="error" role="alert">{problem}</p> : <LineErrors error={upload.error} label="History file: lines with errors" />}
        {upload.data && upload.variables && (
          <p role="status">
            {upload.data.lines === undefined ? `${upload.variables.file.name} is long: it is still being checked. ` : <>
              {upload.variables.file.name}: {upload.data.lines} lines checked, {upload.data.valid} to import, {upload.data.alreadyImported} already imported
              {upload.data.invalid ? `, ${upload.data.invalid} left out` : ''}. </>}
            Its progress is shown below.
          </p>
        )}
      </form>
      <section aria-labelledby="sent-imports">
        <h2 id="sent-imports">Imports sent in this session</h2>
        {sent.length === 0 ? <p>None yet.</p> : (
          <ul className="imports">
            {sent.map((item) => <li key={`${item.service}:${item.importId}`}><ImportProgress item={item} /></li>)}
          </ul>
        )}
      </section>
    </>
  );
}

/** One import's job, polled until it completes or fails: the progress bar, the counts and the lines left out. */
function ImportProgress({ item }: { item: SentImport }) {
  const { api } = useSignedIn();
  const headingId = useId();
  const status = useQuery({
    queryKey: ['history-import', item.service, item.importId],
    queryFn: () => api<HistoryImportStatus>(item.service, `/history-imports/${encodeURIComponent(item.importId)}`),
    refetchInterval: (query) => (isFinished(query.state.data?.state) ? false : 500),
  });
  const bar = progressOf(status.data);
  return (
    <article className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{item.fileName}</h3>
      <p className="muted">{item.service}, sent {formatDateTime(item.sentAt)}{item.validOnly ? ', valid records only' : ''}</p>
      <div className="import-bar">
        {bar ? <progress aria-label={`Import of ${item.fileName}`} max={bar.max} value={bar.value} /> : <progress aria-label={`Import of ${item.fileName}: checking the file`} />}
        <span aria-hidden="true">{bar ? `${bar.percent} %` : '…'}</span>
      </div>
      <Query query={status} what="the import">
        {(s) => (
          <>
            <p role="status">
              {stageOf(s)}
              {s.failedReason ? ` — ${s.failedReason}` : ''}
            </p>
            <dl className="counts">
              <div><dt>Applied</dt><dd>{s.progress.applied}</dd></div>
              <div><dt>Already imported</dt><dd>{s.progress.alreadyImported}</dd></div>
              <div><dt>Failed</dt><dd>{s.progress.failed}</dd></div>
            </dl>
            {s.errors.length > 0 && <LineErrorTable rows={s.errors} label={`${item.fileName}: lines not imported`} />}
          </>
        )}
      </Query>
    </article>
  );
}
