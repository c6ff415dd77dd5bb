/** The client's current recommendations with their reason codes. */
import { DataTable, type Column } from '../../components/DataTable';
import { Card } from '../../components/Layout';
import { Empty } from '../../components/States';
import { useFormat, useMessages } from '../../i18n';
import { CLIENT_TEXT } from './strings';
import type { ClientAnswer, RecommendedItem } from './types';

export function Recommendations({ client }: { client: ClientAnswer }) {
  const t = useMessages(CLIENT_TEXT);
  const f = useFormat();
  const r = client.recommendations;
  const columns: Column<RecommendedItem>[] = [
    {
      key: 'product',
      header: t('product'),
      render: (i) => (
        <>
          <strong>{i.code ?? i.product}</strong>
          <div className="state-detail">{i.product}</div>
        </>
      ),
    },
    { key: 'score', header: t('score'), align: 'right', render: (i) => f.number(i.score, 3) },
    {
      key: 'reasons',
      header: t('reasons'),
      render: (i) =>
        i.reasons.map((code) => (
          <span
            key={code}
            className="badge"
            style={{ marginRight: 4, display: 'inline-block', marginBottom: 2 }}
          >
            {code}
          </span>
        )),
    },
    { key: 'offer', header: t('offerProduct'), render: (i) => i.offer_product ?? '—' },
  ];
  return (
    <Card title={t('recommendations')} wide>
      {r === null ? (
        <Empty>{t('noRecommendations')}</Empty>
      ) : (
        <>
          <p className="state-detail">{t('source', { source: r.source, model: r.model_version ?? '—' })}</p>
          <DataTable
            columns={columns}
            rows={r.items}
            rowKey={(i) => i.product}
            caption={t('recommendations')}
            testId="client-recommendations"
          />
        </>
      )}
      {client.notes.length > 0 && (
        <div className="state state-empty" data-testid="client-notes">
          <strong>{t('notes')}:</strong>
          <ul style={{ margin: 0 }}>
            {client.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
