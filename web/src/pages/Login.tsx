/** The sign-in form: user name and password → `POST /v1/session` (sets the session cookie). */
import { useState, type FormEvent } from 'react';
import { login, type Session } from '../api';
import { errorText } from '../components/States';
import { defineMessages, LANGS, useLang, useMessages } from '../i18n';

const M = defineMessages({
  ru: { title: 'Вход в nextoffer', name: 'Пользователь', password: 'Пароль', submit: 'Войти', busy: 'Вход…' },
  en: {
    title: 'Sign in to nextoffer',
    name: 'User name',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
  },
});

export function Login({ onLogin }: { onLogin: (session: Session) => void }) {
  const t = useMessages(M);
  const { lang, setLang } = useLang();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    login(name.trim(), password).then(
      (session) => onLogin(session),
      (err: unknown) => {
        setError(errorText(err));
        setBusy(false);
      },
    );
  };

  return (
    <main className="login-page">
      <form className="login-form card" onSubmit={submit} aria-labelledby="login-title">
        <div className="lang-switch" role="group" aria-label="language">
          {LANGS.map((l) => (
            <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)}>
              {l.toUpperCase()}
            </button>
          ))}
        </div>
        <h1 id="login-title">{t('title')}</h1>
        <label>
          {t('name')}
          <input
            name="username"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <div className="state state-error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('busy') : t('submit')}
        </button>
      </form>
    </main>
  );
}
