import { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError, NetworkError } from '../api/http';

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** A failed query: the server's message, "not found" for a 404 (as for a record that does not exist), a retry for network faults. */
export function Failure({ error, retry, page }: { error: unknown; retry?: () => void; page?: boolean }) {
  if (error instanceof ApiError && error.status === 404) return page ? <NotFound /> : <p>Not found, or not yours to see.</p>;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="error" role="alert">
      <p>{message}</p>
      {error instanceof NetworkError && retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function NotFound() {
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">Not found</h1>
      <p>There is nothing here, or nothing you may see.</p>
      <Link to="/">Back to your home page</Link>
    </section>
  );
}

/** Renders a TanStack query: loading, failure (with retry) or the data. */
export function Query<T>({ query, what, page, children }: {
  query: { data?: T; error: unknown; isPending: boolean; refetch: () => unknown };
  what: string;
  /** the whole page is this record: a 404 shows the not-found page */
  page?: boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error || query.data === undefined) return <Failure error={query.error} page={page} retry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
