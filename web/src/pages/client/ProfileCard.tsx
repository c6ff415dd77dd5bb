/** The client's profile (latest month), its segment and the products it holds now. */
import { Card } from '../../components/Layout';
import { useFormat, useMessages } from '../../i18n';
import { CLIENT_TEXT, PROFILE_LABELS, type ProfileKey } from './strings';
import type { ClientAnswer, ProfileValue } from './types';

/** Shown as tiles; the other columns go in the table below them. */
const TILES: ProfileKey[] = ['age', 'sexo', 'renta', 'segmento', 'canal_entrada', 'antiguedad'];

export function ProfileCard({ client, codeOf }: { client: ClientAnswer; codeOf: (p: string) => string }) {
  const t = useMessages(CLIENT_TEXT);
  const label = useMessages(PROFILE_LABELS);
  const f = useFormat();
  const name = (key: string) => (key in PROFILE_LABELS.ru ? label(key as ProfileKey) : key);
  const show = (key: string, v: ProfileValue) => {
    if (v === null || v === '') return '—';
    if (typeof v === 'boolean') return v ? '✓' : '—';
    if (typeof v === 'number')
      return key === 'renta' ? f.number(v, 0) : f.number(v, Number.isInteger(v) ? 0 : 2);
    return v;
  };
  const rest = Object.entries(client.profile).filter(([k]) => !TILES.includes(k as ProfileKey));
  return (
    <Card title={t('profile')} wide>
      <p className="state-detail" data-testid="client-month">
        {t('profileMonth', { month: client.month })} ·{' '}
        {t('datasetVersion', { version: client.dataset_version })}
      </p>
      <div className="kpis">
        {TILES.map((k) => (
          <div className="kpi" key={k}>
            <div className="value" style={{ fontSize: '1.15rem', overflowWrap: 'anywhere' }}>
              {show(k, client.profile[k] ?? null)}
            </div>
            <div className="label">
              {label(k)}
              {k === 'renta' && client.profile.renta_imputed === true ? ` · ${label('renta_imputed')}` : ''}
            </div>
          </div>
        ))}
      </div>
      <p data-testid="client-segment">
        <strong>{t('segment')}:</strong>{' '}
        {client.segment ? `${client.segment.segment} · ${client.segment.name}` : t('noSegment')}
        {client.segment && client.segment.path.length > 0 && (
          <span className="state-detail" style={{ display: 'block', overflowWrap: 'anywhere' }}>
            {client.segment.path.join(' → ')}
          </span>
        )}
      </p>
      <h3 style={{ fontSize: '1rem', margin: '0.5rem 0' }}>{t('held')}</h3>
      <p data-testid="client-products">
        {client.products.length === 0
          ? t('noProducts')
          : client.products.map((p) => (
              <span key={p} className="badge ok" style={{ marginRight: 4 }} title={p}>
                {codeOf(p)}
              </span>
            ))}
      </p>
      <details>
        <summary>
          {t('rowField')} / {t('rowValue')}
        </summary>
        <div className="table-wrap">
          <table className="data-table">
            <tbody>
              {rest.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" style={{ textAlign: 'left' }}>
                    {name(k)} <span className="state-detail">({k})</span>
                  </th>
                  <td>{show(k, v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </Card>
  );
}
