import { ApiError } from '../api/http';
import { FormError } from './forms';

/** An import's bad lines as the services list them in the error's details: { line, reasons }. */
export function lineErrors(error: unknown): { line: number; reasons: string[] }[] {
  if (!(error instanceof ApiError)) return [];
  return error.rawDetails.flatMap((d) => {
    const row = d as { line?: unknown; reasons?: unknown };
    return typeof row?.line === 'number' && Array.isArray(row.reasons) ? [{ line: row.line, reasons: row.reasons.map(String) }] : [];
  });
}

/** A refused import: the server's message and its bad lines in a table (or just the message). */
export function LineErrors({ error, label }: { error: unknown; label: string }) {
  const bad = lineErrors(error);
  if (bad.length === 0) return <FormError error={error} />;
  return (
    <div role="alert">
      <p className="error">{(error as Error).message}. Fix these lines and upload the file again:</p>
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">What is wrong</th>
          </tr>
        </thead>
        <tbody>
          {bad.map((row) => (
            <tr key={row.line}>
              <td>{row.line}</td>
              <td>{row.reasons.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
