/** Users (admin): create a user, change the role, disable or enable, reset the password. */
import { useState, type FormEvent } from 'react';
import { api, type Role } from '../api';
import { DataTable } from '../components/DataTable';
import { Card, PageHeader } from '../components/Layout';
import { Async, errorText } from '../components/States';
import { defineMessages, useCommon, useFormat, useMessages } from '../i18n';
import type { User } from '../types';
import { useApi } from '../useApi';

const M = defineMessages({
  ru: {
    create: 'Новый пользователь',
    name: 'Имя',
    role: 'Роль',
    password: 'Пароль (не короче 12 символов; пусто — сгенерировать)',
    add: 'Создать',
    created: 'Пользователь {name} создан',
    generated: 'Пароль {name}: {password} — показан один раз',
    status: 'Состояние',
    active: 'активен',
    disabled: 'отключён',
    disable: 'Отключить',
    enable: 'Включить',
    reset: 'Сбросить пароль',
    updated: 'Сохранено: {name}',
    changedAt: 'Изменён',
  },
  en: {
    create: 'New user',
    name: 'Name',
    role: 'Role',
    password: 'Password (12 characters or more; empty: generate one)',
    add: 'Create',
    created: 'User {name} created',
    generated: 'Password of {name}: {password} — shown once',
    status: 'Status',
    active: 'active',
    disabled: 'disabled',
    disable: 'Disable',
    enable: 'Enable',
    reset: 'Reset password',
    updated: 'Saved: {name}',
    changedAt: 'Changed',
  },
});

const ROLES: Role[] = ['admin', 'operator', 'analyst', 'api'];

export function Users() {
  const c = useCommon();
  const t = useMessages(M);
  const f = useFormat();
  const state = useApi((signal) => api.get<{ items: User[] }>('/v1/users', undefined, signal), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);

  const run = (promise: Promise<unknown>, ok: (r: unknown) => string) => {
    setNotice(null);
    promise.then(
      (r) => {
        setNotice({ text: ok(r), error: false });
        state.reload();
      },
      (e: unknown) => setNotice({ text: errorText(e), error: true }),
    );
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    const body = { name: name.trim(), role, ...(password !== '' ? { password } : {}) };
    run(api.post<{ user: User; password?: string }>('/v1/users', body), (r) => {
      const res = r as { user: User; password?: string };
      setName('');
      setPassword('');
      return res.password
        ? t('generated', { name: res.user.name, password: res.password })
        : t('created', { name: res.user.name });
    });
  };

  const resetPassword = (user: string) =>
    run(api.post<{ password?: string }>(`/v1/users/${encodeURIComponent(user)}/password`, {}), (r) => {
      const res = r as { password?: string };
      return res.password
        ? t('generated', { name: user, password: res.password })
        : t('updated', { name: user });
    });

  return (
    <>
      <PageHeader title={c('navUsers')} />
      <Card title={t('create')}>
        <form className="form-row" onSubmit={create} aria-label={t('create')}>
          <label>
            {t('name')}
            <input
              name="new-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              pattern="[a-z0-9][a-z0-9_.@\-]{0,63}"
            />
          </label>
          <label>
            {t('role')}
            <select name="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('password')}
            <input
              name="new-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <button type="submit" className="primary">
            {t('add')}
          </button>
        </form>
      </Card>
      {notice && (
        <div
          className={notice.error ? 'state state-error' : 'notice'}
          role={notice.error ? 'alert' : 'status'}
        >
          {notice.text}
        </div>
      )}
      <Card>
        <Async state={state}>
          {(data) => (
            <DataTable
              testId="users-table"
              rows={data.items}
              rowKey={(u) => u.name}
              columns={[
                { key: 'n', header: t('name'), render: (u) => u.name },
                {
                  key: 'r',
                  header: t('role'),
                  render: (u) => (
                    <select
                      aria-label={`${t('role')} ${u.name}`}
                      value={u.role}
                      onChange={(e) =>
                        run(
                          api.patch(`/v1/users/${encodeURIComponent(u.name)}`, { role: e.target.value }),
                          () => t('updated', { name: u.name }),
                        )
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ),
                },
                {
                  key: 's',
                  header: t('status'),
                  render: (u) => (
                    <span className={`badge ${u.disabled ? 'bad' : 'ok'}`}>
                      {u.disabled ? t('disabled') : t('active')}
                    </span>
                  ),
                },
                { key: 'u', header: t('changedAt'), render: (u) => f.dateTime(u.updatedAt) },
                {
                  key: 'a',
                  header: '',
                  render: (u) => (
                    <span className="form-row" style={{ margin: 0 }}>
                      <button
                        type="button"
                        onClick={() =>
                          run(
                            api.patch(`/v1/users/${encodeURIComponent(u.name)}`, { disabled: !u.disabled }),
                            () => t('updated', { name: u.name }),
                          )
                        }
                      >
                        {u.disabled ? t('enable') : t('disable')}
                      </button>
                      <button type="button" onClick={() => resetPassword(u.name)}>
                        {t('reset')}
                      </button>
                    </span>
                  ),
                },
              ]}
            />
          )}
        </Async>
      </Card>
    </>
  );
}
