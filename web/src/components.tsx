/** The pieces every screen shares: the API's errors, loading and empty states, cursor paging, a status line. */
import { useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { problemsOf, type ApiProblem } from './api';

/** What the API said, as it said it: message, stable code, QuickBooks' status code and each field's problem. */
export function ApiError({ error, problems }: { error?: CombinedError; problems?: ApiProblem[] }) {
  const shown = problems ?? problemsOf(error);
  if (shown.length === 0) return null;
  return (
    <div className="error" role="alert">
      {shown.map((p, i) => (
        <div key={i}>
          <strong>{p.message}</strong>
          {(p.errorCode ?? p.code) && <span className="code"> ({[p.errorCode ?? p.code, p.quickBooksCode && `QuickBooks ${p.quickBooksCode}`].filter(Boolean).join(', ')})</span>}
          {p.fields.length > 0 && (
            <ul>
              {p.fields.map((f) => (
                <li key={f.field}>
                  <code>{f.field}</code>: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/**
 * Loading / error / empty / content for one query result: every screen's tables go through it, so none forgets
 * a state.
 */
export function QueryState<T>({ result, what, empty, isEmpty, children }: {
  result: { fetching: boolean; error?: CombinedError; data?: T };
  what: string;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (result.error && !result.data) return <ApiError error={result.error} />;
  if (!result.data) return <Loading what={what} />;
  if (isEmpty?.(result.data)) return <Empty>{empty ?? `No ${what} yet.`}</Empty>;
  return (
    <>
      {result.error && <ApiError error={result.error} />}
      {children(result.data)}
    </>
  );
}

/** Forward paging with the API's cursors (`after: endCursor`), and back through the cursors already seen. */
export function useCursor(): { after: string | null; page: number; next(endCursor: string | null | undefined): void; previous(): void; reset(): void } {
  const [stack, setStack] = useState<Array<string | null>>([null]);
  return {
    after: stack[stack.length - 1] ?? null,
    page: stack.length,
    next: (endCursor) => endCursor && setStack((s) => [...s, endCursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}

export function Pager({ cursor, pageInfo, totalCount, label }: {
  cursor: ReturnType<typeof useCursor>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
  label: string;
}) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span>
        {totalCount} {label}, page {cursor.page}
      </span>
      <button type="button" onClick={cursor.previous} disabled={cursor.page === 1}>
        Previous page
      </button>
      <button type="button" onClick={() => cursor.next(pageInfo.endCursor)} disabled={!pageInfo.hasNextPage}>
        Next page
      </button>
    </nav>
  );
}

/** A short confirmation of what a mutation did, announced to screen readers. */
export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state.toLowerCase()}`}>{state}</span>;
}
