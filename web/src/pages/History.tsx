/**
 * History: recorded requests and answers with filters, a detail drawer with marking, and bulk
 * marking of a selection. Counts of the shown rows by mark update after every mark.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Query } from '../api';
import { useSession } from '../auth';
import { DataTable } from '../components/DataTable';
import { Card, PageHeader } from '../components/Layout';
import { ErrorState, Loading, errorText } from '../components/States';
import { useCommon, useFormat, useMessages } from '../i18n';
import type { CatalogInfo, HistoryItem, HistoryPage } from '../types';
import { useApi } from '../useApi';
import { HistoryDetail } from './HistoryDetail';
import { HM, lastOutcome, summarize } from './history-text';

interface Filters {
  from: string;
  to: string;
  channel: string;
  product: string;
  segment: string;
  outcome: string;
  user: string;
  client_id: string;
}

const EMPTY: Filters = {
  from: '',
  to: '',
  channel: '',
  product: '',
  segment: '',
  outcome: '',
  user: '',
  client_id: '',
};
const PAGE = 50;

function toQuery(f: Filters): Query {
  return { ...f, limit: PAGE };
}

export function History() {
  const t = useMessages(HM);
  const c = useCommon();
  const fmt = useFormat();
  const { can } = useSession();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkComment, setBulkComment] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const catalog = useApi<CatalogInfo | null>(
    (signal) =>
      can('recommend') ? api.get<CatalogInfo>('/v1/catalog', undefined, signal) : Promise.resolve(null),
    [],
  );

  // Only the latest request's answer is shown (filters changed quickly must not show stale rows).
  const latest = useRef(0);
  const load = useCallback((f: Filters, after: string | null) => {
    const seq = ++latest.current;
    setLoading(true);
    setError(null);
    api.get<HistoryPage>('/v1/history', { ...toQuery(f), cursor: after ?? undefined }).then(
      (page) => {
        if (seq !== latest.current) return;
        setItems((prev) => (after === null ? page.items : [...prev, ...page.items]));
        setCursor(page.next_cursor);
        setLoading(false);
      },
      (e: unknown) => {
        if (seq !== latest.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => load(filters, null), [filters, load]);
  const reload = () => load(filters, null);
  const close = useCallback(() => setOpenId(null), []);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setSelected(new Set());
    setFilters({ ...draft });
  };
  const reset = () => {
    setDraft(EMPTY);
    setSelected(new Set());
    setFilters(EMPTY);
  };

  const bulk = (outcome: 'success' | 'failure') => {
    const ids = [...selected];
    setNotice(null);
    api
      .post<{ marked: number }>('/v1/feedback/bulk', {
        request_ids: ids,
        outcome,
        ...(bulkComment.trim() !== '' ? { comment: bulkComment.trim() } : {}),
      })
      .then(
        (r) => {
          setNotice(t('marked', { n: r.marked }));
          setSelected(new Set());
          setBulkComment('');
          reload();
        },
        (e: unknown) => setNotice(errorText(e)),
      );
  };

  const counts = { success: 0, failure: 0, unmarked: 0 };
  for (const item of items) counts[lastOutcome(item) ?? 'unmarked']++;
  const open = items.find((i) => i.request_id === openId) ?? null;
  const field = (key: keyof Filters) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
  });

  return (
    <>
      <PageHeader title={c('navHistory')} />
      <Card>
        <form className="form-row filters" onSubmit={apply} aria-label="filters">
          <label>
            {t('from')}
            <input type="date" {...field('from')} />
          </label>
          <label>
            {t('to')}
            <input type="date" {...field('to')} />
          </label>
          <label>
            {t('channel')}
            <input list="history-channels" size={10} {...field('channel')} />
          </label>
          <label>
            {t('product')}
            <input list="history-products" size={10} {...field('product')} />
          </label>
          <label>
            {t('segment')}
            <input type="number" min={0} style={{ width: '6rem' }} {...field('segment')} />
          </label>
          <label>
            {t('outcome')}
            <select {...field('outcome')}>
              <option value="">{t('any')}</option>
              <option value="success">{t('success')}</option>
              <option value="failure">{t('failure')}</option>
              <option value="unmarked">{t('unmarked')}</option>
            </select>
          </label>
          <label>
            {t('user')}
            <input size={10} {...field('user')} />
          </label>
          <label>
            {t('client')}
            <input size={10} {...field('client_id')} />
          </label>
          <button type="submit" className="primary">
            {c('apply')}
          </button>
          <button type="button" onClick={reset}>
            {c('reset')}
          </button>
          <datalist id="history-channels">
            {catalog.data?.channels.map((ch) => (
              <option key={ch.code} value={ch.code}>
                {ch.name}
              </option>
            ))}
          </datalist>
          <datalist id="history-products">
            {catalog.data?.products.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </datalist>
        </form>
      </Card>
      <div className="counts" data-testid="history-counts" aria-live="polite">
        <span>{t('shown', { n: items.length })}</span>
        <span className="badge ok" data-testid="count-success">
          {t('countSuccess', { n: counts.success })}
        </span>
        <span className="badge bad" data-testid="count-failure">
          {t('countFailure', { n: counts.failure })}
        </span>
        <span className="badge">{t('countUnmarked', { n: counts.unmarked })}</span>
      </div>
      {can('feedback.write') && selected.size > 0 && (
        <div className="bulk-bar" role="region" aria-label={t('selected', { n: selected.size })}>
          <strong>{t('selected', { n: selected.size })}</strong>
          <input
            placeholder={t('comment')}
            aria-label={t('comment')}
            value={bulkComment}
            onChange={(e) => setBulkComment(e.target.value)}
          />
          <button type="button" onClick={() => bulk('success')}>
            {t('markSuccess')}
          </button>
          <button type="button" className="danger" onClick={() => bulk('failure')}>
            {t('markFailure')}
          </button>
        </div>
      )}
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      {error !== null && <ErrorState error={error} onRetry={reload} />}
      <Card>
        <DataTable
          testId="history-table"
          caption={c('navHistory')}
          rows={items}
          rowKey={(r) => r.request_id}
          onOpen={(r) => setOpenId(r.request_id)}
          selected={can('feedback.write') ? selected : undefined}
          onSelect={
            can('feedback.write')
              ? (key, on) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (on) next.add(key);
                    else next.delete(key);
                    return next;
                  })
              : undefined
          }
          onSelectAll={(on) => setSelected(on ? new Set(items.map((i) => i.request_id)) : new Set())}
          selectLabel={t('selectAll')}
          columns={[
            { key: 'time', header: t('time'), render: (r) => fmt.dateTime(r.started_at) },
            { key: 'route', header: t('route'), render: (r) => <code>{r.route}</code> },
            { key: 'user', header: t('user'), render: (r) => r.user ?? '—' },
            { key: 'client', header: t('client'), render: (r) => r.client_ids.slice(0, 3).join(', ') },
            { key: 'summary', header: t('summary'), render: (r) => summarize(r) },
            { key: 'status', header: t('status'), align: 'right', render: (r) => r.status },
            { key: 'ms', header: t('latency'), align: 'right', render: (r) => fmt.number(r.duration_ms, 1) },
            {
              key: 'fb',
              header: t('feedback'),
              render: (r) => {
                const o = lastOutcome(r);
                return o ? <span className={`badge ${o === 'success' ? 'ok' : 'bad'}`}>{t(o)}</span> : '—';
              },
            },
          ]}
        />
        {loading && <Loading />}
        {!loading && cursor !== null && (
          <button type="button" onClick={() => load(filters, cursor)}>
            {t('loadMore')}
          </button>
        )}
      </Card>
      {open && <HistoryDetail item={open} onClose={close} onMarked={reload} />}
    </>
  );
}
