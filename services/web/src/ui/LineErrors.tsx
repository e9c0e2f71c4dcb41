import { ApiError } from '../api/http';
import { FormError } from './forms';

export interface LineError {
  line: number;
  /** the record's id in the file, where the service names it (a history import) */
  sourceId?: string;
  reasons: string[];
}

/** An import's bad lines as the services list them in the error's details: { line, [sourceId], reasons }. */
export function lineErrors(error: unknown): LineError[] {
  if (!(error instanceof ApiError)) return [];
  return error.rawDetails.flatMap((d) => {
    const row = d as { line?: unknown; sourceId?: unknown; reasons?: unknown };
    if (typeof row?.line !== 'number' || !Array.isArray(row.reasons)) return [];
    return [{ line: row.line, ...(typeof row.sourceId === 'string' ? { sourceId: row.sourceId } : {}), reasons: row.reasons.map(String) }];
  });
}

/** A refused import: the server's message and its bad lines in a table (or just the message). */
export function LineErrors({ error, label }: { error: unknown; label: string }) {
  const bad = lineErrors(error);
  if (bad.length === 0) return <FormError error={error} />;
  return (
    <div role="alert">
      <p className="error">{(error as Error).message}. Fix these lines and upload the file again:</p>
      <LineErrorTable rows={bad} label={label} />
    </div>
  );
}

/** Bad lines in a table: line, the source id when any row has one, and every reason. */
export function LineErrorTable({ rows, label }: { rows: LineError[]; label: string }) {
  const withSourceIds = rows.some((row) => row.sourceId !== undefined);
  return (
    <table aria-label={label} className="stack line-errors">
      <thead>
        <tr>
          <th scope="col">Line</th>
          {withSourceIds && <th scope="col">Source id</th>}
          <th scope="col">What is wrong</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.line}>
            <td data-label="Line">{row.line}</td>
            {withSourceIds && <td data-label="Source id">{row.sourceId ?? ''}</td>}
            <td data-label="What is wrong">{row.reasons.join('; ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
