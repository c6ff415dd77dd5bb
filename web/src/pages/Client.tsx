/** Client page: find a client by id — profile, products over months, recommendations, offers. */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { useSession } from '../auth';
import { PageHeader } from '../components/Layout';
import { Empty, ErrorState, Loading } from '../components/States';
import { useCommon, useMessages } from '../i18n';
import { useApi } from '../useApi';
import { Offers } from './client/Offers';
import { ProfileCard } from './client/ProfileCard';
import { Recommendations } from './client/Recommendations';
import { CLIENT_TEXT } from './client/strings';
import { Timeline } from './client/Timeline';
import type { ClientAnswer } from './client/types';

const ID_RE = /^[1-9][0-9]{0,9}$/;

export function Client() {
  const common = useCommon();
  const t = useMessages(CLIENT_TEXT);
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? '';
  const [input, setInput] = useState(id);
  const [invalid, setInvalid] = useState(false);
  const valid = ID_RE.test(id);
  useEffect(() => setInput(id), [id]);
  const state = useApi<ClientAnswer | null>(
    (signal) =>
      valid ? api.get<ClientAnswer>(`/v1/clients/${id}`, { k: 7 }, signal) : Promise.resolve(null),
    [id],
  );
  const client = state.data;
  const codeOf = (p: string) => {
    const i = client?.timeline.products.indexOf(p) ?? -1;
    return i >= 0 ? client!.timeline.codes[i] : p;
  };

  return (
    <>
      <PageHeader title={common('navClient')}>
        <form
          className="form-row"
          role="search"
          style={{ marginBottom: 0 }}
          onSubmit={(e) => {
            e.preventDefault();
            const next = input.trim();
            setInvalid(!ID_RE.test(next));
            if (ID_RE.test(next)) setParams({ id: next });
          }}
        >
          <label htmlFor="client-id">
            {t('searchLabel')}
            <input
              id="client-id"
              name="id"
              inputMode="numeric"
              autoComplete="off"
              value={input}
              aria-invalid={invalid}
              aria-describedby={invalid ? 'client-id-error' : undefined}
              onChange={(e) => setInput(e.target.value)}
              data-testid="client-search"
            />
          </label>
          <button type="submit" className="primary">
            {t('searchButton')}
          </button>
        </form>
      </PageHeader>
      {invalid && (
        <p id="client-id-error" className="state state-error" role="alert">
          {t('invalidId')}
        </p>
      )}
      {!valid ? (
        <Empty>{t('searchHint')}</Empty>
      ) : state.error ? (
        state.error instanceof ApiError && state.error.code === 'NOT_FOUND' ? (
          <Empty>{t('notFound', { id })}</Empty>
        ) : (
          <ErrorState error={state.error} onRetry={state.reload} />
        )
      ) : state.loading || !client ? (
        <Loading />
      ) : (
        <div className="grid" data-testid="client-page">
          <ProfileCard client={client} codeOf={codeOf} />
          <Timeline client={client} />
          <Recommendations client={client} />
          {can('recommend') && <Offers key={client.client_id} client={client} />}
        </div>
      )}
    </>
  );
}
