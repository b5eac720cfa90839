/** Loading, empty and error states every page uses. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="nhsuk-body" role="status" aria-live="polite">
      {label}…
    </p>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{children}</p>
    </div>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** A failed load: says what went wrong and offers to try again. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const status = error instanceof ApiError ? error.status : null;
  const heading =
    status === 404
      ? 'Not found'
      : status === 403
        ? 'You do not have access to this'
        : 'Sorry, this could not be loaded';
  return (
    <div className="nhsuk-error-summary" aria-labelledby="load-error-title" role="alert">
      <h2 className="nhsuk-error-summary__heading" id="load-error-title">
        {heading}
      </h2>
      <div className="nhsuk-error-summary__body">
        <p>{errorMessage(error)}</p>
        {retry !== undefined && status !== 404 && status !== 403 && (
          <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" onClick={retry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Render `children(data)` once a query has data; otherwise its loading or error state. */
export function QueryView<T>({
  query,
  label,
  children,
}: {
  query: QueryLike<T>;
  label?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isPending) return <Loading label={label} />;
  return <ErrorState error={query.error} retry={() => void query.refetch()} />;
}
