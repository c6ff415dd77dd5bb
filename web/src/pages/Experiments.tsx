/**
 * Experiments & models: the runs table (`GET /v1/runs`) with a side-by-side comparison of two
 * runs' metrics, and the model registry (`GET /v1/models`) with promote and roll back.
 */
import { useMemo, useState } from 'react';
import { api } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Card, PageHeader } from '../components/Layout';
import { Async } from '../components/States';
import { useCommon, useFormat, useMessages } from '../i18n';
import type { Run } from '../types';
import { useApi } from '../useApi';
import { EM } from './experiments-text';
import { Models } from './Models';

export function Experiments() {
  const c = useCommon();
  const t = useMessages(EM);
  const f = useFormat();
  const [kind, setKind] = useState('');
  const runs = useApi(
    (signal) => api.get<{ items: Run[] }>('/v1/runs', { limit: 200, kind: kind || undefined }, signal),
    [kind],
  );
  const [picked, setPicked] = useState<string[]>([]);
  const pick = (id: string, on: boolean) =>
    setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));

  return (
    <>
      <PageHeader title={c('navExperiments')}>
        <label>
          {t('kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('allKinds')}</option>
            {['train', 'evaluate', 'segment', 'offers'].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </PageHeader>
      <div className="grid">
        <Card title={t('runs')} wide>
          <Async state={runs}>
            {(data) => (
              <>
                <DataTable
                  testId="runs-table"
                  rows={data.items}
                  rowKey={(r) => r.id}
                  selected={new Set(picked)}
                  onSelect={pick}
                  onSelectAll={(on) => setPicked(on ? data.items.slice(0, 2).map((r) => r.id) : [])}
                  columns={[
                    { key: 'id', header: 'id', render: (r) => <code>{r.id.slice(0, 8)}</code> },
                    { key: 'kind', header: t('kind'), render: (r) => r.kind },
                    { key: 'name', header: t('name'), render: (r) => r.name ?? '—' },
                    {
                      key: 'status',
                      header: t('status'),
                      render: (r) => (
                        <span
                          className={`badge ${r.status === 'succeeded' ? 'ok' : r.status === 'failed' ? 'bad' : ''}`}
                        >
                          {r.status}
                        </span>
                      ),
                    },
                    { key: 'start', header: t('started'), render: (r) => f.dateTime(r.started_at) },
                    {
                      key: 'dur',
                      header: t('duration'),
                      align: 'right',
                      render: (r) =>
                        r.finished_at
                          ? f.number((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000, 1)
                          : '—',
                    },
                    { key: 'm', header: t('metrics'), render: (r) => metricLine(r.metrics) },
                  ]}
                />
                <Compare runs={data.items.filter((r) => picked.includes(r.id))} />
              </>
            )}
          </Async>
        </Card>
        <Models />
      </div>
    </>
  );
}

function metricLine(m: Record<string, number> | undefined): string {
  if (!m) return '';
  return Object.entries(m)
    .slice(0, 4)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(', ');
}

function Compare({ runs }: { runs: Run[] }) {
  const t = useMessages(EM);
  const [a, b] = runs;
  const keys = useMemo(
    () => [...new Set([...Object.keys(a?.metrics ?? {}), ...Object.keys(b?.metrics ?? {})])].sort(),
    [a, b],
  );
  const option = useMemo<ChartOption>(() => {
    const shared = keys.filter((k) => a?.metrics?.[k] !== undefined && b?.metrics?.[k] !== undefined);
    // Each metric relative to the first run (1 = equal), so metrics of any scale share one axis.
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: shared, axisLabel: { rotate: 25, fontSize: 10 } },
      yAxis: { type: 'value', name: '× A' },
      series: [a, b].map((r, i) => ({
        name: `${i === 0 ? 'A' : 'B'} ${r?.id.slice(0, 8) ?? ''}`,
        type: 'bar',
        data: shared.map((k) => {
          const base = a?.metrics?.[k] ?? 0;
          const v = r?.metrics?.[k] ?? 0;
          return base === 0 ? 0 : Math.round((v / base) * 1000) / 1000;
        }),
      })),
    };
  }, [a, b, keys]);
  if (!a || !b) return <p className="muted">{t('pickTwo')}</p>;
  return (
    <section data-testid="compare">
      <h3>{t('compare')}</h3>
      <DataTable
        rows={keys}
        rowKey={(k) => k}
        columns={[
          { key: 'k', header: t('metric'), render: (k) => k },
          { key: 'a', header: `A ${a.id.slice(0, 8)}`, align: 'right', render: (k) => fmt(a.metrics?.[k]) },
          { key: 'b', header: `B ${b.id.slice(0, 8)}`, align: 'right', render: (k) => fmt(b.metrics?.[k]) },
          {
            key: 'd',
            header: t('diff'),
            align: 'right',
            render: (k) => {
              const x = a.metrics?.[k];
              const y = b.metrics?.[k];
              return x === undefined || y === undefined ? '—' : fmt(y - x);
            },
          },
        ]}
      />
      <Chart option={option} label={t('compare')} height={260} />
    </section>
  );
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '—';
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}
