/**
 * Segments: the promoted segmentation (`GET /v1/segments/model`) — sizes, profiles, a 2-D
 * projection, the k-selection chart and the rules — and a form assigning a new client
 * (`POST /v1/segments/assign`) that shows the rule path that decided.
 */
import { useMemo } from 'react';
import { api } from '../api';
import { useSession } from '../auth';
import { Chart } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Card, PageHeader } from '../components/Layout';
import { Async, Empty } from '../components/States';
import { useCommon, useFormat, useMessages } from '../i18n';
import type { SegmentModelView, SegmentReport } from '../types';
import { useApi } from '../useApi';
import { AssignForm } from './AssignForm';
import { kSelectionOption, profilesOption, projectionOption, sizesOption } from './segment-charts';
import { SM } from './segments-text';

export function Segments() {
  const c = useCommon();
  const state = useApi((signal) => api.get<SegmentModelView>('/v1/segments/model', undefined, signal), []);
  return (
    <>
      <PageHeader title={c('navSegments')} />
      <Async state={state}>{(view) => <SegmentsBody view={view} />}</Async>
    </>
  );
}

function SegmentsBody({ view }: { view: SegmentModelView }) {
  const t = useMessages(SM);
  const f = useFormat();
  const { can } = useSession();
  const r = view.report;
  return (
    <>
      <div className="kpis">
        <div className="kpi">
          <div className="value">
            {view.name} v{view.version}
          </div>
          <div className="label">
            {t('version')} · {f.date(view.created_at)}
          </div>
        </div>
        <div className="kpi" data-testid="kpi-k">
          <div className="value">{r?.k ?? view.metrics.k ?? '—'}</div>
          <div className="label">{t('k')}</div>
        </div>
        <div className="kpi">
          <div className="value">{f.number(r?.rows ?? view.metrics.rows ?? 0)}</div>
          <div className="label">{t('rows')}</div>
        </div>
        <div className="kpi">
          <div className="value">
            {view.metrics.silhouette !== undefined ? f.number(view.metrics.silhouette, 3) : '—'}
          </div>
          <div className="label">{t('silhouette')}</div>
        </div>
      </div>
      {r ? <ReportView r={r} /> : <Empty>{t('noReport')}</Empty>}
      {r && can('recommend') && <AssignForm report={r} />}
    </>
  );
}

function ReportView({ r }: { r: SegmentReport }) {
  const t = useMessages(SM);
  const f = useFormat();
  const sizes = useMemo(() => sizesOption(r), [r]);
  const profiles = useMemo(() => profilesOption(r), [r]);
  const projection = useMemo(() => projectionOption(r), [r]);
  const names = useMemo(() => ({ inertia: t('inertia'), silhouette: t('silhouette') }), [t]);
  const kSel = useMemo(() => kSelectionOption(r, names), [r, names]);
  const explained = r.projection.explained_variance_ratio.slice(0, 2).reduce((a, b) => a + b, 0);
  return (
    <div className="grid">
      <Card title={t('sizes')}>
        <Chart option={sizes} label={t('sizes')} testId="chart-sizes" />
      </Card>
      <Card title={t('profiles')}>
        <Chart option={profiles} label={t('profiles')} height={320} testId="chart-profiles" />
      </Card>
      <Card title={t('projection')}>
        <p className="muted">{t('explained', { share: f.percent(explained) })}</p>
        <Chart option={projection} label={t('projection')} height={320} testId="chart-projection" />
      </Card>
      <Card title={t('kSelection')}>
        <p className="muted">{t('reason', { k: r.k, reason: r.k_reason })}</p>
        <Chart option={kSel} label={t('kSelection')} testId="chart-k" />
      </Card>
      <Card title={t('traits')} wide>
        <DataTable
          testId="segment-table"
          rows={r.profiles}
          rowKey={(p) => String(p.segment)}
          columns={[
            { key: 's', header: t('segment'), render: (p) => p.segment },
            { key: 'n', header: t('name'), render: (p) => p.name },
            { key: 'size', header: t('size'), align: 'right', render: (p) => f.number(p.size) },
            { key: 'share', header: t('share'), align: 'right', render: (p) => f.percent(p.share) },
            {
              key: 'd',
              header: t('traits'),
              render: (p) =>
                p.distinguishing
                  .slice(0, 3)
                  .map((d) => d.text)
                  .join('; '),
            },
          ]}
        />
      </Card>
      <Card title={t('rules')} wide>
        <ol className="rules">
          {r.rules.map((rule, i) => (
            <li key={i}>
              <code>{rule}</code>
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
