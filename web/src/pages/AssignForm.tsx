/** Assigns a new client to a segment from its features and shows the rules that decided. */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Card } from '../components/Layout';
import { ErrorState } from '../components/States';
import { useMessages } from '../i18n';
import type { SegmentAssignment, SegmentReport } from '../types';
import { SM } from './segments-text';

interface FieldSpec {
  name: string;
  numeric: boolean;
  initial: string;
  options: string[];
}

function fieldsOf(r: SegmentReport): FieldSpec[] {
  const first = r.profiles[0];
  return r.features.map((name) => {
    const num = first?.numeric.find((n) => n.column === name);
    if (num) {
      const v = Number.isFinite(num.overall) ? num.overall : 0;
      return { name, numeric: true, initial: String(Math.round(v * 100) / 100), options: [] };
    }
    const modes = [
      ...new Set(r.profiles.map((p) => p.categorical.find((c) => c.column === name)?.mode ?? '')),
    ];
    const options = modes.filter((m) => m !== '' && m !== '(missing)');
    return { name, numeric: false, initial: options[0] ?? '', options };
  });
}

export function AssignForm({ report }: { report: SegmentReport }) {
  const t = useMessages(SM);
  const fields = fieldsOf(report);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.initial])),
  );
  const [result, setResult] = useState<SegmentAssignment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const features: Record<string, string | number> = {};
    for (const f of fields) {
      const raw = values[f.name]?.trim() ?? '';
      if (raw === '') continue;
      features[f.name] = f.numeric ? Number(raw) : raw;
    }
    setBusy(true);
    setError(null);
    api.post<SegmentAssignment>('/v1/segments/assign', { features }).then(
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
    <Card title={t('assign')} wide>
      <form className="form-row" onSubmit={submit} aria-label={t('assign')} data-testid="assign-form">
        {fields.map((f) => (
          <label key={f.name}>
            {f.name}
            <input
              name={f.name}
              type={f.numeric ? 'number' : 'text'}
              step="any"
              list={f.options.length > 0 ? `opts-${f.name}` : undefined}
              value={values[f.name] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              size={10}
            />
            {f.options.length > 0 && (
              <datalist id={`opts-${f.name}`}>
                {f.options.map((o) => (
                  <option key={o} value={o} />
                ))}
              </datalist>
            )}
          </label>
        ))}
        <button type="submit" className="primary" disabled={busy}>
          {t('assignButton')}
        </button>
      </form>
      {error !== null && <ErrorState error={error} />}
      {result && (
        <div className="stack" data-testid="assign-result" aria-live="polite">
          <strong>{t('result', { segment: result.segment, name: result.name })}</strong>
          <div>
            {t('why')}:
            <ol className="rules">
              {result.path.map((p, i) => (
                <li key={i}>
                  <code>{p}</code>
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
    </Card>
  );
}
