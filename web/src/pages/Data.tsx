/** Data page: exploratory analysis of the ingested dataset and the quality report of its ingest. */
import { useMemo } from 'react';
import { api, ApiError } from '../api';
import { Chart } from '../components/Chart';
import { Card, PageHeader } from '../components/Layout';
import { Empty, ErrorState, Loading } from '../components/States';
import { useCommon, useFormat, useLang, useMessages } from '../i18n';
import { useApi } from '../useApi';
import {
  additionsOption,
  channelsOption,
  histogramOption,
  ownershipOption,
  popularityOption,
  seasonalityOption,
  segmentsOption,
} from './data/charts';
import { Quality } from './data/Quality';
import { DATA_TEXT } from './data/strings';
import type { EdaAnswer } from './data/types';

function monthNames(locale: string): string[] {
  const fmt = new Intl.DateTimeFormat(locale, { month: 'short' });
  return Array.from({ length: 12 }, (_x, m) => fmt.format(new Date(2016, m, 15)));
}

function Analysis({ eda }: { eda: EdaAnswer }) {
  const t = useMessages(DATA_TEXT);
  const f = useFormat();
  const { lang } = useLang();
  const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
  const options = useMemo(
    () => ({
      popularity: popularityOption(eda, (n) => f.percent(n)),
      ownership: ownershipOption(eda),
      additions: additionsOption(eda, t('other')),
      seasonality: seasonalityOption(eda, monthNames(locale), f.number),
      age: histogramOption(eda.age.bins, f.number, false, '#0b5cad'),
      income: histogramOption(eda.income.bins, f.number, true, '#6b4fbb'),
      segments: segmentsOption(eda.segments, t('missingValue')),
      channels: channelsOption(eda, t('missingValue'), t('other')),
    }),
    [eda, f, t, locale],
  );
  const months = eda.dataset.months;
  const kpis: [string, string][] = [
    [t('rows'), f.number(eda.dataset.rows)],
    [t('clients'), f.number(eda.dataset.clients)],
    [t('months'), f.number(months.length)],
    [
      t('period'),
      months.length ? `${months[0].slice(0, 7)} … ${months[months.length - 1].slice(0, 7)}` : '—',
    ],
  ];
  return (
    <>
      <div className="kpis" data-testid="data-kpis">
        {kpis.map(([label, value]) => (
          <div className="kpi" key={label}>
            <div className="value">{value}</div>
            <div className="label">{label}</div>
          </div>
        ))}
      </div>
      <p className="state-detail">
        {t('version')}: {eda.dataset.version} ·{' '}
        {t('computed', { at: f.dateTime(eda.computed_at), seconds: f.number(eda.seconds, 2) })}
      </p>
      <div className="grid" data-testid="data-page">
        <Card title={t('popularity')}>
          <Chart
            option={options.popularity}
            height={460}
            label={t('popularityLabel')}
            testId="chart-popularity"
          />
        </Card>
        <Card title={t('ownership')}>
          <Chart
            option={options.ownership}
            height={460}
            label={t('ownershipLabel')}
            testId="chart-ownership"
          />
        </Card>
        <Card title={t('additions')}>
          <Chart
            option={options.additions}
            height={340}
            label={t('additionsLabel')}
            testId="chart-additions"
          />
        </Card>
        <Card title={t('seasonality')}>
          <p className="state-detail">{t('additionsRate')}</p>
          <Chart
            option={options.seasonality}
            height={300}
            label={t('seasonalityLabel')}
            testId="chart-seasonality"
          />
        </Card>
        <Card title={t('age')}>
          <p className="state-detail">{t('ageMissing', { n: f.number(eda.age.missing) })}</p>
          <Chart option={options.age} label={t('ageLabel')} testId="chart-age" />
        </Card>
        <Card title={t('income')}>
          <p className="state-detail">
            {t('incomeImputed', { n: f.number(eda.income.imputed) })} · {t('quantiles')}:{' '}
            {eda.income.quantiles
              .filter((q) => [0.1, 0.5, 0.9].includes(q.q))
              .map((q) => `p${Math.round(q.q * 100)} ${f.number(q.value)}`)
              .join(', ')}
          </p>
          <Chart option={options.income} label={t('incomeLabel')} testId="chart-income" />
        </Card>
        <Card title={t('segments')}>
          <Chart option={options.segments} label={t('segmentsLabel')} testId="chart-segments" />
        </Card>
        <Card title={t('channels')}>
          <Chart option={options.channels} label={t('channelsLabel')} testId="chart-channels" />
        </Card>
        <Quality quality={eda.quality} />
      </div>
    </>
  );
}

export function Data() {
  const common = useCommon();
  const t = useMessages(DATA_TEXT);
  const state = useApi((signal) => api.get<EdaAnswer>('/v1/data/eda', undefined, signal), []);
  const noDataset = state.error instanceof ApiError && state.error.code === 'DATASET_NOT_FOUND';
  return (
    <>
      <PageHeader title={common('navData')}>
        <button type="button" onClick={state.reload} disabled={state.loading}>
          {t('refresh')}
        </button>
      </PageHeader>
      {noDataset ? (
        <Empty>{t('noDataset')}</Empty>
      ) : state.error ? (
        <ErrorState error={state.error} onRetry={state.reload} />
      ) : state.data === null ? (
        <Loading />
      ) : (
        <Analysis eda={state.data} />
      )}
    </>
  );
}
