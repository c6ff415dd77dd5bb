/**
 * The frame of every signed-in page: a header with the navigation (a menu button folds it at
 * phone width), the RU/EN switch and the user with a log-out button; the page below.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import { useSession } from '../auth';
import { LANGS, useCommon, useLang } from '../i18n';
import { NAV } from '../nav';

export function Layout({ children }: { children: ReactNode }) {
  const t = useCommon();
  const { lang, setLang } = useLang();
  const { session, can, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.pathname]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {lang === 'ru' ? 'К содержимому' : 'Skip to content'}
      </a>
      <header className="app-header">
        <div className="brand">{t('appName')}</div>
        <button
          type="button"
          className="menu-button"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
        >
          ☰ {t('menu')}
        </button>
        <nav id="main-nav" className={`main-nav ${open ? 'open' : ''}`} aria-label={t('menu')}>
          {NAV.filter((item) => can(item.permission)).map((item) => (
            <NavLink key={item.path} to={item.path} end={item.path === '/'}>
              {t(item.label)}
            </NavLink>
          ))}
        </nav>
        <div className="header-tools">
          <div className="lang-switch" role="group" aria-label={t('language')}>
            {LANGS.map((l) => (
              <button
                key={l}
                type="button"
                aria-pressed={lang === l}
                className={lang === l ? 'active' : ''}
                onClick={() => setLang(l)}
              >
                {l.toUpperCase()}
              </button>
            ))}
          </div>
          <span className="user" data-testid="current-user">
            {session.name} · {session.role}
          </span>
          <button type="button" onClick={signOut}>
            {t('logout')}
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** A page's title row with optional tools on the right. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-tools">{children}</div>}
    </div>
  );
}

/** A titled card grouping one block of a page. */
export function Card({ title, children, wide }: { title?: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={`card ${wide ? 'card-wide' : ''}`}>
      {title && <h2>{title}</h2>}
      {children}
    </section>
  );
}
