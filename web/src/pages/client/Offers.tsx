/**
 * Offers for the client's top recommended products on the chosen channels, from `POST /v1/offers`:
 * each text with its confidence, SMS segments and compliance findings.
 */
import { useState } from 'react';
import { api } from '../../api';
import { Card } from '../../components/Layout';
import { Empty, ErrorState, Loading } from '../../components/States';
import { useFormat, useMessages } from '../../i18n';
import { CLIENT_TEXT } from './strings';
import { isExcludedOffer, type OfferResult } from '../../types';
import type { ClientAnswer } from './types';

/** The profile as offer features: scalar values only, plus the consent flag when given. */
function features(client: ClientAnswer, consent: boolean): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = { ...client.profile };
  // The ingest drops segmento's code prefix; the offer profile reads the raw «01 - TOP» form.
  const seg = { TOP: '01 - TOP', PARTICULARES: '02 - PARTICULARES', UNIVERSITARIO: '03 - UNIVERSITARIO' };
  if (typeof out.segmento === 'string' && out.segmento in seg)
    out.segmento = seg[out.segmento as keyof typeof seg];
  if (consent) out.consent = 1;
  return out;
}

export function Offers({ client }: { client: ClientAnswer }) {
  const t = useMessages(CLIENT_TEXT);
  const f = useFormat();
  const channels = client.offer_channels;
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(channels.slice(0, 3).map((c) => c.code)));
  const [top, setTop] = useState(2);
  const [consent, setConsent] = useState(false);
  const [state, setState] = useState<{ loading: boolean; error: unknown; offers: OfferResult[] | null }>({
    loading: false,
    error: null,
    offers: null,
  });
  const products = [
    ...new Set((client.recommendations?.items ?? []).map((i) => i.offer_product).filter((p) => p !== null)),
  ].slice(0, top);

  const run = async () => {
    const items = products.flatMap((product) =>
      channels
        .filter((c) => chosen.has(c.code))
        .map((c) => ({
          client_id: client.client_id,
          features: features(client, consent),
          product,
          channel: c.code,
        })),
    );
    setState({ loading: true, error: null, offers: null });
    try {
      setState({ loading: false, error: null, offers: await api.post<OfferResult[]>('/v1/offers', items) });
    } catch (e) {
      setState({ loading: false, error: e, offers: null });
    }
  };

  const toggle = (code: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });

  return (
    <Card title={t('offers')} wide>
      {products.length === 0 ? (
        <Empty>{t('noOfferProducts')}</Empty>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <fieldset style={{ border: 'none', padding: 0, margin: '0 0 0.75rem' }}>
            <legend style={{ color: 'var(--muted)', fontSize: '0.9rem' }}>{t('channels')}</legend>
            <div className="form-row">
              {channels.map((c) => (
                <label
                  key={c.code}
                  style={{ flexDirection: 'row', alignItems: 'center', color: 'var(--fg)' }}
                >
                  <input
                    type="checkbox"
                    checked={chosen.has(c.code)}
                    onChange={(e) => toggle(c.code, e.target.checked)}
                  />
                  {c.code} <span className="state-detail">{c.name}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="form-row">
            <label>
              {t('topN')}
              <select value={top} onChange={(e) => setTop(Number(e.target.value))}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label style={{ flexDirection: 'row', alignItems: 'center', color: 'var(--fg)' }}>
              <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
              {t('consent')}
            </label>
            <button type="submit" className="primary" disabled={state.loading || chosen.size === 0}>
              {state.loading ? t('generating') : t('generate')}
            </button>
          </div>
          {chosen.size === 0 && <p className="state-detail">{t('chooseChannel')}</p>}
          <p className="state-detail">{products.join(', ')}</p>
        </form>
      )}
      {state.loading && <Loading />}
      {state.error !== null && <ErrorState error={state.error} onRetry={() => void run()} />}
      {state.offers && (
        <div data-testid="client-offers">
          <p className="state-detail">{t('offerCount', { n: state.offers.length })}</p>
          <div className="grid">
            {state.offers.map((o) =>
              isExcludedOffer(o) ? (
                <article key={`${o.product}-${o.channel}`} className="card" data-testid="offer-excluded">
                  <h3 style={{ fontSize: '1rem', margin: '0 0 0.4rem' }}>
                    {o.product} · {o.channel}
                  </h3>
                  <span className="badge bad">{t('notOffered')}</span>
                  <ul style={{ margin: '0.4rem 0 0', paddingLeft: '1rem' }}>
                    {o.excluded.map((x, i) => (
                      <li key={i}>
                        {x.rule}: {x.reason}
                      </li>
                    ))}
                  </ul>
                </article>
              ) : (
                <article key={o.offer_id} className="card" data-testid="offer">
                  <h3 style={{ fontSize: '1rem', margin: '0 0 0.4rem' }}>
                    {o.product} · {o.channel}
                  </h3>
                  {o.subject && (
                    <p style={{ margin: '0 0 0.3rem' }}>
                      <strong>{o.subject}</strong>
                    </p>
                  )}
                  {o.title && (
                    <p style={{ margin: '0 0 0.3rem' }}>
                      <strong>{o.title}</strong>
                    </p>
                  )}
                  <p style={{ whiteSpace: 'pre-wrap', margin: '0 0 0.5rem' }}>{o.text || '—'}</p>
                  <dl
                    style={{
                      display: 'grid',
                      gridTemplateColumns: 'auto 1fr',
                      gap: '0.2rem 0.6rem',
                      margin: 0,
                    }}
                  >
                    <dt>{t('confidence')}</dt>
                    <dd style={{ margin: 0 }}>{f.percent(o.confidence)}</dd>
                    {o.sms_segments != null && (
                      <>
                        <dt>{t('smsSegments')}</dt>
                        <dd style={{ margin: 0 }}>{o.sms_segments}</dd>
                      </>
                    )}
                    <dt>{t('compliance')}</dt>
                    <dd style={{ margin: 0 }}>
                      {(o.findings ?? []).length === 0 ? (
                        <span className="badge ok">{t('compliant')}</span>
                      ) : (
                        <ul style={{ margin: 0, paddingLeft: '1rem' }}>
                          {(o.findings ?? []).map((x, i) => (
                            <li key={i}>
                              <span className="badge bad">{x.severity}</span> {x.code}: {x.message}
                            </li>
                          ))}
                        </ul>
                      )}
                      {o.compliance_fallback === true && <span className="badge">{t('fallbackUsed')}</span>}
                    </dd>
                  </dl>
                </article>
              ),
            )}
          </div>
        </div>
      )}
    </Card>
  );
}
