/**
 * Overview: requests and latency over time, answers by source, the feedback success rate and the
 * model versions answering — all from `GET /v1/stats?bucket=…`.
 */
import { useMemo, useState } from 'react';
import { api } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Card, PageHeader } from '../components/Layout';
import { Async, Empty } from '../components/States';
import { defineMessages, useCommon, useFormat, useMessages } from '../i18n';
import type { Stats } from '../types';
import { useApi } from '../useApi';

const M = defineMessages({
  ru: {
    period: 'Период',
    bucket: 'Шаг',
    minute: 'минута',
    hour: 'час',
    day: 'день',
    p1d: 'сутки',
    p7d: '7 дней',
    p30d: '30 дней',
    all: 'всё время',
    requests: 'Запросы',
    errors: 'Ошибки',
    p95: 'Задержка p95, мс',
    p50: 'Задержка p50, мс',
    successRate: 'Доля успешных отметок',
    success: 'Успех',
    failure: 'Неудача',
    marks: 'Отметки операторов',
    overTime: 'Запросы и задержка во времени',
    bySource: 'Ответы по источнику',
    feedbackOverTime: 'Отметки во времени',
    versions: 'Версии моделей в работе',
    version: 'Версия',
    lastUsed: 'Последний ответ',
    routes: 'Маршруты',
    route: 'Маршрут',
    noSources: 'Нет ответов рекомендаций за период (источник — модель, резервный ответ или предрасчёт)',
  },
  en: {
    period: 'Period',
    bucket: 'Step',
    minute: 'minute',
    hour: 'hour',
    day: 'day',
    p1d: '24 hours',
    p7d: '7 days',
    p30d: '30 days',
    all: 'all time',
    requests: 'Requests',
    errors: 'Errors',
    p95: 'Latency p95, ms',
    p50: 'Latency p50, ms',
    successRate: 'Success rate of marks',
    success: 'Success',
    failure: 'Failure',
    marks: 'Operator marks',
    overTime: 'Requests and latency over time',
    bySource: 'Answers by source',
    feedbackOverTime: 'Marks over time',
    versions: 'Model versions in use',
    version: 'Version',
    lastUsed: 'Last answer',
    routes: 'Routes',
    route: 'Route',
    noSources: 'No recommendation answers in the period (source: model, fallback or precomputed)',
  },
});

type Period = 'p1d' | 'p7d' | 'p30d' | 'all';
const PERIOD_DAYS: Record<Period, number | null> = { p1d: 1, p7d: 7, p30d: 30, all: null };
type Bucket = 'minute' | 'hour' | 'day';

export function Overview() {
  const t = useMessages(M);
  const c = useCommon();
  const [period, setPeriod] = useState<Period>('p7d');
  const [bucket, setBucket] = useState<Bucket>('hour');
  const state = useApi(
    (signal) => {
      const days = PERIOD_DAYS[period];
      const from = days === null ? undefined : new Date(Date.now() - days * 86_400_000).toISOString();
      return api.get<Stats>('/v1/stats', { bucket, from }, signal);
    },
    [period, bucket],
  );
  return (
    <>
      <PageHeader title={c('navOverview')}>
        <label>
          {t('period')}
          <select value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
            {(Object.keys(PERIOD_DAYS) as Period[]).map((p) => (
              <option key={p} value={p}>
                {t(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('bucket')}
          <select value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)}>
            {(['minute', 'hour', 'day'] as const).map((b) => (
              <option key={b} value={b}>
                {t(b)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={state.reload}>
          ↻
        </button>
      </PageHeader>
      <Async state={state}>{(stats) => <OverviewBody stats={stats} />}</Async>
    </>
  );
}

function OverviewBody({ stats }: { stats: Stats }) {
  const t = useMessages(M);
  const f = useFormat();
  const series = stats.series ?? [];
  const errors = stats.routes.reduce((a, r) => a + r.errors, 0);
  const p95 = Math.max(0, ...stats.routes.map((r) => r.latency_ms.p95));

  const timeOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('requests'), t('errors'), t('p95')] },
      grid: { left: 48, right: 56, top: 40, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: [
        { type: 'value', name: t('requests'), minInterval: 1 },
        { type: 'value', name: 'ms', splitLine: { show: false } },
      ],
      series: [
        { name: t('requests'), type: 'bar', barMaxWidth: 24, data: series.map((p) => [p.at, p.requests]) },
        {
          name: t('errors'),
          type: 'bar',
          barMaxWidth: 24,
          data: series.map((p) => [p.at, p.errors]),
          itemStyle: { color: '#b3261e' },
        },
        { name: t('p95'), type: 'line', yAxisIndex: 1, data: series.map((p) => [p.at, p.p95_ms]) },
      ],
    }),
    [series, t],
  );
  const sourceOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: Object.entries(stats.answers_by_source).map(([name, value]) => ({ name, value })),
        },
      ],
    }),
    [stats],
  );
  const feedbackOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('success'), t('failure')] },
      grid: { left: 40, right: 16, top: 40, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('success'),
          type: 'bar',
          stack: 'fb',
          barMaxWidth: 32,
          data: series.filter((p) => p.success + p.failure > 0).map((p) => [p.at, p.success]),
          itemStyle: { color: '#1b7f3b' },
        },
        {
          name: t('failure'),
          type: 'bar',
          stack: 'fb',
          barMaxWidth: 32,
          data: series.filter((p) => p.success + p.failure > 0).map((p) => [p.at, p.failure]),
          itemStyle: { color: '#b3261e' },
        },
      ],
    }),
    [series, t],
  );

  return (
    <>
      <div className="kpis">
        <Kpi label={t('requests')} value={f.number(stats.requests)} testId="kpi-requests" />
        <Kpi label={t('errors')} value={f.number(errors)} />
        <Kpi label={t('p95')} value={f.number(p95, 1)} />
        <Kpi
          label={t('successRate')}
          value={f.percent(stats.feedback.success_rate)}
          testId="kpi-success-rate"
        />
        <Kpi label={t('success')} value={f.number(stats.feedback.success)} testId="kpi-feedback-success" />
        <Kpi label={t('failure')} value={f.number(stats.feedback.failure)} testId="kpi-feedback-failure" />
      </div>
      <div className="grid">
        <Card title={t('overTime')} wide>
          <Chart option={timeOption} label={t('overTime')} testId="chart-requests" />
        </Card>
        <Card title={t('bySource')}>
          {Object.keys(stats.answers_by_source).length === 0 ? (
            <Empty>{t('noSources')}</Empty>
          ) : (
            <Chart option={sourceOption} label={t('bySource')} height={260} />
          )}
        </Card>
        <Card title={t('feedbackOverTime')}>
          <Chart option={feedbackOption} label={t('feedbackOverTime')} height={260} />
        </Card>
        <Card title={t('versions')}>
          <DataTable
            testId="model-versions"
            rows={stats.model_versions}
            rowKey={(r) => r.model_version}
            columns={[
              { key: 'v', header: t('version'), render: (r) => <code>{r.model_version}</code> },
              { key: 'n', header: t('requests'), align: 'right', render: (r) => f.number(r.requests) },
              { key: 'l', header: t('lastUsed'), render: (r) => f.dateTime(r.last_used) },
            ]}
          />
        </Card>
        <Card title={t('routes')}>
          <DataTable
            rows={stats.routes}
            rowKey={(r) => r.route}
            columns={[
              { key: 'r', header: t('route'), render: (r) => <code>{r.route}</code> },
              { key: 'n', header: t('requests'), align: 'right', render: (r) => f.number(r.requests) },
              { key: 'e', header: t('errors'), align: 'right', render: (r) => f.number(r.errors) },
              { key: 'p50', header: t('p50'), align: 'right', render: (r) => f.number(r.latency_ms.p50, 1) },
              { key: 'p95', header: t('p95'), align: 'right', render: (r) => f.number(r.latency_ms.p95, 1) },
            ]}
          />
        </Card>
      </div>
    </>
  );
}

function Kpi({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="value">{value}</div>
      <div className="label">{label}</div>
    </div>
  );
}
