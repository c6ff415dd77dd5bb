/** The detail drawer of one recorded request: request, answer, marks, and a form to mark it. */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useSession } from '../auth';
import { Drawer } from '../components/Drawer';
import { errorText } from '../components/States';
import { useFormat, useMessages } from '../i18n';
import type { HistoryItem } from '../types';
import { HM } from './history-text';

export function HistoryDetail({
  item,
  onClose,
  onMarked,
}: {
  item: HistoryItem;
  onClose: () => void;
  onMarked: () => void;
}) {
  const t = useMessages(HM);
  const f = useFormat();
  const { can } = useSession();
  const [outcome, setOutcome] = useState<'success' | 'failure'>('failure');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api
      .post('/v1/feedback', {
        request_id: item.request_id,
        outcome,
        ...(comment.trim() !== '' ? { comment: comment.trim() } : {}),
      })
      .then(
        () => {
          setBusy(false);
          setComment('');
          onMarked();
        },
        (err: unknown) => {
          setBusy(false);
          setError(errorText(err));
        },
      );
  };

  return (
    <Drawer title={t('details', { id: item.request_id.slice(0, 8) })} onClose={onClose}>
      <dl className="facts">
        <dt>{t('time')}</dt>
        <dd>{f.dateTime(item.started_at)}</dd>
        <dt>{t('route')}</dt>
        <dd>
          <code>{item.route}</code> · {item.status} · {f.number(item.duration_ms, 1)} {t('latency')}
        </dd>
        <dt>{t('user')}</dt>
        <dd>{item.user ?? '—'}</dd>
        <dt>{t('client')}</dt>
        <dd>{item.client_ids.join(', ') || '—'}</dd>
        <dt>{t('model')}</dt>
        <dd>{item.model_version ?? '—'}</dd>
      </dl>
      <h3>{t('marks')}</h3>
      {item.feedback.length === 0 ? (
        <p className="muted">{t('noMarks')}</p>
      ) : (
        <ul className="marks" data-testid="detail-marks">
          {item.feedback.map((fb) => (
            <li key={fb.id}>
              <span className={`badge ${fb.outcome === 'success' ? 'ok' : 'bad'}`}>{t(fb.outcome)}</span>{' '}
              {fb.comment && <q>{fb.comment}</q>}{' '}
              <span className="muted">
                {fb.user ?? ''} · {f.dateTime(fb.created_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {can('feedback.write') && (
        <form onSubmit={submit} className="mark-form" aria-label={t('mark')}>
          <fieldset>
            <legend>{t('outcome')}</legend>
            {(['success', 'failure'] as const).map((o) => (
              <label key={o} className="inline">
                <input
                  type="radio"
                  name="outcome"
                  value={o}
                  checked={outcome === o}
                  onChange={() => setOutcome(o)}
                />
                {t(o)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('comment')}
            <textarea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              rows={2}
              maxLength={4000}
            />
          </label>
          {error && (
            <div className="state state-error" role="alert">
              {error}
            </div>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {t('mark')}
          </button>
        </form>
      )}
      <h3>{t('request')}</h3>
      <pre className="json">{JSON.stringify(item.request, null, 2)}</pre>
      <h3>{t('answer')}</h3>
      <pre className="json">{JSON.stringify(item.answer, null, 2)}</pre>
    </Drawer>
  );
}
