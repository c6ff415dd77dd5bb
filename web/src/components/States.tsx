/** Loading, error and empty states shared by every page. */
import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { useCommon } from '../i18n';
import type { ApiState } from '../useApi';

export function Loading({ label }: { label?: string }) {
  const t = useCommon();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </div>
  );
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useCommon();
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="state state-error" role="alert">
      <strong>{forbidden ? t('forbidden') : t('errorTitle')}</strong>
      <span className="state-detail">{errorText(error)}</span>
      {onRetry && !forbidden && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useCommon();
  return <div className="state state-empty">{children ?? t('empty')}</div>;
}

/** Renders `children(data)` once a `useApi` state has data; loading and error states otherwise. */
export function Async<T>({ state, children }: { state: ApiState<T>; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (state.data === null) return <Loading />;
  return <>{children(state.data)}</>;
}
