/** The quality report of the ingest behind the live dataset version. */
import { DataTable } from '../../components/DataTable';
import { Card } from '../../components/Layout';
import { Empty } from '../../components/States';
import { useFormat, useMessages } from '../../i18n';
import { DATA_TEXT } from './strings';
import type { QualitySummary } from './types';

export function Quality({ quality }: { quality: QualitySummary | null }) {
  const t = useMessages(DATA_TEXT);
  const f = useFormat();
  if (quality === null)
    return (
      <Card title={t('quality')} wide>
        <Empty>{t('noQuality')}</Empty>
      </Card>
    );
  const q = quality;
  const kpis: [string, number][] = [
    [t('linesRead'), q.lines_read],
    [t('rowsIngested'), q.rows_ingested],
    [t('rowsQuarantined'), q.rows_quarantined],
    [t('duplicates'), q.duplicate_key_rows],
  ];
  const missing = q.missing.filter((m) => m.nulls > 0).sort((a, b) => b.nulls - a.nulls);
  const opt = (v: number | null) => (v === null ? '—' : f.number(v, 0));
  return (
    <Card title={t('quality')} wide>
      <p className="state-detail" style={{ overflowWrap: 'anywhere' }}>
        {t('source')}: {q.source.path} ({q.source.format}, {f.number(q.source.bytes)} B) · {q.ingest_id}
      </p>
      <div className="kpis" data-testid="quality-kpis">
        {kpis.map(([label, n]) => (
          <div className="kpi" key={label}>
            <div className="value">{f.number(n)}</div>
            <div className="label">{label}</div>
          </div>
        ))}
      </div>
      <p className="state-detail">
        {t('rentaMedian', {
          median: opt(q.renta.median),
          cap: opt(q.renta.cap),
          above: f.number(q.renta.above_cap),
        })}
      </p>
      <div className="grid">
        <section>
          <h3 style={{ fontSize: '1rem' }}>{t('fixes')}</h3>
          <DataTable
            columns={[
              { key: 'rule', header: t('rule'), render: (r) => <code>{r.rule}</code> },
              { key: 'description', header: t('description'), render: (r) => r.description },
              { key: 'rows', header: t('count'), align: 'right', render: (r) => f.number(r.rows) },
            ]}
            rows={q.fixes}
            rowKey={(r) => r.rule}
            caption={t('fixes')}
            testId="quality-fixes"
          />
        </section>
        <section>
          <h3 style={{ fontSize: '1rem' }}>{t('quarantine')}</h3>
          <DataTable
            columns={[
              { key: 'rule', header: t('rule'), render: (r) => <code>{r.rule}</code> },
              { key: 'description', header: t('description'), render: (r) => r.description },
              { key: 'lines', header: t('count'), align: 'right', render: (r) => f.number(r.lines) },
            ]}
            rows={q.quarantine}
            rowKey={(r) => r.rule}
            caption={t('quarantine')}
          />
        </section>
        <section>
          <h3 style={{ fontSize: '1rem' }}>{t('missing')}</h3>
          <DataTable
            columns={[
              { key: 'column', header: t('column'), render: (r) => <code>{r.column}</code> },
              { key: 'nulls', header: t('nulls'), align: 'right', render: (r) => f.number(r.nulls) },
            ]}
            rows={missing}
            rowKey={(r) => r.column}
            caption={t('missing')}
          />
        </section>
        <section>
          <h3 style={{ fontSize: '1rem' }}>{t('months')}</h3>
          <DataTable
            columns={[
              { key: 'month', header: t('month'), render: (r) => r.month },
              { key: 'rows', header: t('rows'), align: 'right', render: (r) => f.number(r.rows) },
              { key: 'clients', header: t('clients'), align: 'right', render: (r) => f.number(r.clients) },
            ]}
            rows={q.months}
            rowKey={(r) => r.month}
            caption={t('months')}
          />
        </section>
      </div>
    </Card>
  );
}
