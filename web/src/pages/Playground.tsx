/**
 * Offer playground: client features (typed, pasted or a sample) × products × channels →
 * `POST /v1/offers` (texts, confidence, SMS segments, findings); and a compliance check of a
 * hand-written text (`POST /v1/compliance/check`).
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useSession } from '../auth';
import { DataTable } from '../components/DataTable';
import { Card, PageHeader } from '../components/Layout';
import { Async, ErrorState, Loading } from '../components/States';
import { useCommon, useFormat, useLang, useMessages } from '../i18n';
import { isExcludedOffer, type CatalogInfo, type HistoryPage, type OfferResult } from '../types';
import { useApi } from '../useApi';
import { CheckText } from './CheckText';
import { Findings } from './Findings';
import { PM, PRESETS } from './playground-text';

export function Playground() {
  const c = useCommon();
  const catalog = useApi((signal) => api.get<CatalogInfo>('/v1/catalog', undefined, signal), []);
  return (
    <>
      <PageHeader title={c('navPlayground')} />
      <Async state={catalog}>
        {(cat) => (
          <div className="grid">
            <Generator catalog={cat} />
            <CheckText catalog={cat} />
          </div>
        )}
      </Async>
    </>
  );
}

function toggle(list: string[], code: string, on: boolean): string[] {
  return on ? [...new Set([...list, code])] : list.filter((x) => x !== code);
}

function Generator({ catalog }: { catalog: CatalogInfo }) {
  const t = useMessages(PM);
  const { lang } = useLang();
  const f = useFormat();
  const { can } = useSession();
  const [clientId, setClientId] = useState('1001');
  const [features, setFeatures] = useState(JSON.stringify(PRESETS[0].features, null, 2));
  const [products, setProducts] = useState<string[]>([catalog.products[0]?.code ?? '']);
  const [channels, setChannels] = useState<string[]>(['SMS']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [answers, setAnswers] = useState<OfferResult[] | null>(null);

  // Picking a client: the features sent with the latest offer request for it, from the history.
  const fromHistory = () => {
    setError(null);
    const id = clientId.trim();
    api.get<HistoryPage>('/v1/history', { client_id: id, route: '/v1/offers', limit: 20 }).then(
      (page) => {
        for (const item of page.items) {
          const sent = Array.isArray(item.request) ? (item.request as Record<string, unknown>[]) : [];
          const match = sent.find((x) => String(x.client_id) === id && typeof x.features === 'object');
          if (match) {
            setFeatures(JSON.stringify(match.features, null, 2));
            return;
          }
        }
        setError(new Error(t('noHistory', { id })));
      },
      (err: unknown) => setError(err),
    );
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(features);
    } catch (err) {
      setError(new Error(t('badJson', { message: err instanceof Error ? err.message : String(err) })));
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setError(new Error(t('notObject')));
      return;
    }
    if (products.length === 0 || channels.length === 0) {
      setError(new Error(t('pickOne')));
      return;
    }
    const id = Number(clientId) || 0;
    const items = products.flatMap((product) =>
      channels.map((channel) => ({ client_id: id, features: parsed, product, channel })),
    );
    setBusy(true);
    api.post<OfferResult[]>('/v1/offers', items).then(
      (r) => {
        setAnswers(r);
        setBusy(false);
      },
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  };

  return (
    <Card title={t('results')} wide>
      <form className="stack" onSubmit={submit} aria-label={t('generate')}>
        <div className="form-row">
          <label>
            {t('clientId')}
            <input
              inputMode="numeric"
              value={clientId}
              onChange={(e) => setClientId(e.target.value)}
              size={8}
            />
          </label>
          {can('history.read') && (
            <button type="button" onClick={fromHistory}>
              {t('fromHistory')}
            </button>
          )}
          <label>
            {t('preset')}
            <select
              defaultValue=""
              onChange={(e) => {
                const p = PRESETS.find((x) => x.id === e.target.value);
                if (p) setFeatures(JSON.stringify(p.features, null, 2));
              }}
            >
              <option value="" disabled>
                —
              </option>
              {PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p[lang]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {t('features')}
          <textarea
            name="features"
            rows={6}
            spellCheck={false}
            value={features}
            onChange={(e) => setFeatures(e.target.value)}
          />
        </label>
        <fieldset>
          <legend>{t('products')}</legend>
          <div className="check-list">
            {catalog.products.map((p) => (
              <label key={p.code} className="inline" title={lang === 'ru' ? p.name : p.name_en}>
                <input
                  type="checkbox"
                  name="product"
                  value={p.code}
                  checked={products.includes(p.code)}
                  onChange={(e) => setProducts((l) => toggle(l, p.code, e.target.checked))}
                />
                {p.code}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('channels')}</legend>
          <div className="check-list">
            {catalog.channels.map((ch) => (
              <label key={ch.code} className="inline" title={ch.name}>
                <input
                  type="checkbox"
                  name="channel"
                  value={ch.code}
                  checked={channels.includes(ch.code)}
                  onChange={(e) => setChannels((l) => toggle(l, ch.code, e.target.checked))}
                />
                {ch.code}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('generating') : t('generate')}
          </button>
        </div>
      </form>
      {busy && <Loading />}
      {error !== null && <ErrorState error={error} />}
      {answers && (
        <DataTable
          testId="offer-results"
          rows={answers}
          rowKey={(a) => (isExcludedOffer(a) ? `${a.product}-${a.channel}` : a.offer_id)}
          columns={[
            { key: 'p', header: t('product'), render: (a) => a.product },
            { key: 'c', header: t('channel'), render: (a) => a.channel },
            {
              key: 't',
              header: t('text'),
              render: (a) =>
                isExcludedOffer(a) ? (
                  <div className="offer-text" data-testid="offer-excluded">
                    <span className="badge bad">{t('notOffered')}</span>
                    <ul style={{ margin: 0, paddingLeft: '1rem' }}>
                      {a.excluded.map((x, i) => (
                        <li key={i}>
                          {x.rule}: {x.reason}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : (
                  <div className="offer-text">
                    {a.subject && <strong>{a.subject}</strong>}
                    {a.title && <strong>{a.title}</strong>}
                    <div>{a.text}</div>
                    {a.compliance_fallback && <span className="badge bad">{t('fallback')}</span>}
                  </div>
                ),
            },
            {
              key: 'conf',
              header: t('confidence'),
              render: (a) =>
                isExcludedOffer(a) ? (
                  '—'
                ) : (
                  <span title={String(a.confidence)}>
                    <span className="confidence" style={{ width: `${Math.round(a.confidence * 60)}px` }} />
                    {f.percent(a.confidence)}
                  </span>
                ),
            },
            {
              key: 'sms',
              header: t('sms'),
              align: 'right',
              render: (a) => (isExcludedOffer(a) ? '—' : (a.sms_segments ?? '—')),
            },
            {
              key: 'f',
              header: t('findings'),
              render: (a) => (isExcludedOffer(a) ? '—' : <Findings findings={a.findings ?? []} />),
            },
          ]}
        />
      )}
    </Card>
  );
}
