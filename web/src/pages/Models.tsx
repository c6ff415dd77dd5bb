/** The model registry: versions per model with metrics, promote a version, roll back a model. */
import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../auth';
import { DataTable } from '../components/DataTable';
import { Card } from '../components/Layout';
import { Async, errorText } from '../components/States';
import { useFormat, useMessages } from '../i18n';
import type { ModelVersion } from '../types';
import { useApi } from '../useApi';
import { EM } from './experiments-text';

export function Models() {
  const t = useMessages(EM);
  const f = useFormat();
  const { can } = useSession();
  const state = useApi((signal) => api.get<{ items: ModelVersion[] }>('/v1/models', undefined, signal), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = (promise: Promise<ModelVersion>) => {
    setBusy(true);
    setNotice(null);
    promise.then(
      (m) => {
        setNotice(t('done', { name: m.name, version: m.version }));
        setBusy(false);
        state.reload();
      },
      (e: unknown) => {
        setNotice(errorText(e));
        setBusy(false);
      },
    );
  };

  return (
    <Card title={t('models')} wide>
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      <Async state={state}>
        {(data) => {
          const names = [...new Set(data.items.map((m) => m.name))].sort();
          return (
            <>
              {names.map((name) => (
                <section key={name} data-testid={`model-${name}`}>
                  <div className="page-header">
                    <h3>{name}</h3>
                    {can('models.write') && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          act(api.post<ModelVersion>(`/v1/models/${encodeURIComponent(name)}/rollback`))
                        }
                      >
                        {t('rollback')}
                      </button>
                    )}
                  </div>
                  <DataTable
                    rows={data.items.filter((m) => m.name === name)}
                    rowKey={(m) => `${m.name}@${m.version}`}
                    columns={[
                      { key: 'v', header: t('version'), render: (m) => m.version },
                      { key: 'c', header: t('created'), render: (m) => f.dateTime(m.created_at) },
                      {
                        key: 'p',
                        header: t('status'),
                        render: (m) =>
                          m.promoted ? (
                            <span className="badge ok">{t('promoted')}</span>
                          ) : can('models.write') ? (
                            <button
                              type="button"
                              disabled={busy}
                              onClick={() =>
                                act(
                                  api.post<ModelVersion>(`/v1/models/${encodeURIComponent(m.name)}/promote`, {
                                    version: m.version,
                                  }),
                                )
                              }
                            >
                              {t('promote')}
                            </button>
                          ) : (
                            '—'
                          ),
                      },
                      {
                        key: 'm',
                        header: t('metrics'),
                        render: (m) =>
                          Object.entries(m.metrics ?? {})
                            .slice(0, 5)
                            .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
                            .join(', '),
                      },
                    ]}
                  />
                </section>
              ))}
            </>
          );
        }}
      </Async>
    </Card>
  );
}
