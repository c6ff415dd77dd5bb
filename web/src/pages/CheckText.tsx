/** The playground's compliance check of a hand-written text, with findings and SMS segments. */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Card } from '../components/Layout';
import { ErrorState } from '../components/States';
import { useMessages } from '../i18n';
import type { CatalogInfo, ComplianceResult } from '../types';
import { Findings } from './Findings';
import { PM } from './playground-text';

export function CheckText({ catalog }: { catalog: CatalogInfo }) {
  const t = useMessages(PM);
  const [product, setProduct] = useState(catalog.products[0]?.code ?? '');
  const [channel, setChannel] = useState(
    catalog.channels.find((c) => c.sms)?.code ?? catalog.channels[0]?.code,
  );
  const [text, setText] = useState('');
  const [title, setTitle] = useState('');
  const [consent, setConsent] = useState(true);
  const [result, setResult] = useState<ComplianceResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api
      .post<ComplianceResult>('/v1/compliance/check', {
        text,
        product,
        channel,
        consent,
        ...(title.trim() !== '' ? { title } : {}),
      })
      .then(
        (r) => {
          setResult(r);
          setBusy(false);
        },
        (err: unknown) => {
          setError(err);
          setBusy(false);
        },
      );
  };

  return (
    <Card title={t('check')} wide>
      <form className="stack" onSubmit={submit} aria-label={t('check')}>
        <div className="form-row">
          <label>
            {t('product')}
            <select value={product} onChange={(e) => setProduct(e.target.value)}>
              {catalog.products.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.code} — {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('channel')}
            <select value={channel} onChange={(e) => setChannel(e.target.value)}>
              {catalog.channels.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} — {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
            {t('consent')}
          </label>
        </div>
        <label>
          {t('title')}
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          {t('text')}
          <textarea
            name="check-text"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            required
          />
        </label>
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {t('checkButton')}
          </button>
        </div>
      </form>
      {error !== null && <ErrorState error={error} />}
      {result && (
        <div className="stack" data-testid="check-result" aria-live="polite">
          <div>
            <span className={`badge ${result.compliant ? 'ok' : 'bad'}`}>
              {result.compliant ? t('compliant') : t('notCompliant')}
            </span>{' '}
            {result.sms && <span className="muted">{t('encoding', { ...result.sms })}</span>}
          </div>
          <Findings findings={result.findings} />
        </div>
      )}
    </Card>
  );
}
